"""The issue's Crossref deposit (schema 5.3.1): what registers its articles' DOIs.

DergiPark's journals have ULAKBİM deposit for them; a journal of its own deposits this file
(Crossref's web deposit form takes it as it is). It holds the journal (title, ISSNs), the
issue (date, volume, number), and each article with a DOI: its titles in both languages,
its authors with ORCID and affiliation, its abstracts (``jats:abstract``, one per
language), its pages in the print issue, its DOI and page on the web (``crossref.url``),
and its references (``citation_list``: the bibliography's entries, or the notes where the
notes are the *Kaynakça*), each as the text set in print. What only the deposit needs lives
in issue.yaml under ``crossref:``; without that block no deposit is written.

No copy of Crossref's XSD set can be had here (crossref.org is out of reach, and no package
registry carries it), so ``problems`` checks what the schema would and can be checked
without it: the elements each article needs, in the schema's order.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from lxml import etree

from dizgi.model import Author, Issue, TypesetArticle

NAMESPACE = "http://www.crossref.org/schema/5.3.1"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} https://www.crossref.org/schemas/crossref5.3.1.xsd"
#: what every deposit holds, as paths from the root
REQUIRED = (
    "head/doi_batch_id", "head/timestamp", "head/depositor/email_address", "head/registrant",
    "body/journal/journal_metadata/full_title", "body/journal/journal_issue/publication_date",
)  # fmt: skip
#: an article's children, in the order the schema wants them
ARTICLE_ORDER = (
    "titles", "contributors", f"{{{JATS}}}abstract", "publication_date", "pages", "doi_data", "citation_list",
)  # fmt: skip


def deposit_xml(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    pages: Mapping[str, tuple[int, int]],
    timestamp: datetime.datetime,
) -> bytes:
    """The deposit of every article of ``issue`` that has a DOI (``pages``: each article's
    first and last page in print, by key). The issue must have its ``crossref`` block."""
    settings = issue.meta.crossref
    assert settings is not None
    meta = issue.meta
    root = etree.fromstring(
        f'<doi_batch xmlns="{NAMESPACE}" xmlns:jats="{JATS}" xmlns:xsi="{XSI}" version="5.3.1" '
        f'xsi:schemaLocation="{SCHEMA_LOCATION}"/>'
    )
    head = _sub(root, "head")
    stamp = timestamp.strftime("%Y%m%d%H%M%S")
    _sub(head, "doi_batch_id", f"{issue.slug}-{stamp}")
    _sub(head, "timestamp", stamp)
    depositor = _sub(head, "depositor")
    _sub(depositor, "depositor_name", settings.depositor)
    _sub(depositor, "email_address", settings.email)
    _sub(head, "registrant", settings.registrant)
    journal = _sub(_sub(root, "body"), "journal")
    journal_meta = _sub(journal, "journal_metadata", language=meta.language)
    _sub(journal_meta, "full_title", meta.magazine)
    for number, media in ((meta.issn, "print"), (meta.eissn, "electronic")):
        if number:
            _sub(journal_meta, "issn", number, media_type=media)
    journal_issue = _sub(journal, "journal_issue")
    _date(journal_issue, meta.date)
    if meta.volume:
        _sub(_sub(journal_issue, "journal_volume"), "volume", meta.volume)
    if meta.number:
        _sub(journal_issue, "issue", meta.number)
    for typeset in articles:
        if typeset.article.meta.doi:
            _article(journal, issue, typeset, pages[typeset.article.key], settings.url)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _article(
    journal: etree._Element, issue: Issue, typeset: TypesetArticle, pages: tuple[int, int], url: str
) -> None:
    article = typeset.article
    meta = article.meta
    element = _sub(journal, "journal_article", publication_type="full_text", language=meta.lang.split("-")[0])
    titles = _sub(element, "titles")
    _sub(titles, "title", meta.title)
    if meta.subtitle:
        _sub(titles, "subtitle", meta.subtitle)
    if meta.translation is not None and meta.translation.title:
        _sub(titles, "original_language_title", meta.translation.title, language=meta.translation.lang)
    named = [author for author in meta.authors if author.name]
    if named:
        contributors = _sub(element, "contributors")
        for index, author in enumerate(named):
            _person(contributors, author, "first" if index == 0 else "additional")
    abstracts = [(meta.lang, meta.abstract)]
    if meta.translation is not None:
        abstracts.append((meta.translation.lang, meta.translation.abstract))
    for lang, text in abstracts:
        if text:
            abstract = _sub(element, f"{{{JATS}}}abstract")
            abstract.set("{http://www.w3.org/XML/1998/namespace}lang", lang.split("-")[0])
            _sub(abstract, f"{{{JATS}}}p", text)
    _date(element, issue.meta.date)
    page_range = _sub(element, "pages")
    _sub(page_range, "first_page", str(pages[0]))
    _sub(page_range, "last_page", str(pages[1]))
    doi_data = _sub(element, "doi_data")
    _sub(doi_data, "doi", meta.doi)
    _sub(doi_data, "resource", url.format(slug=article.slug))
    references = typeset.reference_texts
    if references:
        citations = _sub(element, "citation_list")
        for number, text in enumerate(references, start=1):
            citation = _sub(citations, "citation", key=f"ref{number}")
            _sub(citation, "unstructured_citation", text)


def _person(contributors: etree._Element, author: Author, sequence: str) -> None:
    """An author as Crossref names people: given names and surname (the last word of the
    name), the affiliation, the ORCID iD as its address."""
    person = _sub(contributors, "person_name", sequence=sequence, contributor_role="author")
    assert author.name is not None
    given, _, surname = author.name.rpartition(" ")
    if given:
        _sub(person, "given_name", given)
    _sub(person, "surname", surname)
    if author.affiliation:
        _sub(_sub(_sub(person, "affiliations"), "institution"), "institution_name", author.affiliation)
    if author.orcid:
        _sub(person, "ORCID", f"https://orcid.org/{author.orcid}", authenticated="false")


def _date(parent: etree._Element, day: datetime.date) -> None:
    date = _sub(parent, "publication_date", media_type="print")
    _sub(date, "month", f"{day.month:02d}")
    _sub(date, "day", f"{day.day:02d}")
    _sub(date, "year", str(day.year))


def _name(tag: str) -> str:
    return tag if tag.startswith("{") else f"{{{NAMESPACE}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _name(tag), attributes)
    if text is not None:
        element.text = text
    return element


def problems(xml: bytes) -> list[str]:
    """What makes the deposit wrong, as far as can be told without Crossref's schema."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    found = []
    if root.tag != _name("doi_batch") or root.get("version") != "5.3.1":
        found.append("the root is not <doi_batch version='5.3.1'>")
    for path in REQUIRED:
        if root.find("/".join(_name(part) for part in path.split("/"))) is None:
            found.append(f"no {path}")
    for number, article in enumerate(root.iter(_name("journal_article")), start=1):
        children = [child.tag.replace(f"{{{NAMESPACE}}}", "") for child in article]
        for needed in ("titles", "publication_date", "doi_data"):
            if needed not in children:
                found.append(f"article {number} has no {needed}")
        order = [ARTICLE_ORDER.index(tag) for tag in children if tag in ARTICLE_ORDER]
        if order != sorted(order):
            found.append(f"article {number}'s elements are out of the schema's order: {children}")
    return found
