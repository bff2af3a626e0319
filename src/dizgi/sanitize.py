"""What raw HTML and attributes may reach the outputs; everything else is refused, clearly.

Manuscripts come from authors, pasted from word processors and web pages. An EPUB we
publish must hold no script, no form, no frame and nothing a reading system would fetch
from the web (a tracking pixel in a book). So the article's Pandoc AST is checked before
anything is made from it, the same for the PDF and the EPUB: raw HTML may use the text
elements below and their plain attributes; a link may go to the web (``http``, ``https``),
to an address (``mailto``) or inside the issue; a picture must be a file of the manuscript.
Anything else stops the build with the article, the line and what to write instead;
nothing is silently dropped, so what the editor sees in the manuscript is what is printed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from dizgi.errors import ManuscriptError
from dizgi.model import Article, JsonAst, TypesetArticle
from dizgi.pandoc_ast import elements

#: elements raw HTML may use: text-level and block elements that carry no resource
ALLOWED_ELEMENTS = frozenset(
    "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del dfn div dl dt em "
    "figcaption figure h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q s samp small span strong "
    "sub sup table tbody td tfoot th thead tr u ul var wbr".split()
)
#: attributes raw HTML may use on them (``aria-*`` too); ``href`` and ``cite`` are checked as links
ALLOWED_ATTRIBUTES = frozenset(
    "id class lang dir title role href cite datetime colspan rowspan scope headers abbr start "
    "reversed type value span".split()
)
#: Pandoc attributes (``{key=value}``) that would load something or run something
REFUSED_PANDOC_ATTRIBUTES = frozenset(
    "style src srcset href action formaction poster background xlink:href data".split()
)
#: where a link may lead: the web, an e-mail address, or (no scheme) inside the issue
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_RAW_HTML = ("html", "html4", "html5")


#: ids dizgi gives its own elements: the article (``a01``) and all in it (``a01-p7``,
#: ``a01-note-3``), the print pages in the EPUB (``page-12``) and the issue's furniture
_ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')
_GENERATED_ID = re.compile(r"^(a\d+(-.*)?|page-.*)$")
FURNITURE_IDS = frozenset(
    "colophon colophon-title contents contents-title cover landmarks landmarks-title page-list "
    "page-list-title toc toc-title".split()
)


def check_article(ast: JsonAst, article: Article) -> None:
    """Raise ``ManuscriptError`` at the first raw HTML, attribute, link, picture or id the
    outputs may not carry; return quietly when there is none."""
    ids: set[str] = set()
    for element in elements(ast["blocks"]):
        kind, content = element.get("t"), element.get("c")
        if not isinstance(content, list):
            continue
        if kind in ("RawBlock", "RawInline") and content[0] in _RAW_HTML:
            for identifier in _check_raw_html(content[1], article):
                _check_id(identifier, f'id="{identifier}"', ids, article)
        identifier = _identifier(element)
        if identifier:
            _check_id(identifier, f"#{identifier}", ids, article)
        for name, _ in _attributes(element):
            if name.lower().startswith("on") or name.lower() in REFUSED_PANDOC_ATTRIBUTES:
                _refuse(
                    article,
                    f"{name}=",
                    f"the attribute '{name}' may not reach the PDF or the EPUB: "
                    "it would run or load something in a reader",
                    "remove it; a passage in another language takes {lang=en}, nothing else is needed",
                )
        if kind == "Link":
            _check_link(content[2][0], article)
        if kind == "Image":
            _check_picture(content[2][0], article)


def check_ids_across_articles(articles: tuple[TypesetArticle, ...]) -> None:
    """An id the manuscript gives must be unique in the whole issue too: the print issue is
    one document, where a link to a twice-given id leads to the first. (dizgi's own ids
    begin with the article's key, so only ids of the manuscript can meet here.)"""
    first: dict[str, Path] = {}
    for typeset in articles:
        html = typeset.content_html
        for identifier in dict.fromkeys(_ID_ATTRIBUTE.findall(html)):
            if identifier in first:
                written = (
                    f"#{identifier}" if f"#{identifier}" in typeset.article.body else f'id="{identifier}"'
                )
                _refuse(
                    typeset.article,
                    written,
                    f"the id '{identifier}' is given in {first[identifier]} too",
                    "give each marked place an id of its own in the whole issue (the PDF is one document)",
                )
            first[identifier] = typeset.article.source


_INNER_LINK = re.compile(r'\shref="#([^"]*)"')


def check_links_within_issue(articles: tuple[TypesetArticle, ...]) -> None:
    """A link to a place in the issue (``[harita](#harita)``) must find it: the PDF's link
    would lead nowhere, and the EPUB would not be valid (EPUBCheck RSC-012)."""
    places = set(FURNITURE_IDS)
    for typeset in articles:
        key = typeset.article.key
        places |= {key, f"{key}-title", f"{key}-notes", f"{key}-notes-title", f"{key}-bibliography"}
        places.update(_ID_ATTRIBUTE.findall(typeset.content_html))
    for typeset in articles:
        for target in dict.fromkeys(_INNER_LINK.findall(typeset.content_html)):
            if target not in places:
                _refuse(
                    typeset.article,
                    f"#{target}",
                    f"the link '#{target}' leads to no place in the issue: no element has the id '{target}'",
                    "give the place it should lead to that id ({#" + target + "} after a heading, or "
                    "[text]{#" + target + "}), or correct the link",
                )


def _check_id(identifier: str, needle: str, seen: set[str], article: Article) -> None:
    """An id written in the manuscript must be its own: not one dizgi makes, not given twice
    (a link to it would lead to the wrong place, and the EPUB would not be valid)."""
    if _GENERATED_ID.match(identifier) or identifier in FURNITURE_IDS:
        _refuse(
            article,
            needle,
            f"the id '{identifier}' is one dizgi gives its own elements",
            "choose another id (ids like a01-p1, a01-note-1 and page-3 are dizgi's), "
            "e.g. one that names what it marks: {#harita}",
        )
    if identifier in seen:
        _refuse(
            article,
            needle,
            f"the id '{identifier}' is given twice in this article",
            "give each marked place an id of its own",
        )
    seen.add(identifier)


def _check_raw_html(html: str, article: Article) -> list[str]:
    """Refuse what raw HTML may not hold; return the ids it gives."""
    parser = _TagCollector()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.tags:
        if tag not in ALLOWED_ELEMENTS:
            fix = (
                "write the picture in Markdown: ![what it shows](images/file.jpg)"
                if tag == "img"
                else "remove it; dizgi publishes text, headings, lists, tables and links, nothing that runs"
            )
            _refuse(article, f"<{tag}", f"the HTML element <{tag}> may not reach the PDF or the EPUB", fix)
        for name, value in attributes:
            if name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
                _refuse(
                    article,
                    name,
                    f"the attribute '{name}' on <{tag}> may not reach the PDF or the EPUB",
                    "remove it; raw HTML may carry only id, class, lang, dir, title and a link's href",
                )
            if name in ("href", "cite") and value is not None:
                _check_link(value, article)
    return [value for _, attributes in parser.tags for name, value in attributes if name == "id" and value]


def _check_picture(target: str, article: Article) -> None:
    """A picture must be a file of the manuscript (``figures`` finds and reads it)."""
    if _SCHEME.match(target) or target.startswith("/"):
        _refuse(
            article,
            target,
            f"the picture '{target}' comes from outside the manuscript; the outputs may not fetch it",
            "put the picture's file in the manuscript folder and give its path, "
            "e.g. ![Bakü’de bir tören](images/toren.jpg)",
        )


_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".tif", ".tiff")


def _check_link(target: str, article: Article) -> None:
    """A link leads to the web, an e-mail address or a place in the issue (``#id``): a link
    to a file (``../images/harita.png``, ``ek.pdf``) leads nowhere in the PDF, and is an
    error in the EPUB, which holds no such file."""
    scheme = _SCHEME.match(target)
    if not scheme and target.strip() and not target.startswith("#"):
        picture = (
            target.lower().rsplit("?", 1)[0].endswith((".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"))
        )
        _refuse(
            article,
            target,
            f"the link '{target}' leads to a file, which neither the PDF nor the EPUB holds",
            "a picture is written with '!' and what it shows in brackets: "
            "![Bakü’de bir tören](images/toren.jpg) (a ']' inside the brackets ends them early)"
            if picture
            else "link to an https:// address, a mailto: address or a place in the issue (#id), "
            "or remove the link",
        )
    if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
        _refuse(
            article,
            target,
            f"the link '{target}' may not reach the PDF or the EPUB: "
            f"{scheme.group(1)}: is neither the web nor an e-mail address",
            "link to an https:// address, a mailto: address or a place in the issue, or remove the link",
        )


def _refuse(article: Article, needle: str, problem: str, fix: str) -> None:
    raise ManuscriptError(
        problem,
        fix=fix,
        path=article.source,
        line=article.line_of(needle),
    )


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_pi(self, data: str) -> None:
        self.tags.append(("?" + data.split()[0] if data.split() else "?", []))

    def unknown_decl(self, data: str) -> None:
        self.tags.append(("!" + data.split()[0] if data.split() else "!", []))


def _attr(element: dict[str, Any]) -> list[Any] | None:
    """A Pandoc element's Attr (``[id, classes, key-values]``), or ``None``."""
    kind, content = element.get("t"), element.get("c")
    attr: Any = None
    if not isinstance(content, list):
        return None
    if kind in ("Span", "Div", "Code", "CodeBlock", "Link", "Image", "Table", "Figure"):
        attr = content[0]
    elif kind == "Header":
        attr = content[1]
    if not (isinstance(attr, list) and len(attr) == 3 and isinstance(attr[2], list)):
        return None
    return attr


def _attributes(element: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``key=value`` attributes of a Pandoc element that has an Attr, else none."""
    attr = _attr(element)
    return [] if attr is None else [(str(name), str(value)) for name, value in attr[2]]


def _identifier(element: dict[str, Any]) -> str:
    """The id the manuscript gave an element; a heading's does not count, ``convert``
    replaces it with one of its own."""
    attr = _attr(element)
    return "" if attr is None or element.get("t") == "Header" else str(attr[0])
