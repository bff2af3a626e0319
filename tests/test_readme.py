"""Every command the README shows in a ``sh`` block, run as an editor would run it: from a
folder holding the manuscript, with the project's ``build.py``."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REAL_MANUSCRIPT, ROOT, SLUG, watching

README = ROOT / "README.md"
#: the commands the README shows, each run by a test below
SHOWN = {
    "python build.py",
    "python build.py test",
    "python build.py --check --proof",
    "python build.py --watch",
    "python build.py --json",
    "git tag v2025.04",
    "git push origin v2025.04",
}


def readme_commands() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(), re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_every_command_the_readme_shows_is_run_here() -> None:
    shown = readme_commands()
    assert set(shown) == SHOWN
    assert len(shown) >= 12  # the Turkish and the English sections show the same commands


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like an editor's: the manuscript and build.py (links to the project's)."""
    folder = tmp_path_factory.mktemp("editor")
    (folder / "manuscript").symlink_to(REAL_MANUSCRIPT)
    (folder / "build.py").symlink_to(ROOT / "build.py")
    return folder


def shell(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True, timeout=600)


def test_python_build_py(workspace: Path) -> None:
    done = shell("python build.py", workspace)
    assert done.returncode == 0, done.stderr
    made = sorted(
        path.relative_to(workspace / "dist").as_posix() for path in (workspace / "dist").rglob("*.*")
    )
    assert made == sorted([f"{SLUG}.pdf", f"{SLUG}.epub", f"{SLUG}/01-karabagdan-turk-dunyasina.pdf",
                           f"{SLUG}/01-karabagdan-turk-dunyasina-dergipark.txt"])  # fmt: skip
    assert (workspace / "dist" / "SHA256SUMS").is_file()


def test_python_build_py_check_proof(workspace: Path) -> None:
    done = shell("python build.py --check --proof", workspace)
    assert done.returncode == 0, done.stderr
    assert "EPUBCheck 0 fatal, 0 errors, 0 warnings" in done.stdout and "Ace 0 violations" in done.stdout
    assert (workspace / "dist" / f"{SLUG}-proof.png").is_file()


def test_python_build_py_json(workspace: Path) -> None:
    done = shell("python build.py --json", workspace)
    assert done.returncode == 0, done.stderr
    kinds = sorted(artifact["kind"] for artifact in json.loads(done.stdout)["artifacts"])
    assert kinds == ["epub", "form", "offprint", "pdf", "sums"]


def test_python_build_py_watch(workspace: Path) -> None:
    with watching(["bash", "-c", "exec python build.py --watch"], workspace) as process:
        assert process.stdout is not None
        deadline = time.monotonic() + 300
        line = ""
        while "start: built in" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert "start: built in" in line


def test_python_build_py_test(workspace: Path) -> None:
    """The test command itself is what runs these tests; here it runs once more, only
    collecting, to show the command works from an editor's folder too."""
    done = shell("python build.py test --collect-only -q tests/test_readme.py", workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_python_build_py_test" in done.stdout


def test_a_release_tag_is_pushed_as_the_readme_says(tmp_path: Path) -> None:
    """The README's two git commands, in a clone whose origin is a local bare repository;
    the tag they push is one the release workflow starts on (``v*``)."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "remote", "set-url", "origin", str(origin)], cwd=clone, check=True)
    for command in ("git tag v2025.04", "git push origin v2025.04"):
        done = shell(command, clone)
        assert done.returncode == 0, command + done.stderr
    tags = subprocess.run(
        ["git", "tag"], cwd=origin, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tags == ["v2025.04"]
    release = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert 'tags: ["v*"]' in release
