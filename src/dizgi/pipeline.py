"""Runs the stages in order: the one place that knows the whole road, the cache and the workers.

load -> convert -> fit -> pdf / epub -> (check) -> publish. Outputs are written to temporary
files in the output folder and renamed only when every stage (and the check) succeeded, so
a failed build leaves the previous outputs untouched.

Work that does not depend on other work runs side by side: Pandoc per article (threads:
Pandoc is its own process), the galleys and trial documents of paragraph fitting and,
beside them, the cover's trials, the EPUB's font subsets, the issue's pieces (front
matter, each article, back matter: worker processes, as WeasyPrint and fontTools are
Python), EPUBCheck and Ace under ``--check``.
The pieces are kept in the cache by their HTML and place: an edit lays out one article
again, and the ones after it only when its page count changed.

The stage modules are imported where they are used: ``--help`` and a rebuild with nothing
changed never load WeasyPrint.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import filecmp
import functools
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dizgi import cache, manuscript, scheduling
from dizgi.errors import ManuscriptError, OutputError, RenderError
from dizgi.model import Article, BuiltFile, Issue, Picture, PrintEdition, TypesetArticle

if TYPE_CHECKING:
    from dizgi import typography
    from dizgi.covering import CoverSeen, CoverTrial
    from dizgi.fit.fitting import ArticleFit
    from dizgi.offprint import OffprintMeta
    from dizgi.pagefill import ShortPage
    from dizgi.pdf import PdfRender
    from dizgi.pieces import LaidPiece, PieceJob

FORMATS = ("pdf", "epub")
#: every output's SHA-256, in ``sha256sum -c`` format
CHECKSUMS = "SHA256SUMS"
ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
#: where results are kept between builds (``--cache DIR`` moves it, ``--no-cache`` ignores it)
DEFAULT_CACHE_DIR = ROOT / ".cache" / "dizgi"


@dataclass(frozen=True)
class BuildRequest:
    manuscript_dir: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    check: bool = False
    styles_dir: Path = STYLES_DIR
    #: also write ``<slug>-proof.png``: every page of the PDF as a thumbnail
    proof: bool = False
    #: the cache folder; ``None`` builds everything anew and keeps nothing
    cache_dir: Path | None = DEFAULT_CACHE_DIR
    #: a release build: any warning about the manuscript or its layout stops it, unpublished
    strict: bool = False


@dataclass(frozen=True)
class StageDone:
    """One finished stage, for the progress line: its name, its time, what it made."""

    name: str
    seconds: float
    detail: str


@dataclass(frozen=True)
class ChangeAt:
    """A typographic change and the file it was made in (for ``--verbose``)."""

    source: Path
    change: typography.Change

    def __str__(self) -> str:
        where = f"{self.source}:{self.change.line}" if self.change.line else str(self.source)
        return f"{where}: {self.change.rule} {self.change.before!r} → {self.change.after!r}"


@dataclass(frozen=True)
class BuildReport:
    issue: Issue
    files: tuple[BuiltFile, ...]
    stages: tuple[StageDone, ...]
    warnings: tuple[str, ...]
    changes: tuple[ChangeAt, ...] = ()
    #: what the issue's layout measured (loose lines) and the Turkish rules' counts
    notes: tuple[str, ...] = ()
    #: with ``check``: the Turkish proofing's findings (``proofing``), each a line
    proofing: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)


@dataclass(frozen=True)
class _StoredBuild:
    """The outputs of a build, kept in the cache under the key of everything they came from."""

    #: (kind, file name, bytes, pages or documents) of each output
    files: tuple[tuple[str, str, bytes, int], ...]
    #: what each stage reported, to say again what the reused outputs are
    details: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    changes: tuple[ChangeAt, ...]
    #: the print layout's loose lines, as the summary says them
    loose: str = ""


Progress = Callable[[StageDone], None]


def build_timestamp(issue: Issue) -> datetime.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the issue's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).replace(tzinfo=None)
    return datetime.datetime.combine(issue.meta.date, datetime.time())


def check_out_dir(out_dir: Path) -> None:
    """Refuse, before any work, an output folder that cannot be one: a file stands at its
    place or above it, or it (or the folder it would be made in) cannot be written."""
    fix = "give --out a folder you may write to (it is made when it does not exist)"
    try:
        existing = next(path for path in (out_dir, *out_dir.absolute().parents) if path.exists())
    except OSError as error:  # a name too long for the file system, say
        raise OutputError(
            f"the output folder cannot be used: {error.strerror}", fix=fix, path=out_dir
        ) from None
    if not existing.is_dir():
        problem = (
            "a file stands where the output folder should be"
            if existing == out_dir.absolute()
            else f"{existing} is a file, so no folder can be made in it"
        )
        raise OutputError(problem, fix=fix, path=out_dir)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{existing} cannot be written", fix=fix, path=out_dir)


def build(request: BuildRequest, progress: Progress | None = None) -> BuildReport:
    stages: list[StageDone] = []

    @contextmanager
    def stage(name: str) -> Iterator[list[str]]:
        detail: list[str] = []
        started = time.perf_counter()
        yield detail
        done = StageDone(name, time.perf_counter() - started, "; ".join(detail))
        stages.append(done)
        if progress is not None:
            progress(done)

    check_out_dir(request.out_dir)
    _remove_debris(request.out_dir)
    store = cache.BuildCache(request.cache_dir)
    with stage("load") as detail:
        issue = manuscript.load_issue(request.manuscript_dir)
        count = len(issue.articles)
        detail.append(f"{count} article{'s' if count != 1 else ''}")
    timestamp = build_timestamp(issue)
    # What a layout may read besides the articles: the styles, and files beside the
    # manuscript (images); not the outputs or the cache, should they lie in that folder.
    resources_key = cache.key(
        cache.folder_fingerprint(request.styles_dir),
        cache.folder_fingerprint(
            issue.root,
            frozenset(
                {issue.root / "issue.yaml", *(article.source for article in issue.articles), request.out_dir}
                | ({request.cache_dir} if request.cache_dir else set())
            ),
        ),
    )
    outputs_key = cache.key(
        cache.code_fingerprint(),
        resources_key,
        repr(issue),
        timestamp.isoformat(),
        ",".join(request.formats),
        str(request.proof),
    )
    stored = store.get("outputs", outputs_key)
    if not isinstance(stored, _StoredBuild):
        # what the print edition's layouts need, imported before the workers fork
        layouts = ("dizgi.fit.galleys", "dizgi.pieces", "dizgi.pdf")
        workers = scheduling.Workers(layouts if "pdf" in request.formats else ())
        try:
            with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
                stored = _make(request, issue, timestamp, resources_key, store, workers, stage, Path(scratch))
        except BrokenProcessPool:
            raise RenderError(
                "a layout worker process stopped before it finished (the system may have run out of memory)",
                fix="run the build again; if it stops the same way, report it with this message",
            ) from None
        finally:
            workers.close()
        store.put("outputs", outputs_key, stored)
    else:
        with stage("cache") as detail:
            detail.append("nothing changed: the outputs of the last build, no Pandoc and no layout")
            detail.extend(f"{name}: {said}" for name, said in stored.details)
    if request.strict and stored.warnings:
        count = len(stored.warnings)
        raise ManuscriptError(
            f"--strict: {count} warning{'s' if count != 1 else ''} stop{'s' if count == 1 else ''} "
            "this build, and nothing was published:\n  " + "\n  ".join(stored.warnings),
            fix="correct what each warning names, or build without --strict for a proof",
        )
    files = _publish(request, issue, stored, stage)
    warnings = (*stored.warnings, *store.warnings)
    notes = tuple(
        note for note in (stored.loose, f"Turkish rules: {_rule_counts(list(stored.changes))}") if note
    )
    findings: tuple[str, ...] = ()
    if request.check:  # a copy editor's reading: advice, not a failed check
        with stage("proofing") as detail:
            from dizgi import proofing

            found = proofing.proofread_issue(issue, request.styles_dir)
            findings = tuple(str(finding) for finding in found)
            detail.append(proofing.summary(found))
    return BuildReport(
        issue, files, tuple(stages), tuple(dict.fromkeys(warnings)), stored.changes, notes, findings
    )


Stage = Callable[[str], Any]


@dataclass
class _Making:
    """What a build has made so far (the pipeline's own working state, never handed to a
    stage): the outputs, what the stages said, the warnings and the typographic changes."""

    request: BuildRequest
    issue: Issue
    timestamp: datetime.datetime
    stage: Stage
    scratch: Path
    outputs: list[tuple[str, str, bytes, int]] = dataclasses.field(default_factory=list)
    details: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    changes: list[ChangeAt] = dataclasses.field(default_factory=list)


def _make(
    request: BuildRequest,
    issue: Issue,
    timestamp: datetime.datetime,
    resources_key: str,
    store: cache.BuildCache,
    workers: scheduling.Workers,
    stage: Stage,
    scratch: Path,
) -> _StoredBuild:
    """Convert, fit, lay out and write the outputs (in memory, for the cache and publishing;
    the files the writers need go to ``scratch``, never to the output folder)."""
    making = _Making(request, issue, timestamp, stage, scratch, warnings=list(issue.warnings))
    issue, typeset, cover = _convert_stage(making, resources_key, store)
    fonts = (
        _subset_fonts(issue, typeset, cover, request.styles_dir, store, workers)
        if "epub" in request.formats
        else None
    )
    pieces = _PieceLayer(store, workers, resources_key)
    article_htmls, fits = _fit_stage(making, issue, typeset, resources_key, store, workers, pieces, cover)
    rendered, pdf_path = _pdf_stage(
        making, issue, typeset, article_htmls, fits, cover, pieces, epub_cover=fonts is not None
    )
    if "pdf" in request.formats:  # offprints and JATS go with the print edition
        _companions_stage(making, issue, typeset, rendered)
        if request.proof:
            _proof_stage(making, issue, pdf_path)
    if fonts is not None:
        _epub_stage(making, issue, typeset, rendered.edition, fonts.collect(), cover)
    outputs = making.outputs
    sums = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n" for _, name, content, _ in outputs)
    outputs.append(("sums", CHECKSUMS, sums.encode(), len(outputs)))
    return _StoredBuild(
        tuple(outputs),
        tuple(making.details),
        tuple(making.warnings),
        tuple(making.changes),
        rendered.loose.summary,
    )


def _convert_stage(
    making: _Making, resources_key: str, store: cache.BuildCache
) -> tuple[Issue, tuple[TypesetArticle, ...], Picture | None]:
    """Pandoc and the Turkish rules on each article and the issue's titles; the checks
    across articles (ids, links, glyphs); the cover picture."""
    from dizgi import figures, glyphs, sanitize, titles

    styles_dir = making.request.styles_dir
    with making.stage("convert") as detail:
        issue, title_changes = titles.typeset_metadata(making.issue)
        typeset, changes, reused = _convert(issue, resources_key, store, styles_dir)
        making.changes.extend([ChangeAt(path, change) for path, change in title_changes] + changes)
        making.warnings.extend(warning for article in typeset for warning in article.warnings)
        sanitize.check_ids_across_articles(typeset)
        sanitize.check_links_within_issue(typeset)
        cover, cover_warnings = figures.cover_picture(issue)
        making.warnings.extend(cover_warnings)
        glyphs.check_coverage(issue, typeset, _shipped_characters(styles_dir, resources_key, store))
        detail.append(
            f"{sum(len(t.notes_html) for t in typeset)} notes, "
            f"{sum(len(t.headings) for t in typeset)} headings; Turkish rules: "
            + _rule_counts(making.changes)
        )
        if reused:
            detail.append(f"{reused} of {len(typeset)} articles from the cache")
    return issue, typeset, cover


def _shipped_characters(styles_dir: Path, resources_key: str, store: cache.BuildCache) -> frozenset[str]:
    """``glyphs.shipped_characters`` of the shipped fonts, kept in the build cache with the
    styles (reading seven fonts' character maps takes a seventh of a second)."""
    from dizgi import epub, glyphs

    entry = cache.key(cache.code_fingerprint(), resources_key, "shipped characters")
    read = functools.partial(glyphs.shipped_characters, epub.font_files(styles_dir))
    return store.kept("characters", entry, frozenset, read)


def _fit_stage(
    making: _Making,
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    resources_key: str,
    store: cache.BuildCache,
    workers: scheduling.Workers,
    pieces: _PieceLayer,
    cover: Picture | None,
) -> tuple[tuple[str, ...], tuple[ArticleFit, ...]]:
    """Each article's print HTML, and its paragraphs' settings (``fit``); the cover's
    trials are set going first, to be laid out beside the galleys."""
    from dizgi import pdf

    styles_dir = making.request.styles_dir
    with making.stage("fit") as detail:
        article_htmls = pdf.print_articles(issue, typeset, styles_dir)
        front = pdf.FrontMatter(issue, typeset, article_htmls, styles_dir, making.timestamp, cover)
        pieces.foresee_cover(front.trial, len(typeset), cover is not None)
        fits, fitted = _fit(issue, typeset, article_htmls, styles_dir, resources_key, store, workers)
        predicted, disagreed = sum(fit.predicted for fit in fits), sum(fit.disagreed for fit in fits)
        trials = (
            f"{sum(fit.trials for fit in fits)} trial paragraphs; {predicted} paragraphs predicted, "
            f"{disagreed} of them laid out again"
        )
        if fitted < len(typeset):
            detail.append(f"{fitted} of {len(typeset)} articles fitted ({trials}), the rest from the cache")
        else:
            detail.append(f"{fitted} article{'s' if fitted != 1 else ''} fitted ({trials})")
    return article_htmls, fits


def _pdf_stage(
    making: _Making,
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    article_htmls: tuple[str, ...],
    fits: tuple[ArticleFit, ...],
    cover: Picture | None,
    pieces: _PieceLayer,
    *,
    epub_cover: bool,
) -> tuple[PdfRender, Path]:
    """The issue laid out in pieces and written, with its offprints; the EPUB's cover image
    is the cover picture when there is one, else (``epub_cover``) the first page."""
    from dizgi import pdf, weasy

    request, styles_dir = making.request, making.request.styles_dir
    pdf_path = making.scratch / f"{issue.slug}.pdf"
    with making.stage("pdf") as detail:
        parts = pdf.issue_parts(issue, typeset, article_htmls, styles_dir, making.timestamp, pieces, cover)
        rendered = pdf.render_pdf(
            issue,
            parts,
            fits,
            styles_dir,
            pdf_path,
            making.timestamp,
            pieces,
            cover=epub_cover and cover is None,
            offprints=issue.articles if "pdf" in request.formats else (),
        )
        making.warnings.extend(f"WeasyPrint: {message}" for message in rendered.warnings)
        making.warnings.extend(_short_page_warning(issue, short) for short in rendered.short)
        detail.append(_pdf_summary(issue, rendered))
        making.details.append(("pdf", detail[-1]))
        detail.append(f"{pieces.laid_out} of {pieces.asked} pieces laid out, the rest from the cache")
        if pieces.laid_out and not weasy.subsets_with_harfbuzz():
            detail.append(f"fonts subset with fontTools: {weasy.FASTER_SUBSETTING}")
        if "pdf" in request.formats:
            making.outputs.append(("pdf", f"{issue.slug}.pdf", pdf_path.read_bytes(), rendered.pages))
    return rendered, pdf_path


@dataclass
class _PieceLayer:
    """The pdf stage's pieces laid out in the workers, and kept in the build cache by
    their job (HTML, fitting, place): ``pdf.PieceLayer``."""

    store: cache.BuildCache
    workers: scheduling.Workers
    resources_key: str
    #: pieces asked for, and of those laid out (not found in the cache)
    asked: int = 0
    laid_out: int = 0
    #: this build's pieces, also when the cache is off (a second round asks for most again)
    made: dict[str, LaidPiece] = dataclasses.field(default_factory=dict)
    #: the cover's trials, laid out in a worker while the articles are fitted (``foresee_cover``)
    foreseen: Future[dict[str, CoverSeen]] | None = None

    def lay_out(self, jobs: Sequence[PieceJob]) -> list[LaidPiece]:
        from dizgi import pieces

        entries = [self._entry("piece", job) for job in jobs]
        found = [self.made.get(entry) or self.store.get("piece", entry) for entry in entries]
        futures = {
            index: self.workers.pool.submit(pieces.lay_out_piece, job)
            for index, (job, known) in enumerate(zip(jobs, found, strict=True))
            if not isinstance(known, pieces.LaidPiece)
        }
        self.asked += len(jobs)
        self.laid_out += len(futures)
        for index, future in futures.items():
            found[index] = laid = self.made[entries[index]] = future.result()
            self.store.put("piece", entries[index], laid)
            self.store.put("piece-pages", self._entry("piece-pages", self._anywhere(jobs[index])), laid.pages)
        return [laid for laid in found if isinstance(laid, pieces.LaidPiece)]

    def pages(self, job: PieceJob) -> int | None:
        known = self.store.get("piece-pages", self._entry("piece-pages", self._anywhere(job)))
        return known if isinstance(known, int) else None

    def foresee_cover(self, trial: Callable[[int], CoverTrial], articles: int, picture: bool) -> None:
        """Set the cover's trials (``pdf.FrontMatter.trial``, by count of headlines) going
        in a worker, ahead of the pdf stage that asks for them, unless the cache knows what
        they showed: the workers are then busy with the articles' galleys, not waiting for
        the cover as they did (one trial after another, a second and a half for twenty
        articles)."""
        from dizgi import covering

        unknown = []

        def cached(count: int) -> CoverSeen:
            found = self.store.get("cover", self._entry("cover", trial(count)))
            if isinstance(found, covering.CoverSeen):
                return found
            unknown.append(count)
            return covering.CoverSeen(clear=False, pages=0)

        covering.cover_headlines(articles, picture, cached)
        if unknown:
            trials = {count: trial(count) for count in covering.counts_tried(articles, picture)}
            self.foreseen = self.workers.pool.submit(covering.search_ahead, trials, articles, picture)

    def cover_trial(self, trial: CoverTrial) -> CoverSeen:
        from dizgi import covering

        def lay_out() -> CoverSeen:
            seen = self.foreseen.result() if self.foreseen is not None else {}
            return seen.get(trial.html) or covering.lay_out_trial(trial)

        return self.store.kept("cover", self._entry("cover", trial), covering.CoverSeen, lay_out)

    def offprint(self, piece: bytes, first_folio: int, meta: OffprintMeta) -> bytes:
        from dizgi import offprint

        entry = cache.key(cache.code_fingerprint(), "offprint", piece, str(first_folio), repr(meta))
        made = functools.partial(offprint.from_piece, piece, first_folio, meta)
        return self.store.kept("offprint", entry, bytes, made)

    def _entry(self, kind: str, job: PieceJob | CoverTrial) -> str:
        return cache.key(cache.code_fingerprint(), self.resources_key, kind, repr(job))

    @staticmethod
    def _anywhere(job: PieceJob) -> PieceJob:
        """The job as it would be anywhere in the issue: its page count does not change."""
        return dataclasses.replace(job, first_index=0, numbers=())


def _pdf_summary(issue: Issue, rendered: PdfRender) -> str:
    """The pdf stage's line: pages, loose lines, paragraphs set as fitted, floats, short pages."""
    fitted = f"{rendered.refitted} paragraphs set as fitted"
    parts = [f"{rendered.pages} pages, {rendered.loose.summary}; {fitted}"]
    if rendered.floated:
        parts.append(f"{rendered.floated} float{'s' if rendered.floated != 1 else ''} moved to the next page")
    if rendered.short:
        parts.append(
            "short pages: " + ", ".join(f"{short.page} ({short.share:.0%})" for short in rendered.short)
        )
    if rendered.blank:
        parts.append(
            f"{rendered.blank} blank page{'s' if rendered.blank != 1 else ''} before the colophon "
            f"(page_multiple: {issue.meta.page_multiple})"
        )
    return "; ".join(parts)


def _companions_stage(
    making: _Making, issue: Issue, typeset: tuple[TypesetArticle, ...], rendered: PdfRender
) -> None:
    """What goes with the print edition: offprints (made in the pdf stage), the DergiPark
    sheets, the JATS (with an ISSN) and the Crossref deposit (with its block)."""
    from dizgi import formsheet, imaging, jats

    outputs = making.outputs
    with making.stage("jats") as detail:
        by_key = {article.key: article for article in issue.articles}
        for made in rendered.offprints:
            outputs.append(("offprint", f"{issue.slug}/{by_key[made.key].slug}.pdf", made.pdf, made.pages))
        folios = {made.key: (made.first_folio, made.last_folio) for made in rendered.offprints}
        with_issn = bool(issue.meta.issn or issue.meta.eissn)
        xmls: list[bytes] = []
        if with_issn:  # Pandoc writes each article's JATS: its own process, so in threads
            styles_dir = making.request.styles_dir
            with ThreadPoolExecutor(scheduling.worker_count()) as threads:
                xmls = list(
                    threads.map(
                        lambda one: jats.article_xml(issue, one, folios[one.article.key], styles_dir), typeset
                    )
                )
        for number, one in enumerate(typeset):
            sheet = formsheet.sheet(one, folios[one.article.key]).encode()
            outputs.append(("form", f"{issue.slug}/{one.article.slug}-dergipark.txt", sheet, 1))
            if not with_issn:
                continue
            outputs.append(("jats", f"{issue.slug}/{one.article.slug}.xml", xmls[number], 1))
            for picture in one.pictures:  # what the JATS's graphics point at
                outputs.append(("picture", f"{issue.slug}/{picture.href}", imaging.reading_bytes(picture), 1))
        count = len(typeset)
        plural = "s" if count != 1 else ""
        detail.append(
            (
                f"{count} JATS file{plural}"
                if with_issn
                else "no JATS: issue.yaml has no issn (JATS Publishing requires the journal's ISSN)"
            )
            + f"; {count} offprint{plural} (made in the pdf stage); {count} DergiPark form sheet{plural}"
        )
        detail.append(_deposit(issue, typeset, folios, making.timestamp, outputs))


def _proof_stage(making: _Making, issue: Issue, pdf_path: Path) -> None:
    """Every page of the PDF as a thumbnail, in one picture."""
    from dizgi import proof

    with making.stage("proof") as detail:
        proof_path = making.scratch / f"{issue.slug}-proof.png"
        drawn = proof.render_proof(pdf_path, proof_path)
        making.outputs.append(("proof", f"{issue.slug}-proof.png", proof_path.read_bytes(), drawn))
        detail.append(f"{drawn} pages drawn")


def _epub_stage(
    making: _Making,
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    edition: PrintEdition,
    fonts: tuple[tuple[str, bytes], ...],
    cover: Picture | None,
) -> None:
    from dizgi import epub

    with making.stage("epub") as detail:
        epub_path = making.scratch / f"{issue.slug}.epub"
        documents = epub.build_epub(
            issue, typeset, making.request.styles_dir, epub_path, making.timestamp, edition, fonts, cover
        )
        making.outputs.append(("epub", f"{issue.slug}.epub", epub_path.read_bytes(), documents))
        detail.append(f"{documents} documents")
        making.details.append(("epub", detail[-1]))


def _short_page_warning(issue: Issue, short: ShortPage) -> str:
    """A page of an article that wastes paper, with what the editor can do about it."""
    from dizgi.pagefill import SHORT_PAGE_SHARE

    article = next(article for article in issue.articles if article.key == short.key)
    return (
        f"{article.source}: page {short.page} sets only {short.share:.0%} of a text block "
        f"(less than {SHORT_PAGE_SHARE:.0%}, {short.lines} line{'s' if short.lines != 1 else ''}): "
        "shorten the article by as much to pull them back, or lengthen it to fill the page"
    )


def _deposit(
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    folios: dict[str, tuple[int, int]],
    timestamp: datetime.datetime,
    outputs: list[tuple[str, str, bytes, int]],
) -> str:
    """The Crossref deposit, when issue.yaml has its ``crossref`` block; what the summary
    says of it either way."""
    from dizgi import crossref

    if issue.meta.crossref is None:
        return "no Crossref deposit: issue.yaml has no 'crossref:' block (depositor, email, registrant, url)"
    with_doi = [one for one in typeset if one.article.meta.doi]
    if not with_doi:
        return "no Crossref deposit: no article has a DOI ('doi' or issue.yaml's 'doi-pattern')"
    xml = crossref.deposit_xml(issue, typeset, folios, timestamp)
    found = crossref.problems(xml)
    if found:
        raise RenderError(
            "the Crossref deposit dizgi wrote is not valid: " + "; ".join(found),
            fix="report this with the issue attached",
        )
    outputs.append(("crossref", f"{issue.slug}/crossref.xml", xml, len(with_doi)))
    left = len(typeset) - len(with_doi)
    return f"Crossref deposit of {len(with_doi)} article{'s' if len(with_doi) != 1 else ''}" + (
        f" ({left} without a DOI left out)" if left else ""
    )


def _convert(
    issue: Issue, resources_key: str, store: cache.BuildCache, styles_dir: Path
) -> tuple[tuple[TypesetArticle, ...], list[ChangeAt], int]:
    """Each article through Pandoc and the Turkish rules, side by side; an article whose
    Markdown, front matter and place in the issue are unchanged, and whose pictures (the
    files beside the manuscript, ``resources_key``) too, comes from the cache."""
    from dizgi import citations, convert, figures, jats, sanitize, typography

    def one(article: Article) -> tuple[TypesetArticle, tuple[typography.Change, ...], bool]:
        entry = cache.key(cache.code_fingerprint(), "convert", resources_key, repr(article))
        found = store.get("convert", entry)
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], TypesetArticle):
            return found[0], found[1], True
        ast, read_warnings = convert.read_article(article, styles_dir / "csl")
        sanitize.check_article(ast, article)
        lead, lead_warnings = figures.lead_picture(article, issue.root)
        ast, pictures, picture_warnings = figures.prepare_pictures(ast, article, issue.root)
        ast, report = typography.apply_turkish_typography(ast, article)
        blocks, bibliography, keys = citations.lift_bibliography(ast["blocks"])
        ast = {**ast, "blocks": blocks}
        items = citations.reference_items(article) if any(keys) else {}
        # taken before typeset_article lifts the notes out of the AST
        jats_source = jats.jats_source(ast, bibliography, tuple(items.get(key) for key in keys))
        typeset = convert.typeset_article(
            article, ast, (*read_warnings, *lead_warnings, *picture_warnings), pictures, lead, bibliography
        )
        typeset = dataclasses.replace(typeset, jats_source=jats_source)
        store.put("convert", entry, (typeset, report.changes))
        return typeset, report.changes, False

    with ThreadPoolExecutor(max(1, min(scheduling.worker_count(), len(issue.articles)))) as threads:
        results = list(threads.map(one, issue.articles))
    changes = [ChangeAt(typeset.article.source, change) for typeset, found, _ in results for change in found]
    return tuple(typeset for typeset, _, _ in results), changes, sum(hit for _, _, hit in results)


def _fit(
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    article_htmls: tuple[str, ...],
    styles_dir: Path,
    resources_key: str,
    store: cache.BuildCache,
    workers: scheduling.Workers,
) -> tuple[tuple[ArticleFit, ...], int]:
    """Every article's fitting decisions: from the cache, or from its galley and trials laid
    out in the workers. Returns them in issue order, and how many were computed."""
    from dizgi.fit import fitting, jobs

    keys = [t.article.key for t in typeset]
    entries = {
        key: cache.key(cache.code_fingerprint(), resources_key, "fit", issue.meta.language, html)
        for key, html in zip(keys, article_htmls, strict=True)
    }
    found = {key: store.get("fit", entries[key]) for key in keys}
    fits = {key: fit for key, fit in found.items() if isinstance(fit, fitting.ArticleFit) and fit.key == key}
    missing = [(key, html) for key, html in zip(keys, article_htmls, strict=True) if key not in fits]
    if missing:
        # each article's paragraphs as the last build found them: an edit's unchanged
        # paragraphs keep their trials' ranks (``jobs.fit_in_workers``)
        paragraph_entries = {
            key: cache.key(cache.code_fingerprint(), resources_key, "paragraphs", issue.meta.language, key)
            for key, _ in missing
        }
        stored = {key: store.get("paragraphs", entry) for key, entry in paragraph_entries.items()}
        known = {key: found for key, found in stored.items() if isinstance(found, dict)}
        measures = jobs.fit_in_workers(issue, missing, styles_dir, workers, known)
        for result in measures:
            fit = fitting.choose(result.measure, result.ranks, result.laid_out)
            fit = dataclasses.replace(fit, predicted=result.predicted, disagreed=result.disagreed)
            store.put("fit", entries[result.measure.key], fit)
            fits[result.measure.key] = fit
            store.put(
                "paragraphs",
                paragraph_entries[result.measure.key],
                {p.signature: result.ranks[p.key, p.index] for p in result.measure.paragraphs},
            )
    return tuple(fits[key] for key in keys), len(missing)


def _subset_fonts(
    issue: Issue,
    typeset: tuple[TypesetArticle, ...],
    cover: Picture | None,
    styles_dir: Path,
    store: cache.BuildCache,
    workers: scheduling.Workers,
) -> _FontSubsets:
    """The EPUB's fonts being cut down to the characters the issue uses, in the background
    workers while the print issue is laid out (a face whose characters did not change comes
    from the cache)."""
    from dizgi import epub

    used = epub.characters(issue, typeset, styles_dir, cover)
    faces = []
    for font in epub.font_files(styles_dir):
        entry = cache.key(cache.code_fingerprint(), "font", font.read_bytes(), "".join(sorted(used)))
        found = store.get("fonts", entry)
        faces.append((font, entry, found if isinstance(found, bytes) else None))
    subsets = _FontSubsets(store, workers, used, tuple(faces))
    subsets.start()
    return subsets


@dataclass
class _FontSubsets:
    """The EPUB's fonts being cut down, one face per job of the background workers
    (``scheduling.Workers.background``): sent to the layout workers, before the print
    issue's pieces, seven faces held the April issue's pieces back by more than a second,
    and the EPUB needs them only once the PDF is stitched."""

    store: cache.BuildCache
    workers: scheduling.Workers
    used: frozenset[str]
    #: each face's file, cache entry and, if the cache held it, its subset
    faces: tuple[tuple[Path, str, bytes | None], ...]
    jobs: dict[str, Future[bytes]] = dataclasses.field(default_factory=dict)

    def start(self) -> None:
        from dizgi import fontsubset

        for font, entry, found in self.faces:
            if found is None:
                cut = self.workers.background.submit(fontsubset.subset_font, font, set(self.used))
                self.jobs[entry] = cut

    def collect(self) -> tuple[tuple[str, bytes], ...]:
        fonts = []
        for font, entry, found in self.faces:
            if found is not None:
                fonts.append((font.name, found))
            else:
                fonts.append((font.name, self.jobs[entry].result()))
                self.store.put("fonts", entry, fonts[-1][1])
        return tuple(fonts)


def _publish(
    request: BuildRequest, issue: Issue, stored: _StoredBuild, stage: Stage
) -> tuple[BuiltFile, ...]:
    """Write the outputs beside their final names, check them if asked, then rename them
    into place. An output whose bytes are already there is left as it is."""
    out_dir = request.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    pending: dict[Path, Path] = {}
    found: dict[Path, list[str]] = {}
    made_folders: list[Path] = []
    published = False
    try:
        for _, name, content, _ in stored.files:
            final = out_dir / name
            if not final.parent.is_dir():
                final.parent.mkdir(parents=True)
                made_folders.append(final.parent)
            temporary = _temporary_beside(final)
            temporary.write_bytes(content)
            pending[temporary] = final
        if request.check:
            with stage("check") as detail:
                from dizgi import checks, crossref, jats

                found = checks.validate(
                    pending,
                    issue.meta.language,
                    {article.key: article.source for article in issue.articles},
                    jats_rules=jats.problems,
                    deposit_rules=crossref.problems,
                )
                issue_files = [final for final in found if final.parent == out_dir]
                detail.extend(line for final in issue_files for line in found[final])
                if len(found) > len(issue_files):
                    detail.append(f"{len(found) - len(issue_files)} offprints and JATS files checked alike")
        for temporary, final in pending.items():
            if final.is_file() and filecmp.cmp(final, temporary, shallow=False):
                continue  # the same bytes: leave the file (and its time) as it was
            temporary.replace(final)
        published = True
    finally:
        for temporary in pending:
            temporary.unlink(missing_ok=True)
        if not published:  # a failed check: no folder of the offprints left empty
            for folder in reversed(made_folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return tuple(
        BuiltFile(out_dir / name, kind, len(content), units, tuple(found.get(out_dir / name, ())))
        for kind, name, content, units in stored.files
    )


def _rule_counts(changes: list[ChangeAt]) -> str:
    counts: dict[str, int] = {}
    for item in changes:
        counts[item.change.rule] = counts.get(item.change.rule, 0) + 1
    return ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items(), key=_rule_order)) or "none"


def _rule_order(item: tuple[str, int]) -> int:
    return int(item[0].lstrip("T"))


#: a build's scratch folder in the system's temporary folder: ``dizgi-<process id>-<random>``
SCRATCH_PREFIX = "dizgi-"
_SCRATCH = re.compile(rf"^{SCRATCH_PREFIX}(\d+)-[^-]+$")
#: a temporary output (``_temporary_beside``): hidden name, the writer's process id, ``.tmp``
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.tmp(\.[a-z]+)?$")


def _remove_debris(out_dir: Path) -> None:
    """Remove what builds killed before they could clean up left behind (their process no
    longer runs): temporary outputs in the output folder, scratch folders in the system's
    temporary folder. A build still running keeps its own."""
    if out_dir.is_dir():
        for path in (*out_dir.glob("*"), *out_dir.glob("*/*"), *out_dir.glob("*/*/*")):  # offprints, images
            match = _TEMPORARY.match(path.name)
            if match and path.is_file() and not _running(int(match.group(1))):
                path.unlink(missing_ok=True)
    for path in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        match = _SCRATCH.match(path.name)
        if match and path.is_dir() and not path.is_symlink() and not _running(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _temporary_beside(final: Path) -> Path:
    """A hidden name in the same folder (same file system, so the rename is atomic)."""
    return final.with_name(f".{final.stem}.{os.getpid()}.tmp{final.suffix}")
