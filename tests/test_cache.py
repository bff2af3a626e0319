"""The build cache and the work dizgi does not do: a rebuild with nothing changed reuses the
outputs without Pandoc or WeasyPrint; an edit redoes only its article; a broken cache costs a
warning, never a wrong output."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from conftest import FIXTURES, ROOT, BuiltIssue, run_cli
from dizgi import readback

SLUG = "deneme-dergisi-2025-03"
sys.path.insert(0, str(ROOT))
from benchmarks.volumes import make_volume  # noqa: E402


def stage_details(stdout: str) -> dict[str, str]:
    """Each progress line's stage name and what it said."""
    found = {}
    for line in stdout.splitlines():
        match = re.match(r"^  (\w+)\s+[\d.]+ s  (.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    """The minimal fixture's article twice, with two titles: an issue where one can be edited."""
    return make_volume(FIXTURES / "minimal", tmp_path / "manuscript", 2)


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote, by its path in the output folder."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_rebuild_with_nothing_changed_reuses_the_outputs_without_loading_weasyprint(
    two_articles: Path, tmp_path: Path
) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = run_cli("--manuscript", two_articles, "--out", out, "--cache", cache)
    assert first.code == 0, first.stderr
    times = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    before = outputs(out)
    script = (
        "import sys; from dizgi import cli; "
        f"code = cli.main(['--manuscript', {str(two_articles)!r}, '--out', {str(out)!r}, "
        f"'--cache', {str(cache)!r}]); "
        "print('weasyprint' in sys.modules, 'pypandoc' in sys.modules, code)"
    )
    again = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": "src"}
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "False False 0"
    assert list(stage_details(again.stdout)) == ["load", "cache"]
    assert outputs(out) == before
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == times


def test_editing_one_article_converts_and_fits_only_that_article(two_articles: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run_cli("--manuscript", two_articles, "--out", tmp_path / "first", "--cache", cache)
    assert first.code == 0, first.stderr
    assert stage_details(first.stdout)["fit"].startswith("2 articles fitted")
    article = two_articles / "articles" / "02-makale.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nDüzeltme turunda eklenen bir paragraf.\n")
    edited = run_cli("--manuscript", two_articles, "--out", tmp_path / "edited", "--cache", cache)
    assert edited.code == 0, edited.stderr
    details = stage_details(edited.stdout)
    assert details["convert"].endswith("; 1 of 2 articles from the cache")
    assert details["fit"].startswith("1 of 2 articles fitted")
    fresh = run_cli("--manuscript", two_articles, "--out", tmp_path / "fresh", "--no-cache")
    assert fresh.code == 0, fresh.stderr
    assert outputs(tmp_path / "edited") == outputs(tmp_path / "fresh")
    assert outputs(tmp_path / "edited") != outputs(tmp_path / "first")


def test_a_corrupt_cache_is_rebuilt_with_one_warning(two_articles: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run_cli("--manuscript", two_articles, "--out", tmp_path / "first", "--cache", cache).code == 0
    entries = list(cache.rglob("*.pickle"))
    assert len(entries) >= 5  # two conversions, two fittings, the fonts, the outputs
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    run = run_cli("--manuscript", two_articles, "--out", tmp_path / "again", "--cache", cache, "--quiet")
    assert run.code == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "cache" in line]
    assert warnings == [
        f"dizgi: warning: the cache in {cache} held an entry that could not be read "
        "(UnpicklingError); what it held was built anew"
    ]
    assert outputs(tmp_path / "again") == outputs(tmp_path / "first")


def test_a_cache_from_another_version_is_ignored_with_a_warning(two_articles: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "FORMAT").write_text("dizgi-cache 0, dizgi 0.0.1\n")
    run = run_cli("--manuscript", two_articles, "--out", tmp_path / "out", "--cache", cache, "--quiet")
    assert run.code == 0, run.stderr
    assert (
        f"dizgi: warning: the cache in {cache} was written by another version of dizgi; "
        "its entries are ignored and new ones written\n"
    ) in run.stderr
    assert (cache / "FORMAT").read_text().startswith("dizgi-cache 1, dizgi ")


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(
    two_articles: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = run_cli("--manuscript", two_articles, "--out", tmp_path / "out", "--cache", blocker / "cache")
    assert run.code == 0, run.stderr
    assert (
        f"dizgi: warning: the cache folder {blocker / 'cache'} cannot be used (Not a directory); "
        "building without it\n"
    ) in run.stderr
    assert {f"{SLUG}.epub", f"{SLUG}.pdf", "SHA256SUMS"} < set(outputs(tmp_path / "out"))


def test_help_does_not_load_weasyprint() -> None:
    script = (
        "import sys\nfrom dizgi import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules, 'pypdf' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": "src"}
    )
    assert run.stdout.splitlines()[-1] == "False False", run.stderr
    assert "--no-cache" in run.stdout and "--cache DIR" in run.stdout


def test_the_summary_measures_loose_lines_from_the_layout_as_the_read_back_does(
    built_issue: BuiltIssue, pdf_lines: list[readback.PdfLine]
) -> None:
    """The build reports the loose-line share from its own layout; the PDF read back with
    pdfminer.six must find the same loose lines among about as many justified ones."""
    match = re.search(
        r"loose lines [\d.]+% \((\d+) of (\d+) justified\)", stage_details(built_issue.run.stdout)["pdf"]
    )
    assert match is not None
    loose, justified = int(match.group(1)), int(match.group(2))
    measured = readback.loose_lines(pdf_lines)
    assert loose == len(measured.loose)
    assert abs(justified - measured.justified_lines) <= 0.03 * justified


def test_embedded_fonts_carry_the_build_time_not_the_clock(built_issue: BuiltIssue) -> None:
    """fontTools stamps subset fonts with the clock; the PDF stage sets the issue's date in
    each font itself (not through the process environment)."""
    issue_date = datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    expected = int(issue_date.timestamp()) + 2082844800  # OpenType counts from 1904
    stamps = set()
    for page in pypdf.PdfReader(built_issue.pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            stamps.add(TTFont(io.BytesIO(data))["head"].modified)
    assert stamps == {expected}


def test_the_benchmark_runs_on_the_smallest_case(tmp_path: Path) -> None:
    from benchmarks import bench

    report = tmp_path / "bench.json"
    code = bench.main(["--sizes", "1", "--runs", "1", "--no-real", "--json", str(report)])
    assert code == 0
    import json

    rows = json.loads(report.read_text())["rows"]
    assert [(row["case"], row["build"]) for row in rows] == [
        ("1 article", "plain chain"),
        ("1 article", "cold"),
        ("1 article", "no change"),
        ("1 article", "one article edited"),
    ]
    assert all(row["seconds"] > 0 and row["pages"] > 0 and row["peak_rss_mb"] > 0 for row in rows)


def test_a_file_beside_the_articles_is_part_of_the_key_but_the_outputs_are_not(
    two_articles: Path, tmp_path: Path
) -> None:
    """An image the layout may read changes what is built; the output folder inside the
    manuscript folder (or the cache) does not make every rebuild a new one."""
    cache = tmp_path / "cache"
    out = two_articles / "dist"
    assert run_cli("--manuscript", two_articles, "--out", out, "--cache", cache).code == 0
    again = run_cli("--manuscript", two_articles, "--out", out, "--cache", cache)
    assert list(stage_details(again.stdout)) == ["load", "cache"]
    (two_articles / "images").mkdir()
    (two_articles / "images" / "harita.png").write_bytes(b"\x89PNG a new picture")
    changed = run_cli("--manuscript", two_articles, "--out", out, "--cache", cache)
    assert changed.code == 0, changed.stderr
    assert "cache" not in stage_details(changed.stdout)
