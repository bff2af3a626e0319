"""XHTML documents, navigation, fonts and metadata -> ebooklib -> the EPUB 3.

The documents are written whole from our templates (ebooklib's ``EpubHtml`` would re-parse
them with an HTML parser and rebuild the head); ebooklib does the package, the NCX and the
zip. The zip is then rewritten with fixed timestamps so two builds give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from dizgi import turkish
from dizgi.errors import RenderError
from dizgi.model import Issue, TypesetArticle
from dizgi.templates import ArticleEntry, render, render_article

XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
EPUB_NAMESPACE = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: ARIA roles that have an ``epub:type`` twin reading systems still look for
ROLE_TO_EPUB_TYPE = {
    "doc-noteref": "noteref",
    "doc-endnotes": "endnotes",
    "doc-backlink": "backlink",
    "doc-toc": "toc",
}
#: the namespace UUIDv5 identifiers are derived in: same magazine + issue, same identifier
DIZGI_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://dizgi.invalid/issue")
#: in the EPUB: the shared @font-face rules, then the EPUB's own
STYLESHEETS = ("css/fonts.css", "css/epub.css")


class _Document(epub.EpubItem):  # type: ignore[misc]  # ebooklib ships no type hints
    """An XHTML document we wrote whole; ``properties`` go to the manifest."""

    def __init__(self, uid: str, file_name: str, content: bytes, properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type="application/xhtml+xml", content=content)
        self.properties = list(properties)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, plus ``xml:lang`` on ``<package>`` (Ace asks for it)."""

    def _write_opf_metadata(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_metadata(root)


def book_identifier(issue: Issue) -> str:
    """A stable identifier: never random, the same for every build of this issue."""
    return f"urn:uuid:{uuid.uuid5(DIZGI_NAMESPACE, f'{issue.meta.magazine}|{issue.meta.issue}')}"


def build_epub(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    styles_dir: Path,
    target: Path,
    timestamp: datetime.datetime,
) -> int:
    """Write the EPUB to ``target``; return the number of XHTML documents in its spine."""
    meta = issue.meta
    templates = styles_dir / "templates"
    book = epub.EpubBook()
    book.set_identifier(book_identifier(issue))
    book.set_title(f"{meta.magazine} · {meta.issue}")
    book.set_language(meta.language)
    creators = dict.fromkeys(author.credit for t in articles for author in t.article.meta.authors)
    for number, creator in enumerate(creators, start=1):
        book.add_author(creator, uid=f"creator{number}", role="aut")
    book.add_metadata("DC", "date", meta.date.isoformat())
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.licence:
        book.add_metadata("DC", "rights", meta.licence)
    for keyword in sorted(
        {kw for t in articles for kw in t.article.meta.keywords}, key=turkish.collation_key
    ):
        book.add_metadata("DC", "subject", keyword)

    items = [ArticleEntry(t.article, href=f"{t.article.key}.xhtml", headings=t.headings) for t in articles]

    def document(
        uid: str, title: str, content: str, properties: tuple[str, ...] = (), body_type: str = ""
    ) -> _Document:
        xhtml = render(
            templates,
            "document.xhtml.j2",
            lang=meta.language,
            title=title,
            stylesheets=STYLESHEETS,
            content=content,
            body_type=body_type,
        )
        return _Document(uid, f"{uid}.xhtml", _finish_xhtml(xhtml, f"{uid}.xhtml"), properties)

    cover = document(
        "cover", turkish.LABELS["cover"], render(templates, "cover.html.j2", issue=meta, articles=items)
    )
    nav = document(
        "nav", turkish.LABELS["contents"], render(templates, "nav.xhtml.j2", articles=items), ("nav",)
    )
    article_documents = [
        document(t.article.key, t.article.meta.title, render_article(templates, t), body_type="bodymatter")
        for t in articles
    ]
    colophon = document(
        "colophon", turkish.LABELS["colophon"], render(templates, "colophon.html.j2", issue=meta)
    )
    for item in (cover, nav, *article_documents, colophon):
        book.add_item(item)
    for stylesheet in STYLESHEETS:
        name = stylesheet.rpartition("/")[2]
        book.add_item(
            epub.EpubItem(
                uid=name.replace(".", "-"),
                file_name=stylesheet,
                media_type="text/css",
                content=(styles_dir / name).read_bytes(),
            )
        )
    for number, font in enumerate(sorted((styles_dir / "fonts").glob("*.ttf")), start=1):
        book.add_item(
            epub.EpubItem(
                uid=f"font{number}",
                file_name=f"css/fonts/{font.name}",
                media_type="font/ttf",
                content=font.read_bytes(),
            )
        )
    book.add_item(epub.EpubNcx())
    book.toc = [epub.Link(item.href, item.article.meta.title, item.article.key) for item in items]
    book.toc.append(epub.Link("colophon.xhtml", turkish.LABELS["colophon"], "colophon"))
    book.spine = [cover, nav, *article_documents, colophon]

    buffer = io.BytesIO()
    writer = _Writer(buffer, book, {"mtime": timestamp, "epub3_pages": False, "raise_exceptions": True})
    writer.process()
    writer.write()
    target.write_bytes(_reproducible_zip(buffer.getvalue(), timestamp))
    return len(book.spine)


def _finish_xhtml(xhtml: str, name: str) -> bytes:
    """Check the document is well-formed XML; mirror ``lang`` to ``xml:lang``; add ``epub:type``."""
    try:
        root = etree.fromstring(xhtml.encode("utf-8"))
    except etree.XMLSyntaxError as error:
        raise RenderError(
            f"the EPUB document {name} is not well-formed XHTML: {error}",
            fix="raw HTML in the manuscript must be XHTML (close every tag, quote attributes)",
        ) from None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        lang = element.get("lang")
        if lang:
            element.set(XML_LANG, lang)
        epub_type = ROLE_TO_EPUB_TYPE.get(element.get("role", ""))
        if epub_type and not element.get(f"{{{EPUB_NAMESPACE}}}type"):
            element.set(f"{{{EPUB_NAMESPACE}}}type", epub_type)
        if element.tag == f"{{{XHTML_NAMESPACE}}}li" and "note" in element.get("class", "").split():
            element.set(f"{{{EPUB_NAMESPACE}}}type", "endnote")
    body = etree.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body


def _reproducible_zip(data: bytes, timestamp: datetime.datetime) -> bytes:
    """Rewrite the zip with one fixed time on every entry; ``mimetype`` first and stored."""
    stamp = (
        max(timestamp.year, 1980),
        timestamp.month,
        timestamp.day,
        timestamp.hour,
        timestamp.minute,
        timestamp.second,
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        names = sorted(
            source.namelist(), key=lambda name: (name != "mimetype", name != "META-INF/container.xml", name)
        )
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=9)
    return output.getvalue()
