"""``page_multiple`` in issue.yaml (``printerpages``): the print PDF comes to a multiple of
4 (8, 16) pages with blank pages before the colophon, and a value a printer does not bind is
refused with its line."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

from conftest import read_epub, run_cli
from dizgi import readback
from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder
from test_generated_issues import markers_off_their_pages


def _page_texts(pdf: Path) -> list[str]:
    return [
        " ".join(item.get_text() for item in page if isinstance(item, LTTextContainer)).strip()
        for page in extract_pages(str(pdf))
    ]


def test_blank_pages_bring_the_issue_to_a_multiple_and_stand_before_the_colophon(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    plain = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "plain", "--only", "pdf")
    assert plain.code == 0, plain.stderr
    before = len(pypdf.PdfReader(tmp_path / "plain" / "deneme-dergisi-2025-03.pdf").pages)
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "page_multiple: 8\n", encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out")
    assert run.code == 0, run.stderr
    pdf = tmp_path / "out" / "deneme-dergisi-2025-03.pdf"
    texts = _page_texts(pdf)
    added = -before % 8
    assert added > 0, "the fixture is a multiple of 8 already: the test says nothing"
    assert len(texts) == before + added and len(texts) % 8 == 0
    # the pages it lacked, before the colophon, hold nothing: no running head, no folio
    assert texts[before - 1 : -1] == [""] * added
    assert texts[-1].startswith("Künye")
    assert re.search(rf"; {added} blank pages? before the colophon \(page_multiple: 8\)", run.stdout)
    # the EPUB's page-list leaves them out: every marker stands on a page that holds its words
    (epub,) = (tmp_path / "out").glob("*.epub")
    assert markers_off_their_pages(epub, readback.pdf_lines(pdf)) == []
    labels = [
        marker.get("aria-label")
        for _, root in read_epub(epub).documents
        for marker in root.iter()
        if marker.get("role") == "doc-pagebreak"
    ]
    assert str(len(texts)) in labels and not {str(page) for page in range(before, len(texts))} & set(labels)


def test_a_page_multiple_a_printer_does_not_bind_is_refused_with_its_line(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    issue = minimal_manuscript / "issue.yaml"
    lines = issue.read_text(encoding="utf-8").splitlines()
    issue.write_text("\n".join([*lines, "page_multiple: 3"]) + "\n", encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line {len(lines) + 1}: 'page_multiple' should be one of 2, 4, 8, 16\n"
        "  what to do: write it like this: page_multiple: 4",
    )
