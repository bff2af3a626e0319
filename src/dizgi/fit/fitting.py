"""Paragraph fitting: give a paragraph with loose justified lines a slightly tighter (or
looser) setting, as a typographer would, until its lines are even.

WeasyPrint breaks lines greedily, one line at a time, and hyphenates only the first word
of the next line; a line followed by a short or unbreakable word (*Asya’ya*,
*Türkiye-Azerbaycan*) is then stretched to twice its natural word space or more. Knuth
and Plass would weigh the whole paragraph; we cannot change WeasyPrint's line breaker, but
we can change the paragraph: a word space 1–8% of an em narrower or wider moves the
breaks. (Not letter-spacing: WeasyPrint 70 then ends justified lines up to 1.7 pt short
of the column, a ragged right edge.) A paragraph with a nearly loose line, a run of three
hyphenated lines or two hyphenated lines tries the settings below, in order of how little
they change, and keeps the best by ``spacing.Rank``: no loose line, no ladder, then as few
hyphens as can be had. Three families of settings:

- the word spacings alone, 1–8% of an em either way (not for a paragraph fitted only for
  its hyphens: a spacing rarely takes a hyphen away);
- the spacings with ``hyphenate-limit-zone`` 4% or 8%: a word is hyphenated into a line
  only where the line would otherwise leave a wide gap, so lines break before a long word
  more often;
- the spacings (and zones) at 99% and 98% of the type size, only for a paragraph that no
  other setting sets without a loose line or a ladder: pdfTeX's font expansion
  (microtype) changes the width of type by up to 2% line by line to the same end; here a
  whole paragraph changes.

The choice is this wide because trials are predicted (``prediction``), not laid out: on
the 130 mm measure the narrower one of 150 mm (±6%, a zone of 8% for ±3%, 98%) left a
ladder in the typography fixture and one in the pictures fixture.

A paragraph's line breaks depend on its text, its style and the measure, not on the page
it lands on. So paragraphs are judged alone, never inside the whole issue: an article is
laid out by itself (a *galley*: the article with the print stylesheet, as the issue sets
it), and the trial copies of its loose paragraphs are laid out in small documents holding
nothing else. The cost grows with the article, not with the issue; each article's
decisions (``ArticleFit``) are plain data that can be cached and computed in parallel.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import weasyprint

from dizgi import weasy
from dizgi.fit import prediction
from dizgi.fit.spacing import (
    Rank,
    space_advance,
    spacing_per_paragraph,
    text_indents,
)

#: the word spacings a loose paragraph tries, in hundredths of an em, smallest change first
#: (0 is the stylesheet's own; the first of equally good settings wins, so the order is one
#: of preference)
STEPS = (0, *(sign * step for step in range(1, 9) for sign in (-1, 1)))
#: settings that hyphenate less: a word is hyphenated into a line only where the line
#: would otherwise leave more than this share of the measure empty, in per cent
HYPHENATION_ZONES = (4, 8)
#: the type sizes, in per cent, of a paragraph no other setting can set without a loose
#: line or a ladder: pdfTeX's font expansion (microtype) goes 2% either way, line by line
EXPANSIONS = (99, 98)
#: marks a trial copy in a trial document: "<paragraph number>:<trial number>"
TRIAL_ATTRIBUTE = "data-fit-trial"


@dataclass(frozen=True)
class Trial:
    """One way to set a paragraph: a word spacing, how much room a line must leave before
    a word is hyphenated into it, and the type size."""

    #: the word spacing added, in hundredths of an em
    step: int
    #: ``hyphenate-limit-zone`` in per cent of the measure (0: the stylesheet's, none)
    zone: int = 0
    #: the type size, in per cent of the stylesheet's
    scale: int = 100

    @property
    def setting(self) -> str:
        """The CSS that gives a paragraph this setting (empty for the stylesheet's own)."""
        parts = []
        if self.step:
            parts.append(f"word-spacing: {self.step / 100:.2f}em")
        if self.zone:
            parts.append(f"hyphenate-limit-zone: {self.zone}%")
        if self.scale != 100:
            parts.append(f"font-size: {self.scale}%")
        return "; ".join(parts)


@dataclass(frozen=True)
class Outcome:
    """How a trial set its paragraph: its rank, and its lines (the breaks it made)."""

    rank: Rank
    lines: tuple[str, ...]


#: the outcome of a trial that left no line to measure, or that was not needed: never chosen
UNMEASURED = Outcome(Rank(1_000_000), ())


@dataclass(frozen=True)
class ParagraphFit:
    """The setting chosen for one paragraph of an article."""

    #: the paragraph's position among the article element's descendants, in document order
    #: (the same in the galley, the issue and every build of the same article HTML)
    index: int
    trial: Trial


@dataclass(frozen=True)
class ArticleFit:
    """What fitting decided for one article: the cacheable result of its galley and trials."""

    #: the article's key (``a01``), the id of its ``<article>`` element
    key: str
    fits: tuple[ParagraphFit, ...]
    #: loose lines in the galley, before fitting
    loose_before: int
    #: loose lines once the chosen settings are applied (as the trials measured them)
    loose_after: int
    #: trial copies laid out to decide
    trials: int
    #: paragraphs fitted from predicted trials (``prediction``), and of those, the ones whose
    #: first check by layout disagreed (laid out again: the next predictions, then a search)
    predicted: int = 0
    disagreed: int = 0
    #: pages the article took in its galley: where the pdf stage expects the next to begin
    pages: int = 1


@dataclass(frozen=True)
class LooseParagraph:
    """A paragraph of a galley that needs fitting, with what its trials need to know."""

    key: str
    index: int
    #: the first-line indent it has where it stands (``p + p`` gives one; a copy must keep it)
    indent: str
    rank: Rank
    candidates: tuple[Trial, ...]
    #: its lines as the stylesheet sets it (the outcome of step 0 without words kept whole)
    lines: tuple[str, ...] = ()
    #: each candidate's outcome as ``prediction`` works it out from the widths of the words
    #: (empty where that arithmetic does not give the paragraph's own lines, or where the
    #: paragraph's trials are known from an earlier build: ``signature``)
    predicted: tuple[Outcome, ...] = ()
    #: what the paragraph's trials depend on, hashed (``paragraph_signature``): an earlier
    #: build's ranks for the same signature are this paragraph's
    signature: str = ""


@dataclass(frozen=True)
class GalleyMeasure:
    """One article's galley as measured: its loose lines and the paragraphs to fit."""

    key: str
    loose: int
    paragraphs: tuple[LooseParagraph, ...]
    #: the pages it takes
    pages: int = 1


def measure_galley(
    html: weasyprint.HTML,
    document: weasyprint.Document,
    keys: Iterable[str],
    body_font: Path,
    known: frozenset[str] = frozenset(),
) -> tuple[GalleyMeasure, ...]:
    """Measure each article of a laid-out galley: loose lines, and the paragraphs to fit
    (predicted, unless their signature is ``known``: their trials' ranks are)."""
    natural_em = space_advance(body_font)
    spacing = spacing_per_paragraph(document, natural_em)
    indents = text_indents(document)
    laid_out = prediction.paragraphs(document)
    widths = prediction.Widths()
    keys = tuple(keys)
    pages = weasy.article_pages(document, html.etree_element, keys)
    parents = {child: parent for parent in html.etree_element.iter() for child in parent}
    measures = []
    for key in keys:
        paragraphs = []
        loose = 0
        for index, element in enumerate(_article(html.etree_element, key).iter()):
            score = spacing.get(element)
            if score is None:
                continue
            loose += score.loose
            if score.needs_fitting:
                uneven = score.near_loose > 0 or score.ladders > 0
                plain = [Trial(step) for step in STEPS[1:]] if uneven else []
                plain += [Trial(step, zone=zone) for zone in HYPHENATION_ZONES for step in STEPS]
                reserve = [
                    Trial(step, zone, scale)
                    for scale in EXPANSIONS
                    for zone in (0, *HYPHENATION_ZONES)
                    for step in STEPS
                ]
                signature = paragraph_signature(element, parents, indents[element], score.texts, score.rank)
                predicted = (
                    ()
                    if signature in known
                    else _predicted(laid_out[element], score.rank, plain, reserve, widths, natural_em)
                )
                paragraphs.append(
                    LooseParagraph(
                        key,
                        index,
                        indents[element],
                        score.rank,
                        (*plain, *reserve),
                        score.texts,
                        predicted,
                        signature,
                    )
                )
        measures.append(GalleyMeasure(key, loose, tuple(paragraphs), len(pages.get(key, range(1)))))
    return tuple(measures)


def paragraph_signature(
    element: Any, parents: dict[Any, Any], indent: str, lines: tuple[str, ...], rank: Rank
) -> str:
    """What a paragraph's trials depend on, hashed: its markup (ids aside: they number the
    paragraphs and notes of the article, and move when one is added), the elements it stands
    in and the one before it (the selectors that could style it), its indent, and its lines
    and rank as the stylesheet sets it. A paragraph an edit left alone keeps its signature,
    and an edited one loses it (the build cache's key holds the stylesheets, fonts and code)."""
    bare = copy.deepcopy(element)
    for node in bare.iter():
        node.attrib.pop("id", None)
    chain = []
    node = element
    while node in parents:
        node = parents[node]
        chain.append((node.tag, node.get("class"), node.get("lang"), node.get("style")))
    siblings = list(parents[element]) if element in parents else [element]
    position = siblings.index(element)
    before = siblings[position - 1] if position else None
    previous = (before.tag, before.get("class")) if before is not None else None
    described = repr((ElementTree.tostring(bare, encoding="unicode"), chain, previous, indent, lines, rank))
    return hashlib.sha256(described.encode()).hexdigest()


def _predicted(
    paragraph: prediction.Paragraph,
    as_set: Rank,
    plain: list[Trial],
    reserve: list[Trial],
    widths: prediction.Widths,
    natural_em: float,
) -> tuple[Outcome, ...]:
    """The predicted outcome of each candidate, the plain ones first (empty: not
    predictable); the reserve (a smaller type) only where no plain setting nor the
    stylesheet's is acceptable, else its outcomes are left unmeasured (never chosen)."""
    predict = prediction.predictor(paragraph, widths, natural_em)
    if predict is None:
        return ()
    outcomes = [Outcome(one.rank, one.texts) for one in predict(plain)]
    if as_set.acceptable or any(outcome.rank.acceptable for outcome in outcomes):
        return (*outcomes, *[UNMEASURED] * len(reserve))
    return (*outcomes, *(Outcome(one.rank, one.texts) for one in predict(reserve)))


def prepare_trials(
    html: weasyprint.HTML, requests: tuple[tuple[LooseParagraph, tuple[int, ...]], ...]
) -> int:
    """Turn a galley's tree into a trial document: after each paragraph, one copy per trial
    asked for (by its number among the paragraph's candidates); then everything else in its
    article removed, so only the copies are laid out (each in its article, inside the
    containers that give it its language and type size). Returns the number of copies."""
    root = html.etree_element
    parents = {child: parent for parent in root.iter() for child in parent}
    originals = [list(_article(root, paragraph.key).iter())[paragraph.index] for paragraph, _ in requests]
    keep: set[Any] = set()
    for number, ((paragraph, trials), element) in enumerate(zip(requests, originals, strict=True)):
        parent = parents[element]
        position = list(parent).index(element)
        for offset, trial in enumerate(trials, start=1):
            candidate = paragraph.candidates[trial]
            duplicate = copy.deepcopy(element)
            for node in duplicate.iter():
                node.attrib.pop("id", None)  # a copy must not take the original's anchors
            _apply(duplicate, f"text-indent: {paragraph.indent}; {candidate.setting}")
            duplicate.set(TRIAL_ATTRIBUTE, f"{number}:{trial}")
            parent.insert(position + offset, duplicate)
            keep.update(duplicate.iter())
            keep.add(parent)
            ancestor = parent
            while ancestor in parents:
                ancestor = parents[ancestor]
                keep.add(ancestor)
    for key in dict.fromkeys(paragraph.key for paragraph, _ in requests):
        _prune(_article(root, key), keep)
    return sum(len(trials) for _, trials in requests)


def _prune(element: Any, keep: set[Any]) -> None:
    """Remove every descendant of ``element`` not in ``keep``; a trial copy stays whole."""
    for child in list(element):
        if child not in keep:
            element.remove(child)
        elif child.get(TRIAL_ATTRIBUTE) is None:
            _prune(child, keep)


def measure_trials(document: weasyprint.Document, body_font: Path) -> dict[tuple[int, int], Outcome]:
    """The outcome of each trial copy of a laid-out trial document, by (request, trial)."""
    outcomes: dict[tuple[int, int], Outcome] = {}
    for element, score in spacing_per_paragraph(document, space_advance(body_font)).items():
        marker = element.get(TRIAL_ATTRIBUTE)
        if marker:
            request, trial = marker.split(":")
            outcomes[int(request), int(trial)] = Outcome(score.rank, score.texts)
    return outcomes


def choose(
    measure: GalleyMeasure, ranks: dict[tuple[str, int], tuple[Rank, ...]], laid_out: int
) -> ArticleFit:
    """Each paragraph keeps its best trial if it beats the stylesheet's setting; among
    equals the first in the order of preference (the smallest change) wins. ``ranks`` holds,
    for each paragraph (article key, index), its trials' ranks in the order of its
    candidates; ``laid_out`` is how many trial copies it took to know them."""
    fits = []
    loose_after = measure.loose
    for paragraph in measure.paragraphs:
        measured = ranks.get((paragraph.key, paragraph.index), ())
        best = min(range(len(measured)), key=lambda number: measured[number], default=None)
        if best is not None and measured[best] < paragraph.rank:
            fits.append(ParagraphFit(paragraph.index, paragraph.candidates[best]))
            loose_after += measured[best][0] - paragraph.rank[0]
    return ArticleFit(measure.key, tuple(fits), measure.loose, loose_after, laid_out, pages=measure.pages)


def apply_fits(root: Any, fits: Iterable[ArticleFit]) -> int:
    """Give the issue's paragraphs the settings chosen for them; return how many changed."""
    changed = 0
    for article_fit in fits:
        if not article_fit.fits:
            continue
        elements = list(_article(root, article_fit.key).iter())
        for fit in article_fit.fits:
            _apply(elements[fit.index], fit.trial.setting)
            changed += 1
    return changed


def paragraph_lines(root: Any, document: weasyprint.Document, key: str) -> dict[int, tuple[str, ...]]:
    """The text of each line of each paragraph of article ``key``, by the paragraph's
    index: what must come out the same in the galley and in the issue."""
    spacing = spacing_per_paragraph(document, 1.0)
    return {
        index: spacing[element].texts
        for index, element in enumerate(_article(root, key).iter())
        if element in spacing
    }


def _article(root: Any, key: str) -> Any:
    found = next((element for element in root.iter() if element.get("id") == key), None)
    if found is None:
        raise KeyError(f"no article {key} in the document")
    return found


def _apply(element: Any, setting: str) -> None:
    """Give the paragraph a setting as an inline style, after any style it had of its own."""
    original = element.get("data-original-style", element.get("style", ""))
    element.set("data-original-style", original)
    element.set("style", "; ".join(part for part in (original, setting) if part))
