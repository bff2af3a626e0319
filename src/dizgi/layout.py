"""WeasyPrint as dizgi runs it: the confined fetcher, Turkish hyphenation, warnings collected.

Every layout dizgi makes (the galleys and trial documents of paragraph fitting, and the
issue itself) goes through here, so all of them read the same files, hyphenate the same
way and report a refused file the same way, in whichever process they run.

A process lays out many small documents (a build of 20 articles: 10 galleys, some 20 trial
documents and 22 pieces, on two workers), and WeasyPrint would give each a font
configuration of its own: Fontconfig's whole configuration and the system's fonts loaded
again, the shipped faces added again, Pango's font cache empty again, a fifth of a second
each time. So each process keeps one (``_fonts``) for as long as the shipped fonts do not
change; the layouts it gives are the same, byte for byte.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import util as multiprocessing_util
from pathlib import Path
from typing import Any, TypeVar

import weasyprint

from dizgi import hyphenation
from dizgi.errors import RenderError
from dizgi.fetch import ConfinedFetcher
from dizgi.weasy import FontConfiguration

#: WeasyPrint warnings that say nothing about the issue: without the system library
#: libharfbuzz-subset it subsets fonts with fontTools, which gives the same embedded fonts.
HARMLESS_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)
TURKISH_PATTERNS = "hyph_tr_TR-dizgi.dic"
#: the body text's face (``fonts.css``: Dizgi Serif regular): its space is the natural word space
BODY_FONT = Path("fonts/NotoSerif-Regular.ttf")

Result = TypeVar("Result")


def lay_out(
    html: str,
    styles_dir: Path,
    manuscript_dir: Path,
    work: Callable[[weasyprint.HTML], Result],
) -> tuple[Result, tuple[str, ...]]:
    """Parse ``html`` (relative URLs against ``styles_dir``), let ``work`` lay it out and use
    the layout; return what ``work`` returned and what WeasyPrint warned about. A file the
    layout may not read stops the build with the address it asked for."""
    hyphenation.register_turkish(styles_dir / "hyphenation" / TURKISH_PATTERNS)
    fetcher = ConfinedFetcher((manuscript_dir, styles_dir))
    with _captured_warnings() as warnings:
        try:
            document = _WithKeptFonts(
                _fonts(_fonts_key(styles_dir)),
                string=html,
                base_url=styles_dir.resolve().as_uri() + "/",
                url_fetcher=fetcher,
            )
            result = work(document)
        except weasyprint.urls.FatalURLFetchingError as error:
            refused = fetcher.refused[-1] if fetcher.refused else str(error)
            raise RenderError(
                f"the layout asked for a file dizgi may not read: {refused}",
                fix="keep images and stylesheets inside the manuscript or styles folder, linked relatively",
                path=styles_dir / "print.css",
            ) from None
    return result, tuple(warnings)


class _WithKeptFonts(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A document that renders with the process's font configuration (``_fonts``), wherever
    ``work`` renders it and however often (floats and notes lay a piece out again)."""

    def __init__(self, fonts: FontConfiguration, **source: Any) -> None:
        super().__init__(**source)
        self.fonts = fonts

    def render(self, font_config: FontConfiguration | None = None, **options: Any) -> weasyprint.Document:
        return super().render(font_config=font_config or self.fonts, **options)


def _fonts_key(styles_dir: Path) -> tuple[object, ...]:
    """What the kept font configuration depends on: this process (a worker forked from the
    build makes its own, in a folder of its own) and the shipped fonts as they are now (a
    ``--watch`` build after a font file changed gets a new one)."""
    fonts = styles_dir.resolve() / "fonts"
    files = sorted(fonts.iterdir()) if fonts.is_dir() else []
    return (
        os.getpid(),
        fonts,
        tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in files),
    )


#: the font configurations made, by ``_fonts_key``; never dropped: a forked worker holds its
#: parent's too, and dropping one there would remove the parent's folder of font files
_KEPT_FONTS: dict[tuple[object, ...], FontConfiguration] = {}


def _fonts(key: tuple[object, ...]) -> FontConfiguration:
    """The font configuration of ``_fonts_key``, made at its first layout. WeasyPrint copies
    the ``@font-face`` files into a folder of the configuration's, removed when it is
    collected; a worker process ends without collecting, so the folder is also removed when
    the process that made it ends (multiprocessing runs its finalizers in a worker's last
    step, and in the build at exit; a worker forgets its parent's at the fork)."""
    fonts = _KEPT_FONTS.get(key)
    if fonts is None:
        fonts = _KEPT_FONTS[key] = FontConfiguration()
        multiprocessing_util.Finalize(fonts, _remove_folder, args=(fonts,), exitpriority=0)
    return fonts


def _remove_folder(fonts: FontConfiguration) -> None:
    """Remove the folder of copied font files (WeasyPrint's own clean-up, its ``__del__``)."""
    fonts.__del__()


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings instead of letting them print from inside a stage."""
    messages: list[str] = []

    class _Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if not message.startswith(HARMLESS_WARNINGS) and message not in messages:
                messages.append(message)

    logger = logging.getLogger("weasyprint")
    handler = _Collector(level=logging.WARNING)
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
