"""WeasyPrint as dizgi runs it: the confined fetcher, Turkish hyphenation, warnings collected.

Every layout dizgi makes (the galleys and trial documents of paragraph fitting, and the
issue itself) goes through here, so all of them read the same files, hyphenate the same
way and report a refused file the same way, in whichever process they run.

Each document is laid out with the fonts and stylesheets its process keeps
(``keptstyles``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import weasyprint

from dizgi import hyphenation, keptstyles
from dizgi.errors import RenderError
from dizgi.fetch import ConfinedFetcher

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
            document = keptstyles.KeptStylesHTML(
                keptstyles.fonts(styles_dir),
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
