"""JATS Publishing 1.3 for each article: what journal systems (Open Journal Systems,
DergiPark, PubMed Central, indexes fed by Crossref) take beside the article's PDF.

The body and back come from Pandoc's ``jats_publishing`` writer, on the article's AST
after the Turkish rules (so the XML reads as the PDF does); the front (journal, issue,
title, contributors, abstract, keywords, licence) from the metadata, with a template. The
notes, which are the article's *Kaynakça*, become a ``ref-list`` of ``mixed-citation``s,
and the note calls cross-references to them. Written only for an issue with an ISSN: JATS
Publishing requires the journal-meta, and an ISSN in it. The tests validate the output
against NLM's JATS 1.3 XSD (``tests/schemas``; compiling it takes seconds, too long for every
build), so ``problems`` checks at build time what can be checked quickly: the elements the
front needs, ``xml:lang`` where language is said, and every cross-reference pointing at an
id that exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree

from dizgi import citations, jatsrefs
from dizgi.errors import RenderError
from dizgi.model import Issue, JatsSource, JsonAst, TypesetArticle
from dizgi.pandoc_ast import NO_BREAK_CLASS, NO_HYPHENATION_CLASS, unwrapped
from dizgi.pandoc_process import run_pandoc
from dizgi.templates import render
from dizgi.turkish import LABELS

#: what separates the body from the back in Pandoc's output (its template: ``jats.pandoc``)
_BACK = "<!--dizgi-jats-back-->"
XLINK = "http://www.w3.org/1999/xlink"
#: the prefixes Pandoc's JATS may use, which the whole document declares on its root
_NAMESPACES = f'xmlns:xlink="{XLINK}" xmlns:mml="http://www.w3.org/1998/Math/MathML"'


def _fragment(tag: str, content: str) -> etree._Element:
    """Pandoc's JATS fragment inside ``<tag>``, parsed with the namespaces it may use."""
    return etree.fromstring(f"<{tag} {_NAMESPACES}>{content}</{tag}>")


def _serialized(element: etree._Element) -> str:
    """The fragment as text again, without the declarations the document root makes."""
    return etree.tostring(element, encoding="unicode").replace(f" {_NAMESPACES}", "", 1)


def jats_source(
    ast: JsonAst, bibliography: tuple[list[Any], ...], structured: tuple[dict[str, Any] | None, ...]
) -> JatsSource:
    """What an article's JATS is made from, taken when the convert stage has finished the
    article's AST (before its notes are lifted out for the HTML)."""
    return JatsSource(json.dumps(ast), json.dumps(bibliography), structured)


def _body_and_back_of(typeset: TypesetArticle, styles_dir: Path) -> tuple[str, str]:
    source = typeset.jats_source
    article = typeset.article
    if source is None:
        raise RenderError(
            "the article reached the JATS stage without its AST",
            fix="report this with the article attached",
            path=article.source,
        )
    return body_and_back(
        json.loads(source.ast_json),
        typeset.notes_title,
        styles_dir,
        article.source,
        tuple(json.loads(source.bibliography_json)),
        source.structured,
        article.meta.lang,
    )


def body_and_back(
    ast: JsonAst,
    notes_title: str,
    styles_dir: Path,
    source: Path,
    bibliography: tuple[list[Any], ...] = (),
    structured: tuple[dict[str, Any] | None, ...] = (),
    lang: str = "tr",
) -> tuple[str, str]:
    """Pandoc's JATS of the article's AST: ``<body>`` and ``<back>`` (the front waits for
    the page numbers). The ``bibliography`` is the back's ``ref-list`` and the notes its
    ``fn-group``; without one, the notes, which then cite, are the references. Each entry
    with its data (``structured``, the CSL item, by the entry's place) gets an
    ``element-citation`` beside its ``mixed-citation`` (its text set as the article's
    language, ``lang``, or the item's own)."""
    template = styles_dir / "templates" / "jats.pandoc"
    if bibliography:
        ast = {**ast, "blocks": [*ast["blocks"], citations.references_div(bibliography)]}
    try:
        document = json.dumps(unwrapped(ast, _is_layout_span))
        output, _ = run_pandoc(
            document, "--from", "json", "--to", "jats_publishing", "--standalone", f"--template={template}"
        )
    except RuntimeError as error:
        raise RenderError(
            f"Pandoc could not write the article as JATS: {error}",
            fix="report this with the article attached; the Markdown itself was read",
            path=source,
        ) from None
    body, _, back = output.partition(_BACK)
    if bibliography:
        return _figure_credits(body.strip()), _titled(back.strip(), notes_title, structured, lang)
    return _figure_credits(body.strip()), _references(back.strip(), notes_title)


def _titled(
    back: str, notes_title: str, structured: tuple[dict[str, Any] | None, ...] = (), lang: str = "tr"
) -> str:
    """The back with its reference list titled *Kaynakça* and its notes *Notlar*, and each
    reference with data its ``element-citation``."""
    root = _fragment("back", back)
    for reference, item in zip(root.iterfind("ref-list/ref"), structured, strict=False):
        if item is not None:
            reference.append(jatsrefs.element_citation(item, lang))
    for group, title in (("ref-list", LABELS["references"]), ("fn-group", notes_title)):
        element = root.find(group)
        if element is None:
            continue
        heading = element.find("title")
        if heading is None:
            heading = etree.Element("title")
            element.insert(0, heading)
        heading.text = title
    return _serialized(root)


#: marks an element whose content stands in its place once it is gone
_UNWRAPPED = "dizgi-unwrapped"


def _figure_credits(body: str) -> str:
    """A figure's credit (*Fotoğraf: …*, *Kaynak: …*), which Pandoc leaves in the caption, as
    the figure's ``attrib``; the caption keeps its text."""
    root = _fragment("body", body)
    for figure in root.iter("fig"):
        for part in list(figure.iterfind("caption//named-content")):
            kind = part.get("content-type")
            if kind == "credit":
                etree.SubElement(figure, "attrib").text = "".join(map(str, part.itertext())).strip()
                _remove_keeping_tail(part)
            elif kind == "caption":
                part.tag = _UNWRAPPED
        etree.strip_tags(figure, _UNWRAPPED)  # the caption's text stands in its place
    return _serialized(root)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    tail = (element.tail or "").strip()
    previous = element.getprevious()
    if previous is not None:
        previous.tail = ((previous.tail or "").rstrip() + (" " + tail if tail else "")) or None
    else:
        parent.text = ((parent.text or "").rstrip() + (" " + tail if tail else "")) or None
    parent.remove(element)


#: classes of the spans the Turkish rules add for the line breaker, which JATS has no use for
_LAYOUT_CLASSES = frozenset((NO_BREAK_CLASS, NO_HYPHENATION_CLASS))


def _is_layout_span(node: dict[str, Any]) -> bool:
    """A span that only steers line breaking (no id, no attribute, only the classes
    ``typography`` gives them): the JATS keeps its content, not the span."""
    attributes = node["c"][0]
    return (
        node["t"] == "Span"
        and not attributes[0]
        and not attributes[2]
        and set(attributes[1]) <= _LAYOUT_CLASSES
    )


def _references(back: str, title: str) -> str:
    """Pandoc's ``fn-group`` as a ``ref-list``: each note a ``ref`` holding its text as a
    ``mixed-citation``."""
    if not back:
        return ""
    root = _fragment("back", back)
    group = root.find("fn-group")
    if group is None:
        return _serialized(root)
    references = etree.Element("ref-list")
    etree.SubElement(references, "title").text = title
    for note in group.findall("fn"):
        reference = etree.SubElement(references, "ref", id=_reference_id(note.get("id", "")))
        label = note.find("label")
        if label is not None:
            reference.append(label)
        citation = etree.SubElement(reference, "mixed-citation")
        paragraphs = note.findall("p")
        for number, paragraph in enumerate(paragraphs):
            if number:
                _append_text(citation, " ")
            _append_text(citation, paragraph.text or "")
            for child in paragraph:
                if child.tag in _CITATION_INLINE:
                    citation.append(child)
                else:  # a list or a table in a note: a citation holds text, so its words
                    _append_text(citation, " ".join("".join(map(str, child.itertext())).split()))
                    _append_text(citation, child.tail or "")
    root.replace(group, references)
    return _serialized(root)


#: what JATS lets a ``mixed-citation`` hold of what Pandoc writes in a note's paragraph
_CITATION_INLINE = frozenset(
    (
        "italic", "bold", "sup", "sub", "sc", "monospace", "underline", "strike", "ext-link", "uri",
        "styled-content", "named-content", "inline-formula", "email", "xref",
    )
)  # fmt: skip


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _reference_id(note_id: str) -> str:
    return "ref" + note_id.removeprefix("fn")


def article_xml(issue: Issue, typeset: TypesetArticle, pages: tuple[int, int], styles_dir: Path) -> bytes:
    """The whole JATS document of one article; it passes ``problems`` or the build stops
    (a failure here is dizgi's, not the manuscript's)."""
    meta = typeset.article.meta
    affiliations = {
        affiliation: f"aff{number}"
        for number, affiliation in enumerate(
            dict.fromkeys(author.affiliation for author in meta.authors if author.affiliation), start=1
        )
    }
    body, back = _body_and_back_of(typeset, styles_dir)
    if not typeset.bibliography_html:  # the notes are the references
        body = body.replace('ref-type="fn" rid="fn', 'ref-type="bibr" rid="ref')
    text = render(
        styles_dir / "templates",
        "jats.xml.j2",
        issue=issue.meta,
        meta=meta,
        affiliations=affiliations,
        journal_id=issue.slug.rsplit("-", 2)[0],
        first_page=pages[0],
        last_page=pages[1],
        body=body,
        back=back,
    )
    found = problems(text.encode())
    if found:
        raise RenderError(
            "the JATS dizgi wrote is not valid: " + "; ".join(found),
            fix="report this with the article attached",
            path=typeset.article.source,
        )
    return text.encode()


#: elements the front must hold (JATS 1.3 Publishing), as paths from the root
REQUIRED = (
    "front/journal-meta/journal-title-group/journal-title",
    "front/article-meta/title-group/article-title",
    "front/article-meta/pub-date",
    "body",
)


def problems(xml: bytes) -> list[str]:
    """What makes a JATS document wrong, as far as can be told without the DTD."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as error:
        return [f"not well-formed: {error}"]
    found = []
    if root.tag != "article" or root.get("dtd-version") != "1.3":
        found.append("the root is not <article dtd-version='1.3'>")
    if not root.get("{http://www.w3.org/XML/1998/namespace}lang"):
        found.append("the article has no xml:lang")
    found.extend(f"no {path}" for path in REQUIRED if root.find(path) is None)
    for element in root.iter("abstract", "trans-abstract", "trans-title-group", "kwd-group"):
        if not element.get("{http://www.w3.org/XML/1998/namespace}lang"):
            found.append(f"<{element.tag}> has no xml:lang")
    ids = [str(element.get("id")) for element in root.iter() if element.get("id")]
    found.extend(f"the id {i!r} is given twice" for i in sorted({i for i in ids if ids.count(i) > 1}))
    for xref in root.iter("xref"):
        if xref.get("rid") not in ids:
            found.append(f"<xref rid={xref.get('rid')!r}> points at no id")
    return found
