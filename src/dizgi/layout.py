"""WeasyPrint as dizgi runs it: the confined fetcher, Turkish hyphenation, warnings collected.

Every layout dizgi makes (the galleys and trial documents of paragraph fitting, and the
issue itself) goes through here, so all of them read the same files, hyphenate the same
way and report a refused file the same way, in whichever process they run.

A process lays out many small documents (a build of 20 articles: 10 galleys, some 20 trial
documents and 22 pieces, on two workers), and WeasyPrint would give each a font
configuration of its own (Fontconfig's whole configuration and the system's fonts loaded
again, the shipped faces added again, Pango's font cache empty again: a fifth of a second)
and parse ``fonts.css`` and ``print.css`` again (a tenth). So each process keeps one font
configuration (``_fonts``) for as long as the shipped fonts do not change, and each
stylesheet parsed (``_kept_sheet``) for as long as its file does not; the layouts are the
same, byte for byte.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import util as multiprocessing_util
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

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
            document = _WithKeptResources(
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


class _WithKeptResources(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A document that renders with the process's font configuration (``_fonts``) and its
    own stylesheets, taken out of its head and given to WeasyPrint parsed (linked ones
    parsed once per process, ``_kept_sheet``), wherever ``work`` renders it and however
    often (floats and notes lay a piece out again).

    WeasyPrint gives stylesheets passed to ``render`` the user's origin, below the author's:
    so all of them are taken, in their order (the head's inline rules still come after
    ``print.css`` and win as they did), and a style attribute still outweighs them all. A
    head with a stylesheet of another kind (a ``media`` or ``type`` of its own, an address
    that is not a file) keeps all of them in place, for WeasyPrint to read as before."""

    def __init__(self, fonts: FontConfiguration, **source: Any) -> None:
        super().__init__(**source)
        self.fonts = fonts
        self.sheets = _take_stylesheets(self.etree_element, self.base_url, self.url_fetcher, fonts)

    def render(self, font_config: FontConfiguration | None = None, **options: Any) -> weasyprint.Document:
        stylesheets = [*self.sheets, *(options.pop("stylesheets", None) or ())]
        return super().render(font_config=font_config or self.fonts, stylesheets=stylesheets, **options)


def _take_stylesheets(
    root: Any, base_url: str, fetcher: ConfinedFetcher, fonts: FontConfiguration
) -> tuple[weasyprint.CSS, ...]:
    """The head's stylesheets parsed, in their order, and taken out of it (see
    ``_WithKeptResources``); none where one is of a kind not taken."""
    head = root.find("head")
    found = [element for element in head if element.tag in ("link", "style")] if head is not None else []
    if not found or not all(_taken(element, base_url) for element in found):
        return ()
    sheets = []
    for element in found:
        if element.tag == "link":
            sheets.append(_kept_sheet(urljoin(base_url, element.get("href")), fetcher, fonts))
        else:
            text = "".join([element.text or "", *(child.tail or "" for child in element)])
            sheet = weasyprint.CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
            sheets.append(sheet)
        head.remove(element)
    return tuple(sheets)


def _taken(element: Any, base_url: str) -> bool:
    """Is this a stylesheet ``_take_stylesheets`` takes: a plain ``<style>``, or a
    ``<link rel="stylesheet">`` to a file, for every medium?"""
    if set(element.keys()) - {"rel", "href"}:
        return False
    if element.tag == "style":
        return not element.keys()
    href = element.get("href")
    return element.get("rel") == "stylesheet" and bool(href) and urljoin(base_url, href).startswith("file:")


#: each linked stylesheet parsed, by font configuration (its ``@font-face`` rules are added
#: to it), address and the file's time and size: a ``--watch`` build after an edit of
#: ``print.css`` parses it again
_KEPT_SHEETS: dict[tuple[object, ...], weasyprint.CSS] = {}


def _kept_sheet(url: str, fetcher: ConfinedFetcher, fonts: FontConfiguration) -> weasyprint.CSS:
    """The stylesheet at ``url`` (a ``file:`` address), parsed once while its file stays as it is."""
    found = Path(unquote(urlsplit(url).path)).stat()
    key = (id(fonts), url, found.st_mtime_ns, found.st_size)
    sheet = _KEPT_SHEETS.get(key)
    if sheet is None:
        sheet = _KEPT_SHEETS[key] = weasyprint.CSS(url=url, url_fetcher=fetcher, font_config=fonts)
    return sheet


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
