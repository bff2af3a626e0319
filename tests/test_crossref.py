"""The Crossref deposit (issue 25): ``dist/<slug>/crossref.xml``, schema 5.3.1, for the
articles with a DOI, when issue.yaml has its ``crossref:`` block. Crossref's XSD set cannot
be had here (no registry carries it), so its structure is checked: ``crossref.problems``
and what each article must hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import CITATIONS_SLUG, BuiltIssue, run_cli
from dizgi import crossref

NS = {"c": crossref.NAMESPACE, "jats": crossref.JATS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def deposit(built_citations: BuiltIssue) -> etree._Element:
    xml = (built_citations.out_dir / CITATIONS_SLUG / "crossref.xml").read_bytes()
    assert crossref.problems(xml) == []
    return etree.fromstring(xml)


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_deposit_names_the_journal_the_issue_and_the_depositor(deposit: etree._Element) -> None:
    assert deposit.get("version") == "5.3.1"
    assert deposit.findtext("c:head/c:depositor/c:email_address", namespaces=NS) == "editor@example.org"
    assert deposit.findtext("c:head/c:registrant", namespaces=NS) == "Dış Bakış"
    journal = deposit.find("c:body/c:journal", NS)
    assert journal is not None
    assert journal.findtext("c:journal_metadata/c:full_title", namespaces=NS) == "Dış Bakış"
    assert journal.findtext("c:journal_metadata/c:issn[@media_type='print']", namespaces=NS) == "1234-5679"
    assert journal.findtext("c:journal_issue/c:journal_volume/c:volume", namespaces=NS) == "7"
    assert journal.findtext("c:journal_issue/c:issue", namespaces=NS) == "2"
    assert journal.findtext("c:journal_issue/c:publication_date/c:year", namespaces=NS) == "2025"


def test_each_article_has_both_titles_its_authors_abstracts_pages_doi_and_references(
    deposit: etree._Element, built_citations: BuiltIssue
) -> None:
    first, second = deposit.iterfind("c:body/c:journal/c:journal_article", NS)
    assert first.findtext("c:titles/c:title", namespaces=NS) == "Kafkasya’da yeni denge ve kaynakları"
    translated = first.find("c:titles/c:original_language_title", NS)
    assert translated is not None and translated.get("language") == "en"
    assert translated.text == "A new balance in the Caucasus and its sources"
    person = first.find("c:contributors/c:person_name", NS)
    assert person is not None and person.get("sequence") == "first"
    assert (person.findtext("c:given_name", namespaces=NS), person.findtext("c:surname", namespaces=NS)) == (
        "Ömer",
        "Doğan",
    )
    assert _text(person.find("c:affiliations", NS)) == "Ankara Üniversitesi"
    abstracts = {a.get(XML_LANG): _text(a) for a in first.iterfind("jats:abstract", NS)}
    assert set(abstracts) == {"tr", "en"} and abstracts["en"].startswith("This article examines")
    # the pages the print issue gives it, as its JATS says
    jats = etree.parse(str(built_citations.out_dir / CITATIONS_SLUG / "01-kaynakli.xml")).getroot()
    pages = (
        first.findtext("c:pages/c:first_page", namespaces=NS),
        first.findtext("c:pages/c:last_page", namespaces=NS),
    )
    assert pages == (jats.findtext("front/article-meta/fpage"), jats.findtext("front/article-meta/lpage"))
    assert first.findtext("c:doi_data/c:doi", namespaces=NS) == "10.99999/disbakis.kafkasya"
    assert first.findtext("c:doi_data/c:resource", namespaces=NS) == "https://example.org/2025-06/01-kaynakli"
    citations = [_text(c) for c in first.iterfind("c:citation_list/c:citation", NS)]
    assert len(citations) == 30 and citations[0].startswith(
        "Ağaoğlu, Samet. Azerbaycan’ın bağımsızlık yılları."
    )
    assert second.findtext("c:doi_data/c:doi", namespaces=NS) == "10.99999/disbakis.2025.06.02"
    assert len(second.findall("c:citation_list/c:citation", NS)) == 5


def test_a_deposit_missing_an_article_s_doi_data_is_found_wrong(deposit: etree._Element) -> None:
    broken = etree.fromstring(etree.tostring(deposit))
    article = broken.find("c:body/c:journal/c:journal_article", NS)
    assert article is not None
    article.remove(article.find("c:doi_data", NS))
    assert crossref.problems(etree.tostring(broken)) == ["article 1 has no doi_data"]


def test_without_a_crossref_block_no_deposit_is_written_and_the_summary_says_why(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--only", "pdf")
    assert run.code == 0, run.stderr
    assert (
        "no Crossref deposit: issue.yaml has no 'crossref:' block (depositor, email, registrant, url)"
        in run.stdout
    )
    assert not list((tmp_path / "out").rglob("crossref.xml"))


def test_a_crossref_block_without_its_email_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

    issue = minimal_manuscript / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(
        text + "crossref:\n  depositor: D\n  registrant: R\n  url: https://example.org/{slug}\n",
        encoding="utf-8",
    )
    line = len(text.splitlines()) + 1
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line {line}: 'crossref' has no 'email'\n"
        "  what to do: give all four, indented under 'crossref:': depositor, email, registrant, url",
    )


def test_each_article_has_a_sheet_with_what_dergipark_s_form_asks(built_citations: BuiltIssue) -> None:
    sheet = (built_citations.out_dir / CITATIONS_SLUG / "01-kaynakli-dergipark.txt").read_text(
        encoding="utf-8"
    )
    fields = dict(block.split(":\n", 1) for block in sheet.strip().split("\n\n"))
    assert fields["Makale Başlığı (Türkçe)"] == "Kafkasya’da yeni denge ve kaynakları"
    assert fields["Makale Başlığı (İngilizce)"] == "A new balance in the Caucasus and its sources"
    assert fields["Anahtar Kelimeler"] == "Kafkasya, Azerbaycan, güvenlik"
    assert fields["Keywords"] == "Caucasus, Azerbaijan, security"
    assert fields["Yazarlar"] == "Ömer Doğan — Ankara Üniversitesi"
    assert fields["DOI"] == "https://doi.org/10.99999/disbakis.kafkasya"
    references = fields["Kaynakça"].splitlines()
    assert len(references) == 30
    assert (
        "Ilgaz, Ahmet – Işık, Şükrü. “Karadeniz’de güvenlik mimarisi”. Dış Bakış 3/2 (5 Mart 2019), 12–45."
        in references
    )
    # the hand-made list's article: no English title, said so
    other = (built_citations.out_dir / CITATIONS_SLUG / "02-elle-kaynakca-dergipark.txt").read_text(
        encoding="utf-8"
    )
    assert "Makale Başlığı (İngilizce):\n(yok)\n" in other
