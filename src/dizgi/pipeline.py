"""Runs the stages in order: the one place that knows the whole road.

load -> convert -> pdf / epub -> (check) -> publish. Outputs are written to temporary files
in the output folder and renamed only when every stage (and the check) succeeded, so a
failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dizgi import checks, convert, epub, manuscript, pdf, turkish, typography
from dizgi.errors import CheckError
from dizgi.model import BuiltFile, Issue, PrintEdition, TypesetArticle

FORMATS = ("pdf", "epub")
STYLES_DIR = Path(__file__).resolve().parents[2] / "styles"


@dataclass(frozen=True)
class BuildRequest:
    manuscript_dir: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    check: bool = False
    styles_dir: Path = STYLES_DIR
    #: also write ``<slug>-proof.png``: every page of the PDF as a thumbnail
    proof: bool = False


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

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)


Progress = Callable[[StageDone], None]


def build_timestamp(issue: Issue) -> datetime.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the issue's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).replace(tzinfo=None)
    return datetime.datetime.combine(issue.meta.date, datetime.time())


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

    with stage("load") as detail:
        issue = manuscript.load_issue(request.manuscript_dir)
        count = len(issue.articles)
        detail.append(f"{count} article{'s' if count != 1 else ''}")
    with stage("convert") as detail:
        typeset_list: list[TypesetArticle] = []
        changes: list[ChangeAt] = []
        for article in issue.articles:
            ast, report = typography.apply_turkish_typography(convert.markdown_to_ast(article), article)
            typeset_list.append(convert.typeset_article(article, ast))
            changes.extend(ChangeAt(article.source, change) for change in report.changes)
        typeset = tuple(typeset_list)
        detail.append(
            f"{sum(len(t.notes_html) for t in typeset)} notes, "
            f"{sum(len(t.headings) for t in typeset)} headings; Turkish rules: " + _rule_counts(changes)
        )

    timestamp = build_timestamp(issue)
    warnings = list(issue.warnings)
    out_dir = request.out_dir
    created_out_dir = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    pending: dict[Path, Path] = {}  # temporary file -> final file
    unwanted: list[Path] = []  # temporary files no output keeps
    files: list[BuiltFile] = []
    try:
        # The EPUB takes its page-list and cover from the print layout, so every build lays
        # the issue out; an EPUB-only build throws the PDF away.
        with stage("pdf") as detail:
            final = out_dir / f"{issue.slug}.pdf"
            temporary = _temporary_beside(final)
            pending[temporary] = final
            rendered = pdf.render_pdf(issue, typeset, request.styles_dir, temporary, timestamp)
            warnings.extend(f"WeasyPrint: {message}" for message in rendered.warnings)
            loose = checks.loose_lines(checks.pdf_lines(temporary))
            detail.append(
                f"{rendered.pages} pages, {loose.summary}; "
                f"{rendered.fit.refitted} paragraphs refitted in {rendered.fit.layouts} layouts"
            )
            edition = PrintEdition(
                rendered.page_starts,
                pdf.cover_jpeg(temporary),
                f"{issue.meta.magazine}, {issue.meta.issue}, {turkish.LABELS['print_edition']}",
            )
            if "pdf" in request.formats:
                files.append(BuiltFile(final, "pdf", temporary.stat().st_size, rendered.pages))
            else:
                del pending[temporary]
                unwanted.append(temporary)
        if request.proof and "pdf" in request.formats:
            with stage("proof") as detail:
                proof = out_dir / f"{issue.slug}-proof.png"
                proof_temporary = _temporary_beside(proof)
                pending[proof_temporary] = proof
                drawn = pdf.render_proof(temporary, proof_temporary)
                files.append(BuiltFile(proof, "proof", proof_temporary.stat().st_size, drawn))
                detail.append(f"{drawn} pages drawn")
        if "epub" in request.formats:
            with stage("epub") as detail:
                final = out_dir / f"{issue.slug}.epub"
                temporary = _temporary_beside(final)
                pending[temporary] = final
                documents = epub.build_epub(issue, typeset, request.styles_dir, temporary, timestamp, edition)
                files.append(BuiltFile(final, "epub", temporary.stat().st_size, documents))
                detail.append(f"{documents} documents")
        if request.check:
            with stage("check") as detail:
                detail.extend(_check(issue, pending))
        for temporary, final in pending.items():
            temporary.replace(final)
        pending.clear()
    finally:
        for temporary in [*pending, *unwanted]:
            temporary.unlink(missing_ok=True)
        if created_out_dir and not any(out_dir.iterdir()):
            out_dir.rmdir()
    return BuildReport(issue, tuple(files), tuple(stages), tuple(warnings), tuple(changes))


def _rule_counts(changes: list[ChangeAt]) -> str:
    counts: dict[str, int] = {}
    for item in changes:
        counts[item.change.rule] = counts.get(item.change.rule, 0) + 1
    return ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items(), key=_rule_order)) or "none"


def _rule_order(item: tuple[str, int]) -> int:
    return int(item[0].lstrip("T"))


def _temporary_beside(final: Path) -> Path:
    """A hidden name in the same folder (same file system, so the rename is atomic)."""
    return final.with_name(f".{final.stem}.{os.getpid()}.tmp{final.suffix}")


def _check(issue: Issue, pending: dict[Path, Path]) -> list[str]:
    """Check the outputs before they replace the old ones; raise on the first failed file."""
    details = []
    for temporary, final in pending.items():
        if final.suffix == ".epub":
            report = checks.run_epubcheck(temporary)
            details.append(report.summary)
            if report.problems:
                listed = "\n    ".join(str(message) for message in report.problems[:20])
                raise CheckError(
                    f"EPUBCheck found problems:\n    {listed}",
                    fix="correct the markup it names; the previous outputs were left as they were",
                    path=final,
                )
            if not checks.ace_available():
                details.append("Ace not run (not installed: python build.py test installs it)")
                continue
            ace = checks.run_ace(temporary)
            details.append(f"Ace {len(ace.violations)} violations")
            if ace.violations:
                listed = "\n    ".join(ace.violations[:20])
                raise CheckError(
                    f"Ace by DAISY found accessibility violations:\n    {listed}",
                    fix="correct what it names; the previous outputs were left as they were",
                    path=final,
                )
        elif final.suffix == ".pdf":
            pdf_report = checks.read_pdf(temporary)
            problems = checks.pdf_problems(pdf_report, issue.meta.language)
            details.append(f"PDF {len(pdf_report.fonts)} fonts embedded, /Lang {pdf_report.lang}")
            if problems:
                raise CheckError(
                    "the PDF failed its read-back: " + "; ".join(problems),
                    fix="correct what is named; the previous outputs were left as they were",
                    path=final,
                )
    return details
