"""The one door to WeasyPrint's internals: what dizgi reads of a layout that WeasyPrint
has no public API for.

WeasyPrint's public API gives a document's pages and writes them; it says nothing of what
stands on a page. Fitting, floats, notes kept with their calls, the cover's headlines and
the EPUB's page markers all need to know: so they read WeasyPrint's box tree (a page's
``_page_box`` and the boxes under it), its box classes, and its Pango text API. Every such
import and the private page attribute are here, checked against the WeasyPrint version
below (``tests/test_weasy.py``): a WeasyPrint upgrade is checked and mended in this file.
The box objects themselves (``children``, ``element``, ``position_y``, ``text``) are read
where they are used. Two more things WeasyPrint keeps in its private modules come through
here too: its font configuration (``layout`` keeps one per process) and whether it found
HarfBuzz's font subsetter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import weasyprint
from weasyprint.document import DocumentMetadata, Page
from weasyprint.formatting_structure import boxes
from weasyprint.html import get_html_metadata
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.text import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import create_layout, line_size

__all__ = [
    "CHECKED_WITH",
    "FASTER_SUBSETTING",
    "AbsolutePlaceholder",
    "FontConfiguration",
    "article_pages",
    "boxes",
    "create_layout",
    "html_metadata",
    "line_size",
    "page_box",
    "page_elements",
    "subsets_with_harfbuzz",
    "xmp_packet",
]

#: the WeasyPrint release every reading here was checked against
CHECKED_WITH = "70.0"


#: what to do about fonts subset with fontTools (the pdf stage says it when it is so)
FASTER_SUBSETTING = "install HarfBuzz's subsetter for a faster build (Debian or Ubuntu: libharfbuzz-subset0)"


def subsets_with_harfbuzz() -> bool:
    """Does WeasyPrint subset the PDF's fonts with HarfBuzz (the system's libharfbuzz-subset,
    HarfBuzz 4.1 or newer)? Otherwise it subsets with fontTools: the same glyphs, other
    bytes, and about half a second more for each piece of the issue."""
    subsetter, harfbuzz = weasyprint_ffi.harfbuzz_subset, weasyprint_ffi.harfbuzz
    return subsetter is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def page_box(page: Page) -> Any:
    """The root of a laid-out page's box tree (private in WeasyPrint 70)."""
    return page._page_box


def page_elements(box: Any) -> Iterator[Any]:
    """The elements a page's boxes were made from, in reading order."""
    if getattr(box, "element", None) is not None:
        yield box.element
    for child in getattr(box, "children", ()):
        yield from page_elements(child)


def article_pages(document: weasyprint.Document, root: Any, keys: tuple[str, ...]) -> dict[str, range]:
    """The pages (0-based indices) each article stands on, in the laid-out issue."""
    owner: dict[Any, str] = {}
    for element in root.iter():
        key = element.get("id")
        if key in keys:
            owner.update((descendant, key) for descendant in element.iter())
    found: dict[str, list[int]] = {}
    for index, page in enumerate(document.pages):
        for key in {owner[element] for element in page_elements(page_box(page)) if element in owner}:
            found.setdefault(key, []).append(index)
    return {key: range(min(indices), max(indices) + 1) for key, indices in found.items()}


def xmp_packet(metadata: DocumentMetadata, variant: str) -> bytes:
    """The XMP packet WeasyPrint writes for ``metadata`` in a PDF of ``variant``
    (``pdf/a-3a``): an offprint's, which says its own title, authors and keywords."""
    family, _, level = variant.removeprefix("pdf/").partition("-")
    version, conformance = int(level[:-1]), level[-1].upper()
    rdf = metadata.generate_rdf_metadata(family, version, conformance)
    header = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    header += b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    footer = b'</x:xmpmeta>\n<?xpacket end="r"?>'
    return b"\n".join((header, rdf, footer))


def html_metadata(html: str) -> DocumentMetadata:
    """The metadata WeasyPrint reads from an HTML document's head (title, authors, dates,
    language), as it would write them into the PDF: without laying the document out."""
    return DocumentMetadata(**get_html_metadata(weasyprint.HTML(string=html)))
