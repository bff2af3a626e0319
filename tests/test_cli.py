"""The command line's contract: flags, help, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli, stages, top_level
from dizgi import cli


def test_help_carries_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for flag in ("--manuscript DIR", "--out DIR", "--only {pdf,epub}", "--check", "--quiet", "--verbose"):
        assert flag in help_text
    assert "python build.py --check" in help_text


def test_unknown_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--pdf-only"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --pdf-only" in capsys.readouterr().err


@pytest.mark.parametrize("only", ["pdf", "epub"])
def test_only_builds_one_format(minimal_manuscript: Path, tmp_path: Path, only: str) -> None:
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--only", only)
    assert run.code == 0, run.stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == top_level(
        "deneme-dergisi-2025-03", (only,)
    )
    # the EPUB takes its page-list and cover from the print layout: it is laid out either way
    assert stages(run.stdout) == ["load", "convert", "fit", "pdf"] + (
        ["epub"] if only == "epub" else ["jats"]
    )


def test_quiet_prints_nothing_on_success(minimal_manuscript: Path, tmp_path: Path) -> None:
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path, "--quiet")
    assert (run.code, run.stdout, run.stderr) == (0, "", "")


def test_check_reports_epubcheck_and_pdf_results(minimal_manuscript: Path, tmp_path: Path) -> None:
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path, "--check")
    assert run.code == 0, run.stderr
    check_line = next(line for line in run.stdout.splitlines() if line.startswith("  check"))
    assert "EPUBCheck 0 fatal, 0 errors, 0 warnings, 0 usage" in check_line
    assert "/Lang tr" in check_line
