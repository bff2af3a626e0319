"""Paragraph fitting: give a paragraph with loose justified lines a slightly tighter (or
looser) setting, as a typographer would, until its lines are even.

WeasyPrint breaks lines greedily, one line at a time, and hyphenates only the first word
of the next line; a line followed by a short or unbreakable word (*Asya’ya*,
*Türkiye-Azerbaycan*) is then stretched to twice its natural word space or more. Knuth
and Plass would weigh the whole paragraph; we cannot change WeasyPrint's line breaker, but
we can change the paragraph: a word space 1–5% of an em narrower or wider moves the
breaks. (Not letter-spacing: WeasyPrint 70 then ends justified lines up to 1.7 pt short
of the column, a ragged right edge.) Each loose paragraph tries the settings below, in
order of how little they change, and keeps the one with the fewest loose lines. Line
breaks inside a paragraph do not depend on the page it lands on, so one paragraph's
setting never loosens another's.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import weasyprint
from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes

#: the settings a loose paragraph tries, smallest change first ("" is the stylesheet's own)
#: (the first of equally good settings wins, so the order is one of preference)
SETTINGS = (
    "",
    *(f"word-spacing: {sign}{step / 100:.2f}em" for step in range(1, 7) for sign in ("-", "")),
)
#: a justified line is loose when its word space is over this many natural spaces (T7)
LOOSE_FACTOR = 2.0
#: fitting aims lower than the limit: the read-back takes the natural space as the median gap
#: of short lines, which tightened paragraphs pull down by up to 10%
FIT_TARGET = 1.75
#: T7: no more than this many hyphenated lines in a row
MAX_HYPHENATED_RUN = 2
#: a paragraph with a longer run also tries keeping one of its words whole, with the
#: first settings only (each try is a copy of the paragraph in the trial layout)
LADDER_SETTINGS = 7
#: what WeasyPrint ends a hyphenated line with (``hyphenate-character: auto``)
HYPHENATION_MARK = "\u2010"


@dataclass(frozen=True)
class FitReport:
    #: loose lines before fitting, as the layout measured them
    loose_before: int
    #: loose lines after fitting
    loose_after: int
    #: paragraphs given another setting
    refitted: int
    #: how many times the issue was laid out
    layouts: int


@cache
def space_advance(font: Path) -> float:
    """The width of the font's space, in ems (Noto Serif: 0.26)."""
    face = TTFont(font, lazy=True)
    glyph = face.getBestCmap()[ord(" ")]
    return float(face["hmtx"][glyph][0]) / float(face["head"].unitsPerEm)


@dataclass(frozen=True)
class _Trial:
    """One way to set a paragraph: a spacing setting, and whether the words that would make
    a third hyphenated line in a row are kept whole."""

    setting: str
    keep_whole: tuple[tuple[str, int], ...] = ()


def fit_paragraphs(html: weasyprint.HTML, body_font: Path) -> tuple[weasyprint.Document, FitReport]:
    """Lay out ``html``, refit its loose paragraphs, and return the final layout.

    Three layouts: the issue as set; the issue with, after each paragraph to fit, one copy
    of it per trial (so every trial is laid out in one go); the issue refitted.
    """
    advance = space_advance(body_font)
    document = html.render()
    spacing = _spacing_per_paragraph(document, advance)
    before = sum(score.loose for score in spacing.values())
    to_fit = {element: score for element, score in spacing.items() if score.needs_fitting}
    if not to_fit:
        return document, FitReport(before, before, 0, 1)
    indents = _text_indents(document, to_fit)
    parents = {child: parent for parent in html.etree_element.iter() for child in parent}
    trials: dict[Any, list[tuple[_Trial, Any]]] = {}
    for element, score in to_fit.items():
        parent = parents[element]
        position = list(parent).index(element)
        candidates = [_Trial(setting) for setting in SETTINGS[1:]]
        for keep_whole in _ladder_fixes(score.texts):
            candidates += [_Trial(setting, keep_whole) for setting in SETTINGS[:LADDER_SETTINGS]]
        trials[element] = []
        for offset, candidate in enumerate(candidates, start=1):
            trial = copy.deepcopy(element)
            for node in trial.iter():
                node.attrib.pop("id", None)  # a copy must not take the original's anchors
            _apply(trial, f"text-indent: {indents[element]}; {candidate.setting}", candidate.keep_whole)
            parent.insert(position + offset, trial)
            trials[element].append((candidate, trial))
    trial_spacing = _spacing_per_paragraph(html.render(), advance)
    for element, laid_out in trials.items():
        for _, trial in laid_out:
            parents[element].remove(trial)
    refitted = 0
    for element, score in to_fit.items():
        chosen, best = min(
            ((candidate, trial_spacing.get(trial, _Spacing())) for candidate, trial in trials[element]),
            key=lambda pair: pair[1].rank,
            default=(_Trial(""), score),
        )
        if best.rank < score.rank:
            _apply(element, chosen.setting, chosen.keep_whole)
            refitted += 1
    document = html.render()
    after = sum(score.loose for score in _spacing_per_paragraph(document, advance).values())
    return document, FitReport(before, after, refitted, 3)


def _ladder_fixes(lines: tuple[str, ...]) -> tuple[tuple[tuple[str, int], ...], ...]:
    """Ways to break the paragraph's first run of more than two hyphenated lines: keep
    whole the word hyphenated at the end of one of the run's last three lines. Each way is
    the word and how often it occurs before that point (to find the right occurrence)."""
    run = 0
    for number, text in enumerate(lines[:-1]):
        run = run + 1 if text.endswith(HYPHENATION_MARK) else 0
        if run > MAX_HYPHENATED_RUN:
            return tuple(((_hyphenated_word(lines, line)),) for line in range(number - 2, number + 1))
    return ()


def _hyphenated_word(lines: tuple[str, ...], number: int) -> tuple[str, int]:
    """The word hyphenated at the end of line ``number``, and its occurrences before it."""
    text = lines[number]
    head = text[:-1].rsplit(" ", 1)[-1]
    tail = lines[number + 1].lstrip().split(" ", 1)[0]
    word = (head + tail).rstrip(".,;:!?)”’")
    earlier = "".join(line[:-1] if line.endswith(HYPHENATION_MARK) else line + " " for line in lines[:number])
    earlier += text[: len(text) - 1 - len(head)]
    return word, earlier.count(word)


def _apply(element: Any, setting: str, keep_whole: tuple[tuple[str, int], ...] = ()) -> None:
    """Give the paragraph a setting as an inline style, after any style it had of its own,
    and keep the named words whole."""
    original = element.get("data-original-style", element.get("style", ""))
    element.set("data-original-style", original)
    element.set("style", "; ".join(part for part in (original, setting) if part))
    for word, occurrence in keep_whole:
        _keep_word_whole(element, word, occurrence)


def _keep_word_whole(element: Any, word: str, occurrence: int) -> bool:
    """Wrap one occurrence of ``word`` in the paragraph's text in a span that is not
    hyphenated. Only an occurrence inside a single text node can be wrapped."""
    seen = 0
    slots = [(element, "text")] + [(child, "tail") for child in element.iter() if child is not element]
    for node, slot in slots:
        text = getattr(node, slot) or ""
        start = text.find(word)
        while start >= 0:
            if seen == occurrence:
                span = element.makeelement("span", {"style": "hyphens: manual"})
                span.text, span.tail = word, text[start + len(word) :]
                setattr(node, slot, text[:start])
                if slot == "text":
                    node.insert(0, span)
                else:
                    parent = next(p for p in element.iter() if any(c is node for c in p))
                    parent.insert(list(parent).index(node) + 1, span)
                return True
            seen += 1
            start = text.find(word, start + 1)
    return False


def _text_indents(document: weasyprint.Document, elements: dict[Any, Any]) -> dict[Any, str]:
    """The first-line indent each paragraph has where it stands (``p + p`` gives it one)."""
    indents: dict[Any, str] = {}
    for page in document.pages:
        for block, _ in _lines(page._page_box):
            if block.element in elements and block.element not in indents:
                indent = block.style["text_indent"]
                indents[block.element] = f"{indent.value}{indent.unit}"
    return indents


@dataclass(frozen=True)
class _Spacing:
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
    def needs_fitting(self) -> bool:
        return self.near_loose > 0 or self.ladders > 0

    @property
    def loose(self) -> int:
        return sum(1 for ratio in self.ratios if ratio > LOOSE_FACTOR)

    @property
    def near_loose(self) -> int:
        return sum(1 for ratio in self.ratios if ratio > FIT_TARGET)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Fewest loose lines, then fewest hyphen ladders, then fewest nearly loose lines.
        Among equals the first setting tried wins: the smallest change."""
        return (self.loose, self.ladders, self.near_loose)


def _spacing_per_paragraph(document: weasyprint.Document, advance: float) -> dict[Any, _Spacing]:
    """For each paragraph with justified lines, the word space of each, in natural spaces."""
    ratios: dict[Any, list[float]] = {}
    texts: dict[Any, list[str]] = {}
    for page in document.pages:
        for block, line in _lines(page._page_box):
            text_boxes = list(_text_boxes(line))
            if not text_boxes or block.element is None:  # an anonymous box is no paragraph
                continue
            texts.setdefault(block.element, []).append("".join(box.text for box in text_boxes))
            spacing = max(box.justification_spacing for box in text_boxes)
            if spacing <= 0:
                continue
            natural = advance * text_boxes[0].style["font_size"]
            word_space = natural + text_boxes[0].style["word_spacing"] + spacing
            ratios.setdefault(block.element, []).append(word_space / natural)
    return {
        element: _Spacing(tuple(ratios.get(element, ())), tuple(lines)) for element, lines in texts.items()
    }


def _lines(box: Any) -> Iterator[tuple[Any, Any]]:
    """Every line box with the block box (paragraph) it belongs to."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield box, child
        else:
            yield from _lines(child)


def _text_boxes(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        else:
            yield from _text_boxes(child)
