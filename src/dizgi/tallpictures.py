"""A picture taller than the room its page leaves: shrunk until it and its caption stand
above the page's notes.

The stylesheet caps a picture at 195 mm so that it shares a page with its caption. But a
page's footnotes take room from the same text block: a tall narrow chart on a page whose
notes ran seventeen lines was drawn over the notes (WeasyPrint cannot break a picture, and
lets it overrun what lies below) and its caption went to the next page. So after the floats
are placed, each picture whose caption would not end above the notes (or the foot of the
text block) gets a ``max-height`` that leaves room for its caption, and the issue is laid
out again: a round or two, and only when it happens. A helper of the pdf stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import weasyprint

from dizgi import weasy
from dizgi.floats import NOT_THE_FLOW, add_style, footnote_area
from dizgi.weasy import boxes

#: CSS pixels in a millimetre
PX_PER_MM = 96 / 25.4
#: a picture is never shrunk below this height (mm): a smaller one says nothing; it then
#: overruns as before, which the page checks report
SMALLEST_MM = 40.0
#: layouts at most: each shrinks the pictures that overrun, the next may move the notes
MAX_ROUNDS = 3


def fit_tall_pictures(
    document: weasyprint.Document, render: Callable[[], weasyprint.Document]
) -> weasyprint.Document:
    """Shrink each picture that overruns its page's notes or text block and lay out again
    (``render``), round by round; the last layout."""
    for _ in range(MAX_ROUNDS):
        overruns = overrunning_pictures(document)
        if not overruns:
            break
        for picture, height in overruns:
            add_style(picture, f"max-height: {height:.1f}px")
        document = render()
    return document


def overrunning_pictures(document: weasyprint.Document) -> list[tuple[Any, float]]:
    """Each picture of a figure whose caption ends below the room of its page (its text
    block less the footnote area), with the height (CSS px) that would end it there
    (WeasyPrint 70's private box tree: ``weasy.page_box(page)``)."""
    found = []
    pages = [weasy.page_box(page) for page in document.pages]
    for index, page_box in enumerate(pages):
        bottom = _room_bottom(page_box)
        following = pages[index + 1] if index + 1 < len(pages) else None
        for figure, picture in _figure_pictures(page_box, None):
            if picture.height <= SMALLEST_MM * PX_PER_MM:
                continue
            end = _caption_end(figure, picture, following)
            if end > bottom + 0.5:
                height = max(SMALLEST_MM * PX_PER_MM, picture.height - (end - bottom) - 1)
                found.append((picture.element, height))
    return found


def _room_bottom(page_box: Any) -> float:
    """Where the page's flow must end: the top of its notes, or the foot of its text block."""
    notes = footnote_area(page_box)
    return float(notes.position_y if notes is not None else page_box.content_box_y() + page_box.height)


def _figure_pictures(box: Any, figure: Any) -> Iterator[tuple[Any, Any]]:
    """The pictures of the page's flow that stand in a figure, each with its figure's box."""
    for child in getattr(box, "children", ()):
        if isinstance(child, NOT_THE_FLOW):
            continue
        holder = child if getattr(child, "element_tag", None) == "figure" else figure
        if isinstance(child, boxes.ReplacedBox) and holder is not None:
            yield holder, child
        else:
            yield from _figure_pictures(child, holder)


def _caption_end(figure: Any, picture: Any, following: Any) -> float:
    """Where the figure's caption ends, counted on this page: its bottom here, or the
    picture's bottom plus the caption's height if the caption went to the next page."""
    picture_bottom = float(picture.position_y + picture.margin_height())
    caption = _caption(figure)
    if caption is not None:
        return float(max(picture_bottom, caption.position_y + caption.margin_height()))
    element = figure.element.find("figcaption") if figure.element is not None else None
    if element is None or following is None:
        return picture_bottom
    moved = _box_of(following, element)
    return picture_bottom + (float(moved.margin_height()) if moved is not None else 0.0)


def _caption(figure: Any) -> Any:
    for child in figure.children:
        if getattr(child, "element_tag", None) == "figcaption":
            return child
    return None


def _box_of(box: Any, element: Any) -> Any:
    """The first box of the tree under ``box`` made for ``element``."""
    for child in getattr(box, "children", ()):
        if getattr(child, "element", None) is element:
            return child
        found = _box_of(child, element)
        if found is not None:
            return found
    return None
