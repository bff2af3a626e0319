"""Paragraph fitting's premises, checked on real layouts: an article alone breaks its lines
as the issue does, and the bracketing search over trials finds what laying out every trial
finds."""

from __future__ import annotations

import random

import pytest

from conftest import REAL_MANUSCRIPT, TYPOGRAPHY_MANUSCRIPT
from dizgi import convert, covering, manuscript, pdf, pipeline, typography
from dizgi.fit import fitting, galleys
from dizgi.fit.fitting import LooseParagraph, Outcome, Trial
from dizgi.fit.trials import ParagraphSearch
from dizgi.layout import lay_out
from dizgi.model import Issue, TypesetArticle

STYLES = pipeline.STYLES_DIR


def typeset_issue(folder: object) -> tuple[Issue, tuple[TypesetArticle, ...]]:
    issue = manuscript.load_issue(folder)  # type: ignore[arg-type]
    return issue, tuple(
        convert.typeset_article(a, typography.apply_turkish_typography(convert.markdown_to_ast(a), a)[0])
        for a in issue.articles
    )


def search_every_paragraph(
    galley: galleys.Galley, paragraphs: list[LooseParagraph]
) -> dict[tuple[str, int], ParagraphSearch]:
    """Each paragraph's search run to its end, one trial document per round (what the
    scheduling does in the workers, here in this process)."""
    searches = {(p.key, p.index): ParagraphSearch(p) for p in paragraphs}
    while asked := tuple((s.paragraph, trials) for s in searches.values() if (trials := s.next_trials())):
        for place, found in galleys.try_settings(galley, asked).items():
            searches[place].add(found)
    return searches


@pytest.mark.parametrize("folder", [REAL_MANUSCRIPT, TYPOGRAPHY_MANUSCRIPT], ids=["real", "typography"])
def test_a_paragraph_breaks_the_same_in_its_galley_as_in_the_issue(folder: object) -> None:
    """Fitting's premise: an article laid out in its galley (with the chosen settings) breaks
    every line of every paragraph where the issue's piece of it breaks it."""
    issue, typeset = typeset_issue(folder)
    htmls = pdf.print_articles(issue, typeset, STYLES)
    keys = tuple(t.article.key for t in typeset)
    galley = galleys.galley(issue, keys, htmls, STYLES)
    measures = galleys.measure(galley)
    searches = search_every_paragraph(galley, [p for m in measures for p in m.paragraphs])
    ranks = {place: search.ranks() for place, search in searches.items()}
    fits = tuple(fitting.choose(measure, ranks, 0) for measure in measures)
    assert sum(len(fit.fits) for fit in fits) >= 1

    def lines(html: str) -> dict[str, dict[int, tuple[str, ...]]]:
        def work(document: object) -> dict[str, dict[int, tuple[str, ...]]]:
            root = document.etree_element  # type: ignore[attr-defined]
            fitting.apply_fits(root, fits)
            laid_out = document.render()  # type: ignore[attr-defined]
            return {
                key: fitting.paragraph_lines(root, laid_out, key)
                for key in keys
                if root.find(f".//*[@id='{key}']") is not None
            }

        return lay_out(html, STYLES, issue.root, work)[0]

    parts = pdf.issue_parts(issue, typeset, htmls, STYLES, pipeline.build_timestamp(issue), CoverHere())
    in_issue = {key: found for piece in parts.articles for key, found in lines(piece).items()}
    alone = lines(galley.html)
    assert in_issue == alone
    assert sum(len(paragraphs) for paragraphs in alone.values()) >= 20


class CoverHere:
    """The cover's trials laid out in this process, nothing kept (``pdf.PieceLayer``'s part
    that ``issue_parts`` uses)."""

    def cover_trial(self, trial: covering.CoverTrial) -> covering.CoverSeen:
        return covering.lay_out_trial(trial)


def test_the_search_knows_every_trial_as_laying_out_every_trial_does() -> None:
    """On the typography fixture: each trial's outcome (rank and lines) found by the
    bracketing search equals the outcome of laying that trial out, with fewer layouts;
    the trials at a smaller type size are laid out only where nothing else will do."""
    issue, typeset = typeset_issue(TYPOGRAPHY_MANUSCRIPT)
    htmls = pdf.print_articles(issue, typeset, STYLES)
    galley = galleys.galley(issue, tuple(t.article.key for t in typeset), htmls, STYLES)
    paragraphs = [p for measure in galleys.measure(galley) for p in measure.paragraphs]
    assert len(paragraphs) >= 5
    every = galleys.try_settings(galley, tuple((p, tuple(range(len(p.candidates)))) for p in paragraphs))
    searches = search_every_paragraph(galley, paragraphs)
    reserved = 0
    for place, search in searches.items():
        candidates = search.paragraph.candidates
        known = [o.rank for o in search.outcomes.values() if o is not fitting.UNMEASURED]
        for number, outcome in search.outcomes.items():
            if outcome is fitting.UNMEASURED and every[place][number] is not fitting.UNMEASURED:
                # the reserve (a smaller type size) is left alone once a setting will do
                assert candidates[number].scale != 100, place
                assert min([search.paragraph.rank, *known]).acceptable, place
                reserved += 1
            else:
                assert outcome == every[place][number], (place, candidates[number])
    assert reserved >= 1
    laid_out = sum(search.laid_out for search in searches.values())
    assert laid_out < 0.85 * sum(len(p.candidates) for p in paragraphs)


def run_search(paragraph: LooseParagraph, lay_out_trial: object) -> ParagraphSearch:
    search = ParagraphSearch(paragraph)
    while wanted := search.next_trials():
        search.add({number: lay_out_trial(paragraph.candidates[number]) for number in wanted})  # type: ignore[operator]
    return search


def monotone_paragraph(seed: int) -> tuple[LooseParagraph, object]:
    """A made-up paragraph whose breaks change only at a few spacings, as greedy breaking's
    do: the outcome is a step function of the spacing."""
    chance = random.Random(seed)
    thresholds = sorted(chance.sample(range(-6, 7), chance.randint(0, 5)))

    def outcome(trial: Trial) -> Outcome:
        breaks = sum(trial.step >= threshold for threshold in thresholds)
        return Outcome((breaks % 3, 0, breaks), (f"breaks {breaks}",))

    candidates = tuple(Trial(step) for step in fitting.STEPS[1:])
    as_set = outcome(Trial(0))
    return LooseParagraph("a01", 3, "0pt", as_set.rank, candidates, as_set.lines), outcome


@pytest.mark.parametrize("seed", range(40))
def test_the_search_infers_only_what_monotone_breaking_allows(seed: int) -> None:
    paragraph, outcome = monotone_paragraph(seed)
    search = run_search(paragraph, outcome)
    assert search.ranks() == tuple(outcome(trial).rank for trial in paragraph.candidates)  # type: ignore[operator]
    assert search.laid_out <= len(paragraph.candidates)


def test_the_search_check_fails_when_breaking_is_not_monotone() -> None:
    """Broken on purpose: if breaks could differ between two spacings that agree, the search
    would infer wrongly; the comparison above sees it."""
    paragraph, _ = monotone_paragraph(0)

    def zigzag(trial: Trial) -> Outcome:
        odd = trial.step in (-3, 3)
        return Outcome((int(odd), 0, 0), ("odd",) if odd else paragraph.lines)

    search = run_search(paragraph, zigzag)
    assert search.ranks() != tuple(zigzag(trial).rank for trial in paragraph.candidates)
