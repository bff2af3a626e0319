"""A reference's data as JATS 1.3 ``element-citation``: what a journal system reads a
reference's parts from (authors, title, source, year, volume, issue, pages, DOI), beside
the ``mixed-citation`` that holds it as printed. Made from the CSL item citeproc set it
from (the front matter's ``references``, or the bibliography file).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from lxml import etree

from dizgi.typography import typeset_text

#: CSL item types -> JATS ``publication-type``
PUBLICATION_TYPES = {
    "article-journal": "journal", "article-magazine": "magazine", "article-newspaper": "newspaper",
    "book": "book", "chapter": "book", "report": "report", "thesis": "thesis", "webpage": "webpage",
    "paper-conference": "confproc", "entry-encyclopedia": "book", "entry-dictionary": "book",
}  # fmt: skip
#: the types whose own title is a part (an article, a chapter) of a ``source`` (a journal, a book)
_PART_TITLES = {"article-journal": "article-title", "article-magazine": "article-title",
                "article-newspaper": "article-title", "webpage": "article-title",
                "paper-conference": "article-title", "chapter": "chapter-title",
                "entry-encyclopedia": "chapter-title", "entry-dictionary": "chapter-title"}  # fmt: skip
_ROLES = (("author", "author"), ("editor", "editor"), ("translator", "translator"))


def element_citation(item: dict[str, Any], lang: str) -> etree._Element:
    """The CSL ``item`` as an ``element-citation``, its parts in the order JATS lists them;
    its titles and names set by the Turkish rules as the printed entry is (an apostrophe
    before a suffix is ’), in the item's ``language`` or else ``lang``."""
    language = str(item.get("language") or lang)

    def text(value: Any) -> str:
        return typeset_text(_text(value), language)[0] if value not in (None, "") else ""

    kind = str(item.get("type") or "")
    citation = etree.Element("element-citation", {"publication-type": PUBLICATION_TYPES.get(kind, "other")})
    for variable, role in _ROLES:
        names = item.get(variable)
        if isinstance(names, list) and names:
            group = etree.SubElement(citation, "person-group", {"person-group-type": role})
            for name in names:
                _name(group, name)
    title = text(item.get("title"))
    container = text(item.get("container-title"))
    if kind in _PART_TITLES:
        _sub(citation, _PART_TITLES[kind], title)
        _sub(citation, "source", container)
    else:
        _sub(citation, "source", title or container)
    year, month, day = _date(item.get("issued"))
    _sub(citation, "year", year)
    _sub(citation, "month", month)
    _sub(citation, "day", day)
    _sub(citation, "volume", _text(item.get("volume")))
    _sub(citation, "issue", _text(item.get("issue")))
    first, _, last = _text(item.get("page")).replace("–", "-").partition("-")
    _sub(citation, "fpage", first.strip())
    _sub(citation, "lpage", last.strip())
    _sub(citation, "publisher-loc", text(item.get("publisher-place")))
    _sub(citation, "publisher-name", text(item.get("publisher")))
    accessed = _date(item.get("accessed"))
    if accessed[0]:
        stamp = "-".join(part for part in accessed if part)
        _sub(citation, "date-in-citation", stamp, {"content-type": "access-date", "iso-8601-date": stamp})
    doi = _text(item.get("DOI"))
    if doi:
        _sub(citation, "pub-id", doi, {"pub-id-type": "doi"})
    url = _text(item.get("URL"))
    if url:
        _sub(citation, "ext-link", url, {"ext-link-type": "uri", "{http://www.w3.org/1999/xlink}href": url})
    return citation


def _name(group: etree._Element, name: Any) -> None:
    """A CSL name: a person (``family``, ``given``) or a body (``literal``: ``collab``)."""
    if not isinstance(name, dict):
        _sub(group, "collab", _text(name))
        return
    if name.get("literal"):
        _sub(group, "collab", _text(name["literal"]))
        return
    person = etree.SubElement(group, "name")
    particle = _text(name.get("non-dropping-particle") or name.get("dropping-particle"))
    _sub(person, "surname", " ".join(part for part in (particle, _text(name.get("family"))) if part))
    _sub(person, "given-names", _text(name.get("given")))


def _date(value: Any) -> tuple[str, str, str]:
    """A CSL date (``date-parts``, an ISO date, a year) as (year, month, day), each "" if unknown."""
    if isinstance(value, datetime.date):
        return str(value.year), f"{value.month:02d}", f"{value.day:02d}"
    if isinstance(value, int):
        return str(value), "", ""
    if isinstance(value, dict):
        parts = (value.get("date-parts") or [[]])[0]
        padded = [str(part) for part in parts] + ["", "", ""]
        year, month, day = padded[:3]
        return year, month.zfill(2) if month else "", day.zfill(2) if day else ""
    if isinstance(value, str):
        match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
        if match:
            return match.group(1), match.group(2) or "", match.group(3) or ""
    return "", "", ""


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _sub(parent: etree._Element, tag: str, text: str, attributes: dict[str, str] | None = None) -> None:
    if text:
        etree.SubElement(parent, tag, attributes or {}).text = text
