"""The April 2025 issue, built once: both outputs exist, are valid, and hold the article."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import (
    PUBLISHED_ARTICLE,
    REAL_MANUSCRIPT,
    SLUG,
    BuiltIssue,
    EpubContents,
    first_missing_word,
    join_hyphenated_lines,
    run_cli,
    stages,
    top_level,
    words,
)
from dizgi import checks, readback

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_build_writes_the_pdf_and_the_epub_named_by_the_slug(built_issue: BuiltIssue) -> None:
    assert sorted(path.name for path in built_issue.out_dir.iterdir()) == top_level(SLUG)


def test_build_prints_one_line_per_stage_and_a_summary(
    built_issue: BuiltIssue, pdf_report: readback.PdfReport
) -> None:
    assert stages(built_issue.run.stdout) == ["load", "convert", "fit", "pdf", "jats", "epub"]
    summary = built_issue.run.stdout
    assert re.search(
        rf"^  {SLUG}\.pdf +pdf +{pdf_report.pages} pages +\d+ KB +\d+\.\d\d s  loose", summary, re.M
    )
    assert re.search(rf"^  {SLUG}\.epub +epub +4 documents +\d+ KB ", summary, re.M)


def test_byline_without_a_name_is_a_warning_not_a_failure(built_issue: BuiltIssue) -> None:
    article = REAL_MANUSCRIPT / "articles" / "01-karabagdan-turk-dunyasina.md"
    assert built_issue.run.stderr == (
        f"dizgi: warning: {article}: a byline has no author name, only an affiliation; "
        "add 'name:' under 'authors:' when it is known\n"
    )


def test_epubcheck_finds_no_fatal_error_or_warning(epubcheck_report: checks.EpubCheckReport) -> None:
    assert [str(message) for message in epubcheck_report.problems] == []
    assert epubcheck_report.count("USAGE") == 0


def test_pdf_holds_every_word_of_the_published_article_in_order(pdf_lines: list[readback.PdfLine]) -> None:
    expected = words(PUBLISHED_ARTICLE.read_text(encoding="utf-8"))
    actual = words(join_hyphenated_lines(readback.pdf_body_text(pdf_lines)))
    assert len(expected) > 1600
    assert first_missing_word(expected, actual) is None


def test_epub_holds_every_word_of_the_published_article_in_order(epub_contents: EpubContents) -> None:
    expected = words(PUBLISHED_ARTICLE.read_text(encoding="utf-8"))
    assert first_missing_word(expected, words(epub_contents.text())) is None


def test_pdf_embeds_every_font_and_only_the_shipped_ones(pdf_report: readback.PdfReport) -> None:
    assert pdf_report.fonts, "the PDF has no fonts at all"
    assert [font.name for font in pdf_report.fonts if not font.embedded] == []
    assert [font.name for font in pdf_report.foreign_fonts] == []


def test_t1_pdf_declares_turkish(pdf_report: readback.PdfReport) -> None:
    assert pdf_report.lang == "tr"


def test_t1_every_epub_document_declares_turkish(epub_contents: EpubContents) -> None:
    for name, root in epub_contents.documents:
        assert (root.get("lang"), root.get(XML_LANG)) == ("tr", "tr"), name
    language = epub_contents.opf.find(".//{http://purl.org/dc/elements/1.1/}language")
    assert language is not None and language.text == "tr"
    assert epub_contents.opf.get(XML_LANG) == "tr"


def test_t1_english_and_russian_runs_carry_their_language(epub_contents: EpubContents) -> None:
    tagged = {
        element.get("lang"): "".join(element.itertext())
        for _, root in epub_contents.documents
        for element in root.iter(f"{XHTML}span")
        if element.get("lang") in ("en", "ru")
    }
    assert tagged.keys() == {"en", "ru"}
    russian = [
        element
        for _, root in epub_contents.documents
        for element in root.iter(f"{XHTML}span")
        if element.get("lang") == "ru"
    ]
    assert all(element.get(XML_LANG) == "ru" for element in russian)
    assert any("Андрей Арешев" in "".join(element.itertext()) for element in russian)


def test_same_input_gives_the_same_bytes(built_issue: BuiltIssue, tmp_path: Path) -> None:
    again = run_cli("--manuscript", REAL_MANUSCRIPT, "--out", tmp_path, "--quiet", "--no-cache")
    assert again.code == 0, again.stderr
    for built in (built_issue.pdf, built_issue.epub):
        assert (tmp_path / built.name).read_bytes() == built.read_bytes(), built.name


def test_epub_identifier_is_stable_and_not_random(epub_contents: EpubContents) -> None:
    identifier = epub_contents.opf.find(".//{http://purl.org/dc/elements/1.1/}identifier")
    assert identifier is not None
    assert identifier.text == "urn:uuid:ec9bee0f-c4a8-5a29-824a-a64a2343ec77"
    modified = epub_contents.opf.find(".//{http://www.idpf.org/2007/opf}meta[@property='dcterms:modified']")
    assert modified is not None and modified.text == "2025-04-01T00:00:00Z"


def test_epub_starts_with_a_stored_mimetype(built_issue: BuiltIssue, epub_contents: EpubContents) -> None:
    import zipfile

    with zipfile.ZipFile(built_issue.epub) as archive:
        first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
