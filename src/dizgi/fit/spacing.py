"""How a layout's justified lines are spaced: T7's measure, read from WeasyPrint's boxes.

For each paragraph, the word space of each justified line in natural spaces (the body
face's own space), and each line's text (a hyphenated line ends with the hyphen WeasyPrint
added). Fitting ranks its trials by it; the build summary counts loose lines with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import weasyprint
from fontTools.ttLib import TTFont

from dizgi import weasy
from dizgi.model import LOOSE_FACTOR
from dizgi.weasy import boxes

#: fitting aims lower than the limit: the read-back takes the natural space as the median gap
#: of short lines, which tightened paragraphs pull down by up to 10%
FIT_TARGET = 1.75
#: T7: no more than this many hyphenated lines in a row
MAX_HYPHENATED_RUN = 2
#: what WeasyPrint ends a hyphenated line with (``hyphenate-character: auto``)
HYPHENATION_MARK = "\u2010"
#: fitting keeps its lines below this, a margin under the loose limit: the read-back
#: measures a line's gaps against the median gap of the page, a few per cent off the face's
#: own space where tightened paragraphs stand
SAFE_FACTOR = 1.85
#: a paragraph with this many hyphenated lines is fitted too, to hyphenate less
HYPHENS_WORTH_FITTING = 2


class Rank(NamedTuple):
    """How well a setting sets a paragraph, best first when compared: fewest loose lines,
    then fewest close to loose, hyphen ladders, hyphenated lines and nearly loose lines."""

    loose: int
    ladders: int = 0
    risky: int = 0
    hyphens: int = 0
    near_loose: int = 0

    @property
    def acceptable(self) -> bool:
        """No loose line and no ladder: what the stylesheet's type size must reach before
        fitting sets a paragraph a little smaller."""
        return self.loose == 0 and self.risky == 0 and self.ladders == 0


#: a line of one word inside a justified paragraph, shorter than this share of the
#: measure, is a stranded word: it counts as loose, at this ratio
STRANDED_SHARE = 0.6
STRANDED = 10.0


@cache
def space_advance(font: Path) -> float:
    """The width of the font's space, in ems (Noto Serif: 0.26)."""
    face = TTFont(font, lazy=True)
    glyph = face.getBestCmap()[ord(" ")]
    return float(face["hmtx"][glyph][0]) / float(face["head"].unitsPerEm)


@dataclass(frozen=True)
class LooseMeasure:
    """How many justified lines a layout has and how many of them are loose (T7's measure,
    from the layout itself: the word space WeasyPrint justified each line with)."""

    justified: int
    loose: int

    @property
    def share(self) -> float:
        return self.loose / self.justified if self.justified else 0.0

    @property
    def summary(self) -> str:
        return f"loose lines {self.share:.1%} ({self.loose} of {self.justified} justified)"


def loose_measure(document: weasyprint.Document, body_font: Path) -> LooseMeasure:
    """Justified and loose lines of a whole layout, from the layout dizgi already holds."""
    measured = spacing_per_paragraph(document, space_advance(body_font)).values()
    return LooseMeasure(sum(len(score.ratios) for score in measured), sum(score.loose for score in measured))


def text_indents(document: weasyprint.Document) -> dict[Any, str]:
    """The first-line indent each paragraph has where it stands (``p + p`` gives it one)."""
    indents: dict[Any, str] = {}
    for page in document.pages:
        for block, _ in line_boxes(weasy.page_box(page)):
            if block.element is not None and block.element not in indents:
                indent = block.style["text_indent"]
                indents[block.element] = f"{indent.value}{indent.unit}"
    return indents


@dataclass(frozen=True)
class Spacing:
    """How a paragraph's justified lines are spaced, in natural word spaces."""

    ratios: tuple[float, ...] = ()
    #: each line's text (a hyphenated line ends with the hyphen WeasyPrint added)
    texts: tuple[str, ...] = ()

    @property
    def hyphenated(self) -> tuple[bool, ...]:
        return tuple(text.endswith(HYPHENATION_MARK) for text in self.texts)

    @property
    def ladders(self) -> int:
        """Lines that make a run of hyphenated lines longer than T7 allows."""
        run = excess = 0
        for hyphenated in self.hyphenated:
            run = run + 1 if hyphenated else 0
            excess += run > MAX_HYPHENATED_RUN
        return excess

    @property
    def hyphens(self) -> int:
        return sum(self.hyphenated)

    @property
    def needs_fitting(self) -> bool:
        return self.near_loose > 0 or self.ladders > 0 or self.hyphens >= HYPHENS_WORTH_FITTING

    @property
    def loose(self) -> int:
        return sum(1 for ratio in self.ratios if ratio > LOOSE_FACTOR)

    @property
    def near_loose(self) -> int:
        return sum(1 for ratio in self.ratios if ratio > FIT_TARGET)

    @property
    def rank(self) -> Rank:
        return Rank(
            self.loose,
            self.ladders,
            sum(1 for ratio in self.ratios if ratio > SAFE_FACTOR),
            self.hyphens,
            self.near_loose,
        )


def spacing_per_paragraph(document: weasyprint.Document, advance: float) -> dict[Any, Spacing]:
    """For each paragraph with justified lines, the word space of each, in natural spaces.

    A line inside a justified paragraph that holds one short word (WeasyPrint 70 now and
    then breaks a line after one word that would have fit on the line before: *ise* alone,
    then *Nahçıvan üzerinden …*) has no space to justify: it counts as a loose line
    (``STRANDED``), so fitting chooses another setting and the measures see it."""
    ratios: dict[Any, list[float]] = {}
    texts: dict[Any, list[str]] = {}
    stranded: dict[Any, list[bool]] = {}
    for page in document.pages:
        for block, line in line_boxes(weasy.page_box(page)):
            in_line = list(text_boxes(line))
            if not in_line or block.element is None:  # an anonymous box is no paragraph
                continue
            text = "".join(box.text for box in in_line)
            texts.setdefault(block.element, []).append(text)
            stranded.setdefault(block.element, []).append(
                block.style["text_align_all"] == "justify"
                and " " not in text.strip()
                and not text.endswith(HYPHENATION_MARK)
                and line.width < STRANDED_SHARE * block.width
            )
            spacing = max(box.justification_spacing for box in in_line)
            if spacing <= 0:
                continue
            natural = advance * in_line[0].style["font_size"]
            word_space = natural + in_line[0].style["word_spacing"] + spacing
            ratios.setdefault(block.element, []).append(word_space / natural)
    for element, flags in stranded.items():
        ratios.setdefault(element, []).extend(STRANDED for flag in flags[:-1] if flag)
    return {
        element: Spacing(tuple(ratios.get(element, ())), tuple(lines)) for element, lines in texts.items()
    }


def line_boxes(box: Any, skip: tuple[type, ...] = ()) -> Iterator[tuple[Any, Any]]:
    """Every line box with the block box (paragraph) it belongs to, leaving out the boxes of
    the types in ``skip`` (WeasyPrint 70's box tree: ``weasy.page_box(page)`` and ``children``
    are not public API)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, skip):
            continue
        if isinstance(child, boxes.LineBox):
            yield box, child
        else:
            yield from line_boxes(child, skip)


def text_boxes(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        else:
            yield from text_boxes(child)
