"""Fuzzing: random Markdown and random Pandoc trees through the Turkish rules and through
the whole road from Markdown to the EPUB's XHTML. Either the output is sound or the build
stops with one of dizgi's own clear errors; never an exception of Python or a library.

The test command runs 2,100 examples, derandomised so that CI sees the same ones each
time; ``DIZGI_FUZZ=20000`` (or any count) runs that many per test, drawn at random, for a
long search (``python build.py test -k fuzz``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from dizgi import convert, sanitize
from dizgi.errors import DizgiError
from dizgi.model import Article, ArticleMeta
from dizgi.typography import apply_turkish_typography

LONG_RUN = int(os.environ.get("DIZGI_FUZZ", "0"))


def fuzz_settings(examples: int) -> settings:
    """``examples`` in the test command, derandomised; ``DIZGI_FUZZ`` of them, at random, when set."""
    return settings(
        max_examples=LONG_RUN or examples,
        derandomize=not LONG_RUN,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


WORDS = [
    "Türkiye", "İstanbul", "ılık", "IĞDIR", "SİHA", "TSK", "2021", "5", "37", "3,5", "Ocak", "Prof.",
    "Dr.", "M.", "%", "s.", "km", "Андрей", "связи", "nin", "de", "ve", "a", "-", "--", "–", "—", "…",
    "https://example.org/a'b", "e-posta@example.org", "Bakü’de",
]  # fmt: skip
MARKS = ["", "'", '"', "‘", "’", "“", "`", "´", ",", ".", "?", "!", ":", ";", "(", ")", "*", "_"]
INLINE_HTML = [
    "<br>", "<br/>", "&nbsp;", "&amp;", "&bilinmez;", "<abbr title=\"Türk Silahlı Kuvvetleri\">TSK</abbr>",
    "<span>", "</span>", "<sub>2</sub>", "<em>", "<script>x()</script>", "<img src=x>",
    '<span id="a01-p1">x</span>', '<a href="javascript:x">y</a>', "<!-- not -->", "<!--dizgi:note-->",
]  # fmt: skip
TOKEN = st.one_of(
    st.builds(lambda mark, word, tail: mark + word + tail, st.sampled_from(MARKS), st.sampled_from(WORDS),
              st.sampled_from(MARKS)),
    st.sampled_from(INLINE_HTML),
    st.builds(lambda word: f"*{word}*", st.sampled_from(WORDS)),
    st.builds(lambda word, lang: f"[{word}]{{lang={lang}}}", st.sampled_from(WORDS),
              st.sampled_from(["en", "ru"])),
    st.builds(lambda label: f"[^{label}]", st.sampled_from(["1", "2", "a", "yok"])),
    st.builds(lambda word: f"`{word}`", st.sampled_from(WORDS)),
    st.text(alphabet="abcçğıİöşüÇĞÖŞÜ'\"-.,;:!? \u00a0\u00ad", min_size=1, max_size=12),
)  # fmt: skip
LINE = st.lists(TOKEN, min_size=1, max_size=12).map(" ".join)
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda line: f"## {line}"),
    LINE.map(lambda line: f"- {line}\n  - {line}"),
    LINE.map(lambda line: f"> {line}"),
    LINE.map(lambda line: f"1. {line}"),
    st.builds(lambda label, line: f"[^{label}]: {line}", st.sampled_from(["1", "2", "a", "b"]), LINE),
    LINE.map(lambda line: f"::: {{#kutu}}\n{line}\n:::"),
    LINE.map(lambda line: f'<div class="ek">\n\n{line}\n\n</div>'),
    LINE.map(lambda line: f"```\n{line}\n```"),
    st.sampled_from(["<div>", "</div>", ":::", "---", "* * *", "| a | b |\n|---|---|\n| 1 | 2 |"]),
)
DEFINITIONS = st.lists(st.sampled_from(["1", "2", "a"]), unique=True).map(
    lambda labels: [f"[^{label}]: Kaynak {label}, s. 5-7." for label in labels]
)
MARKDOWN = st.builds(
    lambda blocks, notes: "\n\n".join(blocks + notes), st.lists(BLOCK, min_size=1, max_size=8), DEFINITIONS
)


def article(body: str) -> Article:
    meta = ArticleMeta(title="Deneme", lang="tr", notes_title="Kaynakça")
    return Article(meta=meta, source=Path("fuzz.md"), body=body, body_line=5, key="a01")


def xhtml_of(fragment: str) -> etree._Element:
    """The fragment as the EPUB's XML parser reads it (it must be well-formed)."""
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>'.encode())


@fuzz_settings(600)
@given(MARKDOWN)
def test_fuzz_markdown_to_xhtml_is_sound_or_a_clear_error(markdown: str) -> None:
    source = article(markdown)
    try:
        ast, _ = convert.read_article(source)
        sanitize.check_article(ast, source)
        ast, _ = apply_turkish_typography(ast, source)
        typeset = convert.typeset_article(source, ast)
    except DizgiError as error:
        assert error.path == source.source
        assert "\n  what to do: " in str(error)
        return
    root = xhtml_of(typeset.body_html + "".join(typeset.notes_html))
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), f"an id given twice: {ids}"
    targets = [
        (element.get("href") or "")[1:]
        for element in root.iter()
        if (element.get("href") or "").startswith("#")
    ]
    generated = [target for target in targets if re.match(r"a01-(note|ref)-\d+$", target)]
    assert set(generated) <= set(ids), "a note call or back-link leads nowhere"
    assert len(typeset.note_calls) == len(typeset.notes_html)
    for call in typeset.note_calls:
        assert call in typeset.body_html
    for script in root.iter("{*}script", "{*}iframe", "{*}img", "{*}style"):
        raise AssertionError(f"<{etree.QName(script).localname}> reached the output")


# The filter on random Pandoc trees -----------------------------------------------------------

WRAPS = ["", "", "Emph", "Strong", "Span", "Span-en", "Span-ru", "DoubleQuote", "SingleQuote", "Note"]


def wrapped(kind: str, inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``inlines`` inside a Pandoc container of ``kind`` ("" leaves them as they are)."""
    if kind in ("Emph", "Strong"):
        return [{"t": kind, "c": inlines}]
    if kind.startswith("Span"):
        lang = kind.partition("-")[2]
        return [{"t": "Span", "c": [["", [], [["lang", lang]] if lang else []], inlines]}]
    if kind.endswith("Quote"):
        return [{"t": "Quoted", "c": [{"t": kind}, inlines]}]
    if kind == "Note":
        return [{"t": "Note", "c": [{"t": "Para", "c": inlines}]}]
    return inlines


def spaced(groups: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Groups of inlines with one space between them, as Pandoc gives them (never two)."""
    inlines: list[dict[str, Any]] = []
    for group in groups:
        if inlines:
            inlines.append({"t": "Space"})
        inlines.extend(group)
    return inlines


def nested(words: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Inlines from (word, outer container, inner container): neighbours that share a
    container share it, so containers nest two deep and hold one word or several."""
    groups: list[list[dict[str, Any]]] = []
    at = 0
    while at < len(words):
        outer = words[at][1]
        run = words[at : at + next((i for i, w in enumerate(words[at:]) if w[1] != outer), len(words) - at)]
        inner_groups: list[list[dict[str, Any]]] = []
        inner_at = 0
        while inner_at < len(run):
            inner = run[inner_at][2]
            size = next((i for i, w in enumerate(run[inner_at:]) if w[2] != inner), len(run) - inner_at)
            strs = [[{"t": "Str", "c": word}] for word, _, _ in run[inner_at : inner_at + size]]
            inner_groups.append(wrapped(inner, spaced(strs)))
            inner_at += size
        groups.append(wrapped(outer, spaced(inner_groups)))
        at += len(run)
    return spaced(groups)


WORD = st.builds(
    lambda mark, word, tail: mark + word + tail, *(st.sampled_from(x) for x in (MARKS, WORDS, MARKS))
)
INLINES = st.lists(
    st.tuples(WORD, st.sampled_from(WRAPS), st.sampled_from(WRAPS)), min_size=1, max_size=12
).map(nested)
BLOCK_KINDS = ["Para", "Para", "Header", "BlockQuote", "BulletList"]


def block(kind: str, inlines: list[dict[str, Any]]) -> dict[str, Any]:
    para = {"t": "Para", "c": inlines}
    if kind == "Header":
        return {"t": "Header", "c": [2, ["", [], []], inlines]}
    if kind == "BlockQuote":
        return {"t": "BlockQuote", "c": [para]}
    if kind == "BulletList":
        return {"t": "BulletList", "c": [[para], [{"t": "BlockQuote", "c": [para]}]]}
    return para


BLOCKS = st.lists(st.builds(block, st.sampled_from(BLOCK_KINDS), INLINES), min_size=1, max_size=4)


def letters(node: Any) -> str:
    """The letters and digits of every text in a tree of blocks, in order."""
    if isinstance(node, dict):
        text = node["c"] if node.get("t") == "Str" else "".join(letters(value) for value in node.values())
        return re.sub(r"[\W_]", "", text) if isinstance(text, str) else ""
    if isinstance(node, list):
        return "".join(letters(item) for item in node)
    return ""


@fuzz_settings(1500)
@given(BLOCKS)
def test_fuzz_the_rules_on_any_tree_keep_letters_and_settle(blocks: list[dict[str, Any]]) -> None:
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    once, _ = apply_turkish_typography(document, article(""))
    assert letters(once["blocks"]) == letters(blocks), "a letter or digit changed"
    twice, report = apply_turkish_typography(once, article(""))
    assert twice == once, "the rules applied twice differ from once"
    assert [change.rule for change in report.changes if change.rule != "T7"] == []
