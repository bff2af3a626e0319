"""References as data, set by Pandoc's citeproc in the issue's citation style (issue 25):
what dizgi corrects for Turkish, the bibliography set as one, and the sources' errors.

The fixture ``citations`` has an article citing 30 references of every common kind (journal
article, book, chapter, report, newspaper, web page, thesis, conference paper; Turkish,
English and Russian), 28 in its front matter and 2 in a BibTeX file, in ISNAD 2 with notes
(the default); and an article whose author listed the sources by hand under ``## Kaynakça``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import CITATIONS_SLUG, FIXTURES, XHTML, BuiltIssue, read_epub, run_cli
from dizgi import readback

SLUG = CITATIONS_SLUG
#: the first names of the 30 entries in the order of the Turkish alphabet (a b c ç d e f g
#: ğ h ı i j k l m n o ö p r s ş t u ü v y z), written out by hand; a source without an
#: author stands at its newspaper (*Hürriyet*), a particle goes behind (*Waal, Thomas de*),
#: and Cyrillic after Latin
TURKISH_ORDER = [
    "Ağaoğlu", "Akın", "Bilgin", "Cengiz", "Cornell", "Çelik", "Demir", "Erdem", "Gündoğdu", "Hasanov",
    "Hürriyet", "Ilgaz", "Irmak", "Işık", "İnalcık", "İpek", "Kaya", "NATO", "Ozan", "Öztürk", "Sezer",
    "Smith", "Şahin", "Uzun", "Üstün", "Waal", "Yılmaz", "Zeybek", "Иванов", "Петрова",
]  # fmt: skip


def _document(built: BuiltIssue, key: str) -> etree._Element:
    return next(root for name, root in read_epub(built.epub).documents if name.endswith(f"{key}.xhtml"))


def _entries(built: BuiltIssue, key: str) -> list[str]:
    """The bibliography's entries of article ``key`` in the EPUB, as text."""
    root = _document(built, key)
    section = next(
        element for element in root.iter(f"{XHTML}section") if element.get("role") == "doc-bibliography"
    )
    return [" ".join("".join(item.itertext()).split()) for item in section.iter(f"{XHTML}li")]


def _first_name(entry: str) -> str:
    return re.split(r"[,.]", entry, maxsplit=1)[0]


def test_the_issue_with_references_passes_every_check(built_citations: BuiltIssue) -> None:
    out = built_citations.run.stdout
    assert "EPUBCheck 0 fatal, 0 errors, 0 warnings, 0 usage; Ace 0 violations" in out
    # the check stage's line, and the rows of the issue and its two offprints
    assert out.count("PDF/UA (outloud) 0 errors, 0 warnings") == 4


def test_the_bibliography_is_sorted_by_the_turkish_alphabet(built_citations: BuiltIssue) -> None:
    """citeproc sorts by code point: İnalcık and İpek before Irmak, Akın before Ağaoğlu,
    Öztürk, Şahin and Üstün after Zeybek."""
    assert [_first_name(entry) for entry in _entries(built_citations, "a01")] == TURKISH_ORDER
    # and an author's own list, typed in another order
    assert [_first_name(entry) for entry in _entries(built_citations, "a02")] == [
        "Cengiz", "Çelik", "Ilgaz", "Işık", "İnalcık",
    ]  # fmt: skip


def test_isnad_joins_co_authors_with_a_dash_and_writes_dates_and_ranges_as_turkish_does(
    built_citations: BuiltIssue,
) -> None:
    """ISNAD 2 sets `` - `` between authors (set as an en dash, T5); Pandoc's citeproc
    ignored the style's ``name-delimiter`` and wrote *Ilgaz, Ahmet. Işık, Şükrü.*; the
    Turkish locale wrote *05 Mart 2019*; the range came as typed, *12-45*."""
    entries = _entries(built_citations, "a01")
    ilgaz = next(entry for entry in entries if entry.startswith("Ilgaz"))
    assert (
        ilgaz
        == "Ilgaz, Ahmet – Işık, Şükrü. “Karadeniz’de güvenlik mimarisi”. Dış Bakış 3/2 (5 Mart 2019), 12–45."
    )
    notes = " ".join(
        " ".join("".join(item.itertext()).split())
        for item in _document(built_citations, "a01").iter(f"{XHTML}li")
        if "note" in item.get("class", "").split()
    )
    assert (
        "1. Ahmet Ilgaz – Şükrü Işık, “Karadeniz’de güvenlik mimarisi”, Dış Bakış 3/2 (5 Mart 2019), 12–15."
        in notes
    )
    assert "Ilgaz – Işık, “Karadeniz’de güvenlik mimarisi”, 20." in notes  # the short form, cited again
    assert not re.search(
        r"\b0\d (Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık)", notes
    )
    text = " ".join(line.text for line in readback.pdf_lines(built_citations.pdf))
    assert "Ilgaz, Ahmet\u00a0– Işık, Şükrü." in text  # the dash tied to the name before it (T6)


def test_each_article_has_one_kaynakca_and_its_notes_are_notlar(built_citations: BuiltIssue) -> None:
    """An author's own ``## Kaynakça`` becomes the article's bibliography: not a second
    heading in the body, not set as prose."""
    for key in ("a01", "a02"):
        root = _document(built_citations, key)
        headings = [" ".join("".join(h.itertext()).split()) for h in root.iter(f"{XHTML}h2")]
        assert headings.count("Kaynakça") == 1 and headings.count("Notlar") == 1, (key, headings)
        body = next(div for div in root.iter(f"{XHTML}div") if div.get("class") == "article-body")
        assert "Kaynakça" not in "".join(body.itertext())
        types = [item.get("{http://www.idpf.org/2007/ops}type") for item in root.iter(f"{XHTML}li")]
        assert types.count("biblioentry") == {"a01": 30, "a02": 5}[key]
    nav = next(root for name, root in read_epub(built_citations.epub).documents if name.endswith("nav.xhtml"))
    listed = [" ".join("".join(a.itertext()).split()) for a in nav.iter(f"{XHTML}a")]
    assert listed.count("Kaynakça") == 2 and listed.count("Notlar") == 2


def test_the_printed_bibliography_hangs_and_is_never_hyphenated(built_citations: BuiltIssue) -> None:
    """Each entry's first line at the text block's edge, its other lines 5 mm in; no line of
    it ends in a hyphen the layout added."""
    lines = readback.pdf_lines(built_citations.pdf)
    start = next(index for index, line in enumerate(lines) if line.text.strip() == "Kaynakça")
    end = next(index for index, line in enumerate(lines) if line.text.startswith("Петрова, Анна"))
    entries = [line for line in lines[start + 1 : end + 1] if line.size < 9 and len(line.text.strip()) > 3]
    assert len(entries) > 30
    edges = sorted({round(line.x0, 1) for line in entries if line.page == entries[0].page})
    assert len(edges) == 2 and abs(edges[1] - edges[0] - 5 * 72 / 25.4) < 0.5, edges
    firsts = [line for line in entries if round(line.x0, 1) == edges[0] and line.page == entries[0].page]
    assert [_first_name(line.text) for line in firsts] == TURKISH_ORDER[: len(firsts)]
    assert not [line.text for line in entries if line.text.rstrip().endswith(("\u2010", "-"))]


def test_the_jats_has_a_reference_list_and_the_notes_apart(built_citations: BuiltIssue) -> None:
    root = etree.parse(str(built_citations.out_dir / SLUG / "01-kaynakli.xml")).getroot()
    ref_list = root.find("back/ref-list")
    assert ref_list is not None and ref_list.findtext("title") == "Kaynakça"
    citations = [" ".join("".join(ref.itertext()).split()) for ref in ref_list.iter("mixed-citation")]
    assert [_first_name(citation) for citation in citations] == TURKISH_ORDER
    notes = root.find("back/fn-group")
    assert notes is not None and notes.findtext("title") == "Notlar" and len(notes.findall("fn")) == 14
    calls = {xref.get("rid") for xref in root.iter("xref") if xref.get("ref-type") == "fn"}
    assert calls == {fn.get("id") for fn in notes.findall("fn")}


def test_apa_7_sets_the_same_references_in_text_and_sorted_turkish(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    shutil.copytree(FIXTURES / "citations", manuscript)
    issue = manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("isnad-dipnotlu", "apa"), encoding="utf-8")
    run = run_cli("--manuscript", manuscript, "--out", tmp_path / "out", "--no-cache", "--only", "epub")
    assert run.code == 0, run.stderr[-3000:]
    built = BuiltIssue(
        run, tmp_path / "out", tmp_path / "out" / f"{SLUG}.pdf", tmp_path / "out" / f"{SLUG}.epub"
    )
    entries = _entries(built, "a01")
    # APA keeps a particle in front and sorts by it (*de Waal* under d), and sets a source
    # without an author at its title
    assert [_first_name(entry) for entry in entries] == [
        "Ağaoğlu", "Akın", "Bilgin", "Cengiz", "Cornell", "Çelik", "Demir", "de Waal", "Erdem", "Gündoğdu",
        "Hasanov", "Ilgaz", "Irmak", "Işık", "İnalcık", "İpek", "Kaya", "NATO", "Ozan", "Öztürk", "Sezer",
        "Smith", "Şahin", "Türkiye ile Azerbaycan arasında yeni anlaşma", "Uzun", "Üstün", "Yılmaz",
        "Zeybek", "Иванов", "Петрова",
    ]  # fmt: skip
    assert "Ilgaz, A., & Işık, Ş. (2019). Karadeniz’de güvenlik mimarisi. Dış Bakış, 3(2), 12–45." in entries
    body = " ".join("".join(_document(built, "a01").itertext()).split())
    assert "(Ilgaz & Işık, 2019, ss. 12–15)" in body
    # in-text citations make no notes: only the author's own
    notes = [item for item in _document(built, "a01").iter(f"{XHTML}li") if "note" in item.get("class", "")]
    assert len(notes) == 1


def test_a_citation_of_an_unknown_key_is_named_with_its_line(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("section: Deneme", "section: Deneme\nreferences:\n  - id: var\n    title: Bir kitap")
    article.write_text(text.replace("birkaç cümle.", "birkaç cümle [@yok].", 1), encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--only", "epub")
    assert run.code == 0, run.stderr
    line = next(number for number, row in enumerate(article.read_text().splitlines(), 1) if "@yok" in row)
    assert (
        f"dizgi: warning: {article}, line {line}: the citation @yok names no reference; it is printed as "
        "'yok?': add a reference with 'id: yok' (front matter 'references', or the bibliography file), "
        "or correct the key\n"
    ) in run.stderr


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "bibliography: yok.bib",
            "line 8: the bibliography 'yok.bib' does not exist\n  what to do: put it at {folder}/yok.bib, "
            "or correct the name (it is relative to the article's file)",
        ),
        (
            "bibliography: kaynaklar.docx",
            "line 8: the bibliography 'kaynaklar.docx' is not a file dizgi reads\n  what to do: give a "
            "BibTeX (.bib), CSL JSON (.json) or CSL YAML (.yaml) file; Zotero exports each "
            "(File, Export Library)",
        ),
        (
            "references: inalcik2003",
            "line 8: 'references' should be a list of references, each with an 'id' you cite it by\n"
            "  what to do: write it like this: \n  - id: inalcik2003\n    type: book\n    title: …",
        ),
    ],
)
def test_a_bad_source_is_refused_with_its_line(
    minimal_manuscript: Path, tmp_path: Path, front: str, message: str
) -> None:
    from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("section: Deneme", f"section: Deneme\n{front}"), encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    expected = message.format(folder=article.parent)
    assert_failed_cleanly(run, out_dir, f"{article}, {expected}")


def test_a_title_in_another_language_is_marked_with_it_in_the_notes_and_the_bibliography(
    built_citations: BuiltIssue,
) -> None:
    """citeproc writes no language: an English title (``language: en``) was hyphenated and
    read as Turkish. Each is marked ``lang="en"`` where it is set (its PDF ``/Lang``:
    ``test_pdfua``); a Turkish title is not marked."""
    root = _document(built_citations, "a01")
    marked = [
        " ".join("".join(element.itertext()).split()).strip("“”")
        for element in root.iter(f"{XHTML}span")
        if element.get("lang") == "en"
    ]
    english = [
        "The Caucasus After the 2020 War", "The Caucasus: An Introduction", "Azerbaijan Since Independence",
        "Black Sea Security Report", "Energy Diplomacy of Azerbaijan",
    ]  # fmt: skip
    for title in english:
        assert marked.count(title) == 2, title  # in its note and in the bibliography
    assert not any("Kafkasya" in text for text in marked)


def test_each_reference_of_the_jats_has_its_data_as_an_element_citation(built_citations: BuiltIssue) -> None:
    """Beside the entry as printed (``mixed-citation``), its parts as a journal system reads
    them, from the reference's data."""
    root = etree.parse(str(built_citations.out_dir / SLUG / "01-kaynakli.xml")).getroot()
    refs = root.findall("back/ref-list/ref")
    assert len(refs) == 30 and all(ref.find("element-citation") is not None for ref in refs)

    def structured(name: str) -> etree._Element:
        ref = next(ref for ref in refs if _text_of(ref.find("mixed-citation")).startswith(name))
        citation = ref.find("element-citation")
        assert citation is not None
        return citation

    journal = structured("Ilgaz")
    assert journal.get("publication-type") == "journal"
    assert [
        n.findtext("surname") for n in journal.iterfind("person-group[@person-group-type='author']/name")
    ] == [
        "Ilgaz",
        "Işık",
    ]
    assert journal.findtext("article-title") == "Karadeniz’de güvenlik mimarisi"
    assert [journal.findtext(tag) for tag in ("source", "year", "volume", "issue", "fpage", "lpage")] == [
        "Dış Bakış", "2019", "3", "2", "12", "45",
    ]  # fmt: skip
    chapter = structured("Irmak")
    assert chapter.findtext("chapter-title") == "Nehir havzalarında iş birliği"
    assert chapter.findtext("source") == "Orta Asya’da Su Politikaları"
    assert chapter.findtext("person-group[@person-group-type='editor']/name/surname") == "Cengiz"
    web = structured("Bilgin")
    assert web.get("publication-type") == "webpage"
    assert web.findtext("date-in-citation[@content-type='access-date']") == "2024-10-01"
    assert structured("Smith").findtext("pub-id[@pub-id-type='doi']") == "10.1234/fa.2021.100"
    assert structured("NATO").findtext("person-group/collab") == "NATO"


def _text_of(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
