"""The Turkish rules T1 and T3–T6 as a filter on the Pandoc AST (plain JSON walking).

Pandoc's ``smart`` extension is off (``convert`` reads ``markdown-smart``): its quotes and
dashes ignore the language, and we want every change counted and traceable to a line.
The filter rewrites only ``Str``/``Space`` runs of prose. It never enters code, math, raw
HTML, link targets, attribute values or autolinked URLs, so those stay byte-identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dizgi.model import LONGEST_HYPHENATED_WORD, Article, JsonAst
from dizgi.pandoc_ast import NO_BREAK_CLASS, NO_HYPHENATION_CLASS, is_autolink, is_inline_list, stringify
from dizgi.textfiles import line_at
from dizgi.turkish import MONTHS, lower

NBSP = "\u00a0"
APOSTROPHE = "’"
#: Cyrillic letters: a run of them is Russian here (the bibliography cites Russian sources)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER_OR_DIGIT = re.compile(r"\w")
#: a quote-like mark between a letter or digit and a letter is an apostrophe (T3)
_APOSTROPHE_SLIP = re.compile(r"(?<=[^\W_])['‘`´′](?=[^\W\d_])")
#: two numbers joined by a hyphen, not part of a longer chain (a date 2025-04-01 stays)
_NUMBER_RANGE = re.compile(r"(?<![\w\-–])(\d+)-(\d+)(?![\w\-–]|-\d)")
#: a number range as T5 sets it
_RANGE_SET = re.compile(r"\d–\d")
_URL_LIKE = re.compile(r"^(https?://|www\.|mailto:)", re.IGNORECASE)
#: the month names a day number is tied to (T6): Turkish (``turkish.MONTHS``, also lower
#: case), and the Russian genitive of the sources' dates (``26 февраля 2021``)
RUSSIAN_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
    "ноября", "декабря",
)  # fmt: skip
_MONTH_NAMES = "|".join(MONTHS + tuple(lower(month) for month in MONTHS) + RUSSIAN_MONTHS)
_MONTH_START = re.compile(r"^(?:" + _MONTH_NAMES + r")(?![^\W\d_])")
#: a day number ending a word, alone or after a range's dash (``10``, ``Eylül–10``)
_DAY_END = re.compile(r"(?:^|–)\d{1,2}$")
#: T5: a range from a month, to a day or a month: ``27 Eylül-10 Kasım``, ``Eylül-Kasım``
_MONTH_RANGE = re.compile(
    r"(?<![^\W\d_])(" + _MONTH_NAMES + r")-(?=\d|(?:" + _MONTH_NAMES + r")(?![^\W\d_]))"
)
UNITS = (
    "km", "m", "cm", "mm", "kg", "g", "ton", "ha", "lt", "kW", "MW", "GW", "kWh", "TWh", "TL",
    "USD", "EUR", "dolar", "avro", "milyon", "milyar", "trilyon",
)  # fmt: skip
_UNIT_START = re.compile(r"^(?:" + "|".join(UNITS) + r")(?![^\W\d_])")
#: abbreviations that never part from the number after them (T6)
NUMBER_PREFIXES = ("s.", "ss.", "bkz.", "No.", "no.", "Nr.", "№", "Sayı", "Cilt")
#: titles that never part from the name after them (T6)
TITLES = ("Prof.", "Doç.", "Dr.", "Yrd.", "Öğr.", "Gör.", "Arş.", "Uzm.", "Av.", "Sn.", "Mr.", "Mrs.", "Ms.")
_INITIAL = re.compile(r"^[A-ZÇĞİÖŞÜ]\.$")
_OPENING_CONTEXT = set(" \n([{“‘—–/-") | {""}
_DASHES = ("-", "--", "–")


@dataclass(frozen=True)
class Change:
    """One change the rules made: which rule, where, and the text before and after."""

    rule: str
    line: int | None
    before: str
    after: str


@dataclass(frozen=True)
class TypographyReport:
    changes: tuple[Change, ...] = ()

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for change in self.changes:
            result[change.rule] = result.get(change.rule, 0) + 1
        return dict(sorted(result.items()))


@dataclass
class _Context:
    """What the walker knows where it stands: the language, and where changes are recorded."""

    lang: str
    record: Callable[[str, str, str], None]
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def apply_turkish_typography(ast: JsonAst, article: Article) -> tuple[JsonAst, TypographyReport]:
    """Return a new AST with T1 (Cyrillic runs tagged) and T3–T6 applied, and what changed."""
    found: list[tuple[str, str, str]] = []
    context = _Context(article.meta.lang, lambda rule, before, after: found.append((rule, before, after)))
    blocks = [_keep_last_word_whole(block, context) for block in _walk(ast["blocks"], context)]
    locate = LineFinder(article.body, article.body_line)
    changes = tuple(Change(rule, locate(before), before, after) for rule, before, after in found)
    return {**ast, "blocks": blocks}, TypographyReport(changes)


def typeset_text(text: str, lang: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """A string that is not Markdown (a title, a name, a caption from the front matter) with
    T3–T6 applied, as plain text; and each change: (rule, before, after)."""
    found: list[tuple[str, str, str]] = []
    context = _Context(lang, lambda rule, before, after: found.append((rule, before, after)))
    words = [word for word in re.split(r"( )", text) if word]
    inlines = [{"t": "Space"} if word == " " else {"t": "Str", "c": word} for word in words]
    (block,) = _walk([{"t": "Plain", "c": inlines}], context)
    return stringify(block["c"]), tuple(found)


def _keep_last_word_whole(block: Any, context: _Context) -> Any:
    """Paragraph-level rules on the top-level inlines of a paragraph.

    A note call never starts a line: the word before it and the call are tied in a span the
    stylesheets set ``white-space: nowrap``. T7: the last word of a paragraph is never
    hyphenated (a stub of a syllable on the last line reads badly): it is wrapped in (or
    its tie gets) the class the stylesheets set ``hyphens: manual``.
    """
    if not isinstance(block, dict) or block.get("t") != "Para":
        return block
    inlines: list[Any] = []
    for inline in block["c"]:
        if inline["t"] == "Note" and inlines and inlines[-1]["t"] == "Str":
            inlines[-1] = {"t": "Span", "c": [["", [NO_BREAK_CLASS], []], [inlines[-1], inline]]}
        elif inline["t"] == "Note" and inlines and _is_tie(inlines[-1]):
            attributes, content = inlines[-1]["c"]
            inlines[-1] = {"t": "Span", "c": [attributes, [*content, inline]]}
        else:
            inlines.append(inline)
    for index in range(len(inlines) - 1, -1, -1):
        inline = inlines[index]
        if inline["t"] in ("Note", "Space", "SoftBreak"):
            continue
        if inline["t"] == "Str" and len(inline["c"]) > 4:
            inlines[index] = {"t": "Span", "c": [["", [NO_HYPHENATION_CLASS], []], [inline]]}
            context.record("T7", inline["c"], "not hyphenated")
        elif _is_tie(inline):
            identifier, _, attributes = inline["c"][0]
            inlines[index] = {
                **inline,
                "c": [[identifier, [NO_BREAK_CLASS, NO_HYPHENATION_CLASS], attributes], inline["c"][1]],
            }
            context.record("T7", stringify(inline["c"][1]), "not hyphenated")
        break
    return {**block, "c": inlines}


def _is_tie(inline: dict[str, Any]) -> bool:
    return bool(inline["t"] == "Span" and inline["c"][0][1] == [NO_BREAK_CLASS])


_SKIPPED = frozenset(("Code", "CodeBlock", "RawInline", "RawBlock", "Math"))


def _walk(node: Any, context: _Context) -> Any:
    """Apply the inline rules to every list of inlines, entering elements with their language."""
    if isinstance(node, list):
        if is_inline_list(node):
            return _typeset_inlines(node, context)
        return [_walk(item, context) for item in node]
    if not isinstance(node, dict) or node.get("t") in _SKIPPED:
        return node
    kind = node.get("t")
    if is_autolink(node):
        return node
    lang = _lang_of(node) or context.lang
    inner = _Context(lang, context.record) if lang != context.lang else context
    if kind in ("Link", "Image"):
        attributes, inlines, target = node["c"]
        return {**node, "c": [attributes, _walk(inlines, inner), target]}
    if kind in ("Span", "Div"):
        attributes, content = node["c"]
        return {**node, "c": [attributes, _walk(content, inner)]}
    if kind == "Header":
        level, attributes, inlines = node["c"]
        return {**node, "c": [level, attributes, _walk(inlines, inner)]}
    if "c" in node:
        return {**node, "c": _walk(node["c"], inner)}
    return node


def _lang_of(node: dict[str, Any]) -> str | None:
    if node.get("t") in ("Span", "Div"):
        attributes = node["c"][0]
    elif node.get("t") == "Header":
        attributes = node["c"][1]
    else:
        return None
    return next((value for name, value in attributes[2] if name == "lang"), None)


def _typeset_inlines(inlines: list[Any], context: _Context) -> list[Any]:
    """The rules on one run of inlines, in the order that keeps each one simple."""
    inlines = [
        _walk(inline, context) if inline["t"] not in ("Str", "Space") else inline for inline in inlines
    ]
    inlines = _quotes(inlines, context)
    inlines = [_str_rules(inline, context) if inline["t"] == "Str" else inline for inline in inlines]
    inlines = _spacing_rules(inlines, context)
    if context.lang != "ru":
        inlines = _tag_cyrillic_runs(inlines, context)
    return [_break_long_word(_tie_number_range(inline)) for inline in inlines]


#: a break opportunity every this many characters of an over-long word
LONG_WORD_PIECE = 6


def _break_long_word(inline: dict[str, Any]) -> dict[str, Any]:
    """A word longer than ``LONGEST_HYPHENATED_WORD`` is kept from hyphenation and given a
    break opportunity (a zero-width space) every ``LONG_WORD_PIECE`` characters, so it breaks
    where each line ends. Hyphenating it, WeasyPrint lays it out once per hyphenation point
    per line (2,000 letters: two minutes); breaking it with ``overflow-wrap`` lays out the
    whole rest of the word per line (50,000 letters: 80 s); this takes seconds."""
    word = inline["c"] if inline["t"] == "Str" else ""
    if len(word) <= LONGEST_HYPHENATED_WORD:
        return inline
    pieces = [word[at : at + LONG_WORD_PIECE] for at in range(0, len(word), LONG_WORD_PIECE)]
    return {"t": "Span", "c": [["", [NO_HYPHENATION_CLASS], []], [_str("\u200b".join(pieces))]]}


def _tie_number_range(inline: dict[str, Any]) -> dict[str, Any]:
    """T5: a number range (5–37) is one word to the line breaker, which would otherwise
    break after its en dash (Unicode line breaking allows it): its word goes in a span the
    stylesheets set ``white-space: nowrap``."""
    if inline["t"] == "Str" and _RANGE_SET.search(inline["c"]):
        return {"t": "Span", "c": [["", [NO_BREAK_CLASS], []], [inline]]}
    return inline


def _str(text: str) -> dict[str, Any]:
    return {"t": "Str", "c": text}


def _quotes(inlines: list[Any], context: _Context) -> list[Any]:
    """T4: straight quotes become “…” with ‘…’ inside; T3: a straight apostrophe becomes ’."""
    result = [dict(inline) for inline in inlines]
    # A flat view of the characters, with a space for Space and an object mark for the rest,
    # so that each quote sees its neighbours across element boundaries.
    flat: list[tuple[int, int, str]] = []
    for index, inline in enumerate(result):
        if inline["t"] == "Str":
            flat.extend((index, position, char) for position, char in enumerate(inline["c"]))
        elif inline["t"] in ("Space", "SoftBreak", "LineBreak"):
            flat.append((index, -1, " "))
        else:
            flat.append((index, -1, "\ufffc"))
    if not any(char in "\"'" for _, _, char in flat):
        return inlines
    open_quotes: list[str] = []  # the closing mark each open quote expects
    replacements: dict[tuple[int, int], str] = {}
    for k, (index, position, char) in enumerate(flat):
        if char not in "\"'":
            continue
        before = flat[k - 1][2] if k > 0 else ""
        after = flat[k + 1][2] if k + 1 < len(flat) else ""
        # A quote opens after a space or an opening mark, and is followed by text; a double
        # quote with spaces on both sides opens too when none is open (" metin " → “metin”).
        opens = before in _OPENING_CONTEXT and (
            after not in ("", " ") or (char == '"' and after == " " and "”" not in open_quotes)
        )
        if char == "'" and _LETTER_OR_DIGIT.match(before or " ") and _LETTER_OR_DIGIT.match(after or " "):
            mark, rule = APOSTROPHE, "T3"
        elif opens:
            nested = "”" in open_quotes or (char == "'" and bool(open_quotes))
            mark = "‘" if (char == "'" or nested) else "“"
            open_quotes.append("’" if mark == "‘" else "”")
            rule = "T4"
        elif open_quotes:
            mark, rule = open_quotes.pop(), "T4"
        else:
            mark, rule = ("’", "T3") if char == "'" else ("”", "T4")
        replacements[(index, position)] = mark
        word = result[index]["c"]
        context.record(rule, word, word[:position] + mark + word[position + 1 :] if position >= 0 else mark)
    for (index, position), mark in replacements.items():
        text = result[index]["c"]
        result[index]["c"] = text[:position] + mark + text[position + 1 :]
    # T4: no space inside the marks.
    cleaned: list[Any] = []
    for index, inline in enumerate(result):
        previous = cleaned[-1] if cleaned else None
        following = result[index + 1] if index + 1 < len(result) else None
        after_opening = previous is not None and _text(previous).endswith(("“", "‘"))
        before_closing = following is not None and _text(following).startswith(("”", "’"))
        if inline["t"] == "Space" and (after_opening or before_closing):
            neighbour = _text(previous) if after_opening and previous else _text(following or {})
            context.record("T4", neighbour, "no space inside the quotation marks")
            continue
        cleaned.append(inline)
    return cleaned


def _str_rules(inline: dict[str, Any], context: _Context) -> dict[str, Any]:
    """T3 apostrophe slips and T5 number ranges inside one word."""
    text = inline["c"]
    if _URL_LIKE.match(text):
        return inline
    fixed = _APOSTROPHE_SLIP.sub(APOSTROPHE, text)
    if fixed != text:
        context.record("T3", text, fixed)
    ranged = _MONTH_RANGE.sub(r"\1–", _NUMBER_RANGE.sub(r"\1–\2", fixed))
    if ranged != fixed:
        context.record("T5", fixed, ranged)
    return inline if ranged == text else _str(ranged)


def _spacing_rules(inlines: list[Any], context: _Context) -> list[Any]:
    """T5 spaced dashes and T6 spaces that must not break (or must not be there)."""
    result: list[Any] = []
    index = 0
    while index < len(inlines):
        inline = inlines[index]
        previous = result[-1] if result else None
        following = inlines[index + 1] if index + 1 < len(inlines) else None
        if inline["t"] == "Space" and previous is not None and following is not None:
            joined = _join_across_space(previous, following, context)
            if joined is not None:
                result[-1] = joined
                index += 2
                continue
            if following["t"] == "Str" and following["c"][:1] in ("?", "!", ":", ";"):
                context.record(
                    "T6", f"{_text(previous)} {following['c']}", f"{_text(previous)}{following['c']}"
                )
                index += 1
                continue
        result.append(inline)
        index += 1
    return result


def _text(inline: dict[str, Any]) -> str:
    return str(inline["c"]) if inline.get("t") == "Str" else ""


def _join_across_space(
    left: dict[str, Any], right: dict[str, Any], context: _Context
) -> dict[str, Any] | None:
    """The Str that ``left`` + space + ``right`` becomes, or None when the space stays."""
    if right["t"] != "Str":
        return None
    after = right["c"]
    if after in _DASHES:
        # "a - b": the dash stays with the word before it, the line may break after it.
        # The Space after the dash is kept by the caller's next round.
        if left["t"] == "Str":
            context.record("T5", f"{left['c']} {after}", f"{left['c']}{NBSP}–")
            return _str(f"{left['c']}{NBSP}–")
        return None
    if left["t"] != "Str":
        return None
    before = left["c"]
    last = before.rsplit(NBSP, 1)[-1]
    rule = None
    if _DAY_END.search(last) and _MONTH_START.match(after):
        rule = "T6"  # 30 Ocak, 27 Eylül–10 Kasım
    elif last[-1:].isdigit() and _UNIT_START.match(after):
        rule = "T6"  # 5 km, 3,5 milyon
    elif last in NUMBER_PREFIXES and after[:1].isdigit():
        rule = "T6"  # s. 12, No. 3
    elif (last in TITLES or _INITIAL.match(last)) and after[:1].isupper():
        rule = "T6"  # Prof. Dr. Ad, D. Soyad
    elif last == "%" and after[:1].isdigit():
        context.record("T6", f"{before} {after}", f"{before}{after}")
        return _str(before + after)  # %25: no space at all
    if rule is None:
        return None
    context.record(rule, f"{before} {after}", f"{before}{NBSP}{after}")
    return _str(f"{before}{NBSP}{after}")


def _tag_cyrillic_runs(inlines: list[Any], context: _Context) -> list[Any]:
    """T1: a run of Cyrillic words (with the spaces, numbers and marks between them) gets lang=ru."""
    result: list[Any] = []
    index = 0
    while index < len(inlines):
        inline = inlines[index]
        if inline["t"] == "Str" and _CYRILLIC.search(inline["c"]):
            end = index
            scan = index + 1
            while scan < len(inlines):
                candidate = inlines[scan]
                if candidate["t"] in ("Space", "SoftBreak"):
                    scan += 1
                    continue
                if candidate["t"] == "Str" and (
                    _CYRILLIC.search(candidate["c"]) or not re.search(r"[^\W\d_]", candidate["c"])
                ):
                    if _CYRILLIC.search(candidate["c"]):
                        end = scan
                    scan += 1
                    continue
                break
            run = inlines[index : end + 1]
            context.record("T1", " ".join(i["c"] for i in run if i["t"] == "Str"), 'lang="ru"')
            result.append({"t": "Span", "c": [["", [], [["lang", "ru"]]], run]})
            index = end + 1
            continue
        result.append(inline)
        index += 1
    return result


class LineFinder:
    """Finds the source line of a change by looking its text up in the Markdown body.

    The rules record changes in reading order, so the n-th change of the same text is looked
    for after the (n-1)-th: each occurrence gets its own line, not the first one's. (A note's
    text is read at its call but written at the end of the file, so the order is not always
    the file's; where no later occurrence is left, the search starts again from the top.)"""

    def __init__(self, body: str, first_line: int):
        self.body = body
        self.first_line = first_line
        self._after: dict[str, int] = {}

    def __call__(self, before: str) -> int | None:
        for needle in (before, *sorted(re.findall(r"\w{3,}", before), key=len, reverse=True)[:1]):
            found = self.body.find(needle, self._after.get(needle, 0))
            if found < 0:
                found = self.body.find(needle)
            if found >= 0:
                self._after[needle] = found + len(needle)
                return line_at(self.body, found, self.first_line)
        return None
