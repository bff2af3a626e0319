"""Time ``python build.py`` against a plain Pandoc + WeasyPrint + Pandoc-EPUB run of the same issue.

Both are timed in the same process, alternating, as whole commands (interpreter start-up
and imports included: that is what an editor waits for). The result is the median of
several runs of each and their ratio, never a lone absolute time.

    python build.py bench [--runs 5] [--manuscript DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypandoc

ROOT = Path(__file__).resolve().parents[1]


def time_command(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def dizgi_build(manuscript: Path, out_dir: Path) -> Callable[[], None]:
    command = [sys.executable, str(ROOT / "build.py"), "--manuscript", str(manuscript), "--out", str(out_dir)]
    return lambda: _run([*command, "--quiet"])


def plain_pandoc_weasyprint(manuscript: Path, out_dir: Path) -> Callable[[], None]:
    """The baseline: what an editor would do by hand with the same tools, no Turkish rules."""
    pandoc = pypandoc.get_pandoc_path()
    weasyprint = str(Path(sys.executable).with_name("weasyprint"))
    articles = sorted((manuscript / "articles").glob("*.md"))

    def run() -> None:
        html = out_dir / "plain.html"
        _run([pandoc, *map(str, articles), "--standalone", "-o", str(html)])
        _run([weasyprint, str(html), str(out_dir / "plain.pdf")])
        _run([pandoc, *map(str, articles), "-o", str(out_dir / "plain.epub")])

    return run


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python build.py bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dizgi-bench-") as folder:
        out_dir = Path(folder)
        contenders = {
            "baseline (pandoc → weasyprint, pandoc → epub)": plain_pandoc_weasyprint(
                arguments.manuscript, out_dir
            ),
            "dizgi (python build.py)": dizgi_build(arguments.manuscript, out_dir / "dist"),
        }
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for run in contenders.values():
            run()  # warm the file cache once, untimed
        for _ in range(arguments.runs):
            for name, run in contenders.items():
                times[name].append(time_command(run))
    baseline = statistics.median(next(iter(times.values())))
    print(f"{arguments.runs} runs each, alternating; median seconds and ratio to the baseline")
    for name, samples in times.items():
        median = statistics.median(samples)
        spread = f"{min(samples):.2f}–{max(samples):.2f}"
        print(f"  {name:<48} {median:6.2f} s  (range {spread})  × {median / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
