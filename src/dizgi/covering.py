"""How many headlines the cover holds: every article's, while they fit.

The cover's headlines stand at its foot and grow upwards (print.css); too many would run
over the masthead or the cover picture. A count that always fits (four, or two under a
picture: titles of three lines) left room unused on most covers: a May issue listed 2 of 3
articles with space for the third. So the cover is laid out alone with every headline, then
fewer (a binary search: headlines only grow upwards), until they stand clear of what is
above them. A helper of the pdf stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint

from dizgi import weasy
from dizgi.layout import lay_out

#: what may stand above the headlines on the cover (``cover.html.j2``)
_ABOVE = ("cover-magazine", "cover-issue", "cover-image")
#: the least room between the headlines and what is above them, in CSS px (6 mm)
_CLEARANCE = 22.7
#: the headlines that always fit (titles of three lines): four, or two under a picture
ALWAYS_FITTING = (4, 2)


@dataclass(frozen=True)
class CoverTrial:
    """The front matter (the cover and the contents) with some number of headlines on the
    cover, to lay out: plain data, kept in the build cache with what it showed (an edit to
    an article's text leaves the front matter as it was)."""

    html: str
    styles_dir: Path
    manuscript_dir: Path


@dataclass(frozen=True)
class CoverSeen:
    """What a trial showed: whether the headlines stand clear, and the pages of the front
    matter (the contents' length does not depend on the cover's headlines)."""

    clear: bool
    pages: int


@dataclass(frozen=True)
class CoverChoice:
    """The headlines the cover holds, and the front matter's pages if a trial laid it out."""

    headlines: int
    front_pages: int | None


def cover_headlines(articles: int, picture: bool, see: Callable[[int], CoverSeen]) -> CoverChoice:
    """The most headlines (at least the count that always fits) whose cover keeps them
    clear of the masthead and the picture, as ``see(count)`` finds it."""
    tried = counts_tried(articles, picture)
    low, high = tried.start - 1, articles  # low always fits; more headlines stand higher
    pages = None
    while low < high:
        middle = (low + high + 1) // 2
        seen = see(middle)
        pages = seen.pages
        if seen.clear:
            low = middle
        else:
            high = middle - 1
    return CoverChoice(low, pages)


def counts_tried(articles: int, picture: bool) -> range:
    """The counts of headlines ``cover_headlines`` may try (the count that always fits is
    not tried)."""
    floor = ALWAYS_FITTING[1] if picture else ALWAYS_FITTING[0]
    return range(min(floor, articles) + 1, articles + 1)


def search_ahead(trials: dict[int, CoverTrial], articles: int, picture: bool) -> dict[str, CoverSeen]:
    """Lay out the trials ``cover_headlines`` asks for, in a worker while the articles are
    fitted: what each showed, by its HTML."""
    seen: dict[str, CoverSeen] = {}

    def see(count: int) -> CoverSeen:
        seen[trials[count].html] = found = lay_out_trial(trials[count])
        return found

    cover_headlines(articles, picture, see)
    return seen


def lay_out_trial(trial: CoverTrial) -> CoverSeen:
    """Lay the front matter of ``trial`` out: do its headlines stand clear, and how many
    pages does it take?"""
    document, _ = lay_out(trial.html, trial.styles_dir, trial.manuscript_dir, lambda parsed: parsed.render())
    return CoverSeen(headlines_clear(document), len(document.pages))


def headlines_clear(document: weasyprint.Document) -> bool:
    """Whether the first page's headlines begin below everything above them (WeasyPrint 70:
    ``weasy.page_box(page)`` is private)."""
    top = None
    bottom = 0.0
    for box in _boxes(weasy.page_box(document.pages[0])):
        classes = (
            (box.element.get("class") or "").split() if getattr(box, "element", None) is not None else []
        )
        if "cover-headlines" in classes and top is None:
            top = box.position_y
        elif any(name in classes for name in _ABOVE):
            bottom = max(bottom, box.position_y + box.margin_height())
    return top is not None and top >= bottom + _CLEARANCE


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)
