"""How full the pages of an article are: a page holding a few lines of notes, or one note
and the author's bio, wastes paper (a May issue had one 85% empty, another 90%).

Read from the laid-out issue: the text block's height against what its flow sets on the
page (down to its last line or picture) and its footnote area. An article's first page is
not counted: it is the opener, and a short article is as long as it is. A helper of the pdf
stage; the pipeline reports each short page with its article's file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes

from dizgi.offprint import article_pages

#: a page of an article that sets less than this share of its text block is short
SHORT_PAGE_SHARE = 0.25


@dataclass(frozen=True)
class ShortPage:
    """A page of an article that holds less than ``SHORT_PAGE_SHARE`` of a text block."""

    #: the article's key (``a01``)
    key: str
    #: the page's label (its printed number)
    page: str
    #: the share of the text block it sets, 0–1
    share: float
    #: the lines it sets (text, notes and captions), what the article must lose to pull it back
    lines: int


def short_pages(
    document: weasyprint.Document, root: Any, keys: tuple[str, ...], label: Callable[[int], str]
) -> tuple[ShortPage, ...]:
    """Each page after an article's first that sets less than a quarter of its text block;
    ``label`` gives a page's label from its 0-based index."""
    found = []
    for key, indices in article_pages(document, root, keys).items():
        for index in indices[1:]:
            share = filled_share(document.pages[index])
            if share < SHORT_PAGE_SHARE:
                areas = [
                    area
                    for area in document.pages[index]._page_box.children
                    if not isinstance(area, boxes.MarginBox)  # running heads, folios
                ]
                lines = sum(_has_text(box) for area in areas for box in _set_boxes(area))
                found.append(ShortPage(key, label(index), share, lines))
    return tuple(found)


def filled_share(page: Any) -> float:
    """The share of the page's text block its flow and its footnotes take (WeasyPrint 70:
    ``page._page_box`` and its children are private; the flow is its first child)."""
    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    if not height:
        return 1.0
    flow, *others = page_box.children
    bottom = max((_bottom(box) for box in _set_boxes(flow)), default=top)
    notes = sum(
        box.margin_height() for box in others if isinstance(box, boxes.FootnoteAreaBox) and box.children
    )
    return float(min(1.0, (bottom - top + notes) / height))


def _set_boxes(box: Any) -> Iterator[Any]:
    """The lines and pictures under ``box``."""
    if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _set_boxes(child)


def _has_text(box: Any) -> bool:
    """A line box that sets words (not an empty one an anchor or a break leaves)."""
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    return any(_has_text(child) for child in getattr(box, "children", ()))


def _bottom(box: Any) -> float:
    return float(box.position_y + box.margin_height())
