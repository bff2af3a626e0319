"""Predicted line breaks (``prediction``): checked against laying every trial out, on the
real article and the typography fixture; the search that trusts a prediction only once a
layout confirms it, and falls back to layouts where one does not."""

from __future__ import annotations

import re

import pytest

from conftest import REAL_MANUSCRIPT, TYPOGRAPHY_MANUSCRIPT, BuiltIssue
from dizgi import pdf
from dizgi.fit import galleys, prediction
from dizgi.fit.fitting import UNMEASURED, LooseParagraph, Outcome, Trial
from dizgi.fit.spacing import Rank
from dizgi.fit.trials import CHECKS, ParagraphSearch, PredictedSearch, best_predicted
from test_fitting import STYLES, typeset_issue

#: the share of trials whose predicted lines must be the laid-out ones (measured: 3,690 of
#: 3,736 on the real article, 2,209 of 2,232 on the typography fixture)
AGREEMENT = 0.95


@pytest.mark.parametrize("folder", [REAL_MANUSCRIPT, TYPOGRAPHY_MANUSCRIPT], ids=["real", "typography"])
def test_predicted_lines_are_the_laid_out_lines_for_nearly_every_trial(folder: object) -> None:
    issue, typeset = typeset_issue(folder)
    htmls = pdf.print_articles(issue, typeset, STYLES)
    galley = galleys.galley(issue, tuple(t.article.key for t in typeset), htmls, STYLES)
    paragraphs = [p for measure in galleys.measure(galley) for p in measure.paragraphs]
    predicted = [p for p in paragraphs if p.predicted]
    assert len(predicted) >= 0.9 * len(paragraphs) and len(predicted) >= 10
    every = galleys.try_settings(galley, tuple((p, tuple(range(len(p.candidates)))) for p in predicted))
    pairs = [
        (p.predicted[number].lines, every[p.key, p.index][number].lines)
        for p in predicted
        for number in range(len(p.candidates))
        if p.predicted[number].lines  # not the smaller type where it is not needed
    ]
    agreed = sum(prediction.same_lines(guess, laid_out) for guess, laid_out in pairs)
    assert agreed >= AGREEMENT * len(pairs), f"{agreed} of {len(pairs)} trials predicted"


#: a paragraph as set: one loose line, two hyphens
AS_SET = Rank(1, 0, 1, 2, 1)


def _paragraph(predicted: tuple[Outcome, ...], rank: Rank = AS_SET) -> LooseParagraph:
    candidates = (Trial(-1), Trial(1), Trial(-1, scale=98))
    return LooseParagraph("a01", 7, "0px", rank, candidates, ("bir iki", "üç"), predicted)


def test_the_best_prediction_is_laid_out_once_and_kept_when_the_layout_agrees() -> None:
    good = Outcome(Rank(0, 0, 0, 1, 0), ("bir", "iki üç"))
    search = PredictedSearch(_paragraph((Outcome(Rank(1), ("x",)), good, good)))
    assert search.next_trials() == (1,)  # the first of the best, not the smaller type
    search.add({1: Outcome(good.rank, ("bir ", "iki üç"))})  # a line end's space aside
    assert search.next_trials() == () and not search.disagreed and search.laid_out == 1
    assert search.ranks()[1] == good.rank and search.ranks()[0] > good.rank


def test_a_layout_that_disagrees_checks_the_next_best_prediction_then_sends_it_to_the_search() -> None:
    good = Outcome(Rank(0, 0, 0, 1, 0), ("bir", "iki üç"))
    laid_out = Outcome(Rank(1), ("bir iki", "üç"))  # better than as set, not as predicted
    paragraph = _paragraph((good, good, good))
    search = PredictedSearch(paragraph)
    assert search.next_trials() == (0,)
    search.add({0: laid_out})
    assert search.disagreed and search.next_trials() == (1,)
    assert search.ranks() == (laid_out.rank, UNMEASURED.rank, UNMEASURED.rank)  # what is known
    search.add({1: laid_out})
    assert search.next_trials() == (2,)  # no setting at full size is acceptable now
    search.add({2: laid_out})
    assert CHECKS == 3 and search.laid_out == 3
    assert search.next_trials() == ParagraphSearch(paragraph).next_trials() != ()


def test_the_smaller_type_only_where_nothing_else_is_acceptable() -> None:
    acceptable = Outcome(Rank(0, 0, 0, 3, 0), ("a",))
    better_but_smaller = Outcome(Rank(0, 0, 0, 0, 0), ("b",))
    assert best_predicted(_paragraph((acceptable, acceptable, better_but_smaller))) == 0
    loose = Outcome(Rank(1, 0, 1, 0, 1), ("c",))
    assert best_predicted(_paragraph((loose, loose, better_but_smaller))) == 2
    assert best_predicted(_paragraph((loose, loose, loose), rank=Rank(1, 0, 1, 0, 1))) is None


def test_the_build_says_how_many_paragraphs_it_predicted(built_issue: BuiltIssue) -> None:
    fit = next(line for line in built_issue.run.stdout.splitlines() if line.startswith("  fit "))
    counts = r"\((\d+) trial paragraphs; (\d+) paragraphs predicted, (\d+) of them laid out again\)"
    found = re.search(counts, fit)
    assert found, fit
    trials, predicted, again = map(int, found.groups())
    assert predicted >= 20 and again <= 2
    assert trials <= predicted + 30 * again  # one check each, a search only where it disagreed
