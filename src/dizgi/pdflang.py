"""Passages in another language marked with it in the PDF's structure tree (T1).

The HTML says where the language changes (``<span lang="en">``, an English abstract's
``<section lang="en">``, an article in English); WeasyPrint 70 writes the document's
language (the catalog's ``/Lang``) and nothing below it, so a screen reader reads an English
abstract or a Russian name with the Turkish voice. PDF/UA wants each such passage's
structure element to carry ``/Lang`` (ISO 14289-1 7.2).

WeasyPrint keeps no link from a structure element back to its HTML element, so each
passage is found by its text: the structure elements of the passage's kind (``Span`` for a
span, ``Sect`` for a section …), first after the last passage found, then before it (a
page's footnotes are read after its text, where the HTML holds each at its call), whose
text, read back from their marked content, is the passage's text (one element, or one per
line or page it was split over). A passage whose text is not found is left unmarked, as
before, and never marks another: the text must match exactly, white space and the
layout's hyphens aside.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_raw
from pikepdf import Array, Dictionary, Name

#: the structure type WeasyPrint 70 gives an HTML element (``pdf/tags.py``); any other is
#: ``NonStruct``
_STRUCTURE_TYPES = {
    "span": "Span", "p": "P", "section": "Sect", "article": "Art", "div": "Div", "main": "Part",
    "blockquote": "BlockQuote", "li": "LI", "dt": "LI", "dd": "LI", "ul": "L", "ol": "L", "dl": "L",
    "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6", "a": "Link",
    "table": "Table", "tr": "TR", "th": "TH", "td": "TD", "caption": "Caption", "figcaption": "Caption",
}  # fmt: skip
#: what the layout adds to a text: line breaks, and the hyphen of a word broken at a line's end
_LAYOUT_CHARACTERS = str.maketrans("", "", " \t\n\r\u00a0\u202f\u2009\u2010\u00ad")


@dataclass(frozen=True)
class Passage:
    """An element of the issue's HTML in another language than the one around it."""

    #: the element's name (``span``, ``section``)
    tag: str
    #: its ``lang``
    lang: str
    #: its text
    text: str


def passages(root: Any) -> tuple[Passage, ...]:
    """Every element of the body of the HTML ``root`` whose ``lang`` is not the one it
    inherits, in document order."""
    found: list[Passage] = []

    def walk(element: Any, inherited: str) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            lang = child.get("lang") or inherited
            if lang != inherited:
                text = "".join(child.itertext())
                if _normalized(text):
                    found.append(Passage(str(child.tag), lang, text))
            walk(child, lang)

    body = root.find("body")
    if body is not None:
        walk(body, root.get("lang") or "")
    return tuple(found)


def mark_languages(pdf: pikepdf.Pdf, data: bytes, root: pikepdf.Object, wanted: Sequence[Passage]) -> int:
    """Give each passage's structure elements (under ``root``, of ``pdf``, whose bytes as
    written are ``data``) its ``/Lang``; return how many passages were found."""
    if not wanted:
        return 0
    texts = _texts_by_mark(data)
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    elements = list(_preorder(root))
    text_of = _element_texts(root, pages, texts)
    ends = _subtree_ends(elements)
    found, cursor = 0, 0
    used: set[tuple[int, int]] = set()
    for passage in wanted:
        kind = _STRUCTURE_TYPES.get(passage.tag, "NonStruct")
        want = _normalized(passage.text)
        # from the last passage found on, then from the start: a page's footnotes are read
        # after its text, though the HTML holds each where it is called
        at, matched = _match(elements, ends, text_of, kind, want, range(cursor, len(elements)), used)
        if not matched:
            at, matched = _match(elements, ends, text_of, kind, want, range(cursor), used)
        for element in matched:
            element.Lang = pikepdf.String(passage.lang)
            used.add(element.objgen)
        if matched:
            cursor, found = at + 1, found + 1
    return found


def _match(
    elements: list[pikepdf.Object],
    ends: list[int],
    text_of: dict[tuple[int, int], str],
    kind: str,
    want: str,
    candidates: range,
    used: set[tuple[int, int]],
) -> tuple[int, list[pikepdf.Object]]:
    """The elements of ``kind`` among ``candidates`` (not ``used``) whose texts, one after
    another, make ``want``: the first whose text begins it (and its index), and those after
    it (past its own content) that continue it, until it is whole; nothing if it never is."""
    for index in candidates:
        element = elements[index]
        text = text_of.get(element.objgen, "")
        if (
            element.get("/S") != Name("/" + kind)
            or element.objgen in used
            or not want.startswith(text or "\0")
        ):
            continue
        matched, done, at = [element], text, ends[index]
        while done != want and at < len(elements):
            following = elements[at]
            more = text_of.get(following.objgen, "")
            if following.get("/S") != Name("/" + kind) or not more:
                at += 1
                continue
            if not want[len(done) :].startswith(more):
                break
            matched.append(following)
            done += more
            at = ends[at]
        if done == want:
            return index, matched
    return 0, []


def _preorder(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The structure elements under ``element``, each before its own kids."""
    for kid in _kids(element):
        yield kid
        yield from _preorder(kid)


def _subtree_ends(elements: list[pikepdf.Object]) -> list[int]:
    """For each element of the pre-order list, the index just past its descendants."""
    index_of = {element.objgen: index for index, element in enumerate(elements)}
    ends = list(range(1, len(elements) + 1))
    for index in range(len(elements) - 1, -1, -1):
        parent = elements[index].get("/P")
        if parent is not None and parent.objgen in index_of:
            at = index_of[parent.objgen]
            ends[at] = max(ends[at], ends[index])
    return ends


def _element_texts(
    root: pikepdf.Object, pages: dict[tuple[int, int], int], texts: dict[tuple[int, int], str]
) -> dict[tuple[int, int], str]:
    """Each structure element's text (by object number), from the marked content it and its
    descendants hold, in order; normalised (``_normalized``)."""
    result: dict[tuple[int, int], str] = {}

    def text(element: pikepdf.Object, page: pikepdf.Object | None) -> str:
        page = element.get("/Pg", page)
        parts = []
        kids = element.get("/K")
        for kid in kids if isinstance(kids, Array) else [] if kids is None else [kids]:
            if isinstance(kid, int) and page is not None:
                parts.append(texts.get((pages.get(page.objgen, -1), int(kid)), ""))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                on = kid.get("/Pg", page)
                parts.append(
                    texts.get((pages.get(on.objgen, -1), int(kid.MCID)), "") if on is not None else ""
                )
            elif isinstance(kid, Dictionary) and "/S" in kid:
                parts.append(text(kid, page))
        joined = "".join(parts)
        result[element.objgen] = joined
        return joined

    text(root, None)
    return result


def _texts_by_mark(data: bytes) -> dict[tuple[int, int], str]:
    """The text each marked-content sequence shows, by (page index, MCID), as PDFium reads
    it back through the fonts' ToUnicode maps; normalised (``_normalized``)."""
    texts: dict[tuple[int, int], str] = {}
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            for item in page.get_objects(max_depth=1):  # text drawn in a form XObject is not read
                if item.type != pdfium_raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = pdfium_raw.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid < 0:
                    continue
                size = pdfium_raw.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * max(1, size // 2))()
                pdfium_raw.FPDFTextObj_GetText(item.raw, textpage.raw, buffer, size)
                shown = bytes(buffer)[: max(0, size - 2)].decode("utf-16-le", errors="replace")
                key = (index, mcid)
                texts[key] = texts.get(key, "") + _normalized(shown)
            textpage.close()
            page.close()
    finally:
        document.close()
    return texts


def _normalized(text: str) -> str:
    return text.translate(_LAYOUT_CHARACTERS)


def _kids(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [] if kids is None else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
