"""XHTML documents, navigation, fonts and metadata -> ebooklib -> the EPUB 3.

The documents are written whole from our templates (ebooklib's ``EpubHtml`` would re-parse
them with an HTML parser and rebuild the head); ebooklib does the package, the NCX and the
zip. The zip is then rewritten with fixed timestamps so two builds give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from dizgi import imaging, turkish
from dizgi.errors import RenderError
from dizgi.model import Author, Issue, PageStart, Picture, PrintEdition, TypesetArticle, issue_keywords
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


class _Resource(epub.EpubItem):  # type: ignore[misc]
    """A file of the EPUB, with manifest ``properties`` where it has some (the cover image)."""

    def __init__(
        self, uid: str, file_name: str, media_type: str, content: bytes, properties: tuple[str, ...] = ()
    ):
        super().__init__(uid=uid, file_name=file_name, media_type=media_type, content=content)
        self.properties = list(properties)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, plus ``xml:lang`` on ``<package>`` (Ace asks for it) and the NCX's
    true depth (ebooklib writes 0, and a reader of the NCX may then show one level)."""

    def _write_opf_metadata(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_metadata(root)

    def _get_ncx(self) -> bytes:
        ncx = etree.fromstring(super()._get_ncx())
        depth = 2 if any(isinstance(entry, tuple) for entry in self.book.toc) else 1
        for meta in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
            if meta.get("name") == "dtb:depth":
                meta.set("content", str(depth))
        result: bytes = etree.tostring(ncx, xml_declaration=True, encoding="utf-8")
        return result


def book_identifier(issue: Issue) -> str:
    """A stable identifier: never random, the same for every build of this issue."""
    return f"urn:uuid:{uuid.uuid5(DIZGI_NAMESPACE, f'{issue.meta.magazine}|{issue.meta.issue}')}"


#: a font as the EPUB carries it: its file name and its (subset) bytes
Font = tuple[str, bytes]


def characters(
    issue: Issue, articles: tuple[TypesetArticle, ...], styles_dir: Path, cover: Picture | None = None
) -> frozenset[str]:
    """Every character the EPUB's documents hold: what the subset fonts must draw.

    Known before the print layout: the only text the layout adds is the page labels of the
    page-list (folios and *Kapak*), which a placeholder page stands for here.
    """
    placeholder = PrintEdition((PageStart(turkish.LABELS["cover"], "cover"),), b"", "")
    book = epub.EpubBook()
    documents = _documents(book, issue, articles, styles_dir, placeholder, cover)
    return frozenset(_characters_of(*documents))


def font_files(styles_dir: Path) -> list[Path]:
    """The shipped faces the EPUB carries, each cut down (``fontsubset``) to ``characters``."""
    return sorted((styles_dir / "fonts").glob("*.ttf"))


def build_epub(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    styles_dir: Path,
    target: Path,
    timestamp: datetime.datetime,
    edition: PrintEdition,
    fonts: tuple[Font, ...],
    cover: Picture | None = None,
) -> int:
    """Write the EPUB to ``target``; return the number of XHTML documents in its spine.

    ``edition`` is the print layout: its page starts become page-break markers and the
    page-list, its first page the cover image (unless issue.yaml gives a ``cover`` picture,
    which is then the cover image, at reading size). ``fonts`` are the subset faces
    (``font_files`` cut down to ``characters``: the slow part, done beside the print layout).
    """
    meta = issue.meta
    book = epub.EpubBook()
    book.set_identifier(book_identifier(issue))
    book.set_title(f"{meta.magazine} · {meta.issue}")
    book.set_language(meta.language)
    creators = {
        author.credit: _file_as(author) for t in articles for author in t.article.meta.authors
    }  # in order, each once
    for number, (creator, file_as) in enumerate(creators.items(), start=1):
        book.add_author(creator, uid=f"creator{number}", role="aut")
        # ebooklib's own file_as carries a wrong scheme (marc:relators): written here
        book.add_metadata(None, "meta", file_as, {"refines": f"#creator{number}", "property": "file-as"})
    book.add_metadata("DC", "date", meta.date.isoformat())
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.licence:
        book.add_metadata("DC", "rights", meta.licence)
    for keyword in issue_keywords(articles):
        book.add_metadata("DC", "subject", keyword)
    for typeset in articles:  # what the issue holds that has an identifier of its own
        if typeset.article.meta.doi:
            book.add_metadata("DC", "relation", f"https://doi.org/{typeset.article.meta.doi}")
    _add_collection_metadata(book, issue)
    _add_accessibility_metadata(book, issue, articles, edition)
    cover_page, nav, *article_documents, colophon = _documents(
        book, issue, articles, styles_dir, edition, cover
    )
    for item in (cover_page, nav, *article_documents, colophon):
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
    for number, (name, content) in enumerate(fonts, start=1):
        book.add_item(
            epub.EpubItem(
                uid=f"font{number}", file_name=f"css/fonts/{name}", media_type="font/ttf", content=content
            )
        )
    if cover is not None:
        book.add_item(
            _Resource(
                "cover-image", cover.href, cover.media_type, imaging.reading_bytes(cover), ("cover-image",)
            )
        )
    else:
        book.add_item(
            _Resource("cover-image", "images/cover.jpg", "image/jpeg", edition.cover_jpeg, ("cover-image",))
        )
    for picture in (picture for typeset in articles for picture in typeset.pictures):
        uid = picture.href.rpartition("/")[2].replace(".", "-")
        book.add_item(_Resource(uid, picture.href, picture.media_type, imaging.reading_bytes(picture)))
    book.add_item(epub.EpubNcx())
    book.spine = [cover_page, nav, *article_documents, colophon]
    # the EPUB 2 guide names the cover page: Calibre then takes it for the cover it makes
    # from the cover image and leaves one cover, not its own and then this page
    book.guide = [{"type": "cover", "href": cover_page.file_name, "title": turkish.LABELS["cover"]}]

    buffer = io.BytesIO()
    writer = _Writer(buffer, book, {"mtime": timestamp, "epub3_pages": False, "raise_exceptions": True})
    try:
        writer.process()
        writer.write()
    except BaseException:
        # stopped (Ctrl-C, SIGTERM) or failed inside ebooklib's writer: close its zip now,
        # or the garbage collector does it later, after the buffer, and prints a traceback
        with contextlib.suppress(Exception):
            if getattr(writer, "out", None) is not None:
                writer.out.close()
        raise
    target.write_bytes(_reproducible_zip(buffer.getvalue(), timestamp))
    return len(book.spine)


def _documents(
    book: epub.EpubBook,
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    styles_dir: Path,
    edition: PrintEdition,
    cover_picture: Picture | None = None,
) -> list[_Document]:
    """The spine's documents: cover, navigation, one per article, colophon."""
    meta = issue.meta
    templates = styles_dir / "templates"
    locations = _page_locations(edition, {t.article.key for t in articles})
    breaks: dict[str, dict[str, list[str]]] = {}
    words: dict[str, dict[str, str]] = {}
    for name, anchor, label, begins in locations:
        breaks.setdefault(name, {}).setdefault(anchor, []).append(label)
        if begins:
            words.setdefault(name, {})[label] = begins

    items = [
        ArticleEntry(
            t.article,
            href=f"{t.article.key}.xhtml",
            headings=t.headings,
            notes_title=(t.notes_title or t.article.meta.notes_title) if t.notes_html else "",
            bibliography=bool(t.bibliography_html),
        )
        for t in articles
    ]

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
        name = f"{uid}.xhtml"
        return _Document(
            uid, name, _finish_xhtml(xhtml, name, breaks.get(name, {}), words.get(name, {})), properties
        )

    cover = document(
        "cover",
        turkish.LABELS["cover"],
        render(
            templates,
            "cover.html.j2",
            issue=meta,
            articles=items,
            cover_headlines=len(items),  # a reading system scrolls: every headline, none counted
            cover_src=cover_picture.href if cover_picture else "",
        ),
    )
    page_list = [(f"{name}#{_page_id(label)}", label) for name, _, label, _ in locations]
    nav = document(
        "nav",
        turkish.LABELS["contents"],
        render(templates, "nav.xhtml.j2", articles=items, page_list=page_list),
        ("nav",),
    )
    article_documents = [
        document(t.article.key, t.article.meta.title, render_article(templates, t), body_type="bodymatter")
        for t in articles
    ]
    colophon = document(
        "colophon", turkish.LABELS["colophon"], render(templates, "colophon.html.j2", issue=meta)
    )
    # The NCX (EPUB 2's table of contents, which some readers still read: MuPDF) holds what
    # the navigation document holds: articles, their headings and their notes.
    book.toc = []
    for item in items:
        key = item.article.key
        children = [epub.Link(f"{item.href}#{h.anchor}", h.text, h.anchor) for h in item.headings]
        if item.notes_title:
            children.append(epub.Link(f"{item.href}#{key}-notes", item.notes_title, f"{key}-notes"))
        if item.bibliography:
            references = turkish.LABELS["references"]
            children.append(epub.Link(f"{item.href}#{key}-bibliography", references, f"{key}-bibliography"))
        section = epub.Section(item.article.meta.title, item.href)
        book.toc.append((section, children) if children else epub.Link(item.href, section.title, key))
    book.toc.append(epub.Link("colophon.xhtml", turkish.LABELS["colophon"], "colophon"))
    return [cover, nav, *article_documents, colophon]


def _finish_xhtml(
    xhtml: str, name: str, page_breaks: dict[str, list[str]], words: dict[str, str] | None = None
) -> bytes:
    """Check the document is well-formed XML; mirror ``lang`` to ``xml:lang``; add ``epub:type``;
    mark where print pages begin (``page_breaks``: element id -> the labels of the pages
    that begin there). A page that begins no element of its own, only continues one (the
    end of a paragraph, of a note), is marked inside that element at the words it begins
    with (``words``: label -> those words), or where the element begins where they cannot
    be found; more than one label at an element are pages whose markers stand together."""
    words = words or {}
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
        if element.tag == f"{{{XHTML_NAMESPACE}}}li":
            for name in element.get("class", "").split():
                if name in _ITEM_TYPES:
                    element.set(f"{{{EPUB_NAMESPACE}}}type", _ITEM_TYPES[name])
    # By lookup, not an XPath predicate: an id from the manuscript may hold a quote mark.
    by_id = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str)}
    for anchor, labels in page_breaks.items():
        found = by_id.get(anchor)
        if found is None:
            raise RenderError(
                f"the print page {labels[0]} begins at #{anchor}, which {name} does not have",
                fix="report this: the print layout and the EPUB documents disagree",
            )
        placed = {label for label in labels if label in words and _mark_at_words(found, label, words[label])}
        host, inside = _marker_place(found)
        plain = [label for label in labels if label not in placed]
        for label in reversed(plain) if inside else plain:
            marker = _marker(label)
            if inside:
                # inside, before the first word: between two paragraphs the marker would
                # break ``p + p`` (the indent) and some readers set a blank line for it
                marker.tail, host.text = host.text, None
                host.insert(0, marker)
            else:
                host.addprevious(marker)
    body = etree.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body


#: the EPUB structural semantics of dizgi's list items, by class (not the ARIA roles
#: doc-endnote and doc-biblioentry, which DPUB-ARIA 1.1 deprecates)
_ITEM_TYPES = {"note": "endnote", "source": "biblioentry"}


def _marker(label: str) -> etree._Element:
    """The page-break marker of the print page ``label``."""
    return etree.Element(
        f"{{{XHTML_NAMESPACE}}}span",
        {"id": _page_id(label), "role": "doc-pagebreak", f"{{{EPUB_NAMESPACE}}}type": "pagebreak",
         "aria-label": label},
    )  # fmt: skip


def _mark_at_words(element: etree._Element, label: str, words: str) -> bool:
    """Put the marker of page ``label`` in ``element``'s text before ``words`` (the page's
    first words; past the rest of a word the page begins in the middle of). False where
    they are not there: the marker then goes where any other would, valid in any element
    (appended to a row or a list, it would not be)."""
    ordered = _text_runs(element)
    flat = "".join(getattr(node, kind) for node, kind in ordered)
    normalized, positions = _collapsed(flat)
    # the page's first line, as much of it as the element holds: a few words alone may
    # stand earlier in the paragraph too (generated text repeats whole sentences)
    words = " ".join(words.replace("\u2010", "").split())
    at = -1
    for length in (60, 40, 24):
        probe = words[:length].rstrip("-‐ ")
        at = normalized.find(probe) if len(probe) >= 4 else -1
        if at >= 0:
            break
    if at < 0:
        return False
    marker = _marker(label)
    offset = positions[at]
    while 0 < offset < len(flat) and flat[offset - 1].isalnum():  # inside a word: after it
        offset += 1
    offset = min(offset, len(flat))
    for node, kind in ordered:
        text = getattr(node, kind)
        parent = node.getparent()
        if kind == "tail" and (parent is None or etree.QName(parent).localname in _NO_PHRASING_CHILDREN):
            # the white space between two list items or rows, where no span may stand: the
            # words begin in the next run
            offset = max(0, offset - len(text))
            continue
        if offset <= len(text):
            before, after = text[:offset], text[offset:]
            setattr(node, kind, before)
            marker.tail = after
            if kind == "text":
                node.insert(0, marker)
            else:
                node.addnext(marker)
            return True
        offset -= len(text)
    return False


def _text_runs(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """``element``'s text runs in reading order: (node, "text" or "tail")."""
    runs: list[tuple[etree._Element, str]] = []
    if element.text:
        runs.append((element, "text"))
    for child in element:
        if isinstance(child.tag, str):
            runs += _text_runs(child)
        if child.tail:
            runs.append((child, "tail"))
    return runs


def _collapsed(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of white space one space, and where each character was."""
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
        positions.append(index)
    return "".join(out), positions


#: elements that take a page-break marker inside, before their first word, where none
#: may stand before them (a note's ``li`` in the notes' ``ol``, a cell in its row, a
#: ``figcaption`` that opens its figure): each may begin with phrasing content
_MARKED_INSIDE = frozenset({"li", "dt", "dd", "td", "th", "caption", "figcaption", "summary", "legend"})
#: elements that hold only certain children: no ``span`` may stand among them
_NO_PHRASING_CHILDREN = frozenset(
    {"ol", "ul", "menu", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "hgroup",
     "select", "optgroup", "datalist", "picture", "ruby", "html", "head"}
)  # fmt: skip


def _marker_place(element: etree._Element) -> tuple[etree._Element, bool]:
    """Where a page-break marker for a page beginning at ``element`` may stand, valid
    wherever the page begins: (the element to put it in or before, whether inside).

    A paragraph or heading takes it inside, before its first word. An element among
    siblings that no ``span`` may stand between (a note's ``li`` in the notes' ``ol``, a
    table's row) takes it inside its own first cell or item; any other element (a figure
    in the body, a table) takes it just before itself.
    """
    while True:
        name = etree.QName(element).localname
        if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
            return element, True
        if _span_may_precede(element):
            return element, False
        if name in _MARKED_INSIDE:
            return element, True
        child = next((c for c in element if isinstance(c.tag, str)), None)
        if child is None:  # an empty row: the marker goes before the structure that holds it
            return _first_phrasing_ancestor(element), False
        element = child


def _span_may_precede(element: etree._Element) -> bool:
    """Whether a ``span`` may stand just before ``element``: not among a list's items or a
    table's rows, not in a ``div`` that groups a definition list's terms, and not before a
    caption or legend that must open its figure, fieldset or details."""
    parent = element.getparent()
    if parent is None:
        return False
    parent_name = etree.QName(parent).localname
    if parent_name in _NO_PHRASING_CHILDREN:
        return False
    grandparent = parent.getparent()
    if parent_name == "div" and grandparent is not None and etree.QName(grandparent).localname == "dl":
        return False
    return (parent_name, etree.QName(element).localname) not in _FIRST_CHILDREN


#: (parent, child): a child that may have to be its parent's first
_FIRST_CHILDREN = frozenset({("figure", "figcaption"), ("fieldset", "legend"), ("details", "summary")})


def _first_phrasing_ancestor(element: etree._Element) -> etree._Element:
    """The nearest ancestor a ``span`` may stand before (a table, a list)."""
    while not _span_may_precede(element) and (parent := element.getparent()) is not None:
        element = parent
    return element


def _characters_of(*documents: _Document) -> set[str]:
    """Every character the documents' text holds: what the subset fonts must draw."""
    characters: set[str] = set()
    for document in documents:
        root = etree.fromstring(document.content)
        characters.update("".join(str(text) for text in root.itertext()))
    return characters


def _page_id(label: str) -> str:
    return f"page-{turkish.ascii_slug(label)}"


def _page_locations(edition: PrintEdition, article_keys: set[str]) -> list[tuple[str, str, str, str]]:
    """Where each print page begins in the EPUB, in page order: (document, element id, label,
    the words it begins with inside that element, or "" where the page begins it).

    The print issue is one document; the EPUB is several. The ids are the same but for the
    contents, which is the navigation document's ``toc`` in the EPUB. The cover carries no
    printed number, so it is not in the page-list: its label *Kapak*, the one page-list
    label that was no number, became ``null`` in epub.js, which then mapped no page at all.
    """
    locations = []
    for page in edition.pages:
        if page.label == turkish.LABELS["cover"]:
            continue
        key = page.anchor.split("-", 1)[0]
        if page.inside.split("-", 1)[0] in article_keys and page.words:
            locations.append((f"{page.inside.split('-', 1)[0]}.xhtml", page.inside, page.label, page.words))
        elif page.anchor == "contents":
            locations.append(("nav.xhtml", "toc", page.label, ""))
        elif key in article_keys:
            locations.append((f"{key}.xhtml", page.anchor, page.label, ""))
        elif page.anchor in ("cover", "colophon"):
            locations.append((f"{page.anchor}.xhtml", page.anchor, page.label, ""))
    return locations


def _file_as(author: Author) -> str:
    """How a creator sorts: a person by surname (``Yılmaz, Ayşe``); an institution standing
    in for a name as it is written (Calibre inverted "Milli Savunma Üniversitesi, …")."""
    if author.name is None:
        return author.credit
    *given, surname = author.name.split()
    return f"{surname}, {' '.join(given)}" if given else surname


def _add_collection_metadata(book: epub.EpubBook, issue: Issue) -> None:
    """The magazine as a series the issue belongs to, at its position: the issue's number
    when issue.yaml gives a whole one, else year and month (``202504``), which sorts the
    issues in order (readers drop a series without a position); the series' ISSN as its
    identifier."""
    book.add_metadata(
        None, "meta", issue.meta.magazine, {"property": "belongs-to-collection", "id": "magazine"}
    )
    book.add_metadata(None, "meta", "series", {"refines": "#magazine", "property": "collection-type"})
    number = issue.meta.number or ""
    position = number if number.isdigit() else f"{issue.meta.date:%Y%m}"
    book.add_metadata(None, "meta", position, {"refines": "#magazine", "property": "group-position"})
    for issn in (issue.meta.issn, issue.meta.eissn):  # the series' own identifier
        if issn:
            book.add_metadata(
                None, "meta", f"urn:issn:{issn}", {"refines": "#magazine", "property": "dcterms:identifier"}
            )


#: EPUB Accessibility 1.1 metadata; claims nothing Ace and EPUBCheck do not confirm
ACCESSIBILITY_FEATURES = (
    "structuralNavigation", "tableOfContents", "readingOrder", "pageNavigation", "displayTransformability",
)  # fmt: skip
#: the languages a summary can name, in Turkish
LANGUAGE_NAMES = {
    "tr": "Türkçe", "en": "İngilizce", "ru": "Rusça", "de": "Almanca", "fr": "Fransızca", "ar": "Arapça",
    "fa": "Farsça", "az": "Azerbaycan Türkçesi", "el": "Yunanca", "es": "İspanyolca", "it": "İtalyanca",
    "la": "Latince", "zh": "Çince", "ja": "Japonca", "ka": "Gürcüce", "hy": "Ermenice", "uk": "Ukraynaca",
}  # fmt: skip


def accessibility_summary(issue: Issue, articles: tuple[TypesetArticle, ...]) -> str:
    """The EPUB's accessibility summary, in Turkish, saying what this issue holds: pictures
    (with their alt texts) or none, and the languages it really uses."""
    pictures = any(typeset.pictures for typeset in articles)
    content = (
        "Bu yayın metin ve görsellerden oluşur; her görselin metin karşılığı (alt metni) vardır, "
        "süs niteliğindeki görseller okuma sistemlerine öyle bildirilir. "
        if pictures
        else "Bu yayın metin tabanlıdır; görsel içerik taşımaz. "
    )
    main = issue.meta.language
    others = sorted(
        {lang.split("-")[0] for typeset in articles for lang in typeset.languages} - {main.split("-")[0]},
        key=lambda code: turkish.collation_key(LANGUAGE_NAMES.get(code) or code),
    )
    named = [LANGUAGE_NAMES.get(code, code) for code in others]
    languages = f"Metnin dili {LANGUAGE_NAMES.get(main, main)} olarak"
    if named:
        listing = ", ".join(named[:-1]) + " ve " + named[-1] if len(named) > 1 else named[0]
        languages += f", {listing} bölümleri kendi dilleriyle"
    return (
        content + "Başlıklar, içindekiler ve yer imleriyle gezinilebilir; basılı sürümün sayfa numaraları "
        "sayfa listesinde ve metin içinde işaretlidir. " + languages + " belirtilmiştir. "
        "Okuma sistemi yazı boyutunu ve renkleri değiştirebilir."
    )


def _add_accessibility_metadata(
    book: epub.EpubBook, issue: Issue, articles: tuple[TypesetArticle, ...], edition: PrintEdition
) -> None:
    def meta(name: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": name})

    pictures = any(typeset.pictures for typeset in articles)
    meta("schema:accessMode", "textual")
    if pictures:
        meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual")
    for feature in ACCESSIBILITY_FEATURES:
        meta("schema:accessibilityFeature", feature)
    if pictures:
        meta("schema:accessibilityFeature", "alternativeText")
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", accessibility_summary(issue, articles))
    meta("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
    meta("a11y:certifiedBy", "dizgi")
    meta("pageBreakSource", edition.name)


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
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        names = sorted(
            source.namelist(), key=lambda name: (name != "mimetype", name != "META-INF/container.xml", name)
        )
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=9)
    return output.getvalue()
