"""Time ``python build.py`` against the plain chain (Pandoc -> WeasyPrint, Pandoc -> EPUB).

Cases: the real issue, and synthetic volumes of N articles (the real article repeated, each
with its own title: ``volumes.py``). For each, in one run of this benchmark, medians of
several runs of: the plain chain; dizgi **cold** (empty cache); **no change** (the same
build again); **one article edited** (a sentence added to the first article). Everything
is timed as a whole command (interpreter start-up and imports included: that is what an
editor waits for), with the peak resident memory of the command's whole process tree.

    python build.py bench [--runs 3] [--sizes 1,5,20,40] [--no-real] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pypandoc

from benchmarks.volumes import edit_one_article, make_volume

ROOT = Path(__file__).resolve().parents[1]
BUILDS = ("plain chain", "cold", "no change", "one article edited")


@dataclass(frozen=True)
class Sample:
    seconds: float
    #: the largest total resident memory of the command and all its descendants, in MB
    peak_rss_mb: float
    stdout: str


@dataclass(frozen=True)
class Row:
    case: str
    build: str
    seconds: float
    pages: int
    seconds_per_page: float
    peak_rss_mb: float
    #: the loose-line share the build reported (cold and edited builds)
    loose_share: float | None
    #: cold and plain chain: against the plain chain; the others: against the cold build
    ratio: float
    runs: int


def run_measured(command: list[str]) -> Sample:
    """Run ``command``; its wall time and the peak of its process tree's resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return Sample(seconds, peak[0] / 1024, stdout)


def _tree_rss_kb(root: int) -> int:
    """The resident memory of ``root`` and every descendant (Linux /proc), in kB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def dizgi_command(manuscript: Path, out_dir: Path, cache: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--manuscript", str(manuscript), "--out", str(out_dir),
            "--cache", str(cache)]  # fmt: skip


def plain_chain(manuscript: Path, out_dir: Path) -> Callable[[], Sample]:
    """The baseline: what an editor would do by hand with the same tools, no Turkish rules,
    no furniture: every article through Pandoc into one HTML, WeasyPrint, and Pandoc's EPUB."""
    pandoc = pypandoc.get_pandoc_path()
    weasyprint = str(Path(sys.executable).with_name("weasyprint"))
    articles = [str(path) for path in sorted((manuscript / "articles").glob("*.md"))]
    html, pdf, epub = out_dir / "plain.html", out_dir / "plain.pdf", out_dir / "plain.epub"
    script = (
        "import subprocess, sys\n"
        f"subprocess.run({[pandoc, *articles, '--standalone', '--quiet', '-o', str(html)]!r}, check=True)\n"
        f"subprocess.run({[weasyprint, str(html), str(pdf)]!r}, check=True, stderr=subprocess.DEVNULL)\n"
        f"subprocess.run({[pandoc, *articles, '--quiet', '-o', str(epub)]!r}, check=True)\n"
    )
    return lambda: run_measured([sys.executable, "-c", script])


def _pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def bench_case(name: str, source: Path, folder: Path, runs: int) -> list[Row]:
    """All four builds of one case, ``runs`` times each; one row per build."""
    work = folder / "manuscript"
    shutil.copytree(source, work)
    out_dir, cache, plain_dir = folder / "dist", folder / "cache", folder / "plain"
    plain_dir.mkdir()
    plain = plain_chain(work, plain_dir)
    plain()  # once untimed: file caches and Pandoc's first start
    samples: dict[str, list[Sample]] = {build: [] for build in BUILDS}
    edited = sorted((work / "articles").glob("*.md"))[0]  # the one edit_one_article changes
    original = edited.read_text(encoding="utf-8")
    for _ in range(runs):
        samples["plain chain"].append(plain())
        shutil.rmtree(cache, ignore_errors=True)
        samples["cold"].append(run_measured(dizgi_command(work, out_dir, cache)))
        samples["no change"].append(run_measured(dizgi_command(work, out_dir, cache)))
        edit_one_article(work)
        samples["one article edited"].append(run_measured(dizgi_command(work, out_dir, cache)))
        edited.write_text(original, encoding="utf-8")
    pages = {"plain chain": _pdf_pages(plain_dir / "plain.pdf")}
    medians = {build: statistics.median(s.seconds for s in found) for build, found in samples.items()}
    rows = []
    for build, found in samples.items():
        built_pages = pages.get(build) or _reported_pages(found[-1].stdout)
        ratio = medians[build] / (
            medians["plain chain"] if build in ("plain chain", "cold") else medians["cold"]
        )
        rows.append(
            Row(
                case=name,
                build=build,
                seconds=round(medians[build], 3),
                pages=built_pages,
                seconds_per_page=round(medians[build] / built_pages, 4),
                peak_rss_mb=round(max(s.peak_rss_mb for s in found), 1),
                loose_share=_reported_loose_share(found[-1].stdout),
                ratio=round(ratio, 3),
                runs=len(found),
            )
        )
    return rows


def _reported_pages(stdout: str) -> int:
    match = re.search(r"\.pdf +pdf +(\d+) pages", stdout)
    return int(match.group(1)) if match else 0


def _reported_loose_share(stdout: str) -> float | None:
    match = re.search(r"loose lines [\d.]+% \((\d+) of (\d+) justified\)", stdout)
    return int(match.group(1)) / int(match.group(2)) if match else None


def goals(rows: list[Row]) -> list[tuple[str, str, str, bool]]:
    """The issue's goals, each with what was measured and whether it is met."""
    by = {(row.case, row.build): row for row in rows}
    found: list[tuple[str, str, str, bool]] = []

    def goal(name: str, target: str, value: float | None, met: Callable[[float], bool], shown: str) -> None:
        if value is not None:
            found.append((name, target, shown, met(value)))

    real = by.get(("real issue", "cold"))
    goal(
        "cold real issue / plain chain",
        "≤ 1.0",
        real and real.ratio,
        lambda v: v <= 1.0,
        f"{real and real.ratio}",
    )
    for case in dict.fromkeys(row.case for row in rows):
        row = by.get((case, "no change"))
        goal(
            f"no-change rebuild / cold, {case}",
            "≤ 0.15",
            row and row.ratio,
            lambda v: v <= 0.15,
            f"{row and row.ratio}",
        )
    v20 = by.get(("20 articles", "cold"))
    goal("cold 20 articles / plain chain", "≤ 1.0 (≤ 0.75, 2 cores)", v20 and v20.ratio, lambda v: v <= 0.75,
         f"{v20 and v20.ratio}")  # fmt: skip
    e20 = by.get(("20 articles", "one article edited"))
    goal(
        "one of 20 edited / its cold build",
        "≤ 0.4",
        e20 and e20.ratio,
        lambda v: v <= 0.4,
        f"{e20 and e20.ratio}",
    )
    c5, c40 = by.get(("5 articles", "cold")), by.get(("40 articles", "cold"))
    if c5 and c40:
        drift = c40.seconds_per_page / c5.seconds_per_page - 1
        goal("seconds per page, 5 → 40 articles", "flat ± 15%", drift, lambda v: abs(v) <= 0.15,
             f"{c5.seconds_per_page:.3f} → {c40.seconds_per_page:.3f} s ({drift:+.0%})")  # fmt: skip
    if c40:
        goal(
            "peak RSS, 40 articles",
            "≤ 1024 MB",
            c40.peak_rss_mb,
            lambda v: v <= 1024,
            f"{c40.peak_rss_mb} MB",
        )
    for case in ("real issue", "20 articles"):
        row = by.get((case, "cold"))
        share = row.loose_share if row else None
        goal(
            f"loose lines, {case}",
            "≤ 1%",
            share,
            lambda v: v <= 0.01,
            f"{share:.1%}" if share is not None else "",
        )
    return found


def print_table(rows: list[Row], runs: int) -> None:
    print(
        f"median of {runs} runs each; ratio: cold and plain chain against the plain chain, "
        "the rest against cold"
    )
    header = ("case", "build", "seconds", "pages", "s/page", "peak RSS MB", "loose", "ratio")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in rows:
        loose = f"{row.loose_share:.1%}" if row.loose_share is not None else "—"
        print(
            f"{row.case} | {row.build} | {row.seconds:.2f} | {row.pages} | {row.seconds_per_page:.3f} | "
            f"{row.peak_rss_mb:.0f} | {loose} | ×{row.ratio:.2f}"
        )
    print()
    print("goal | target | measured | met")
    print("--- | --- | --- | ---")
    for name, target, shown, met in goals(rows):
        print(f"{name} | {target} | {shown} | {'yes' if met else 'NO'}")


def main(argv: list[str] | None = None) -> int:
    if argv and argv[0] == "engines":  # line breaking against XeLaTeX and Typst
        from benchmarks.engines import main as engines_main

        return engines_main(argv[1:])
    if argv and argv[0] == "hostile":  # the largest inputs, against 60 s a build
        from benchmarks.hostile import main as hostile_main

        return hostile_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python build.py bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1,5,20,40", help="synthetic volume sizes, comma-separated")
    parser.add_argument("--no-real", action="store_true", help="leave out the real issue")
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows and goals as JSON")
    arguments = parser.parse_args(argv)
    cases: list[tuple[str, int | None]] = [] if arguments.no_real else [("real issue", None)]
    for size in (int(size) for size in arguments.sizes.split(",") if size):
        cases.append((f"{size} article{'s' if size != 1 else ''}", size))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dizgi-bench-") as folder:
        for name, size in cases:
            case_dir = Path(folder) / re.sub(r"\W+", "-", name)
            case_dir.mkdir()
            source = arguments.manuscript
            if size is not None:
                source = make_volume(arguments.manuscript, case_dir / "source", size)
            print(f"… {name}", file=sys.stderr, flush=True)
            rows += bench_case(name, source, case_dir, arguments.runs)
    print_table(rows, arguments.runs)
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "runs": arguments.runs,
                    "cores": os.cpu_count(),
                    "rows": [asdict(row) for row in rows],
                    "goals": [
                        dict(zip(("goal", "target", "measured", "met"), g, strict=True)) for g in goals(rows)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
