"""Where the print edition's pages begin, for the EPUB's page-list: read from each piece of
the issue as it is laid out (``pieces``), put together for the whole issue (``starts``).

A helper of the pdf stage. WeasyPrint 70's box tree is read through ``weasy``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import weasyprint

from dizgi import floats, weasy
from dizgi.model import PageStart
from dizgi.weasy import boxes

#: the elements whose end a page may begin with, marked in the EPUB at the page's words
_RUNNING_ON = frozenset({"p", "li", "dd", "blockquote"})


@dataclass(frozen=True)
class PageBegins:
    """What one laid-out page begins: the first element with an id that begins on it (None
    when it begins none), and when it opens by continuing an element (the end of a
    paragraph, of a note), which element and with what words."""

    first: str | None
    continued: tuple[str, str] | None


def page_begins(document: weasyprint.Document) -> tuple[PageBegins, ...]:
    """For each page of a layout, what it begins. An element split over pages appears on
    each, and begins on the first (an id is in one piece of the issue only, so a piece read
    alone says what the issue's pages begin)."""
    seen: set[str] = set()
    begins_list = []
    for page in document.pages:
        first = None
        found = _first_text(weasy.page_box(page))
        begins = (found[0], found[2]) if found is not None else None
        # the page's first words end a paragraph or item an earlier page began (not a table,
        # whose head, repeated, would be found where the table begins)
        ends_one = found is not None and found[0] in seen and found[1] in _RUNNING_ON
        for element in _own_elements(weasy.page_box(page)):
            anchor = element.get("id")
            if anchor and anchor not in seen:
                seen.add(anchor)
                first = first or anchor
        begins_list.append(PageBegins(first, begins if ends_one or not first else None))
    return tuple(begins_list)


def starts(pages: Sequence[PageBegins], label: Callable[[int], str]) -> tuple[PageStart, ...]:
    """For each page of the issue (``label`` gives its label from its 0-based index), the
    first element with an id that begins on it; a page that begins none is anchored at the
    next element that begins on a later page, and says what it continues and with what
    words, so that the EPUB's marker can stand there, before the page's first words."""
    found = []
    for index, page in enumerate(pages):
        following = next((later.first for later in pages[index:] if later.first), None)
        inside, words = page.continued or ("", "")
        if following is not None:
            found.append(PageStart(label(index), following, inside, words))
    return tuple(found)


def page_starts(document: weasyprint.Document, label: Callable[[int], str]) -> tuple[PageStart, ...]:
    """``starts`` of one layout that is the whole of what it shows."""
    return starts(page_begins(document), label)


def _own_elements(box: Any) -> Iterator[Any]:
    """The elements a page's boxes were made from (``page_elements``), less those a box
    only stands for: a note's call is made from the note (WeasyPrint 70), which may be
    printed a page later; a list item's marker from the item."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return
    if getattr(box, "element", None) is not None:
        yield box.element
    for child in getattr(box, "children", ()):
        yield from _own_elements(child)


def _first_text(box: Any, holders: tuple[Any, ...] = (), line: Any = None) -> tuple[str, str, str] | None:
    """The first words a page's flow sets (not its running heads, not its footnotes): the
    id and tag of the nearest element around them that has an id, and the words: the whole
    of their line, so that the EPUB finds the place they begin even where the first word
    alone (*power*, the end of a span split over two pages) stands earlier in the paragraph."""
    element = getattr(box, "element", None)
    anchored = element is not None and getattr(box, "element_tag", None) and element.get("id")
    holders = (*holders, element) if anchored else holders
    if isinstance(box, floats.NOT_THE_FLOW) or "::" in (getattr(box, "element_tag", "") or ""):
        return None  # generated text (a list item's marker, a note call) is not in the EPUB
    if isinstance(box, boxes.LineBox):
        line = box
    text = getattr(box, "text", None)
    if isinstance(text, str) and text.strip() and holders:
        words = " ".join(_line_text(line).split()) if line is not None else ""
        return holders[-1].get("id"), str(holders[-1].tag), words or " ".join(text.split())
    for child in getattr(box, "children", ()):
        found = _first_text(child, holders, line)
        if found is not None:
            return found
    return None


def _line_text(box: Any) -> str:
    """The text a line box sets, less generated text (a marker, a note call)."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return ""
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_line_text(child) for child in getattr(box, "children", ()))
