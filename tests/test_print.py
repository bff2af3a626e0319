"""The print PDF as a magazine issue and an archival document: furniture, links, outline,
metadata, PDF/A, layout, notes as endnotes or footnotes, the proof sheet."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest

from conftest import FIXTURES, MM, ReadBack, run_cli, text_block
from dizgi import readback

A4 = (210 * MM, 297 * MM)


def reader(readback: ReadBack) -> pypdf.PdfReader:
    return pypdf.PdfReader(readback.built.pdf)


def annotations(pdf: pypdf.PdfReader) -> list[tuple[int, Any]]:
    return [
        (number, ref.get_object())
        for number, page in enumerate(pdf.pages)
        for ref in page.get("/Annots") or []
    ]


# Furniture --------------------------------------------------------------------------------


def test_pages_are_a4(both: ReadBack) -> None:
    for page in reader(both).pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            round(A4[0], 1),
            round(A4[1], 1),
        )


def test_every_page_but_the_cover_has_its_folio(both: ReadBack) -> None:
    pages = sorted({line.page for line in both.lines})
    for page in pages:
        folios = [
            line
            for line in both.lines
            if line.page == page and line.text.strip() == str(page) and line.y1 < 30 * MM
        ]
        assert (len(folios) == 1) == (page != 1), f"page {page}"


def test_running_heads_are_absent_from_cover_contents_and_openers(real: ReadBack) -> None:
    heads = {line.page: line.text for line in real.lines if line.size < 8 and line.y0 > A4[1] - 24 * MM}
    assert 1 not in heads and 2 not in heads and 3 not in heads  # cover, contents, article opener
    assert heads[4] == "DIŞ BAKIŞ · NİSAN 2025"  # a left page: magazine and issue
    assert heads[5] == "KARABAĞ’DAN TÜRK DÜNYASINA"  # a right page: the article


def test_contents_gives_the_page_each_article_starts_on(both: ReadBack) -> None:
    pdf = reader(both)
    destinations = pdf.named_destinations
    contents_page = next(line.page for line in both.lines if line.text == "İçindekiler")
    numbers = [
        line.text for line in both.lines if line.page == contents_page and re.fullmatch(r"\d+", line.text)
    ]
    article_page = pdf.get_destination_page_number(destinations["a01"]) + 1
    assert str(article_page) in numbers
    title_lines = [line for line in both.lines if line.page == article_page and line.size > 20]
    assert title_lines, "the article's title is not on the page the contents give"


def test_cover_lines_share_one_left_edge(real: ReadBack) -> None:
    cover = [line for line in real.lines if line.page == 1]
    assert len({round(line.x0) for line in cover[:2]}) == 1, [(line.text, line.x0) for line in cover[:2]]


def test_colophon_holds_only_what_issue_yaml_gives(real: ReadBack) -> None:
    colophon = [line.text for line in real.lines if line.page == max(line.page for line in real.lines)]
    assert "Künye" in colophon
    assert "Dış Bakış" in colophon and "Nisan 2025" in colophon and "1\u00a0Nisan 2025" in colophon
    assert not any(label in colophon for label in ("ISSN", "Yayıncı", "Editörler", "Lisans"))


# Links and notes ---------------------------------------------------------------------------


def test_every_internal_link_resolves(both: ReadBack) -> None:
    pdf = reader(both)
    destinations = set(pdf.named_destinations)
    internal = [str(annotation["/Dest"]) for _, annotation in annotations(pdf) if "/Dest" in annotation]
    assert internal
    assert sorted(set(internal) - destinations) == []


def test_note_calls_link_to_notes_and_notes_link_back(real: ReadBack) -> None:
    targets = [
        (page, str(annotation["/Dest"]), annotation["/Rect"])
        for page, annotation in annotations(reader(real))
        if "/Dest" in annotation
    ]
    calls = {dest for _, dest, _ in targets if dest.startswith("a01-note-")}
    backs = {dest for _, dest, _ in targets if dest.startswith("a01-ref-")}
    assert calls == {f"a01-note-{n}" for n in range(1, 9)}
    assert backs == {f"a01-ref-{n}" for n in range(1, 9)}
    for _, _, rect in targets:
        assert abs(float(rect[3]) - float(rect[1])) > 3, "a link area with no height cannot be clicked"


def test_urls_in_notes_are_live_and_break_only_after_a_slash(real: ReadBack) -> None:
    uris = [annotation["/A"]["/URI"] for _, annotation in annotations(reader(real)) if "/A" in annotation]
    assert "https://tass.ru/mezhdunarodnaya-panorama/10581711" in uris
    lines = readback.pdf_body_text(real.lines).splitlines()
    url_lines = [i for i, line in enumerate(lines) if "https://tass.ru/" in line]
    assert url_lines
    for index in url_lines:
        if not lines[index].endswith("10581711"):
            assert lines[index].endswith("/"), lines[index]
            assert not lines[index].endswith(("-", "\u2010"))


def test_endnotes_are_titled_kaynakca_and_credits_follow(real: ReadBack) -> None:
    texts = [line.text for line in real.lines]
    position = texts.index("Kaynakça")
    assert texts[position + 1].startswith("1. Güngör Şahin")
    credit = next(line for line in real.lines if line.text.startswith("Fotoğraf: "))
    body = readback.body_size(real.lines)
    assert credit.size < body - 2, "the photo credit is set small, not as body text"


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory: pytest.TempPathFactory) -> ReadBack:
    """The minimal fixture with issue.yaml saying notes: footnotes."""
    from conftest import BuiltIssue, read_epub

    manuscript = tmp_path_factory.mktemp("footnotes") / "manuscript"
    shutil.copytree(FIXTURES / "minimal", manuscript)
    with (manuscript / "issue.yaml").open("a", encoding="utf-8") as issue:
        issue.write("notes: footnotes\n")
    out_dir = manuscript.parent / "dist"
    run = run_cli("--manuscript", manuscript, "--out", out_dir, "--quiet")
    assert run.code == 0, run.stderr
    built = BuiltIssue(
        run, out_dir, out_dir / "deneme-dergisi-2025-03.pdf", out_dir / "deneme-dergisi-2025-03.epub"
    )
    return ReadBack(built, readback.pdf_lines(built.pdf), read_epub(built.epub))


def test_footnotes_mode_sets_each_note_at_the_foot_of_its_page(footnoted: ReadBack) -> None:
    call_line = next(line for line in footnoted.lines if "gösterir." in line.text)
    note = next(line for line in footnoted.lines if "Deneme Kaynağı" in line.text)
    assert note.page == call_line.page
    assert note.text.startswith("1. Ayşe Yılmaz")
    assert note.size < call_line.size and note.y1 < call_line.y0
    body_bottom = min(
        line.y0 for line in footnoted.lines if line.page == note.page and line.size == call_line.size
    )
    assert note.y1 < body_bottom, "the footnote stands below the text"
    assert "Kaynakça" not in [line.text for line in footnoted.lines]


# Structure, metadata, standards --------------------------------------------------------------


def outline_titles(entries: list[Any], depth: int = 0) -> list[tuple[int, str]]:
    titles = []
    for entry in entries:
        if isinstance(entry, list):
            titles += outline_titles(entry, depth + 1)
        else:
            titles.append((depth, entry.title))
    return titles


ARTICLE_TITLE = (
    "Karabağ’dan Türk Dünyasına: Türkiye-Azerbaycan Savunma Ortaklığının Bölgesel Entegrasyona Etkisi"
)


def test_outline_lists_articles_and_their_headings(real: ReadBack) -> None:
    assert outline_titles(reader(real).outline) == [
        (0, "İçindekiler"),
        (0, ARTICLE_TITLE),
        (1, "Karabağ Sonrası Yeni Güvenlik Mimarisi"),
        (1, "Türkiye-Azerbaycan Savunma Ortaklığının Kurumsallaşması"),
        (1, "Türk Dünyası Vizyonu: Savunma Ortaklığının Bölgesel Yansımaları"),
        (1, "Riskler ve Sınırlar"),
        (1, "Sonuç: Bir Model mi Yoksa İstisna mı?"),
        (1, "Kaynakça"),
        (0, "Künye"),
    ]


def test_page_labels_name_the_cover_and_follow_the_folios(real: ReadBack) -> None:
    pdf = reader(real)
    assert [pdf.page_labels[index] for index in range(len(pdf.pages))] == [
        "Kapak",
        *map(str, range(2, len(pdf.pages) + 1)),
    ]


def test_document_information_and_xmp(real: ReadBack) -> None:
    pdf = reader(real)
    info = pdf.metadata
    assert info is not None
    assert info["/Title"] == "Dış Bakış · Nisan 2025"
    assert info["/Author"] == "Milli Savunma Üniversitesi, Uluslararası İlişkiler Bölümü"
    assert info["/Subject"].startswith("Karabağ’dan Türk Dünyasına")
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250401000000Z"
    assert pdf.root_object["/Lang"] == "tr"
    assert bool(pdf.root_object["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = pdf.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": "Dış Bakış · Nisan 2025"}
    assert xmp.dc_creator == ["Milli Savunma Üniversitesi, Uluslararası İlişkiler Bölümü"]


def test_tagged_pdf_a_3a(both: ReadBack) -> None:
    pdf = reader(both)
    root = pdf.root_object
    xmp = pdf.xmp_metadata
    assert xmp is not None
    description = xmp.rdf_root.getElementsByTagNameNS(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
    )
    identification = {
        (node.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "part"),
         node.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "conformance"))
        for node in description
    }  # fmt: skip
    assert ("3", "A") in identification
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    intents = [intent.get_object() for intent in root["/OutputIntents"]]
    assert [intent["/S"] for intent in intents] == ["/GTS_PDFA1"]
    assert "/DestOutputProfile" in intents[0]
    fonts = readback.read_pdf(both.built.pdf).fonts
    assert fonts and all(font.embedded for font in fonts)
    for page in pdf.pages:
        group = page.get("/Group")
        assert group is None or group.get_object().get("/S") != "/Transparency"


# Layout -------------------------------------------------------------------------------------


def test_no_line_runs_outside_its_text_block(both: ReadBack) -> None:
    for line in both.lines:
        if line.page == 1:
            continue  # the cover has margins of its own
        left, right = text_block(line.page)
        assert line.x0 >= left - 0.5, (line.page, line.text)
        assert line.x1 <= right + 0.5, (line.page, line.text, line.x1 - right)


#: the measure's characters a line (median of the full justified lines): Bringhurst's
#: 45–75 for a single column, and 55 at least, so a line is not too short to justify well
MEASURE_CHARACTERS = range(55, 76)


def test_the_measure_holds_55_to_75_characters_a_line(both: ReadBack) -> None:
    """Counted in the PDF: the body lines that run from the text block's left edge (or a
    first-line indent) to its right edge; the median of their lengths."""
    full = [
        line
        for line in both.body_lines
        if line.x1 >= text_block(line.page)[1] - 1.0 and line.x0 <= text_block(line.page)[0] + 15.0
    ]
    assert len(full) >= 30
    lengths = sorted(len(line.text.strip()) for line in full)
    assert lengths[len(lengths) // 2] in MEASURE_CHARACTERS, lengths


# Proof sheet --------------------------------------------------------------------------------


def test_proof_sheet_shows_every_page(tmp_path: Path) -> None:
    from PIL import Image

    run = run_cli("--manuscript", FIXTURES / "minimal", "--out", tmp_path, "--proof", "--only", "pdf")
    assert run.code == 0, run.stderr
    proof = tmp_path / "deneme-dergisi-2025-03-proof.png"
    pages = len(pypdf.PdfReader(tmp_path / "deneme-dergisi-2025-03.pdf").pages)
    assert re.search(rf"^  {proof.name} +proof +{pages} pages ", run.stdout, re.M)
    with Image.open(proof) as image:
        assert image.format == "PNG"
        assert image.height == 360 + 2 * 16
        assert image.width > pages * 250  # the pages side by side, not one page
