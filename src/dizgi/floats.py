"""Page floats: a figure, table or pull quote that does not fit where it stands goes to the
top of the next page, and the text goes on filling the page it left, as LaTeX places floats.

WeasyPrint 70 has no page floats (CSS ``float: top`` is not implemented): a block that must
not break (``break-inside: avoid``) is moved whole to the next page, and the rest of its
page stays empty. So after the issue is laid out, each such gap is found: an article page
filled less than ``MIN_FILL`` whose next page begins with a floatable block. The block is
taken out, the issue laid out again, and the block put back where the next page now
begins: before the block that opens it, or inside the paragraph that runs over, split in
two at that line (a long table that runs over is split before that row, its header rows
repeated, its caption on the first part only). WeasyPrint breaks lines greedily, one line
at a time, so both halves keep the lines the whole had; the first half's last line stays
justified, the second half has no indent. The block lands at the top of the next page,
one page after its call at most, with its caption (a figure never breaks). A split never
follows a hyphenated line: the word would be cut by the figure (it goes a line earlier).

Articles begin on a page of their own, so each article's gaps are independent: a round
mends the first gap of every article laid out (the issue lays out each article alone,
``pieces``), and costs two layouts. A block whose next page begins with what followed it
(another figure that does not fit either) has no other place: it stays, and the next gap
is mended instead.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

import weasyprint

from dizgi import weasy
from dizgi.fit.spacing import HYPHENATION_MARK, line_boxes, text_boxes, text_indents
from dizgi.weasy import article_pages, boxes, page_elements

#: a page of body text filled less than this (a share of its text block's height), other
#: than an article's last, is a gap to mend
MIN_FILL = 0.85
#: the blocks that may float: figures of the body (not the lead photograph, which stands
#: under the title), tables, pull quotes
FLOAT_CLASSES = ("pullquote",)
FLOAT_TAGS = ("figure", "table")
#: the boxes of a page outside its flow: running heads and folios, the footnote area
NOT_THE_FLOW = (boxes.MarginBox, boxes.FootnoteAreaBox)
#: rounds at most: each mends one gap per article (an article with more floats than this
#: keeps its later gaps)
MAX_ROUNDS = 8


@dataclass(frozen=True)
class Gap:
    """A page left short because the block that follows did not fit on it."""

    #: the article's key
    key: str
    #: the page's index (0-based) in the issue
    page: int
    #: the floatable element that opens the next page
    block: Any


def place_floats(
    root: Any, keys: tuple[str, ...], render: Callable[[], weasyprint.Document]
) -> tuple[weasyprint.Document, int]:
    """Lay out the issue (``render`` lays out ``root`` as it stands) and move each block that
    leaves a gap to the top of the next page, round by round; the last layout and the number
    of blocks moved."""
    document = render()
    moved = 0
    if not any(_floatable(element) for element in root.iter()):
        return document, moved
    indents = text_indents(document)
    stuck: set[Any] = set()  # blocks with no other place: the next gap is mended instead
    for _ in range(MAX_ROUNDS):
        gaps = find_gaps(document, root, keys, stuck)
        if not gaps:
            break
        parents = _parents(root)
        taken = []
        for gap in gaps:
            run = _run(gap.block, parents)
            following = _next_sibling(run[-1], parents)
            _keep_indent(following, indents)
            taken.append((gap, run, following, [_take_out(block, parents) for block in reversed(run)]))
        before, document = document, render()
        placed = 0
        for gap, run, following, places in taken:
            if not _put_back_at_page_start(document, gap, run, root):
                for block, (parent, position) in zip(run, reversed(places), strict=True):
                    parent.insert(position, block)  # no place found: back where it was
                stuck.add(gap.block)
            elif _next_sibling(run[-1], _parents(root)) is following:
                stuck.add(gap.block)  # the next page began with what followed it: no move
            else:
                _keep_indent(_next_sibling(run[-1], _parents(root)), indents)
                placed += len(run)
        moved += placed
        document = render() if placed else before  # nothing moved: the tree is as it was
    return document, moved


def _run(block: Any, parents: dict[Any, Any]) -> list[Any]:
    """The block and the floatable blocks right after it: a figure followed by a figure
    that does not fit either goes with it, or the second would hold the page short."""
    run = [block]
    following = _next_sibling(block, parents)
    while following is not None and _floatable(following):
        run.append(following)
        following = _next_sibling(following, parents)
    return run


def _keep_indent(paragraph: Any, indents: dict[Any, str]) -> None:
    """Give the paragraph after a float's old or new place the first-line indent it had
    before any float moved (``p + p`` and ``p + figure + p`` give one, a float after a float
    would not): its lines stay the ones fitting chose."""
    if paragraph is not None and paragraph in indents:
        add_style(paragraph, f"text-indent: {indents[paragraph]}")


def _parents(root: Any) -> dict[Any, Any]:
    return {child: parent for parent in root.iter() for child in parent}


def _next_sibling(element: Any, parents: dict[Any, Any]) -> Any:
    siblings = list(parents[element])
    position = siblings.index(element)
    return siblings[position + 1] if position + 1 < len(siblings) else None


def find_gaps(
    document: weasyprint.Document, root: Any, keys: tuple[str, ...], stuck: Collection[Any] = ()
) -> list[Gap]:
    """The first gap of each article: a page other than the article's last, filled less than
    ``MIN_FILL``, that a floatable block left for the next page (not one of ``stuck``, which
    have no other place)."""
    gaps = []
    for key, pages in article_pages(document, root, keys).items():
        for index in pages[:-1]:
            if page_fill(document.pages[index]) >= MIN_FILL:
                continue
            block = _first_float(weasy.page_box(document.pages[index + 1]), None)
            if block is not None and block not in stuck:
                gaps.append(Gap(key, index, block))
                break
    return gaps


def footnote_area(page_box: Any) -> Any:
    """The page's footnote area when it holds notes, else None (WeasyPrint 70: a child of
    the private ``weasy.page_box(page)``)."""
    for box in page_box.children:
        if isinstance(box, boxes.FootnoteAreaBox) and box.children:
            return box
    return None


def page_fill(page: Any) -> float:
    """How much of the page's text block its content fills, from the top to the lowest line,
    picture or table row (WeasyPrint 70's private box tree: ``weasy.page_box(page)``)."""
    box = weasy.page_box(page)
    top = box.content_box_y()
    bottoms = [leaf.position_y + leaf.margin_height() for leaf in _leaves(box)]
    return (max(bottoms) - top) / box.height if bottoms else 0.0


def _leaves(box: Any) -> Iterator[Any]:
    """The boxes of the page's flow that take room: lines, pictures, table rows (not the
    margin boxes of running heads and folios, nor the footnote area)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, NOT_THE_FLOW):
            continue
        if isinstance(child, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
            yield child
        elif isinstance(child, boxes.BlockBox) and not child.children and child.height:
            yield child  # a decorative picture: a background, no content
        else:
            yield from _leaves(child)


def _floatable(element: Any) -> bool:
    if element is None or element.tag not in (*FLOAT_TAGS, "div"):
        return False
    if element.tag == "div":
        return any(name in (element.get("class") or "").split() for name in FLOAT_CLASSES)
    return "lead-image" not in (element.get("class") or "").split()


def _first_float(box: Any, holder: Any) -> Any:
    """The floatable block that holds the first line or picture of the page, if any."""
    for child in getattr(box, "children", ()):
        if isinstance(child, NOT_THE_FLOW):
            continue
        element = getattr(child, "element", None)
        inner = element if holder is None and _floatable(element) else holder
        if isinstance(child, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
            return inner
        if isinstance(child, boxes.BlockBox) and not child.children and child.height:
            return inner
        if getattr(child, "children", ()):
            return _first_float(child, inner)
    return None


def _take_out(block: Any, parents: dict[Any, Any]) -> tuple[Any, int]:
    """Remove ``block`` from the tree; where it stood (its parent and position)."""
    parent = parents[block]
    position = list(parent).index(block)
    parent.remove(block)
    return parent, position


def _put_back_at_page_start(document: weasyprint.Document, gap: Gap, run: list[Any], root: Any) -> bool:
    """Insert the blocks of ``run`` (the gap's block and the floats right after it) where the
    page after the gap now begins (the blocks taken out, the text after them moved up);
    False when that cannot be found, or when the layout no longer reaches the page after
    the gap (several floats taken out at once shorten it: a generated issue of five articles
    and thirteen pictures lost three pages so)."""
    if gap.page + 1 >= len(document.pages):
        return False
    previous_page = weasy.page_box(document.pages[gap.page])
    found = _first_line(document, gap.page + 1)
    if found is None:
        return False
    element, lines_before = found
    parents = _parents(root)
    if element not in parents:
        return False
    # never split after a hyphenated line: go up a line (or before the paragraph)
    while lines_before and lines_before[-1].endswith(HYPHENATION_MARK):
        lines_before.pop()
    target = element
    if lines_before:
        if element.tag != "p":
            return False
        second = split_paragraph(element, lines_before, parents)
        if second is None:
            return False
        target = second
        parents = _parents(root)
    before = _body_child(target, parents)
    if before is not None and before.tag == "table" and before in page_elements(previous_page):
        before = split_table(before, element, parents)
    if before is None or (target is element and before in page_elements(previous_page)):
        return False  # outside the body, or a block that began on the page before
    container = parents[before]
    position = list(container).index(before)
    for block in reversed(run):
        container.insert(position, block)
    return True


def _body_child(element: Any, parents: dict[Any, Any]) -> Any:
    """The element itself, or the block around it that is a child of the article's body (a
    paragraph inside a block quote: the quote); None outside the body (the notes)."""
    while element in parents:
        if "article-body" in (parents[element].get("class") or "").split():
            return element
        element = parents[element]
    return None


def _first_line(document: weasyprint.Document, index: int) -> tuple[Any, list[str]] | None:
    """The element of the first line on page ``index``, with the texts of its lines on the
    pages before (an empty list: it begins on this page)."""
    first = next(line_boxes(weasy.page_box(document.pages[index]), NOT_THE_FLOW), None)
    if first is None or first[0].element is None:
        return None
    element = first[0].element
    before = [
        "".join(box.text for box in text_boxes(line))
        for page in document.pages[:index]
        for block, line in line_boxes(weasy.page_box(page), NOT_THE_FLOW)
        if block.element is element
    ]
    return element, before


def split_paragraph(paragraph: Any, lines_before: list[str], parents: dict[Any, Any]) -> Any:
    """Split ``paragraph`` after the text of ``lines_before`` (its first lines as laid out):
    the paragraph keeps them, a copy after it takes the rest. Returns the copy, or None when
    the lines do not read as the element's text (generated content, a note at the foot)."""
    wanted = "".join("".join(line.removesuffix(HYPHENATION_MARK) for line in lines_before).split())
    offset = _offset_after(paragraph, wanted)
    if offset is None:
        return None
    second = copy.deepcopy(paragraph)
    _keep_chars(paragraph, 0, offset)
    _keep_chars(second, offset, None)
    kept = {node.get("id") for node in paragraph.iter()} - {None}
    for node in second.iter():
        if node.get("id") in kept:  # an element in both halves keeps its anchor in the first
            del node.attrib["id"]
    add_style(paragraph, "text-align-last: justify")
    add_style(second, "text-indent: 0")
    second.tail, paragraph.tail = paragraph.tail, None
    parent = parents[paragraph]
    parent.insert(list(parent).index(paragraph) + 1, second)
    return second


def split_table(table: Any, inside: Any, parents: dict[Any, Any]) -> Any:
    """Split ``table`` before the body row that holds ``inside``: the table keeps the rows
    before it, a copy after it (its header rows repeated, no caption) takes the rest.
    Returns the copy, or None when ``inside`` is in no body row (a header row, the caption)."""
    row = inside
    while row in parents and row.tag != "tr":
        row = parents[row]
    body = parents.get(row)
    if row.tag != "tr" or body is None or body.tag != "tbody" or list(body).index(row) == 0:
        return None
    position = list(body).index(row)
    second = copy.deepcopy(table)
    second_body = next(child for child in second if child.tag == "tbody")
    for gone in list(body)[position:]:
        body.remove(gone)
    for gone in list(second_body)[:position]:
        second_body.remove(gone)
    for caption in [child for child in second if child.tag == "caption"]:
        second.remove(caption)
    for node in second.iter():
        node.attrib.pop("id", None)
    second.tail, table.tail = table.tail, None
    container = parents[table]
    container.insert(list(container).index(table) + 1, second)
    return second


def _texts(element: Any) -> Iterator[str]:
    """The element's text pieces in document order, its own tail left out."""
    yield element.text or ""
    for child in element:
        yield from _texts(child)
        yield child.tail or ""


def _offset_after(element: Any, expected: str) -> int | None:
    """The offset in the element's text (whitespace included) of the first non-space
    character after its first non-space characters reading ``expected``."""
    seen = 0
    offset = 0
    for piece in _texts(element):
        for char in piece:
            if not char.isspace():
                if seen == len(expected):
                    return offset
                if char != expected[seen]:
                    return None
                seen += 1
            offset += 1
    return None


def _keep_chars(element: Any, start: int, end: int | None) -> None:
    """Keep only the characters from ``start`` to ``end`` of the element's text (its tail
    left as it is); a child outside that range is removed (its tail kept if in range). An
    empty child (a picture, a line break) standing at ``start`` goes with the second part."""
    position = 0

    def cut(text: str | None) -> str | None:
        nonlocal position
        if not text:
            return text
        begin = position
        position += len(text)
        low = max(start - begin, 0)
        high = len(text) if end is None else max(min(end - begin, len(text)), 0)
        return text[low:high] or None

    def walk(node: Any) -> None:
        node.text = cut(node.text)
        for child in list(node):
            child_start = position
            walk(child)
            child_end = position
            tail = cut(child.tail)
            after = end is not None and child_start >= end
            before = child_start < start and child_end <= start
            if after or before:
                _drop(node, child, tail)
            else:
                child.tail = tail

    walk(element)


def _drop(parent: Any, child: Any, tail: str | None) -> None:
    """Remove ``child``, keeping ``tail`` (the text that followed it) in its place."""
    index = list(parent).index(child)
    previous = parent[index - 1] if index else None
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(child)


def add_style(element: Any, declaration: str) -> None:
    """Add a CSS declaration to the element's own style (the next layout reads it)."""
    style = element.get("style", "")
    element.set("style", "; ".join(part for part in (style, declaration) if part))
