"""Articles laid out alone, for fitting, in the worker processes: a galley (a few articles
as one small document), its measure (each article's loose lines and the paragraphs that
need fitting) and the trials of those paragraphs' candidate settings. Plain data in and
out, so ``scheduling`` can send each to a worker; the issue's own layout is ``pdf``'s."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import weasyprint

from dizgi.fit import fitting
from dizgi.fit.fitting import GalleyMeasure, LooseParagraph, Outcome
from dizgi.fit.trials import best_predicted
from dizgi.layout import BODY_FONT, lay_out
from dizgi.model import Issue
from dizgi.templates import render


@dataclass(frozen=True)
class Galley:
    """Articles alone, as one document to lay out for fitting; plain data, so it can be
    sent to a worker process."""

    html: str
    #: the articles it holds (their keys, in order)
    keys: tuple[str, ...]
    styles_dir: Path
    manuscript_dir: Path
    #: the paragraph signatures whose trials an earlier build knows: not predicted again
    known: frozenset[str] = frozenset()


def galley(
    issue: Issue,
    keys: tuple[str, ...],
    htmls: tuple[str, ...],
    styles_dir: Path,
    known: frozenset[str] = frozenset(),
) -> Galley:
    html = render(styles_dir / "templates", "galley.html.j2", language=issue.meta.language, articles=htmls)
    return Galley(html, keys, styles_dir, issue.root, known)


def measure(job: Galley) -> tuple[GalleyMeasure, ...]:
    """Lay out a galley; each article's loose lines and the paragraphs that need fitting."""
    font = job.styles_dir / BODY_FONT
    measures, _ = lay_out(
        job.html,
        job.styles_dir,
        job.manuscript_dir,
        lambda html: fitting.measure_galley(html, html.render(), job.keys, font, job.known),
    )
    return measures


@dataclass(frozen=True)
class MeasuredGalley:
    """A galley's measure, and the first check of its predicted paragraphs: the trial that
    ``trials.best_predicted`` chooses for each, laid out (by paragraph, by trial number)."""

    measures: tuple[GalleyMeasure, ...]
    checked: dict[tuple[str, int], dict[int, Outcome]]


def measure_and_check(job: Galley) -> MeasuredGalley:
    """Lay out a galley and measure it; then, in the same document (its tree parsed once),
    lay out the trial each predicted paragraph would be checked with first, as
    ``try_settings`` would: the check needs no document and no round of its own."""
    font = job.styles_dir / BODY_FONT

    def work(html: weasyprint.HTML) -> MeasuredGalley:
        measures = fitting.measure_galley(html, html.render(), job.keys, font, job.known)
        requests = tuple(
            (paragraph, (chosen,))
            for measure in measures
            for paragraph in measure.paragraphs
            if paragraph.predicted and (chosen := best_predicted(paragraph)) is not None
        )
        return MeasuredGalley(measures, _laid_out_trials(html, requests, font) if requests else {})

    measured, _ = lay_out(job.html, job.styles_dir, job.manuscript_dir, work)
    return measured


def try_settings(
    job: Galley, requests: tuple[tuple[LooseParagraph, tuple[int, ...]], ...]
) -> dict[tuple[str, int], dict[int, Outcome]]:
    """Lay out the trials asked for (each paragraph of ``job``'s articles with the numbers of
    its candidates to try) in one document; each paragraph's outcomes, by trial number."""

    outcomes, _ = lay_out(
        job.html,
        job.styles_dir,
        job.manuscript_dir,
        lambda html: _laid_out_trials(html, requests, job.styles_dir / BODY_FONT),
    )
    return outcomes


def _laid_out_trials(
    html: weasyprint.HTML, requests: tuple[tuple[LooseParagraph, tuple[int, ...]], ...], font: Path
) -> dict[tuple[str, int], dict[int, Outcome]]:
    """The trials asked for, set in ``html``'s tree and laid out: their outcomes by
    paragraph (article key, index) and trial number."""
    fitting.prepare_trials(html, requests)
    found = fitting.measure_trials(html.render(), font)
    return {
        (paragraph.key, paragraph.index): {
            trial: found.get((number, trial), fitting.UNMEASURED) for trial in trials
        }
        for number, (paragraph, trials) in enumerate(requests)
    }
