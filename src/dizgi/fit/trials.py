"""Which trials of a loose paragraph to lay out: a bracketing search over word spacings.

WeasyPrint breaks lines greedily: each line takes the longest run of words (or a word's
hyphenated head) whose width fits the column, and a word space wider by any amount can
only make a run wider. So if two spacings break a paragraph the same way, every spacing
between them does too: line by line, the break at the middle spacing lies between the
breaks at the outer ones, which are equal. That holds with ``hyphenate-limit-zone`` too: a
wider space leaves less room at a line's end, so a line that is not hyphenated at one
spacing is not hyphenated at a wider one. And a paragraph's rank depends on its breaks only
(a justified line fills the column whatever the spacing it started from).

The search therefore lays out the widest and narrowest spacing of each family of trials
first (a family: the same zone and type size), then the middle of every gap between two
spacings that break differently, round after round; a spacing between two that agree is
known without a layout. Every trial ends with the outcome it would have had, so fitting
chooses exactly what laying out all of them would; except the family at a smaller type
size, a reserve laid out only for a paragraph that no other setting sets without a loose
line or a ladder (its trials otherwise end unmeasured, never chosen).

The other families are searched side by side, not one after another: laying out the
hyphenation zone only where the word spacings left two lines hyphenated took 245 layouts
instead of 291 on the April issue, but 80 s instead of 55 s on the 20-article volume. A
round is a document laid out, and the rounds a paragraph waits for leave the cores idle.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from dizgi.fit import prediction
from dizgi.fit.fitting import UNMEASURED, LooseParagraph, Outcome, Trial
from dizgi.fit.spacing import Rank

#: the number standing for the paragraph as the stylesheet sets it (its galley lines)
AS_SET = -1


@dataclass
class ParagraphSearch:
    """The trials of one paragraph: what is known of each, and what to lay out next."""

    paragraph: LooseParagraph
    #: each trial's outcome (by its number among the paragraph's candidates), laid out or inferred
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    #: how many trials were laid out
    laid_out: int = 0

    def add(self, measured: dict[int, Outcome]) -> None:
        self.outcomes.update(measured)
        self.laid_out += len(measured)

    def next_trials(self) -> tuple[int, ...]:
        """Infer what the known outcomes settle; the trials to lay out next (none: done)."""
        families = self._families()
        reserve = [family for family in families if self._trial(family[0]).scale != 100]
        wanted = [number for family in families if family not in reserve for number in self._next_in(family)]
        if wanted or not reserve:
            return tuple(wanted)
        known = [outcome.rank for family in families for n in family if (outcome := self._known(n))]
        if min(known).acceptable:
            for family in reserve:
                for number in family:
                    self.outcomes.setdefault(number, UNMEASURED)
            return ()
        return tuple(number for family in reserve for number in self._next_in(family))

    def ranks(self) -> tuple[Rank, ...]:
        """Every trial's rank, in the order of the candidates (once ``next_trials`` is empty)."""
        return tuple(self.outcomes[number].rank for number in range(len(self.paragraph.candidates)))

    def _families(self) -> list[list[int]]:
        """The trials grouped by zone and type size, each sorted by spacing; the plain
        family also holds the paragraph as set (spacing 0, known from its galley)."""
        groups: dict[tuple[int, int], list[int]] = {(0, 100): [AS_SET]}
        for number, trial in enumerate(self.paragraph.candidates):
            groups.setdefault((trial.zone, trial.scale), []).append(number)
        return [sorted(group, key=lambda number: self._trial(number).step) for group in groups.values()]

    def _trial(self, number: int) -> Trial:
        return Trial(0) if number == AS_SET else self.paragraph.candidates[number]

    def _known(self, number: int) -> Outcome | None:
        if number == AS_SET:
            return Outcome(self.paragraph.rank, self.paragraph.lines)
        return self.outcomes.get(number)

    def _next_in(self, family: list[int]) -> list[int]:
        ends = [number for number in (family[0], family[-1]) if self._known(number) is None]
        if ends:
            return list(dict.fromkeys(ends))
        wanted = []
        known = [position for position, number in enumerate(family) if self._known(number) is not None]
        for low, high in itertools.pairwise(known):
            if high - low < 2:
                continue
            low_outcome, high_outcome = self._known(family[low]), self._known(family[high])
            assert low_outcome is not None and high_outcome is not None
            if low_outcome.lines == high_outcome.lines:
                for position in range(low + 1, high):
                    self.outcomes[family[position]] = low_outcome
            else:
                wanted.append(family[(low + high) // 2])
        return wanted


#: predictions checked by layout, best first, before a paragraph whose layouts keep
#: disagreeing with them is searched by layouts instead
CHECKS = 3


@dataclass
class PredictedSearch:
    """A paragraph whose trials were predicted (``prediction``): the best prediction is laid
    out once to check it. Where the layout agrees, that is the outcome; where it does not,
    the next best prediction is checked (its layout is known now, good or bad), up to
    ``CHECKS``; then the paragraph is searched by layouts as before (``ParagraphSearch``)."""

    paragraph: LooseParagraph
    #: the trial to check next (None: none beats the stylesheet's setting nor a checked one)
    chosen: int | None = field(init=False)
    #: the trials laid out to check them, as laid out
    checked: dict[int, Outcome] = field(default_factory=dict)
    #: the checked trial that broke as predicted
    verified: int | None = None
    #: the search by layouts, where the layouts kept disagreeing with the predictions
    fallback: ParagraphSearch | None = None

    def __post_init__(self) -> None:
        self.chosen = best_predicted(self.paragraph)

    @property
    def laid_out(self) -> int:
        return len(self.checked) + (self.fallback.laid_out if self.fallback else 0)

    @property
    def disagreed(self) -> bool:
        """A check disagreed with its prediction (the paragraph was laid out again)."""
        return len(self.checked) > (self.verified is not None)

    def add(self, measured: dict[int, Outcome]) -> None:
        if self.fallback is not None:
            self.fallback.add(measured)
            return
        assert self.chosen is not None
        outcome = measured[self.chosen]
        self.checked[self.chosen] = outcome
        if prediction.same_lines(outcome.lines, self.paragraph.predicted[self.chosen].lines):
            self.verified = self.chosen
        elif len(self.checked) >= CHECKS:
            self.fallback = ParagraphSearch(self.paragraph)
        else:
            self.chosen = best_predicted(self.paragraph, self.checked)

    def next_trials(self) -> tuple[int, ...]:
        if self.fallback is not None:
            return self.fallback.next_trials()
        return () if self.verified is not None or self.chosen is None else (self.chosen,)

    def ranks(self) -> tuple[Rank, ...]:
        if self.fallback is not None:
            return self.fallback.ranks()
        return tuple(
            self.checked[number].rank if number in self.checked else UNMEASURED.rank
            for number in range(len(self.paragraph.candidates))
        )


@dataclass
class KnownSearch:
    """A paragraph whose trials' ranks an earlier build found (the same signature: the
    same markup, context and lines as set): nothing to lay out."""

    paragraph: LooseParagraph
    known: tuple[Rank, ...]
    laid_out: int = 0

    def add(self, measured: dict[int, Outcome]) -> None:
        raise AssertionError("a known paragraph asks for no trial")

    def next_trials(self) -> tuple[int, ...]:
        return ()

    def ranks(self) -> tuple[Rank, ...]:
        return self.known


def best_predicted(paragraph: LooseParagraph, checked: Mapping[int, Outcome] | None = None) -> int | None:
    """The candidate not yet ``checked`` that the predictions rank best, if it beats the
    paragraph as set and every checked trial as laid out; a smaller type size only where no
    other setting (nor the stylesheet's) is acceptable, and among equals the first (the
    smallest change), as the search by layouts chooses."""
    checked = checked or {}
    known = [checked.get(n, guess) for n, guess in enumerate(paragraph.predicted)]
    plain = [number for number, trial in enumerate(paragraph.candidates) if trial.scale == 100]
    acceptable = paragraph.rank.acceptable or any(known[number].rank.acceptable for number in plain)
    eligible = [n for n in (plain if acceptable else range(len(known))) if n not in checked]
    best = min(eligible, key=lambda number: known[number].rank, default=None)
    bar = min((paragraph.rank, *(outcome.rank for outcome in checked.values())))
    return best if best is not None and known[best].rank < bar else None
