"""The summary after a build: each artifact with its pages, size, what was checked and the
time it took; a table (drawn with ``rich`` on a terminal, plain text elsewhere) or JSON.

An editor proofing sees at a glance what a build made; CI reads the JSON.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from dizgi.model import BuiltFile

#: which stage made each kind of artifact (its time is the artifact's)
STAGE_OF = {
    "pdf": "pdf",
    "offprint": "pdf",
    "proof": "proof",
    "epub": "epub",
    "jats": "jats",
    "picture": "jats",
    "crossref": "jats",
    "form": "jats",
}
UNITS = {
    "pdf": "pages", "offprint": "pages", "proof": "pages", "epub": "documents", "jats": "article",
    "picture": "picture", "crossref": "articles", "form": "article",
}  # fmt: skip
HEADERS = ("file", "kind", "pages", "size", "checks", "time")


@dataclass(frozen=True)
class Row:
    file: str
    kind: str
    #: pages for a PDF, documents for an EPUB, files for SHA256SUMS
    units: int
    unit: str
    bytes: int
    checks: tuple[str, ...]
    #: the time of the stage that made it (None: not timed alone)
    seconds: float | None
    #: taken from the cache: nothing changed since the build that made it
    cached: bool = False

    @property
    def cells(self) -> tuple[str, ...]:
        return (
            self.file,
            self.kind,
            f"{self.units} {self.unit}",
            _size(self.bytes),
            "; ".join(self.checks) or "—",
            "cache" if self.cached else "—" if self.seconds is None else f"{self.seconds:.2f} s",
        )


def rows(
    files: tuple[BuiltFile, ...],
    out_dir: Path,
    stage_seconds: dict[str, float],
    issue_notes: tuple[str, ...],
) -> tuple[Row, ...]:
    """One row per artifact; ``issue_notes`` (loose lines, typography counts) go with the
    issue's PDF, or its EPUB when there is no PDF."""
    has_pdf = any(built.kind == "pdf" for built in files)
    result = []
    for built in files:
        notes = issue_notes if built.kind == ("pdf" if has_pdf else "epub") else ()
        stage = STAGE_OF.get(built.kind)
        result.append(
            Row(
                file=built.path.relative_to(out_dir).as_posix()
                if built.path.is_relative_to(out_dir)
                else str(built.path),
                kind=built.kind,
                units=built.units,
                unit=UNITS.get(built.kind, "files"),
                bytes=built.size,
                checks=(*notes, *built.checks),
                seconds=stage_seconds.get(stage) if stage else None,
                cached="cache" in stage_seconds and stage is not None,
            )
        )
    return tuple(result)


def as_json(
    table: tuple[Row, ...],
    out_dir: Path,
    seconds: float,
    warnings: tuple[str, ...],
    proofing: tuple[str, ...] = (),
) -> str:
    """The summary as JSON for CI: the artifacts with their checks, the warnings and, with
    ``--check``, the Turkish proofing's findings."""
    data: dict[str, Any] = {
        "out": str(out_dir),
        "seconds": round(seconds, 3),
        "artifacts": [
            {**asdict(row), "checks": list(row.checks), "seconds": row.seconds and round(row.seconds, 3)}
            for row in table
        ],
        "warnings": list(warnings),
        "proofing": list(proofing),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_text(table: tuple[Row, ...], seconds: float, *, terminal: bool) -> str:
    """The table: drawn by ``rich`` for a terminal, else plain columns (logs, pipes)."""
    title = f"built in {seconds:.1f} s"
    if terminal:
        from rich.console import Console
        from rich.table import Table

        drawn = Table(title=title, title_justify="left")
        for header in HEADERS:
            drawn.add_column(
                header, overflow="fold", justify="right" if header in ("size", "time") else "left"
            )
        for row in table:
            drawn.add_row(*row.cells)
        buffer = io.StringIO()
        width = shutil.get_terminal_size((120, 24)).columns
        Console(file=buffer, force_terminal=True, width=width).print(drawn)
        return buffer.getvalue()
    cells = [HEADERS, *(row.cells for row in table)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(HEADERS) - 2)]
    lines = [f"{title}:"]
    for line in cells:
        fixed = "  ".join(cell.ljust(widths[column]) for column, cell in enumerate(line[:-2]))
        lines.append(f"  {fixed}  {line[-1]:>7}  {line[-2]}")
    return "\n".join(lines) + "\n"


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
