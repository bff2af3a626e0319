"""The largest inputs dizgi takes, timed against the bound of 60 s a build.

``python build.py bench hostile``. Not part of the tests (a timed test fails on a busy
machine). Each case is the minimal fixture with one thing at the limit: a 50,000-letter
word (one letter repeated; and mixed letters inside a paragraph, which hyphenation tried at
each break on each line for minutes), a paragraph of 2,000 lines, 2,000 notes in one
paragraph (the limit: more is refused, ``notelabels.MAX_NOTES``), block quotes nested 30
deep and brackets nested 6 deep (the limits: ``nesting``). Each is built cold, ``--runs``
times; the median is printed with the exit code, and whether it is within the bound.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dizgi.nesting import MAX_BRACKETS, MAX_NESTING
from dizgi.notelabels import MAX_NOTES

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
ARTICLE = Path("articles") / "01-deneme.md"
#: no input under the limits may take longer to build on the 2-core machine
BOUND_SECONDS = 60.0


def _notes(count: int) -> str:
    calls = " ".join(f"Cümle[^n{number}]." for number in range(count))
    return calls + "\n\n" + "\n".join(f"[^n{number}]: Kaynak {number}." for number in range(count))


CASES: dict[str, Callable[[], str]] = {
    "a 50,000-letter word": lambda: "a" * 50_000,
    "a 50,000-letter word of mixed letters in a paragraph": lambda: (
        "Bir paragraf "
        + "".join(
            random.Random(24).choice(("ba", "ke", "lı", "mo", "nü", "ri", "sö", "tu")) for _ in range(25_000)
        )
        + " sonu."
    ),
    "a paragraph of 2,000 lines": lambda: "\n".join(
        "Bu satır uzun bir paragrafın bir satırıdır ve devam eder" for _ in range(2000)
    ),
    f"{MAX_NOTES - 1:,} notes in one paragraph": lambda: _notes(MAX_NOTES - 1),  # and the fixture's
    f"block quotes {MAX_NESTING} deep": lambda: "> " * MAX_NESTING + "Derin alıntı.",
    f"brackets {MAX_BRACKETS} deep": lambda: "[" * MAX_BRACKETS + "iç" + "]{.x}" * MAX_BRACKETS + " metin.",
}


def build_seconds(text: str, folder: Path) -> tuple[float, int]:
    manuscript = folder / "manuscript"
    shutil.rmtree(manuscript, ignore_errors=True)
    shutil.copytree(MINIMAL, manuscript)
    article = manuscript / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    command = [sys.executable, str(ROOT / "build.py"), "--manuscript", str(manuscript), "--out",
               str(folder / "out"), "--no-cache", "--quiet"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode


def main(argv: list[str] | None = None) -> int:
    description = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python build.py bench hostile", description=description)
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args(argv)
    print(f"case | exit code | seconds (median of {arguments.runs}) | within {BOUND_SECONDS:.0f} s")
    print("--- | --- | --- | ---")
    within = True
    with tempfile.TemporaryDirectory(prefix="dizgi-hostile-") as folder:
        for name, make in CASES.items():
            samples = [build_seconds(make(), Path(folder)) for _ in range(arguments.runs)]
            seconds = statistics.median(seconds for seconds, _ in samples)
            codes = {code for _, code in samples}
            ok = seconds <= BOUND_SECONDS and codes <= {0, 2}
            within &= ok
            print(f"{name} | {', '.join(map(str, sorted(codes)))} | {seconds:.1f} | {'yes' if ok else 'NO'}")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
