"""How deep an article may nest, checked before the tools that would choke on it.

Two of them do, each on input far from any article:

- Pandoc's Markdown reader backtracks on brackets inside brackets: a span or link nested
  14 deep takes 8 s and 2 GB, 18 deep more than a minute and 13 GB. So brackets are counted
  in the Markdown first, paragraph by paragraph, and more than ``MAX_BRACKETS`` is refused
  with its line.
- Python's ``json`` parser recurses, and so do the walkers after it: 2,000 block quotes
  inside each other ended in a ``RecursionError``. So the depth of Pandoc's JSON is counted
  on its text, without parsing it, and more than ``MAX_JSON_DEPTH`` is refused.
"""

from __future__ import annotations

import itertools
import re

from dizgi.errors import ManuscriptError
from dizgi.model import Article

#: brackets inside brackets a paragraph may hold (a link in a span in a span is 3)
MAX_BRACKETS = 6
#: how deep block quotes, lists and divs may nest (the AST walkers recurse, about ten
#: Python frames a level, and no article needs more)
MAX_NESTING = 30
#: how deep Pandoc's JSON of an article may nest: the real issue's is 13; every level of
#: block nesting takes two or three, and Python's stack ends near a thousand frames
MAX_JSON_DEPTH = 200

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_MARKER = re.compile(r"^([-*+]|\d+[.)])\s")
_DIV_FENCE = re.compile(r"^:{3,}")


def check_brackets(article: Article) -> None:
    """Refuse brackets nested deeper than ``MAX_BRACKETS`` (escaped ones, code spans and
    code blocks aside), naming the line where they get too deep."""
    depth = 0
    in_fence = False
    for number, line in enumerate(article.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            depth = 0  # a paragraph ends: Pandoc does not match brackets across it
            continue
        text = _CODE_SPAN.sub("", line.replace("\\\\", "").replace("\\[", "").replace("\\]", ""))
        for char in text:
            if char == "[":
                depth += 1
                if depth > MAX_BRACKETS:
                    raise ManuscriptError(
                        f"brackets nest more than {MAX_BRACKETS} deep here ([ inside [ inside [ …); "
                        "Pandoc would take minutes to read them",
                        fix="close the brackets that are open, or write a bracket that is text as \\[",
                        path=article.source,
                        line=article.body_line + number,
                    )
            elif char == "]":
                depth = max(0, depth - 1)


def json_depth(text: str) -> int:
    """How deep JSON text nests, counted on its characters (no parser, no recursion)."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(1 if char in "[{" else -1 for char in brackets), default=0)


def check_json_depth(article: Article, text: str) -> None:
    """Refuse Pandoc's JSON of the article if it nests deeper than Python may parse it."""
    if json_depth(text) > MAX_JSON_DEPTH:
        raise too_deep(article, f"more than {MAX_NESTING}")


def too_deep(article: Article, levels: str) -> ManuscriptError:
    """Lists, block quotes or divs nested too deep, with the first line that is (counting
    the ``>`` and the indentation that open it), where one is."""
    line = None
    lists: list[int] = []  # the indentation of each open list's marker
    divs = 0
    for number, text in enumerate(article.body.split("\n")):
        lead = text[: len(text) - len(text.lstrip(" \t>"))]
        rest = text[len(lead) :]
        indent = len(lead.replace(">", "").expandtabs(4))
        if _LIST_MARKER.match(rest):
            while lists and lists[-1] >= indent:
                lists.pop()
            lists.append(indent)
        elif rest.strip() and not indent:
            lists.clear()  # a paragraph at the margin ends every list
        if _DIV_FENCE.match(rest):
            divs = divs + 1 if rest.strip(": ") else max(0, divs - 1)
        if lead.count(">") + len(lists) + divs > MAX_NESTING:
            line = article.body_line + number
            break
    return ManuscriptError(
        f"the article nests lists or block quotes {levels} levels deep; dizgi sets at most {MAX_NESTING}",
        fix="flatten the nesting (a list inside a list inside a list is already hard to read)",
        path=article.source,
        line=line,
    )
