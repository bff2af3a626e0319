"""Bilingual front matter (issue 25): an article's title, abstract and keywords in the other
language (``title-en``, ``abstract-en``, ``keywords-en``; ``-tr`` for an English article),
set on the opener under labels in their own language, marked with it, and in the JATS;
keywords printed on the opener."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import CITATIONS_SLUG, XHTML, BuiltIssue, read_epub, run_cli
from dizgi import readback

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sections(built: BuiltIssue, key: str) -> list[etree._Element]:
    root = next(root for name, root in read_epub(built.epub).documents if name.endswith(f"{key}.xhtml"))
    return [section for section in root.iter(f"{XHTML}section") if "abstract" in section.get("class", "")]


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_opener_sets_both_languages_each_marked_and_labelled_in_its_own(
    built_citations: BuiltIssue,
) -> None:
    own, other = _sections(built_citations, "a01")
    assert own.get("lang") is None  # the article's own language, from the article
    assert (other.get("lang"), other.get(XML_LANG)) == ("en", "en")
    assert [_text(p) for p in own.iter(f"{XHTML}p")] == [
        "Öz",
        "Bu makale, 2020 sonrasında Güney Kafkasya’daki yeni dengeyi Türkçe, İngilizce ve Rusça kaynaklarla "
        "inceliyor.",
        "Anahtar Kelimeler: Kafkasya, Azerbaycan, güvenlik",
    ]
    assert [_text(p) for p in other.iter(f"{XHTML}p")] == [
        "A new balance in the Caucasus and its sources",
        "Abstract",
        "This article examines the new balance in the South Caucasus after 2020 through Turkish, English and "
        "Russian sources.",
        "Keywords: Caucasus, Azerbaijan, security",
    ]
    # each section is named by its label, for a screen reader
    for section in (own, other):
        label = next(p for p in section.iter(f"{XHTML}p") if p.get("id") == section.get("aria-labelledby"))
        assert _text(label) in ("Öz", "Abstract")


def test_the_printed_opener_holds_the_keywords_in_both_languages(built_citations: BuiltIssue) -> None:
    lines = [line.text for line in readback.pdf_lines(built_citations.pdf) if line.page == 3]
    assert "Anahtar Kelimeler: Kafkasya, Azerbaycan, güvenlik" in lines
    assert "Keywords: Caucasus, Azerbaijan, security" in lines
    assert (
        lines.index("Öz")
        < lines.index("A new balance in the Caucasus and its sources")
        < lines.index("Abstract")
    )


def test_the_jats_has_the_translated_title_abstract_and_keywords(built_citations: BuiltIssue) -> None:
    root = etree.parse(str(built_citations.out_dir / CITATIONS_SLUG / "01-kaynakli.xml")).getroot()
    meta = root.find("front/article-meta")
    assert meta is not None
    group = meta.find("title-group/trans-title-group")
    assert group is not None and group.get(XML_LANG) == "en"
    assert group.findtext("trans-title") == "A new balance in the Caucasus and its sources"
    (abstract,) = meta.findall("abstract")
    (translated,) = meta.findall("trans-abstract")
    assert (abstract.get(XML_LANG), translated.get(XML_LANG)) == ("tr", "en")
    assert _text(translated).startswith("This article examines")
    keywords = {group.get(XML_LANG): [k.text for k in group.iter("kwd")] for group in meta.iter("kwd-group")}
    assert keywords == {
        "tr": ["Kafkasya", "Azerbaycan", "güvenlik"],
        "en": ["Caucasus", "Azerbaijan", "security"],
    }


def test_an_english_article_takes_its_turkish_translation_under_oz(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8").replace(
        "section: Deneme",
        "section: Deneme\nlang: en\nkeywords: [security]\ntitle-tr: Türkçe başlık\n"
        "abstract-tr: Türkçe öz.\nkeywords-tr: [güvenlik]",
    )
    article.write_text(text, encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--only", "epub")
    assert run.code == 0, run.stderr
    built = BuiltIssue(
        run, tmp_path / "out", tmp_path / "out" / "x.pdf", next((tmp_path / "out").glob("*.epub"))
    )
    own, other = _sections(built, "a01")
    assert _text(next(own.iter(f"{XHTML}p"))) == "Abstract"
    assert other.get("lang") == "tr"
    assert [_text(p) for p in other.iter(f"{XHTML}p")] == [
        "Türkçe başlık",
        "Öz",
        "Türkçe öz.",
        "Anahtar Kelimeler: güvenlik",
    ]


def test_a_translation_in_the_article_s_own_language_is_refused(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("section: Deneme", "section: Deneme\ntitle-tr: Başlık"), encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 8: 'title-tr' gives the article's title in its own language (tr)\n"
        "  what to do: write it as 'title', or in the other language as 'title-en'",
    )


@pytest.mark.parametrize(
    ("abstract", "message"),
    [
        (
            "Bu öz [Foreign policy]{lang=en} içerir.",
            "'abstract' holds a span with attributes, '[Foreign policy]{lang=en}', which would print as "
            "typed: front matter is plain text, not Markdown\n  what to do: give an abstract in English "
            "as 'abstract-en:', beside this one; otherwise write the words without the brackets",
        ),
        (
            "Bu öz *Dış Bakış* dergisini anar.",
            "'abstract' holds emphasis, '*Dış Bakış*', which would print as typed: front matter is plain "
            "text, not Markdown\n  what to do: write the words without the asterisks",
        ),
    ],
)
def test_markdown_in_front_matter_is_refused_not_printed_as_typed(
    minimal_manuscript: Path, tmp_path: Path, abstract: str, message: str
) -> None:
    """The issue's new editor wrote ``abstract: "[…]{lang=en}"`` and got the brackets printed."""
    from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    start = text.index("abstract: ")
    end = text.index("\n", start)
    article.write_text(text[:start] + f'abstract: "{abstract}"' + text[end:], encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(run, out_dir, f"{article}, line 8: {message}")


def test_an_asterisk_that_is_not_emphasis_is_kept(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    start = text.index("abstract: ")
    end = text.index("\n", start)
    article.write_text(text[:start] + 'abstract: "5 * 3 = 15; yıldızlı not*."' + text[end:], encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--only", "epub")
    assert run.code == 0, run.stderr
    (epub,) = (tmp_path / "out").glob("*.epub")
    text = " ".join(" ".join("".join(root.itertext()).split()) for _, root in read_epub(epub).documents)
    assert "5 * 3 = 15; yıldızlı not*." in text


def test_the_doi_is_printed_on_the_opener_as_a_link_and_is_the_jats_article_id(
    built_citations: BuiltIssue,
) -> None:
    """An article's own ``doi`` (given as a link, taken as the DOI), and the issue's
    ``doi-pattern`` for an article without one; shown whole, as Crossref asks."""
    dois = {"a01": "10.99999/disbakis.kafkasya", "a02": "10.99999/disbakis.2025.06.02"}
    for key, doi in dois.items():
        root = next(
            root for name, root in read_epub(built_citations.epub).documents if name.endswith(f"{key}.xhtml")
        )
        (link,) = [a for a in root.iter(f"{XHTML}a") if a.get("href") == f"https://doi.org/{doi}"]
        assert _text(link) == f"https://doi.org/{doi}"
    text = " ".join(line.text for line in readback.pdf_lines(built_citations.pdf))
    assert all(f"https://doi.org/{doi}" in text for doi in dois.values())
    offprint = built_citations.out_dir / CITATIONS_SLUG / "01-kaynakli.pdf"
    assert "https://doi.org/10.99999/disbakis.kafkasya" in " ".join(
        line.text for line in readback.pdf_lines(offprint)
    )
    for file, doi in (("01-kaynakli.xml", dois["a01"]), ("02-elle-kaynakca.xml", dois["a02"])):
        root = etree.parse(str(built_citations.out_dir / CITATIONS_SLUG / file)).getroot()
        assert root.findtext("front/article-meta/article-id[@pub-id-type='doi']") == doi
    # the EPUB's package: each article's DOI as a related resource, the ISSN as the series'
    opf = read_epub(built_citations.epub).opf
    relations = [element.text for element in opf.iter("{http://purl.org/dc/elements/1.1/}relation")]
    assert relations == [f"https://doi.org/{doi}" for doi in dois.values()]
    (series,) = [
        element for element in opf.iter("{*}meta") if element.get("property") == "dcterms:identifier"
    ]
    assert (series.get("refines"), series.text) == ("#magazine", "urn:issn:1234-5679")


def test_a_reference_s_doi_is_a_link_in_the_bibliography(built_citations: BuiltIssue) -> None:
    root = next(
        root for name, root in read_epub(built_citations.epub).documents if name.endswith("a01.xhtml")
    )
    links = [a.get("href") for a in root.iter(f"{XHTML}a")]
    assert "https://doi.org/10.1234/fa.2021.100" in links


def test_a_wrong_doi_is_refused_with_its_line(minimal_manuscript: Path, tmp_path: Path) -> None:
    from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("section: Deneme", "section: Deneme\ndoi: 10.12/abc"), encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 8: '10.12/abc' is not a DOI\n"
        "  what to do: write it as Crossref gave it: 10., the prefix's digits, /, the suffix: "
        "10.12345/db.2025.1",
    )
