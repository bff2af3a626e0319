"""The JATS and the Crossref deposit against the schemas journal systems validate them with
(issue 25): NLM's JATS 1.3 Journal Publishing XSD and Crossref's 5.3.1 deposit XSD set,
shipped in ``tests/schemas`` (see its README for where they come from). Each schema is
compiled once per session: that takes seconds."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from conftest import CITATIONS_SLUG, BuiltIssue

SCHEMAS = Path(__file__).parent / "schemas"


def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


@functools.cache
def jats_schema() -> etree.XMLSchema:
    """NLM's JATS 1.3 Journal Publishing XSD, compiled once per process."""
    return _schema(SCHEMAS / "jats-1.3" / "JATS-journalpublishing1-3-mathml3.xsd")


@functools.cache
def crossref_schema() -> etree.XMLSchema:
    """Crossref's 5.3.1 deposit XSD, compiled once per process."""
    return _schema(SCHEMAS / "crossref-5.3.1" / "crossref5.3.1.xsd")


def schema_errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    """What ``schema`` finds wrong with the document at ``path``, with its line."""
    document = etree.parse(
        str(path), etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    )
    if schema.validate(document):
        return []
    return [f"{path.name}:{error.line}: {error.message}" for error in schema.error_log]


def _jats_files(built: BuiltIssue, slug: str) -> list[Path]:
    files = sorted((built.out_dir / slug).glob("*.xml"))
    files = [path for path in files if path.name != "crossref.xml"]
    assert files, f"no JATS was written in {built.out_dir / slug}"
    return files


def test_the_april_articles_jats_is_valid_jats_1_3(april_jats: Path) -> None:
    """Notes as the references (mixed-citation), a Russian passage, the journal-meta."""
    assert schema_errors(jats_schema(), april_jats) == []


def test_the_jats_with_references_and_both_languages_is_valid(built_citations: BuiltIssue) -> None:
    """element-citation and mixed-citation, trans-title-group, trans-abstract, kwd-groups in
    two languages, the journal-meta with its ISSN."""
    files = _jats_files(built_citations, CITATIONS_SLUG)
    for path in files:
        assert schema_errors(jats_schema(), path) == []
    first = etree.parse(str(files[0]))
    assert first.findtext("front/journal-meta/issn") == "1234-5679"
    assert len(first.findall(".//element-citation")) >= 30
    assert first.find(".//trans-abstract") is not None


def test_the_generated_issues_jats_is_valid(built_generated: BuiltIssue) -> None:
    """Tables, pictures with credits, lists, block quotes, language spans: what the five drawn
    articles hold."""
    for path in _jats_files(built_generated, "dis-bakis-2025-05"):
        assert schema_errors(jats_schema(), path) == []


def test_the_crossref_deposit_is_valid_against_crossrefs_xsd(built_citations: BuiltIssue) -> None:
    assert schema_errors(crossref_schema(), built_citations.out_dir / CITATIONS_SLUG / "crossref.xml") == []


def test_the_schemas_reject_what_they_should(
    built_citations: BuiltIssue,
    tmp_path: Path,
) -> None:
    """The same documents, each broken in one place, fail: the schemas really judge them."""
    jats = _jats_files(built_citations, CITATIONS_SLUG)[0]
    broken = tmp_path / "broken-jats.xml"
    text = jats.read_text(encoding="utf-8")
    assert "<issn " in text
    broken.write_text(text.replace('<issn pub-type="ppub">1234-5679</issn>', ""), encoding="utf-8")
    assert any("journal-meta" in error for error in schema_errors(jats_schema(), broken))
    deposit = (built_citations.out_dir / CITATIONS_SLUG / "crossref.xml").read_text(encoding="utf-8")
    assert "<doi_batch_id>" in deposit
    broken = tmp_path / "broken-crossref.xml"
    broken.write_text(
        deposit.replace("<doi_batch_id>", "<batch_id>").replace("</doi_batch_id>", "</batch_id>")
    )
    assert schema_errors(crossref_schema(), broken) != []
