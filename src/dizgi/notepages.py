"""A footnote printed on the page of its call.

To keep two lines of a paragraph at the foot of a page (its ``orphans``) WeasyPrint 70 may
move the page's last footnote to the next page and set the line in its room: a generated
May issue had note 1 called on page 8 and printed on page 9, and the EPUB's marker of page
8 then stood before a note that page 8 does not hold. A reader looks for a footnote at the
foot of the page that calls it. So after the layout, for each note printed after the page
of its call, the paragraph at the foot of that page (when it begins there, with a line
or three) starts the next page instead: the page ends a line or two short, as TeX's would,
with its note. The issue is laid out again, a round or two, and only when it happens; a
round that brings no note back to its page (a note longer than the room a page leaves) is
undone, and that note stays where WeasyPrint put it, unless it would land on the next
article's opener, or on a page of its own after the article's last line (an article is
laid out alone, ``pieces``): then the line of its call goes with it. A helper of the pdf
stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import weasyprint

from dizgi import weasy
from dizgi.floats import NOT_THE_FLOW, add_style, footnote_area, page_fill
from dizgi.weasy import AbsolutePlaceholder, boxes, page_elements

#: layouts at most: each pushes the paragraphs that took a note's room, the next may move
#: other notes
MAX_ROUNDS = 3
#: a paragraph is pushed when it sets at most this many lines at the page's foot (WeasyPrint
#: moves a note to keep a paragraph's ``orphans``, 2): more would leave the page short
MOST_LINES = 3


def keep_notes_with_calls(
    document: weasyprint.Document, render: Callable[[], weasyprint.Document]
) -> weasyprint.Document:
    """Push the paragraph that took the room of a note on its call's page to the next page
    and lay out again (``render``), round by round; the last layout."""
    for _ in range(MAX_ROUNDS):
        pushed = paragraphs_to_push(document)
        if not pushed:
            break
        styles = {element: element.get("style") for element in pushed}
        for element in pushed:
            add_style(element, "break-before: page")
        trial = render()
        if len(deferred_notes(trial)) >= len(deferred_notes(document)):
            # no note came back to its page (a note longer than the room a page leaves):
            # the pushes only made pages short; the tree as it was, ``document`` its layout
            for element, style in styles.items():
                if style is None:
                    element.attrib.pop("style", None)
                else:
                    element.set("style", style)
            break
        document = trial
    return _keep_notes_off_openers(document, render)


def _keep_notes_off_openers(
    document: weasyprint.Document, render: Callable[[], weasyprint.Document]
) -> weasyprint.Document:
    """A note deferred onto the page where the next article begins (a long note called
    near an article's end) is printed between that article's rubric and its title, which it
    pushes a page on; deferred past an article's last line, it fills a page of its own.
    Such a note takes the line of its call with it instead (CSS GCPM
    ``footnote-policy: line``): the article ends a page later, with its note, and the next
    opens whole. Kept only if the note comes back to its call's page."""
    pages = [weasy.page_box(page) for page in document.pages]
    stranded = [
        element
        for _, page, element in deferred_notes(document)
        if page > 0
        and (_opens_an_article(pages[page], pages[page - 1]) or not page_fill(document.pages[page]))
    ]
    if not stranded:
        return document
    styles = {element: element.get("style") for element in stranded}
    for element in stranded:
        add_style(element, "footnote-policy: line")
    trial = render()
    if not {element for _, _, element in deferred_notes(trial)} & set(stranded):
        return trial
    for element, style in styles.items():
        if style is None:
            element.attrib.pop("style", None)
        else:
            element.set("style", style)
    return document


def _opens_an_article(page: Any, previous: Any) -> bool:
    """Whether an ``article`` begins on ``page`` (it is on it and not on the page before)."""
    before = {element for element in page_elements(previous) if element.tag == "article"}
    return any(element.tag == "article" and element not in before for element in page_elements(page))


def deferred_notes(document: weasyprint.Document) -> list[tuple[int, int, Any]]:
    """Each footnote printed on a later page than its call: the call's page index, the
    note's page index and the note's element (WeasyPrint 70's private box tree)."""
    called: dict[Any, int] = {}
    printed: dict[Any, int] = {}
    for index, page in enumerate(document.pages):
        page_box = weasy.page_box(page)
        for call in _calls(page_box):
            called.setdefault(call.footnote.element, index)
        notes = footnote_area(page_box)
        for note in notes.children if notes is not None else ():
            printed.setdefault(note.element, index)
    return [
        (called[element], page, element)
        for element, page in printed.items()
        if element in called and page > called[element]
    ]


def paragraphs_to_push(document: weasyprint.Document) -> list[Any]:
    """The element of the block at the foot of each page whose note went to a later page,
    where that block begins on the page (a block that began a page earlier would leave
    that page short instead)."""
    pages = [weasy.page_box(page) for page in document.pages]
    pushed = []
    for page_index, _, _ in deferred_notes(document):
        path = _last_line_block(pages[page_index], [])
        if not path or _lines(path[-1]) > MOST_LINES or getattr(path[-1], "element_tag", None) != "p":
            continue
        last = _breakable(path)
        if last is None or last.element is None or last.element in pushed or _pushed(last.element):
            continue
        if page_index > 0 and last.element in page_elements(pages[page_index - 1]):
            continue
        pushed.append(last.element)
    return pushed


def _lines(block: Any) -> int:
    return sum(isinstance(child, boxes.LineBox) for child in block.children)


def _pushed(element: Any) -> bool:
    """Whether a round before has pushed the element already (it then begins its page)."""
    return "break-before: page" in (element.get("style") or "")


def _calls(box: Any) -> Iterator[Any]:
    """The footnote calls set in the page's flow."""
    for child in getattr(box, "children", ()):
        if isinstance(child, NOT_THE_FLOW):
            continue
        if getattr(child, "footnote", None) is not None:
            yield child
        yield from _calls(child)


def _last_line_block(box: Any, path: list[Any]) -> list[Any]:
    """The boxes from ``box`` down to the block of the page's flow that holds its last line
    (an empty list where there is none)."""
    found: list[Any] = []
    for child in getattr(box, "children", ()):
        if isinstance(child, (*NOT_THE_FLOW, AbsolutePlaceholder)):
            continue  # a list item's marker is an absolute placeholder
        if isinstance(child, boxes.LineBox):
            found = [*path, box]
        else:
            found = _last_line_block(child, [*path, box]) or found
    return found


def _breakable(path: list[Any]) -> Any:
    """The box a forced break before the path's block must be set on: the list item whose
    first block it is (WeasyPrint 70 does not pass a break through the item's marker)."""
    while (
        len(path) >= 2
        and getattr(path[-2], "element_tag", None) == "li"
        and _first_block(path[-2]) is path[-1]
    ):
        path = path[:-1]
    return path[-1] if path else None


def _first_block(box: Any) -> Any:
    return next((child for child in box.children if not isinstance(child, AbsolutePlaceholder)), None)
