"""One exception hierarchy for everything an editor can get wrong or a check can find.

Each error carries the file, the line where there is one, what is wrong and what to do,
so that ``cli`` can print one clear message and exit 2 instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class DizgiError(Exception):
    """A problem the user can fix: bad input, a missing tool, a failed check."""

    exit_code = 2

    def __init__(self, problem: str, *, fix: str, path: Path | None = None, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole: an error raised in a layout worker process reaches the command
        line with its file, line and fix (the default would call ``cls(problem)``)."""
        return (_rebuild, (type(self), self.problem, self.fix, self.path, self.line))

    def where(self) -> str:
        """``file, line N`` (or just the file), as the message's prefix."""
        if self.path is None:
            return ""
        return f"{self.path}, line {self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        where = self.where()
        head = f"{where}: {self.problem}" if where else self.problem
        return f"{head}\n  what to do: {self.fix}"


class ManuscriptError(DizgiError):
    """The manuscript (issue.yaml or an article) is missing, malformed or has unknown keys."""


class RenderError(DizgiError):
    """Pandoc, WeasyPrint or ebooklib could not turn valid input into output."""


class OutputError(DizgiError):
    """The output folder cannot take the outputs (a file stands there, it cannot be written)."""


class CheckError(DizgiError):
    """A built output failed a check (EPUBCheck, PDF read-back)."""


def _rebuild(
    kind: type[DizgiError], problem: str, fix: str, path: Path | None, line: int | None
) -> DizgiError:
    return kind(problem, fix=fix, path=path, line=line)
