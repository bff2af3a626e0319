"""Markdown -> Pandoc AST -> HTML fragments (pypandoc), one article at a time.

Pandoc's own footnote HTML numbers ids per document (``fn1`` in every article), puts a
``↩︎`` emoji-style back-link the fonts lack, and cannot be titled *Kaynakça*. So the notes
are lifted out of the AST here and rendered as our own list, in the same Pandoc run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from html import escape
from html.entities import html5 as html_entities
from pathlib import Path
from typing import Any

from lxml import etree

from dizgi import citations, nesting, notelabels
from dizgi.errors import ManuscriptError, RenderError
from dizgi.model import (
    LONGEST_HYPHENATED_WORD,
    Article,
    Heading,
    JsonAst,
    Picture,
    TypesetArticle,
    note_call_id,
    note_id,
)
from dizgi.pandoc_ast import elements, is_autolink, is_inline_list, stringify
from dizgi.pandoc_process import PANDOC_READER, run_pandoc
from dizgi.turkish import LABELS, ascii_slug

PANDOC_WRITER_ARGS = ("--wrap=none", "--syntax-highlighting=none")
#: the blocks that nest (how deep they may: ``nesting.MAX_NESTING``)
_NESTING_BLOCKS = frozenset({"BlockQuote", "BulletList", "OrderedList", "Div", "DefinitionList"})


def markdown_to_ast(article: Article) -> JsonAst:
    """The article's Markdown body as Pandoc's AST (its warnings dropped: see ``read_article``)."""
    return read_article(article)[0]


def read_article(article: Article, csl_dir: Path | None = None) -> tuple[JsonAst, tuple[str, ...]]:
    """Parse the article's Markdown body with Pandoc: its AST, and Pandoc's warnings (an
    unclosed div, a note never called) as dizgi warnings naming the file and its line.
    Pandoc's own message on failure. An article with references has its citations set by
    citeproc in its style (a ``.csl`` file of ``csl_dir``)."""
    notelabels.check_note_labels(article)
    nesting.check_brackets(article)
    try:
        if csl_dir is None or article.sources is None:
            output, pandoc_warnings = run_pandoc(article.body, "--from", PANDOC_READER, "--to", "json")
        elif citations.sorts_citations(article):  # read, sort by the Turkish alphabet, then cite
            read, pandoc_warnings = run_pandoc(article.body, "--from", PANDOC_READER, "--to", "json")
            document = json.loads(read)
            citations.sort_citations(document, citations.reference_items(article))
            with citations.pandoc_arguments(article, csl_dir) as cite:
                output, cite_warnings = run_pandoc(
                    json.dumps(document), "--from", "json", "--to", "json", *cite
                )
            pandoc_warnings = [*pandoc_warnings, *cite_warnings]
        else:
            with citations.pandoc_arguments(article, csl_dir) as cite:
                output, pandoc_warnings = run_pandoc(
                    article.body, "--from", PANDOC_READER, "--to", "json", *cite
                )
    except RuntimeError as error:
        raise RenderError(
            f"Pandoc could not read the article: {error}",
            fix="correct the Markdown near the place Pandoc names",
            path=article.source,
        ) from None
    nesting.check_json_depth(article, output)
    ast: JsonAst = json.loads(output)
    if csl_dir is not None and article.sources is not None:
        citations.mark_title_languages(
            ast, citations.reference_languages(article, citations.reference_items(article))
        )
    depth = _nesting_depth(ast)
    if depth > nesting.MAX_NESTING:
        raise nesting.too_deep(article, str(depth))
    warnings = (
        *notelabels.undefined_note_warnings(article),
        *(
            citations.missing_reference(warning, article) or _in_file(warning, article)
            for warning in pandoc_warnings
        ),
        *_heading_jumps(ast, article),
        *_long_words(ast, article),
    )
    return ast, warnings


def _long_words(ast: JsonAst, article: Article) -> tuple[str, ...]:
    """A warning for each word longer than ``LONGEST_HYPHENATED_WORD``: it cannot stand on
    one line, so it is broken where each line ends, without a hyphen (see typography)."""
    warnings = []
    for word in _words(ast["blocks"]):
        if len(word) > LONGEST_HYPHENATED_WORD:
            line = article.line_of(word[:40])
            where = f"{article.source}, line {line}" if line else str(article.source)
            warnings.append(
                f"{where}: a word of {len(word):,} characters ('{word[:20]}…') is longer than a line; "
                "it is broken where each line ends, without a hyphen: if it is more than one word, "
                "put the spaces in"
            )
    return tuple(warnings)


def _heading_jumps(ast: JsonAst, article: Article) -> tuple[str, ...]:
    """A warning for each heading more than one level below the one before it (the title is
    level 1, ``##`` level 2): a screen reader's outline has a hole there, and the PDF/UA
    and EPUB checks of ``--check`` fail on it."""
    warnings, previous = [], 1
    for block in _walk_blocks(ast["blocks"]):
        if block["t"] != "Header":
            continue
        level, text = block["c"][0], stringify(block["c"][2])
        if level > previous + 1:
            line = article.line_of(text)
            where = f"{article.source}, line {line}" if line else str(article.source)
            warnings.append(
                f"{where}: the heading '{text}' is level {level} ({'#' * level}) after level {previous}; "
                f"a heading goes one level down at a time: write it {'#' * (previous + 1)}"
            )
        previous = level
    return tuple(warnings)


def _in_file(warning: str, article: Article) -> str:
    """A Pandoc warning with its lines counted in the article file, led by the first of them."""
    warning = re.sub(
        r"line (\d+)", lambda match: f"line {int(match.group(1)) + article.body_line - 1}", warning
    ).rstrip(".")
    first = re.search(r"line (\d+)", warning)
    where = f"{article.source}, line {first.group(1)}" if first else str(article.source)
    return f"{where}: Pandoc: {warning}"


def _nesting_depth(ast: JsonAst) -> int:
    """How deep block quotes, lists and divs nest (walked without recursion: the walkers
    after this one recurse, and Python's stack ends near a thousand frames)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(ast["blocks"], 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            nested = depth + (node.get("t") in _NESTING_BLOCKS)
            deepest = max(deepest, nested)
            stack.extend((value, nested) for value in node.values() if isinstance(value, list | dict))
        elif isinstance(node, list):
            stack.extend((value, depth) for value in node if isinstance(value, list | dict))
    return deepest


def typeset_article(
    article: Article,
    ast: JsonAst,
    warnings: tuple[str, ...] = (),
    pictures: tuple[Picture, ...] = (),
    lead: Picture | None = None,
    bibliography: tuple[list[Any], ...] = (),
) -> TypesetArticle:
    """Turn the article's AST into its HTML body and notes, with ASCII, article-unique ids;
    and its ``bibliography`` (entries lifted out of the AST: ``citations``) into a list."""
    key = article.key
    for element in elements(ast):
        if element.get("t") in ("RawBlock", "RawInline") and element["c"][0] in ("html", "html5"):
            element["c"][1] = _raw_html_as_xhtml(element["c"][1])
        if element.get("t") == "Div" and "pullquote" in element["c"][0][1]:
            # a pull quote repeats the text: screen readers skip it (unless it holds a link,
            # which a hidden element must not: it can still take the focus)
            if any(inner.get("t") == "Link" for inner in elements(element["c"][1])):
                continue
            attributes = element["c"][0][2]
            if not any(name == "aria-hidden" for name, _ in attributes):
                attributes.append(["aria-hidden", "true"])
    notes: list[list[Any]] = []
    headings: list[Heading] = []
    used_ids: set[str] = set()
    languages: set[str] = {article.meta.lang}

    def lift_notes(inlines: list[Any]) -> list[Any]:
        result = []
        for inline in inlines:
            if inline["t"] == "Note":
                notes.append(inline["c"])
                number = len(notes)
                result.append(_raw_inline(_note_call_html(key, number)))
            else:
                _map_inline_lists(inline, lift_notes)
                result.append(inline)
        return result

    blocks = ast["blocks"]
    _map_inline_lists(blocks, lift_notes)
    for block in _walk_blocks(blocks):
        if block["t"] == "Header":
            level, (_, classes, attributes), inlines = block["c"]
            text = stringify(inlines)
            anchor = _unique_id(f"{key}-{ascii_slug(text) or 'bolum'}", used_ids)
            block["c"][1] = [anchor, classes, attributes]
            headings.append(Heading(level=level, text=text, anchor=anchor))
    for element in elements([ast, notes]):  # the notes were lifted out of the AST above
        if element.get("t") in ("Span", "Div", "Code", "CodeBlock", "Header"):
            attributes = element["c"][0][2] if element["t"] != "Header" else element["c"][1][2]
            languages.update(value for name, value in attributes if name == "lang")

    # Where each note starts in Pandoc's HTML: a comment the article cannot hold (it is made
    # from a digest of the article's own text), so a comment in the manuscript never splits it.
    separator = f"<!--dizgi-note-{hashlib.sha256(article.body.encode()).hexdigest()[:20]}-->"
    note_blocks: list[Any] = []
    for number, note in enumerate(notes, start=1):
        _prepend_backlink(note, key, number)
        note_blocks.append(_raw_block(separator))
        note_blocks.extend(note)
    entry_separator = separator.replace("dizgi-note-", "dizgi-entry-")
    for entry in bibliography:
        note_blocks.append(_raw_block(entry_separator))
        note_blocks.extend(entry)
    document = {**ast, "blocks": blocks + note_blocks}
    try:
        html, _ = run_pandoc(json.dumps(document), "--from", "json", "--to", "html5", *PANDOC_WRITER_ARGS)
    except RuntimeError as error:
        raise RenderError(
            f"Pandoc could not write the article as HTML: {error}",
            fix="report this with the article attached; the Markdown itself was read",
            path=article.source,
        ) from None
    html, *entry_parts = html.split(entry_separator)
    body_html, *note_parts = html.split(separator)
    body_html = _tables(_number_paragraphs(body_html, key))
    # Pandoc leaves out an empty alt; a decorative picture needs it said (``figures``
    # refuses any other picture without alt text)
    body_html = re.sub(r"<img (?![^>]*\balt=)", '<img alt="" ', body_html)
    body_html = _HIDDEN_CAPTION.sub(_caption_with_link_in_reach, body_html)
    notes_html = tuple(
        f'<li id="{note_id(key, number)}" class="note">{part.strip()}</li>'
        for number, part in enumerate(note_parts, start=1)
    )
    footnotes_html = tuple(
        _as_phrasing(part.replace(_backlink_html(key, number), "", 1))
        for number, part in enumerate(note_parts, start=1)
    )
    bibliography_html = tuple(
        f'<li id="{key}-source-{number}" class="source">{part.strip()}</li>'
        for number, part in enumerate(entry_parts, start=1)
    )
    _check_xhtml(body_html + "".join(notes_html) + "".join(bibliography_html), article)
    return TypesetArticle(
        article=article,
        body_html=body_html.strip(),
        notes_html=notes_html,
        note_calls=tuple(_note_call_html(key, number) for number in range(1, len(notes) + 1)),
        footnotes_html=footnotes_html,
        headings=tuple(headings),
        languages=frozenset(languages),
        warnings=warnings,
        pictures=(lead, *pictures) if lead else pictures,
        lead=lead,
        bibliography_html=bibliography_html,
        notes_title=citations.notes_title(article, bool(bibliography_html)),
    )


#: a figure caption Pandoc hides from screen readers (it repeats the picture's alt text)
_HIDDEN_CAPTION = re.compile(r'<figcaption aria-hidden="true">(.*?)</figcaption>', re.DOTALL)


def _caption_with_link_in_reach(caption: re.Match[str]) -> str:
    """A hidden caption holding a link (a web address in the caption text, which the alt
    text repeats) is shown again: a hidden link can still take the focus, and a screen
    reader would land on nothing (Ace's aria-hidden-focus)."""
    if "<a " not in caption.group(1):
        return caption.group(0)
    return f"<figcaption>{caption.group(1)}</figcaption>"


#: elements HTML writes with no end tag, which XHTML must close (``<br>`` -> ``<br />``)
_VOID_ELEMENT = re.compile(r"<(br|hr|wbr|col)\b([^<>]*?)\s*/?>", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _raw_html_as_xhtml(html: str) -> str:
    """Raw HTML as the EPUB's XHTML needs it, meaning the same: ``<br>`` closed, and named
    entities XML does not know (``&nbsp;``) written as the characters they stand for."""
    html = _VOID_ELEMENT.sub(lambda match: f"<{match.group(1).lower()}{match.group(2).rstrip()} />", html)

    def character(match: re.Match[str]) -> str:
        name = match.group(1)
        text = html_entities.get(f"{name};")
        return match.group() if name in _XML_ENTITIES or text is None else escape(text, quote=False)

    return _NAMED_ENTITY.sub(character, html)


def _check_xhtml(html: str, article: Article) -> None:
    """Stop at raw HTML that cannot be XHTML (an unclosed tag, an unknown entity), naming
    the article and, where the fault can be found in it, its line."""
    try:
        etree.fromstring(f"<div>{html}</div>")
    except etree.XMLSyntaxError as error:
        message = re.sub(r" line \d+", "", str(error.msg).split(", line ")[0])
        needle = re.search(r"Entity '(\w+)'|tag mismatch: (\w+)|attribute (\S+)", message)
        line = None
        if needle:
            entity, tag, attribute = needle.groups()
            line = article.line_of(f"&{entity};" if entity else f"<{tag}" if tag else f" {attribute}")
        raise ManuscriptError(
            f"raw HTML in the article is not well-formed: {message}",
            fix="close every tag you open (<span>…</span>), quote attribute values, "
            "and write & as &amp;; or write it in Markdown instead",
            path=article.source,
            line=line,
        ) from None


def _note_call_html(key: str, number: int) -> str:
    label = LABELS["note_call"]
    return (
        f'<a class="noteref" id="{note_call_id(key, number)}" href="#{note_id(key, number)}" '
        f'role="doc-noteref" aria-label="{label} {number}"><sup>{number}</sup></a>'
    )


def _backlink_html(key: str, number: int) -> str:
    return (
        f'<a class="backlink" href="#{note_call_id(key, number)}" role="doc-backlink" '
        f'aria-label="{number}: {LABELS["back_to_text"]}">{number}.</a> '
    )


def _prepend_backlink(note_blocks: list[Any], key: str, number: int) -> None:
    """Open the note with its number, which links back to the call.

    The number is the back-link (as in print journals): the fonts have no arrow glyph, and
    a visible "1" whose accessible name holds "1" satisfies WCAG's label-in-name.
    """
    link = _backlink_html(key, number)
    if note_blocks and note_blocks[0]["t"] in ("Para", "Plain"):
        note_blocks[0]["c"].insert(0, _raw_inline(link))
    else:
        note_blocks.insert(0, {"t": "Plain", "c": [_raw_inline(link.strip())]})


def _number_paragraphs(body_html: str, key: str) -> str:
    """Give each paragraph a stable id (``a01-p7``), and each block a page may begin with
    that holds no paragraph of its own (a figure, a table and its rows, a list item, a
    definition, a block quote) one too (``a01-b3``): the EPUB marks each print page where
    the print layout begins it, found by this id. Without the rows' and figures' ids, a
    page that held only a table's rows or a float took the marker of the next paragraph,
    pages later."""
    numbers = iter(range(1, body_html.count("<p>") + 1))
    body_html = re.sub(r"<p>", lambda _: f'<p id="{key}-p{next(numbers)}">', body_html)
    blocks = iter(range(1, body_html.count("<") + 1))
    return _UNNAMED_BLOCK.sub(lambda match: f'{match.group()} id="{key}-b{next(blocks)}"', body_html)


#: the opening tag's name of a block without an id that a print page may begin with
_UNNAMED_BLOCK = re.compile(r"<(?:figure|table|tr|li|dt|dd|blockquote)(?=[\s>])(?![^>]*\bid=)")


def _tables(body_html: str) -> str:
    """Each table in a box that scrolls sideways on a narrow screen (``epub.css``), and its
    head cells scoped to their columns, so a screen reader names a cell's column."""
    body_html = re.sub(
        r"<thead>.*?</thead>",
        lambda head: re.sub(r"<th(?![^>]*\bscope=)(?=[\s>])", '<th scope="col"', head.group()),
        body_html,
        flags=re.DOTALL,
    )
    return body_html.replace("<table", '<div class="table-wrap"><table').replace("</table>", "</table></div>")


def _as_phrasing(note_html: str) -> str:
    """A note's paragraphs as one run of phrasing content (paragraphs joined by line breaks),
    which can sit inside a sentence as a page footnote."""
    paragraphs = re.findall(r"<p>(.*?)</p>", note_html, flags=re.DOTALL)
    return "<br />".join(part.strip() for part in paragraphs) if paragraphs else note_html.strip()


def _unique_id(candidate: str, used: set[str]) -> str:
    anchor, counter = candidate, 2
    while anchor in used:
        anchor, counter = f"{candidate}-{counter}", counter + 1
    used.add(anchor)
    return anchor


def _raw_inline(html: str) -> dict[str, Any]:
    return {"t": "RawInline", "c": ["html", html]}


def _raw_block(html: str) -> dict[str, Any]:
    return {"t": "RawBlock", "c": ["html", html]}


def _map_inline_lists(node: Any, action: Callable[[list[Any]], list[Any]]) -> None:
    """Replace every list of inlines below ``node`` by ``action(list)``, outermost first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for slot, value in list(items):
        if is_inline_list(value):
            node[slot] = action(value)
        else:
            _map_inline_lists(value, action)


def _walk_blocks(blocks: list[Any]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield block
        if block["t"] in ("BlockQuote", "Div"):
            inner = block["c"] if block["t"] == "BlockQuote" else block["c"][1]
            yield from _walk_blocks(inner)


def _words(element: Any) -> Iterator[str]:
    """The text of every ``Str``, outside addresses typed as text (autolinks: an address is
    not a word, and its link may break anywhere)."""
    if isinstance(element, dict):
        if element.get("t") == "Str":
            yield element["c"]
        elif is_autolink(element):
            return
        else:
            yield from _words(element.get("c"))
    elif isinstance(element, list):
        for item in element:
            yield from _words(item)
