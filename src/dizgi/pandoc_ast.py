"""Small facts about Pandoc's JSON AST that ``convert``, ``typography``, ``sanitize``,
``figures``, ``jats`` and ``proofing`` need."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

#: the classes of the spans ``typography`` adds for the line breaker: a word not to
#: hyphenate, words not to break apart (the outputs that do not break lines drop them)
NO_HYPHENATION_CLASS = "nohyphen"
NO_BREAK_CLASS = "nobreak"
#: the element types that make up a list of inlines (a paragraph's content, a heading's …)
INLINE_TYPES = frozenset(
    (
        "Str Emph Underline Strong Strikeout Superscript Subscript SmallCaps Quoted Cite Code "
        "Space SoftBreak LineBreak Math RawInline Link Image Note Span"
    ).split()
)


def is_inline_list(item: Any) -> bool:
    """Is ``item`` a (non-empty) list of inlines, rather than of blocks or of something else?"""
    return (
        isinstance(item, list)
        and bool(item)
        and isinstance(item[0], dict)
        and item[0].get("t") in INLINE_TYPES
    )


def is_autolink(node: dict[str, Any]) -> bool:
    """Is this ``Link`` an address typed as text (``autolink_bare_uris``, ``<…>``), not a word?"""
    return node.get("t") == "Link" and bool({"uri", "email"} & set(node["c"][0][1]))


def stringify(inlines: list[Any]) -> str:
    """The plain text of a list of Pandoc inlines (what ``pandoc.utils.stringify`` does)."""
    parts: list[str] = []
    for inline in inlines:
        kind = inline["t"]
        if kind == "Str":
            parts.append(inline["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(inline["c"][1] if kind != "RawInline" else "")
        elif kind == "Quoted":
            open_mark, close_mark = ("“", "”") if inline["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
            parts.append(open_mark + stringify(inline["c"][1]) + close_mark)
        elif kind in ("Span", "Link", "Image") or kind == "Cite":
            parts.append(stringify(inline["c"][1]))
        elif kind == "Note":
            continue
        elif isinstance(inline.get("c"), list):
            parts.append(stringify(inline["c"]))
    return "".join(parts)


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element (``{"t": …}``) of an AST or part of one, in document order, walked
    without recursion: a deeply nested manuscript must not overflow Python's stack."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "t" in current:
                yield current
            stack.extend(reversed([value for value in current.values() if isinstance(value, list | dict)]))
        elif isinstance(current, list):
            stack.extend(reversed([value for value in current if isinstance(value, list | dict)]))


def unwrapped(node: Any, unwrap: Callable[[dict[str, Any]], bool]) -> Any:
    """A copy of ``node`` (an AST or part of one) in which each Span or Div that ``unwrap``
    selects is replaced by its content: the JATS drops the layout spans, the Word import
    Pandoc's ``custom-style`` wrappers."""
    if isinstance(node, list):
        result: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") in ("Span", "Div") and unwrap(item):
                result.extend(unwrapped(item["c"][1], unwrap))
            else:
                result.append(unwrapped(item, unwrap))
        return result
    if isinstance(node, dict):
        return {key: unwrapped(value, unwrap) for key, value in node.items()}
    return node
