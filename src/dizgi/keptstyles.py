"""The fonts and stylesheets a process keeps for all the documents it lays out.

A process lays out many small documents (a build of 20 articles: 10 galleys, some 20 trial
documents and 22 pieces, on two workers), and WeasyPrint would give each a font
configuration of its own (Fontconfig's whole configuration and the system's fonts loaded
again, the shipped faces added again, Pango's font cache empty again: a fifth of a second)
and parse ``fonts.css`` and ``print.css`` again (a tenth). So each process keeps one font
configuration (``fonts``) for as long as the shipped fonts do not change, and each linked
stylesheet parsed (``_kept_sheet``) for as long as its file does not; the layouts are the
same, byte for byte. A helper of ``layout``.
"""

from __future__ import annotations

import os
from multiprocessing import util as multiprocessing_util
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint

from dizgi.fetch import ConfinedFetcher
from dizgi.weasy import FontConfiguration


class KeptStylesHTML(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A document that renders with the process's font configuration (``fonts``) and its
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

    def render(self, **options: Any) -> weasyprint.Document:
        """``weasyprint.HTML.render`` with the kept fonts (the stylesheets were parsed with
        them: another font configuration would lack their faces) and the head's stylesheets,
        then any given."""
        stylesheets = [*self.sheets, *(options.pop("stylesheets", None) or ())]
        return super().render(font_config=self.fonts, stylesheets=stylesheets, **options)


def _take_stylesheets(
    root: Any, base_url: str, fetcher: ConfinedFetcher, fonts: FontConfiguration
) -> tuple[weasyprint.CSS, ...]:
    """The head's stylesheets parsed, in their order, and taken out of it (see
    ``KeptStylesHTML``); none where one is of a kind not taken."""
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


def fonts(styles_dir: Path) -> FontConfiguration:
    """The font configuration this process keeps for the fonts of ``styles_dir`` as they
    are now (``_fonts_key``), made at its first layout."""
    return _fonts(_fonts_key(styles_dir))


def _fonts_key(styles_dir: Path) -> tuple[object, ...]:
    """What the kept font configuration depends on: this process (a worker forked from the
    build makes its own, in a folder of its own) and the shipped fonts as they are now (a
    ``--watch`` build after a font file changed gets a new one)."""
    fonts = styles_dir.resolve() / "fonts"
    found = [(path.name, path.stat()) for path in sorted(fonts.iterdir())] if fonts.is_dir() else []
    return (os.getpid(), fonts, tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in found))


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
