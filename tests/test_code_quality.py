"""ruff and mypy pass on the code: run with the tests so they cannot be forgotten."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_passes() -> None:
    result = run_tool("ruff", "check", "src", "tests", "build.py", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    result = run_tool("ruff", "format", "--check", "src", "tests", "build.py", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_src() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
