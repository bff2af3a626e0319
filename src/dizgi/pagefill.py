"""How full the pages of an article are: a page holding a few lines of notes, or one note
and the author's bio, wastes paper (a May issue had one 85% empty, another 90%).

Read from the laid-out issue: the text block's height against what its flow sets on the
page (down to its last line or picture) and its footnote area. An article's first page is
not counted: it is the opener, and a short article is as long as it is. A helper of the pdf
stage; the pipeline reports each short page with its article's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import weasyprint

from dizgi import weasy
from dizgi.fit.spacing import line_boxes, text_boxes
from dizgi.floats import footnote_area, page_fill
from dizgi.weasy import article_pages, boxes

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
                page_box = weasy.page_box(document.pages[index])
                lines = sum(
                    any(text.text.strip() for text in text_boxes(line))  # not an empty line box
                    for _, line in line_boxes(page_box, skip=(boxes.MarginBox,))  # no running heads
                )
                found.append(ShortPage(key, label(index), share, lines))
    return tuple(found)


def filled_share(page: Any) -> float:
    """The share of the page's text block its flow (measured as floats measure it) and its
    footnotes take (WeasyPrint 70: ``weasy.page_box(page)`` and its children are private)."""
    page_box = weasy.page_box(page)
    if not page_box.height:
        return 1.0
    notes = footnote_area(page_box)
    notes_height = notes.margin_height() if notes is not None else 0.0
    return float(min(1.0, page_fill(page) + notes_height / page_box.height))
