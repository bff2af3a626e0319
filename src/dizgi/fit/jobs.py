"""Paragraph fitting cut into small jobs for the worker processes (``scheduling.Workers``).

Each article's galley is laid out in a worker, and the first check of each predicted
paragraph with it (``galleys.measure_and_check``); each further round of a loose
paragraph's search (``trials``) is sent as soon as the round before returns, in trial
documents of at most ``TRIAL_COPIES`` copies, so both cores stay busy and no worker holds
a large document. A paragraph an earlier build searched, unchanged since (the same
signature), is neither predicted nor laid out again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dizgi.model import Issue
from dizgi.scheduling import Workers

if TYPE_CHECKING:
    from dizgi.fit.fitting import GalleyMeasure, LooseParagraph
    from dizgi.fit.galleys import MeasuredGalley
    from dizgi.fit.spacing import Rank
    from dizgi.fit.trials import KnownSearch, ParagraphSearch, PredictedSearch

    #: how one paragraph's trials are found
    Search = ParagraphSearch | PredictedSearch | KnownSearch

#: articles per galley and trial copies per trial document: small documents keep each
#: worker's memory low (one document of 6,000 copies took 700 MB) and both cores busy
GALLEY_ARTICLES = 2
TRIAL_COPIES = 200
Item = TypeVar("Item")


@dataclass(frozen=True)
class FitResult:
    """One article's fitting, as the workers found it."""

    measure: GalleyMeasure
    #: each paragraph's trials' ranks, in the order of its candidates
    ranks: dict[tuple[str, int], tuple[Rank, ...]]
    #: trial copies laid out
    laid_out: int
    #: paragraphs whose trials were predicted, and of those, where the check disagreed
    predicted: int = 0
    disagreed: int = 0


def fit_in_workers(
    issue: Issue,
    missing: list[tuple[str, str]],
    styles_dir: Path,
    workers: Workers,
    known: Mapping[str, Mapping[str, tuple[Rank, ...]]] | None = None,
) -> list[FitResult]:
    """Lay out the galleys of ``missing`` (article key, print HTML) and the trials of their
    loose paragraphs in the workers, in small documents: each round of a paragraph's search
    (``trials``) starts as soon as the one before returns, so both cores stay busy and no
    worker holds a large document. A paragraph whose signature ``known`` holds for its
    article (an earlier build's, for a paragraph an edit left alone) takes its trials'
    ranks from there, nothing predicted or laid out. Each article's measure, its
    paragraphs' trial ranks and how many trials were laid out."""
    from dizgi.fit import galleys
    from dizgi.fit.trials import KnownSearch, ParagraphSearch, PredictedSearch

    known = known or {}

    html_of = dict(missing)
    pending: set[Future[Any]] = set()
    galley_futures: set[Future[Any]] = set()
    for part in balanced(
        missing, lambda item: len(item[1]), max(workers.count, -(-len(missing) // GALLEY_ARTICLES))
    ):
        keys = tuple(key for key, _ in part)
        signatures = frozenset(signature for key in keys for signature in known.get(key, {}))
        galley = galleys.galley(issue, keys, tuple(html for _, html in part), styles_dir, signatures)
        galley_futures.add(workers.pool.submit(galleys.measure_and_check, galley))
    pending |= galley_futures
    measures: list[GalleyMeasure] = []
    searches: dict[tuple[str, int], Search] = {}

    def search_for(paragraph: LooseParagraph) -> Search:
        ranks = known.get(paragraph.key, {}).get(paragraph.signature)
        if ranks is not None and len(ranks) == len(paragraph.candidates):
            return KnownSearch(paragraph, ranks)
        return PredictedSearch(paragraph) if paragraph.predicted else ParagraphSearch(paragraph)

    def submit(advanced: list[Search]) -> None:
        requests = [(search, search.next_trials()) for search in advanced]
        requests = [(search, trials) for search, trials in requests if trials]
        copies = sum(len(trials) for _, trials in requests)
        if not copies:
            return
        parts = max(min(workers.count, len(requests)), -(-copies // TRIAL_COPIES))
        for batch in balanced(requests, lambda request: len(request[1]), parts):
            keys = tuple(dict.fromkeys(search.paragraph.key for search, _ in batch))
            galley = galleys.galley(issue, keys, tuple(html_of[key] for key in keys), styles_dir)
            asked = tuple((search.paragraph, trials) for search, trials in batch)
            pending.add(workers.pool.submit(galleys.try_settings, galley, asked))

    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            pending.discard(future)
            if future in galley_futures:
                laid: MeasuredGalley = future.result()
                measures.extend(laid.measures)
                started = [
                    search_for(paragraph) for measure in laid.measures for paragraph in measure.paragraphs
                ]
                searches.update(
                    ((search.paragraph.key, search.paragraph.index), search) for search in started
                )
                for place, found in laid.checked.items():  # the first checks, laid out with it
                    searches[place].add(found)
                submit(started)
            else:
                outcomes = future.result()
                for place, found in outcomes.items():
                    searches[place].add(found)
                submit([searches[place] for place in outcomes])
    order = {key: number for number, (key, _) in enumerate(missing)}
    results = []
    for measure in sorted(measures, key=lambda measure: order[measure.key]):
        mine = [searches[paragraph.key, paragraph.index] for paragraph in measure.paragraphs]
        ranks = {(search.paragraph.key, search.paragraph.index): search.ranks() for search in mine}
        predicted = [search for search in mine if isinstance(search, PredictedSearch)]
        results.append(
            FitResult(
                measure,
                ranks,
                sum(search.laid_out for search in mine),
                len(predicted),
                sum(search.disagreed for search in predicted),
            )
        )
    return results


def balanced(items: Sequence[Item], weight: Callable[[Item], int], parts: int) -> list[list[Item]]:
    """``items`` cut into at most ``parts`` runs of about equal weight, in order."""
    total = sum(weight(item) for item in items)
    result: list[list[Item]] = [[]]
    load = 0
    for item in items:
        if result[-1] and load >= total * len(result) / parts and len(result) < parts:
            result.append([])
        result[-1].append(item)
        load += weight(item)
    return [part for part in result if part]
