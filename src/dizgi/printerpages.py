"""The issue brought to the page count a printer binds: blank pages before the colophon.

A printer folds sheets of 4 pages (16 to a *forma*); an issue of 27 pages is printed on 28
with one page left white somewhere, and the printer, not the designer, decides where. With
``page_multiple`` in ``issue.yaml`` dizgi decides: the blank pages stand before the
*Künye*, after the last article, where a magazine's designer puts them (the colophon stays
the last page, the inside of the back cover; no article is cut from its last page by a
white one). A blank page has no running head and no folio (``@page blank-page``), as in a book;
it holds nothing to read, so it has no marker in the EPUB. A helper of the pdf stage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import weasyprint

#: the id of the colophon's section (``colophon.html.j2``): the blank pages go before it
COLOPHON_ID = "colophon"
#: the class of a blank page's element (``print.css``) and the prefix of its id: an id
#: that is no article's, so the EPUB's page-list passes it by
BLANK_CLASS = "blank-page"


def bring_to_multiple(
    document: weasyprint.Document,
    root: Any,
    multiple: int,
    render: Callable[[], weasyprint.Document],
    *,
    before: int = 0,
) -> tuple[weasyprint.Document, int]:
    """The layout with blank pages before the colophon up to a multiple of ``multiple``
    pages, counting the ``before`` pages of the issue that come ahead of this layout (laid
    out again by ``render`` when any is added), and how many were added."""
    missing = -(before + len(document.pages)) % multiple
    if not missing:
        return document, 0
    body = next(
        element for element in root.iter() if any(child.get("id") == COLOPHON_ID for child in element)
    )
    position = next(index for index, child in enumerate(body) if child.get("id") == COLOPHON_ID)
    for number in range(missing, 0, -1):
        blank = body.makeelement("div", {"class": BLANK_CLASS, "id": f"{BLANK_CLASS}-{number}"})
        body.insert(position, blank)
    return render(), missing
