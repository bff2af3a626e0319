"""Shared fixtures: the real issue is built once per test session, and checked once."""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from dizgi import checks, cli, readback
from dizgi.pagegeometry import print_geometry

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_MANUSCRIPT = ROOT / "manuscript"
PUBLISHED_ARTICLE = FIXTURES / "published" / "karabagdan-turk-dunyasina.txt"
SLUG = "dis-bakis-2025-04"
MM = 72 / 25.4
#: print.css's text block (``pagegeometry``): its width, and its distances from the spine and
#: from the outer edge (pt)
TEXT_WIDTH, INNER_MARGIN, OUTER_MARGIN = (
    print_geometry().measure * MM,
    print_geometry().inner * MM,
    print_geometry().outer * MM,
)


def text_block(page: int) -> tuple[float, float]:
    """The left and right edges (pt) of the text block on page ``page`` (1-based): page 1 and
    every odd page is a right-hand page, its inner margin on the left."""
    left = INNER_MARGIN if page % 2 else OUTER_MARGIN
    return left, left + TEXT_WIDTH


def lines_off_the_text_block(lines: list[readback.PdfLine]) -> list[str]:
    """Every line of text stands inside its page's text block (a footnote that inherited its
    call's ``nowrap`` ran 1,300 pt past the edge in one line); the cover has a design of its
    own."""
    wrong = []
    for line in lines:
        if line.page == 1:
            continue
        left, right = text_block(line.page)
        # the printed characters: a space WeasyPrint leaves at a line's end before a link
        # (a note's URL) is drawn as nothing and may stand past the edge
        ink = [char for char in line.chars if char.get_text().strip()] or list(line.chars)
        x0, x1 = min(char.x0 for char in ink), max(char.x1 for char in ink)
        if x0 < left - 1 or x1 > right + 1:
            wrong.append(f"page {line.page}: a line runs off the text block ({x0:.0f}–{x1:.0f} pt, "
                         f"the block {left:.0f}–{right:.0f}): {line.text[:60]!r}")  # fmt: skip
    return wrong


@dataclass(frozen=True)
class Run:
    """One in-process run of the command line: exit code and everything it printed."""

    code: int
    stdout: str
    stderr: str


#: the tests' own cache folder (never the project's .cache/dizgi): empty when the session
#: starts, so the first build of each fixture is a cold one; removed when it ends
SESSION_CACHE = Path(tempfile.mkdtemp(prefix="dizgi-test-cache-"))
atexit.register(shutil.rmtree, SESSION_CACHE, ignore_errors=True)


def top_level(slug: str, formats: tuple[str, ...] = ("pdf", "epub")) -> list[str]:
    """The names a build writes into its output folder, sorted: the issue's files, the
    folder of its offprints and JATS (with the PDF), and SHA256SUMS."""
    names = [f"{slug}.{kind}" for kind in formats] + ([slug] if "pdf" in formats else [])
    return sorted([*names, "SHA256SUMS"])


#: a stage's progress line: "  name   0.00 s  detail"
STAGE_LINE = re.compile(r"^  (\w+) +\d+\.\d\d s  ")


def stages(stdout: str) -> list[str]:
    return [match.group(1) for line in stdout.splitlines() if (match := STAGE_LINE.match(line))]


def run_cli(*argv: str | Path) -> Run:
    """``python build.py`` in-process, with the session's cache unless the test names one."""
    arguments = [str(arg) for arg in argv]
    if "--cache" not in arguments and "--no-cache" not in arguments:
        arguments += ["--cache", str(SESSION_CACHE)]
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(arguments, stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class BuiltIssue:
    run: Run
    out_dir: Path
    pdf: Path
    epub: Path


TYPOGRAPHY_MANUSCRIPT = FIXTURES / "typography"
TYPOGRAPHY_SLUG = "dis-bakis-deneme-2026-11"


def build_once(factory: pytest.TempPathFactory, manuscript: Path, slug: str) -> BuiltIssue:
    out_dir = factory.mktemp("dist")
    run = run_cli("--manuscript", manuscript, "--out", out_dir)
    assert run.code == 0, run.stderr
    return BuiltIssue(run, out_dir, out_dir / f"{slug}.pdf", out_dir / f"{slug}.epub")


@pytest.fixture(scope="session")
def built_issue(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    return build_once(tmp_path_factory, REAL_MANUSCRIPT, SLUG)


PICTURES_SLUG = "dis-bakis-2026-12"


@pytest.fixture(scope="session")
def built_pictures(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    """The fixture with a photograph, an SVG chart, a table, quotes and a cover picture."""
    return build_once(tmp_path_factory, FIXTURES / "pictures", PICTURES_SLUG)


@pytest.fixture(scope="session")
def built_generated(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    """Five articles drawn by ``issue_grammar``: thirteen pictures, four tables, notes,
    lists, negative figures (``−``)."""
    return build_once(tmp_path_factory, FIXTURES / "generated", "dis-bakis-2025-05")


CITATIONS_SLUG = "dis-bakis-2025-06"


@pytest.fixture(scope="session")
def built_citations(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    """The fixture with references (issue 25), built once with ``--check``."""
    out_dir = tmp_path_factory.mktemp("citations")
    run = run_cli("--manuscript", FIXTURES / "citations", "--out", out_dir, "--no-cache", "--check")
    assert run.code == 0, run.stderr[-3000:]
    return BuiltIssue(run, out_dir, out_dir / f"{CITATIONS_SLUG}.pdf", out_dir / f"{CITATIONS_SLUG}.epub")


@pytest.fixture(scope="session")
def built_typography(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    """The fixture that exercises every rule of the Turkish checklist, built once."""
    return build_once(tmp_path_factory, TYPOGRAPHY_MANUSCRIPT, TYPOGRAPHY_SLUG)


@dataclass(frozen=True)
class ReadBack:
    """What a built issue reads back as: the PDF's lines and the EPUB's documents."""

    built: BuiltIssue
    lines: list[readback.PdfLine]
    epub: EpubContents

    @property
    def pdf_text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def body_lines(self) -> list[readback.PdfLine]:
        return readback.body_lines(self.lines)


@pytest.fixture(scope="session")
def typography(built_typography: BuiltIssue) -> ReadBack:
    return ReadBack(
        built_typography, readback.pdf_lines(built_typography.pdf), read_epub(built_typography.epub)
    )


@pytest.fixture(scope="session")
def real(built_issue: BuiltIssue, pdf_lines: list[readback.PdfLine], epub_contents: EpubContents) -> ReadBack:
    return ReadBack(built_issue, pdf_lines, epub_contents)


@pytest.fixture(scope="session", params=["real", "typography"])
def both(request: pytest.FixtureRequest) -> ReadBack:
    """Each rule that holds everywhere is checked on the real issue and on the fixture."""
    result: ReadBack = request.getfixturevalue(request.param)
    return result


@pytest.fixture(scope="session")
def epubcheck_report(built_issue: BuiltIssue) -> checks.EpubCheckReport:
    return checks.run_epubcheck(built_issue.epub)


@pytest.fixture(scope="session")
def pdf_report(built_issue: BuiltIssue) -> readback.PdfReport:
    return readback.read_pdf(built_issue.pdf)


@pytest.fixture(scope="session")
def pdf_lines(built_issue: BuiltIssue) -> list[readback.PdfLine]:
    return readback.pdf_lines(built_issue.pdf)


@dataclass(frozen=True)
class EpubContents:
    names: tuple[str, ...]
    opf: etree._Element
    #: the spine's XHTML documents, in reading order: (name, parsed root)
    documents: tuple[tuple[str, etree._Element], ...]
    #: every member's bytes, by name
    members: dict[str, bytes]

    def text(self) -> str:
        return "\n".join("".join(root.itertext()) for _, root in self.documents)

    def prose(self) -> str:
        """The text outside code elements (where the rules must not reach)."""
        parts = []
        for _, root in self.documents:
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                inside_code = any(
                    ancestor.tag == f"{XHTML}code" for ancestor in (element, *element.iterancestors())
                )
                if not inside_code and element.text:
                    parts.append(element.text)
                parent_in_code = any(ancestor.tag == f"{XHTML}code" for ancestor in element.iterancestors())
                if not parent_in_code and element.tail:
                    parts.append(element.tail)
        return "".join(parts)


XHTML = "{http://www.w3.org/1999/xhtml}"


OPF = "{http://www.idpf.org/2007/opf}"


def read_epub(path: Path) -> EpubContents:
    with zipfile.ZipFile(path) as archive:
        names = tuple(archive.namelist())
        members = {name: archive.read(name) for name in names}
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(archive.read(opf_path))
        folder = opf_path.rpartition("/")[0]
        hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
        documents = []
        for itemref in opf.iter(f"{OPF}itemref"):
            name = f"{folder}/{hrefs[itemref.get('idref')]}" if folder else hrefs[itemref.get("idref")]
            documents.append((name, etree.fromstring(archive.read(name))))
    return EpubContents(names, opf, tuple(documents), members)


@pytest.fixture(scope="session")
def epub_contents(built_issue: BuiltIssue) -> EpubContents:
    return read_epub(built_issue.epub)


def words(text: str) -> list[str]:
    """The words of a text: runs of letters and digits (punctuation is the typesetter's)."""
    return re.findall(r"\w+", text)


def join_hyphenated_lines(text: str) -> str:
    """Undo line-end hyphens that hyphenation added (U+2010 or a soft hyphen), keep real ones."""
    return re.sub(r"[\u2010\u00ad]\n(?=\w)", "", text)


def first_missing_word(expected: list[str], actual: list[str]) -> str | None:
    """Check ``expected`` is a subsequence of ``actual``; name where it first fails."""
    position = 0
    for word in actual:
        if position < len(expected) and word == expected[position]:
            position += 1
    if position == len(expected):
        return None
    context = " ".join(expected[max(0, position - 5) : position + 5])
    return f"word {position} {expected[position]!r} not found in order (around: {context})"


def with_issn(source: Path, target: Path) -> Path:
    """A copy of a manuscript whose issue.yaml gives an ISSN, without which no JATS is written
    (JATS Publishing requires it)."""
    shutil.copytree(source, target)
    with (target / "issue.yaml").open("a", encoding="utf-8") as file:
        file.write("\nissn: 1234-5679\n")
    return target


@pytest.fixture(scope="session")
def april_jats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The April article's JATS. The issue gives no ISSN yet, so this is built from a copy that
    does (``--only pdf``: the companions come with the PDF)."""
    root = tmp_path_factory.mktemp("april-issn")
    manuscript = with_issn(REAL_MANUSCRIPT, root / "manuscript")
    run = run_cli("--manuscript", manuscript, "--out", root / "dist", "--only", "pdf", "--quiet")
    assert run.code == 0, run.stderr
    return root / "dist" / SLUG / "01-karabagdan-turk-dunyasina.xml"


@pytest.fixture
def minimal_manuscript(tmp_path: Path) -> Iterator[Path]:
    """A copy of the small good manuscript, for tests that break it."""
    target = tmp_path / "manuscript"
    shutil.copytree(FIXTURES / "minimal", target)
    yield target


@contextmanager
def watching(command: list[str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """``--watch`` in a process of its own, its output (stdout and stderr) read line by line;
    at the end Ctrl-C must stop it with exit code 0. SIGINT is set back to its default in
    the child: tests started in the background inherit it ignored (see ``start_build``)."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        yield process
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def start_build(out_dir: Path, *extra: str) -> subprocess.Popen[str]:
    """The typography fixture built in a process of its own (no cache), to be stopped from
    outside: Ctrl-C, ``kill``, ``kill -9``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            # As in a terminal: a build started in the background by a script (as CI may start
            # the tests) inherits SIGINT ignored, and Python then keeps it ignored.
            "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from dizgi.cli import main; sys.exit(main(sys.argv[1:]))",
            "--manuscript",
            str(TYPOGRAPHY_MANUSCRIPT),
            "--out",
            str(out_dir),
            "--no-cache",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
