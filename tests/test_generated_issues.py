"""Issues nobody here wrote (issue 24): drawn by Hypothesis from the grammar of everything
the README lets an editor write (``issue_grammar``), each built and validated: exit 0 and
no traceback, EPUBCheck with no error or warning, the PDF/UA checker (outloud) with no
error or warning, the PDF's fonts all shipped, each EPUB page marker on its page, every
line of the PDF inside its text block, and (when the drawn issue gives an ISSN) each JATS
file valid against the JATS 1.3 XSD.

The test command draws a few issues, derandomised so that CI sees the same ones; a long
run draws as many as ``DIZGI_GENERATED`` says, at random, records every finding in
``DIZGI_GENERATED_LOG`` (default ``generated-issues.jsonl`` in the temporary folder) and
fails at the end if any issue came out invalid (``python build.py test -k generated``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from conftest import XHTML, join_hyphenated_lines, lines_off_the_text_block, read_epub, run_cli
from dizgi import checks, readback, turkish
from issue_grammar import Manuscript, manuscripts
from test_schemas import jats_schema, schema_errors

LONG_RUN = int(os.environ.get("DIZGI_GENERATED", "0"))
LOG = Path(os.environ.get("DIZGI_GENERATED_LOG", Path(tempfile.gettempdir()) / "generated-issues.jsonl"))
#: in the test command: a few issues (a build and two validators each, some 10 s)
SHORT_RUN = 3


def validate(manuscript: Manuscript, folder: Path) -> list[str]:
    """Build the drawn issue and say everything wrong with what came out."""
    root = manuscript.write(folder / "manuscript")
    out = folder / "dist"
    run = run_cli("--manuscript", root, "--out", out, "--no-cache", "--quiet")
    if run.code != 0 or "Traceback" in run.stderr:
        return [f"build: exit {run.code}: {run.stderr.strip()[-2000:]}"]
    (epub,) = out.glob("*.epub")
    (pdf,) = out.glob("*.pdf")
    problems = [f"EPUBCheck {message}" for message in checks.run_epubcheck(epub).problems]
    problems += [f"PDF/UA {finding}" for finding in checks.run_outloud(pdf).findings]
    problems += [
        f"PDF read-back: {problem}" for problem in readback.pdf_problems(readback.read_pdf(pdf), "tr")
    ]
    lines = readback.pdf_lines(pdf)
    problems += markers_off_their_pages(epub, lines)
    problems += lines_off_the_text_block(lines)
    for jats in sorted(out.glob("*/*.xml")):
        if jats.name != "crossref.xml":
            problems += [f"JATS {error}" for error in schema_errors(jats_schema(), jats)]
    return problems


def _words(text: str) -> list[str]:
    """Its words of three letters or more, in Turkish lower case (a rubric prints upper)."""
    return [turkish.lower(word) for word in re.findall(r"\w{3,}", join_hyphenated_lines(text))]


def markers_off_their_pages(epub: Path, lines: list[readback.PdfLine]) -> list[str]:
    """The first three words after each page marker must be printed on the page it names
    (each word, not the phrase: the colophon's table reads back in another order; among the
    page's letters, since a letter-spaced rubric reads back as single letters)."""
    pages: dict[int, str] = {}
    for line in lines:
        pages[line.page] = pages.get(line.page, "") + line.text + "\n"
    printed = {
        number: "".join(_words(re.sub(r"\s+", "", join_hyphenated_lines(text))))
        for number, text in pages.items()
    }
    wrong = []
    for name, root in read_epub(epub).documents:
        for marker in root.iter(f"{XHTML}span"):
            label = marker.get("aria-label", "")
            if marker.get("role") != "doc-pagebreak" or not label.isdigit():
                continue
            following = _words(_text_after(marker))[:3]
            missing = [word for word in following if word not in printed.get(int(label), "")]
            if missing:
                wrong.append(
                    f"{name}: the marker of page {label} stands before {following}, not on that page"
                )
    return wrong


def _text_after(marker: object) -> str:
    """The text that follows ``marker`` in document order (its tail, then what comes after)."""
    root = marker.getroottree().getroot()  # type: ignore[attr-defined]
    texts, started = [], False
    for element in root.iter():
        if element is marker:
            started = True
            texts.append(element.tail or "")
            continue
        if started and isinstance(element.tag, str):
            if element.get("role") == "doc-backlink":  # the print has the note's number instead
                texts.append(element.tail or "")
                continue
            texts += [element.text or "", element.tail or ""]
        if started and sum(map(len, texts)) > 60:
            break
    return " ".join(texts)


@settings(
    max_examples=LONG_RUN or SHORT_RUN,
    derandomize=not LONG_RUN,
    deadline=None,
    database=None,
    # no shrinking: each try is a build (seconds); the failing issue is kept in a folder
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(manuscripts())
def test_a_generated_issue_builds_valid_and_checked(manuscript: Manuscript) -> None:
    with tempfile.TemporaryDirectory(prefix="dizgi-generated-") as folder:
        problems = validate(manuscript, Path(folder))
    kept = None
    if problems:  # the drawn issue, to build again by hand
        kept = Path(tempfile.mkdtemp(prefix="dizgi-generated-failed-"))
        manuscript.write(kept)
    if LONG_RUN:
        with LOG.open("a", encoding="utf-8") as log:
            record = {"issue": manuscript.describe(), "problems": problems, "kept": str(kept or "")}
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    assert problems == [], f"{manuscript.describe()}, kept in {kept}"


@pytest.mark.skipif(not LONG_RUN, reason="the long run only (DIZGI_GENERATED)")
def test_the_long_run_found_no_invalid_issue() -> None:
    results = [json.loads(line) for line in LOG.read_text(encoding="utf-8").splitlines()]
    invalid = [result for result in results if result["problems"]]
    assert len(results) >= LONG_RUN
    assert invalid == [], f"{len(invalid)} of {len(results)} issues invalid; {LOG}"
