"""Offprints: each article's pages of the issue as a PDF of its own, the file a journal
system or an author asks for.

An offprint is not laid out again: it is the issue's own layout, its pages taken with
WeasyPrint's ``Document.copy`` and written as a document of their own. So its pages are the
issue's, folios included, and it is tagged and PDF/A-3a like the issue, with its own
title, authors, language, keywords and outline (the bookmarks of its pages).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pydyf
import weasyprint

from dizgi.model import Article

#: what finishes a PDF after WeasyPrint (page labels from the first page's folio, fonts)
Finisher = Callable[[pydyf.PDF, int], None]


@dataclass(frozen=True)
class Offprint:
    """One article's pages of the issue, as a PDF."""

    key: str
    pdf: bytes
    #: the folios of its first and last pages, as printed in the issue
    first_folio: int
    last_folio: int

    @property
    def pages(self) -> int:
        return self.last_folio - self.first_folio + 1


def article_pages(document: weasyprint.Document, root: Any, keys: tuple[str, ...]) -> dict[str, range]:
    """The pages (0-based indices) each article stands on, in the laid-out issue."""
    owner: dict[Any, str] = {}
    for element in root.iter():
        key = element.get("id")
        if key in keys:
            owner.update((descendant, key) for descendant in element.iter())
    found: dict[str, list[int]] = {}
    for index, page in enumerate(document.pages):
        for key in {owner[element] for element in page_elements(page._page_box) if element in owner}:
            found.setdefault(key, []).append(index)
    return {key: range(min(indices), max(indices) + 1) for key, indices in found.items()}


def page_elements(box: Any) -> Iterator[Any]:
    """The elements a page's boxes were made from, in reading order (WeasyPrint 70:
    ``page._page_box`` and ``children`` are private, there is no API for it)."""
    if getattr(box, "element", None) is not None:
        yield box.element
    for child in getattr(box, "children", ()):
        yield from page_elements(child)


def make_offprints(
    document: weasyprint.Document,
    root: Any,
    articles: tuple[Article, ...],
    *,
    variant: str,
    identifier: str,
    finish: Finisher,
) -> tuple[Offprint, ...]:
    """Each article's pages written as a PDF with the article's own metadata."""
    ranges = article_pages(document, root, tuple(article.key for article in articles))
    offprints = []
    for article in articles:
        pages = ranges.get(article.key)
        if pages is None:
            continue
        meta = article.meta
        part = document.copy([document.pages[index] for index in pages])
        part.metadata = copy.copy(document.metadata)
        part.metadata.title = meta.title
        part.metadata.authors = [author.credit for author in meta.authors if author.credit]
        part.metadata.description = meta.abstract
        part.metadata.keywords = list(meta.keywords)
        part.metadata.lang = meta.lang
        first = pages.start
        content = part.write_pdf(
            pdf_identifier=hashlib.sha256(f"{identifier}:{article.key}".encode()).hexdigest()[:32].encode(),
            pdf_variant=variant,
            finisher=lambda _document, pdf, first=first: finish(pdf, first),
        )
        offprints.append(Offprint(article.key, content, pages.start + 1, pages.stop))
    return tuple(offprints)
