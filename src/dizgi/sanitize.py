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
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from dizgi.errors import ManuscriptError
from dizgi.model import Article, JsonAst

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


def check_article(ast: JsonAst, article: Article) -> None:
    """Raise ``ManuscriptError`` at the first raw HTML, attribute, link or picture the
    outputs may not carry; return quietly when there is none."""
    for element in _elements(ast["blocks"]):
        kind, content = element.get("t"), element.get("c")
        if not isinstance(content, list):
            continue
        if kind in ("RawBlock", "RawInline") and content[0] in _RAW_HTML:
            _check_raw_html(content[1], article)
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
            target = content[2][0]
            if _SCHEME.match(target):
                _refuse(
                    article,
                    target,
                    f"the picture '{target}' comes from outside the manuscript; the outputs may not fetch it",
                    "put the picture's file in the manuscript folder and give its path, "
                    "e.g. ![Bakü’de bir tören](images/toren.jpg)",
                )


def _check_raw_html(html: str, article: Article) -> None:
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


def _check_link(target: str, article: Article) -> None:
    scheme = _SCHEME.match(target)
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
        line=_line_of(article, needle),
    )


def _line_of(article: Article, needle: str) -> int | None:
    """The line of the article file where ``needle`` first stands in the body."""
    at = article.body.find(needle)
    if at < 0:
        at = article.body.lower().find(needle.lower())
    return None if at < 0 else article.body_line + article.body.count("\n", 0, at)


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


def _attributes(element: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``key=value`` attributes of a Pandoc element that has an Attr, else none."""
    kind, content = element.get("t"), element.get("c")
    attr: Any = None
    if not isinstance(content, list):
        return []
    if kind in ("Span", "Div", "Code", "CodeBlock", "Link", "Image", "Table", "Figure"):
        attr = content[0]
    elif kind == "Header":
        attr = content[1]
    if not (isinstance(attr, list) and len(attr) == 3 and isinstance(attr[2], list)):
        return []
    return [(str(name), str(value)) for name, value in attr[2]]


def _elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element of the AST, without recursion (a deep manuscript must not overflow)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "t" in current:
                yield current
            stack.extend(value for value in current.values() if isinstance(value, list | dict))
        elif isinstance(current, list):
            stack.extend(value for value in reversed(current) if isinstance(value, list | dict))
