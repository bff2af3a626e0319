"""The Turkish rules reach every string dizgi sets from the front matter and issue.yaml:
titles typed the way authors type them come out right on the cover, in the contents, over
the article, in the PDF's metadata and the EPUB's package document and navigation (the
running head is the title's part before its colon, from the same string)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_cli
from dizgi import readback

TYPED = "İstanbul'dan Bakü'ye: \\\"ortak\\\" yol, s. 5-37 ve % 25"
SET = "İstanbul’dan Bakü’ye: “ortak” yol, s.\u00a05–37 ve %25"


@pytest.fixture
def typed_as_authors_type(minimal_manuscript: Path) -> Path:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace('title: "İkinci Deneme: Kısa Bir Yazı"', f'title: "{TYPED}"')
    text = text.replace("subtitle: Dizginin en küçük sayısı", "subtitle: Dizgi'nin en küçük sayısı")
    text = text.replace("affiliation: Ankara Üniversitesi", 'affiliation: "Ankara Üniversitesi\'nin bölümü"')
    article.write_text(text, encoding="utf-8")
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "publisher: Deneme'nin Yayınevi\n", encoding="utf-8")
    return minimal_manuscript


def test_titles_names_and_the_publisher_are_set_the_turkish_way_everywhere(
    typed_as_authors_type: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    run = run_cli("--manuscript", typed_as_authors_type, "--out", out_dir, "--quiet")
    assert (run.code, run.stderr) == (0, "")
    pdf = out_dir / "deneme-dergisi-2025-03.pdf"
    text = "\n".join(line.text for line in readback.pdf_lines(pdf)).replace("\n", " ")
    for typed in ("'", '"', "% 25", "5-37"):
        assert typed not in text, f"{typed!r} is still in the PDF's text"
    assert "İstanbul’dan Bakü’ye: “ortak” yol" in text  # cover, contents, article title
    assert "Dizgi’nin en küçük sayısı" in text
    assert "Ankara Üniversitesi’nin bölümü" in text
    assert "Deneme’nin Yayınevi" in text  # the colophon
    assert PdfReader(pdf).metadata["/Subject"] == SET
    with zipfile.ZipFile(out_dir / "deneme-dergisi-2025-03.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode()
        article = book.read("EPUB/a01.xhtml").decode()
        opf = book.read("EPUB/content.opf").decode()
    assert SET in nav
    assert f"<title>{SET}</title>" in article
    assert "<dc:publisher>Deneme’nin Yayınevi</dc:publisher>" in opf
    assert "<dc:creator" in opf and "'" not in opf.split("<metadata")[1].split("</metadata>")[0]


def test_changes_in_the_front_matter_are_listed_with_their_lines(
    typed_as_authors_type: Path, tmp_path: Path
) -> None:
    run = run_cli("--manuscript", typed_as_authors_type, "--out", tmp_path / "out", "--verbose")
    assert run.code == 0
    article = typed_as_authors_type / "articles" / "01-deneme.md"
    issue = typed_as_authors_type / "issue.yaml"
    listed = run.stdout.split("Turkish typography, change by change:\n")[1].splitlines()
    for change in (
        f"{article}:2: T3 \"İstanbul'dan\" → 'İstanbul’dan'",
        f"{article}:2: T5 '5-37' → '5–37'",
        f"{article}:2: T6 '% 25' → '%25'",
        f"{article}:5: T3 \"Üniversitesi'nin\" → 'Üniversitesi’nin'",
        f"{article}:6: T3 \"Dizgi'nin\" → 'Dizgi’nin'",
        f"{issue}:6: T3 \"Deneme'nin\" → 'Deneme’nin'",
    ):
        assert f"  {change}" in listed, listed
