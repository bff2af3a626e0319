"""What goes with the issue to a journal and an archive (issue 13): each article's offprint
and JATS (for an issue with an ISSN), SHA256SUMS over every artifact, the summary (text and
JSON) and ``--watch``."""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pypdf
import pytest
from lxml import etree

from conftest import FIXTURES, REAL_MANUSCRIPT, ROOT, SLUG, BuiltIssue, run_cli, watching, with_issn
from dizgi import jats, readback

ARTICLE = "01-karabagdan-turk-dunyasina"
TITLE = "Karabağ’dan Türk Dünyasına: Türkiye-Azerbaycan Savunma Ortaklığının Bölgesel Entegrasyona Etkisi"


@pytest.fixture(scope="module")
def offprint(built_issue: BuiltIssue) -> Path:
    return built_issue.out_dir / SLUG / f"{ARTICLE}.pdf"


def test_each_article_has_an_offprint_with_its_own_pages_and_folios(
    built_issue: BuiltIssue, offprint: Path
) -> None:
    reader = pypdf.PdfReader(offprint)
    issue = pypdf.PdfReader(built_issue.pdf)
    labels = [reader.page_labels[index] for index in range(len(reader.pages))]
    assert labels == ["3", "4", "5", "6", "7"]
    # the same pages as the issue's 3 to 7, word for word
    for index, label in enumerate(labels):
        assert reader.pages[index].extract_text() == issue.pages[int(label) - 1].extract_text()
    first = reader.pages[0].extract_text()
    assert first.startswith("Karabağ’dan Türk Dünyasına")
    assert first.rstrip().endswith("3"), "the first page keeps its folio"


def test_an_offprint_has_its_own_metadata_outline_and_tags(offprint: Path) -> None:
    reader = pypdf.PdfReader(offprint)
    assert reader.metadata is not None and reader.metadata.title == TITLE
    assert reader.metadata.author == "Milli Savunma Üniversitesi, Uluslararası İlişkiler Bölümü"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "tr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    outline = [entry["/Title"] for entry in reader.outline if not isinstance(entry, list)]
    assert outline == [TITLE]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"']+3", xmp) and re.search(r"pdfaid:conformance[>=\"']+A", xmp)
    assert TITLE in xmp
    assert readback.pdf_problems(readback.read_pdf(offprint), "tr") == []


@pytest.fixture(scope="module")
def article_jats(april_jats: Path) -> etree._Element:
    return etree.parse(str(april_jats)).getroot()


def test_an_issue_without_an_issn_gets_no_jats_and_the_summary_says_why(built_issue: BuiltIssue) -> None:
    assert not list((built_issue.out_dir / SLUG).glob("*.xml"))
    assert "no JATS: issue.yaml has no issn (JATS Publishing requires the journal's ISSN)" in (
        built_issue.run.stdout
    )


def test_jats_holds_the_journal_the_title_the_affiliation_and_the_eight_references(
    article_jats: etree._Element,
) -> None:
    assert article_jats.get("dtd-version") == "1.3"
    assert article_jats.get("{http://www.w3.org/XML/1998/namespace}lang") == "tr"
    assert article_jats.findtext("front/journal-meta/journal-title-group/journal-title") == "Dış Bakış"
    assert article_jats.findtext("front/article-meta/title-group/article-title") == TITLE
    institution = article_jats.findtext("front/article-meta/contrib-group/aff/institution")
    assert institution == "Milli Savunma Üniversitesi, Uluslararası İlişkiler Bölümü"
    assert [
        article_jats.findtext("front/article-meta/fpage"),
        article_jats.findtext("front/article-meta/lpage"),
    ] == [
        "3",
        "7",
    ]
    references = article_jats.findall("back/ref-list/ref")
    assert len(references) == 8
    assert article_jats.findtext("back/ref-list/title") == "Kaynakça"
    assert "5–37" in "".join(references[0].find("mixed-citation").itertext())
    calls = article_jats.findall("body//xref[@ref-type='bibr']")
    assert [call.get("rid") for call in calls] == [f"ref{n}" for n in range(1, 9)]
    # the Turkish rules hold in the JATS too; the spans that only steer line breaking are gone
    text = "".join(article_jats.itertext())
    assert "Karabağ’dan" in text and "'" not in text
    assert not article_jats.findall(".//named-content")
    # languages of the notes are kept
    assert article_jats.findall("back//styled-content[@{http://www.w3.org/XML/1998/namespace}lang='ru']")


def test_the_jats_rules_see_a_broken_document(article_jats: etree._Element) -> None:
    """Broken on purpose: a reference removed leaves its call pointing at nothing."""
    assert jats.problems(etree.tostring(article_jats)) == []
    broken = etree.fromstring(etree.tostring(article_jats))
    ref_list = broken.find("back/ref-list")
    ref_list.remove(ref_list.find("ref"))
    broken.find("front/journal-meta").remove(broken.find("front/journal-meta/journal-title-group"))
    found = jats.problems(etree.tostring(broken))
    assert "<xref rid='ref1'> points at no id" in found
    assert "no front/journal-meta/journal-title-group/journal-title" in found
    assert jats.problems(b"<article><front>") != []


def test_sha256sums_lists_every_artifact_in_sha256sum_format(built_issue: BuiltIssue) -> None:
    sums = (built_issue.out_dir / "SHA256SUMS").read_text()
    listed = sorted(line.split("  ", 1)[1] for line in sums.splitlines())
    made = sorted(
        path.relative_to(built_issue.out_dir).as_posix()
        for path in built_issue.out_dir.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    )
    assert listed == made
    assert len(listed) == 4  # the PDF, the EPUB, the offprint and the DergiPark sheet (no ISSN, no JATS)
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=built_issue.out_dir, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 4


def test_the_summary_is_a_table_and_the_same_as_json(built_issue: BuiltIssue) -> None:
    text = run_cli("--manuscript", REAL_MANUSCRIPT, "--out", built_issue.out_dir)
    assert text.code == 0
    assert re.search(r"file +kind +pages +size +time +checks", text.stdout)
    assert re.search(rf"{SLUG}\.pdf +pdf +8 pages +\d+ KB +cache +loose lines 0\.0%", text.stdout)
    as_json = run_cli("--manuscript", REAL_MANUSCRIPT, "--out", built_issue.out_dir, "--json")
    assert as_json.code == 0
    data = json.loads(as_json.stdout)
    kinds = {artifact["file"]: (artifact["kind"], artifact["units"]) for artifact in data["artifacts"]}
    assert kinds == {
        f"{SLUG}.pdf": ("pdf", 8),
        f"{SLUG}/{ARTICLE}.pdf": ("offprint", 5),
        f"{SLUG}/{ARTICLE}-dergipark.txt": ("form", 1),
        f"{SLUG}.epub": ("epub", 4),
        "SHA256SUMS": ("sums", 4),
    }
    pdf = next(artifact for artifact in data["artifacts"] if artifact["kind"] == "pdf")
    assert pdf["checks"][0].startswith("loose lines 0.0%") and pdf["checks"][1].startswith(
        "Turkish rules: T3 1"
    )
    assert "a byline has no author name" in data["warnings"][0]


def test_the_summary_is_drawn_with_rich_on_a_terminal() -> None:
    from dizgi import summary
    from dizgi.model import BuiltFile

    rows = summary.rows(
        (BuiltFile(Path("/o/x.pdf"), "pdf", 2048, 7, ("PDF 4 fonts embedded",)),),
        Path("/o"),
        {"pdf": 1.5},
        (),
    )
    drawn = summary.as_text(rows, 1.5, terminal=True)
    assert "┃" in drawn and "x.pdf" in drawn and "1.50 s" in drawn
    plain = summary.as_text(rows, 1.5, terminal=False)
    assert "┃" not in plain and "\x1b[" not in plain and "PDF 4 fonts embedded" in plain


def test_watch_rebuilds_on_a_save_and_keeps_the_last_good_outputs(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", manuscript)
    out = tmp_path / "dist"
    command = [
        sys.executable, str(ROOT / "build.py"), "--watch", "--manuscript", str(manuscript),
        "--out", str(out), "--cache", str(tmp_path / "cache"), "--only", "pdf",
    ]  # fmt: skip
    with watching(command, tmp_path) as process:
        assert process.stdout is not None

        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)  # type: ignore[union-attr]
        reader.start()

        def next_line(limit: float) -> tuple[str, float]:
            """The next line, failing (not hanging) when none comes within ``limit`` seconds."""
            started = time.monotonic()
            try:
                line = lines.get(timeout=limit)
            except queue.Empty:
                pytest.fail(f"no line from --watch within {limit} s")
            return line, time.monotonic() - started

        assert "watching" in next_line(60)[0]
        article = next((manuscript / "articles").glob("*.md"))
        # Saved while the first build runs (it takes seconds): built again after it, not lost.
        article.write_text(article.read_text(encoding="utf-8") + "\nBir cümle daha.\n", encoding="utf-8")
        line, _ = next_line(120)
        assert "start: built in" in line, line
        line, _ = next_line(60)
        assert f"{article}: built in" in line, line
        pdf = next(out.glob("*.pdf"))
        good = pdf.read_bytes()
        time.sleep(0.5)
        article.write_bytes(article.read_bytes())  # saved again, unchanged: the cache answers
        line, waited = next_line(10)
        assert f"{article}: built in" in line, line
        assert waited < 2.0, f"the rebuild took {waited:.1f} s after the save"
        article.write_text("---\ntitle: [kırık\n---\nMetin.\n", encoding="utf-8")
        line, _ = next_line(30)
        assert "error:" in line and f"{article}" in line, line
        while "the last good outputs stay; watching" not in line:
            line, _ = next_line(5)
        assert pdf.read_bytes() == good
    assert pdf.exists()


def test_jats_figures_carry_their_alt_text_credit_and_file(tmp_path: Path) -> None:
    manuscript = with_issn(FIXTURES / "pictures", tmp_path / "manuscript")
    run = run_cli("--manuscript", manuscript, "--out", tmp_path / "dist", "--only", "pdf", "--quiet")
    assert run.code == 0, run.stderr
    (xml,) = (tmp_path / "dist").glob("*/*.xml")
    root = etree.parse(str(xml)).getroot()
    figures = root.findall(".//fig")
    assert len(figures) >= 2
    credits = [figure.findtext("attrib") for figure in figures]
    assert "Fotoğraf: Anadolu Ajansı" in credits and "Kaynak: TÜİK" in credits
    for figure in figures:
        graphic = figure.find("graphic")
        assert graphic is not None and graphic.findtext("alt-text")
        assert "Fotoğraf:" not in "".join(figure.find("caption").itertext())
        assert (xml.parent / graphic.get("{http://www.w3.org/1999/xlink}href")).is_file()
    assert jats.problems(xml.read_bytes()) == []


def test_each_offprint_page_is_the_issues_page_content_stream_and_all(built_generated: BuiltIssue) -> None:
    """An offprint is its article's piece as laid out for the issue: each of its pages
    draws with the very content stream of the issue's page of the same folio."""
    with pikepdf.open(built_generated.pdf) as issue:
        drawn = [page.obj.Contents.read_bytes() for page in issue.pages]
    offprints = sorted((built_generated.out_dir / "dis-bakis-2025-05").glob("*.pdf"))
    compared = 0
    for path in offprints:
        reader = pypdf.PdfReader(path)
        with pikepdf.open(path) as offprint:
            for index, page in enumerate(offprint.pages):
                folio = int(reader.page_labels[index])
                assert page.obj.Contents.read_bytes() == drawn[folio - 1], (path.name, folio)
                compared += 1
    assert len(offprints) >= 5 and compared >= 20
