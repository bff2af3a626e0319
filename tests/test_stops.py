"""A build stopped from outside (Ctrl-C, ``kill``, ``kill -9``) at any stage leaves the
previous outputs as they were, no traceback, no worker process running on, and no debris
the next build does not remove; two builds into one new folder do not trip each other."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from conftest import TYPOGRAPHY_MANUSCRIPT, run_cli, start_build, top_level

SLUG = "dis-bakis-deneme-2026-11"


def children(pid: int) -> set[int]:
    """The process's child processes (its layout workers), from Linux's /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def scratch_folders(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"dizgi-{pid}-*"))


@pytest.mark.parametrize(
    ("stop", "after"),
    [
        (signal.SIGINT, "fit"),  # during the print layout
        (signal.SIGTERM, "fit"),
        (signal.SIGKILL, "fit"),
        (signal.SIGINT, "pdf"),  # during the EPUB stage
        (signal.SIGTERM, "pdf"),
        (signal.SIGKILL, "pdf"),
    ],
    ids=["SIGINT-pdf", "SIGTERM-pdf", "SIGKILL-pdf", "SIGINT-epub", "SIGTERM-epub", "SIGKILL-epub"],
)
def test_a_build_stopped_from_outside_leaves_the_previous_outputs(
    tmp_path: Path, stop: signal.Signals, after: str
) -> None:
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / f"{SLUG}.pdf").write_bytes(b"earlier pdf")
    (out_dir / f"{SLUG}.epub").write_bytes(b"earlier epub")
    build = start_build(out_dir)
    assert build.stdout is not None
    seen: list[str] = []
    while not any(line.startswith(f"  {after}") for line in seen):
        line = build.stdout.readline()
        assert line, f"the build ended before its {after} stage: {seen}"
        seen.append(line)
    workers = children(build.pid)
    assert workers, "the build has started its layout workers"
    scratch = scratch_folders(build.pid)
    if stop == signal.SIGINT:
        os.killpg(build.pid, stop)  # as a terminal sends Ctrl-C: to the build and its workers
    else:
        os.kill(build.pid, stop)  # the build only: its workers must end with it
    rest, stderr = build.communicate(timeout=120)
    if build.returncode == 0:  # the signal came after the outputs were published: whole ones
        assert stderr == ""
        assert (out_dir / f"{SLUG}.pdf").read_bytes().startswith(b"%PDF-")
        assert (out_dir / f"{SLUG}.epub").read_bytes().startswith(b"PK")
    else:
        expected = {
            signal.SIGINT: (130, "dizgi: stopped; the previous outputs were left as they were\n"),
            signal.SIGTERM: (
                143,
                "dizgi: stopped (terminated); the previous outputs were left as they were\n",
            ),
            signal.SIGKILL: (-9, ""),
        }[stop]
        assert (build.returncode, stderr) == expected, "".join(seen) + rest
        assert (out_dir / f"{SLUG}.pdf").read_bytes() == b"earlier pdf"
        assert (out_dir / f"{SLUG}.epub").read_bytes() == b"earlier epub"
    deadline = time.monotonic() + 10
    while any(alive(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(worker) for worker in workers), "a worker goes on after the build ended"
    if stop != signal.SIGKILL:  # the build cleaned up after itself
        assert [path.name for path in out_dir.iterdir() if path.name.startswith(".")] == []
        assert scratch_folders(build.pid) == []
    again = run_cli("--manuscript", TYPOGRAPHY_MANUSCRIPT, "--out", out_dir, "--quiet")
    assert (again.code, again.stderr) == (0, "")
    assert sorted(path.name for path in out_dir.iterdir()) == top_level(SLUG)
    assert scratch_folders(build.pid) == [], f"the next build left the scratch folders {scratch}"


def test_two_builds_into_one_new_folder_one_failing(minimal_manuscript: Path, tmp_path: Path) -> None:
    """The failing build must not take the folder away from the other."""
    out_dir = tmp_path / "new" / "dist"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "issue.yaml").write_text(
        "magazine: Deneme\nissue: Mart 2025\ndate: 2025-03-01\narticles: [yok.md]\n"
    )
    good = start_build(out_dir)
    failing = run_cli("--manuscript", bad, "--out", out_dir)
    stdout, stderr = good.communicate(timeout=300)
    assert failing.code == 2
    assert (good.returncode, stderr) == (0, ""), stdout
    assert sorted(path.name for path in out_dir.iterdir()) == top_level(SLUG)
    assert (out_dir / f"{SLUG}.pdf").read_bytes().startswith(b"%PDF-")


def test_an_output_folder_inside_the_manuscript_builds_and_is_reused(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    """The outputs are not part of what the build reads: a second build is a cache hit."""
    out_dir = minimal_manuscript / "dist"
    cache = tmp_path / "cache"
    first = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--cache", cache, "--quiet")
    assert (first.code, first.stderr) == (0, "")
    second = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--cache", cache)
    assert second.code == 0
    assert "  cache " in second.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_read_only_output_folder_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir)
    assert (run.code, run.stderr) == (
        2,
        f"dizgi: error: {out_dir}: {out_dir} cannot be written\n"
        "  what to do: give --out a folder you may write to (it is made when it does not exist)\n",
    )
