"""The Turkish rules as an AST filter, on its own: exact results through real Pandoc, and
properties (hypothesis) that hold for any text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dizgi.convert import markdown_to_ast
from dizgi.model import Article, ArticleMeta
from dizgi.pandoc_ast import stringify
from dizgi.typography import apply_turkish_typography

NBSP = "\u00a0"


def article(body: str = "") -> Article:
    meta = ArticleMeta(title="Deneme", lang="tr", notes_title="Kaynakça")
    return Article(meta=meta, source=Path("deneme.md"), body=body, body_line=5, key="a01")


def typeset_markdown(markdown: str) -> str:
    """Markdown through real Pandoc and the filter, back as plain text of the first block."""
    source = article(markdown)
    ast, _ = apply_turkish_typography(markdown_to_ast(source), source)
    return stringify(ast["blocks"][0]["c"])


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Türkiye'nin ve TSK'nın", "Türkiye’nin ve TSK’nın"),
        ("Akdeniz‘e ve 2021'de 8'inci", "Akdeniz’e ve 2021’de 8’inci"),
        ('O "evet" dedi.', "O “evet” dedi."),
        ("\"Dur, 'yeter' dedi.\"", "“Dur, ‘yeter’ dedi.”"),
        ("Bkz. s. 5-37 ve 2020-2021", f"Bkz. s.{NBSP}5–37 ve 2020–2021"),
        ("s. 5-37 arasında", f"s.{NBSP}5–37 arasında"),  # not a list item "s."
        ("2025-04-01 ve F-16 ve Ankara-Bakü", "2025-04-01 ve F-16 ve Ankara-Bakü"),
        ("barış - savaş -- barış", f"barış{NBSP}– savaş{NBSP}– barış"),
        ("30 Ocak günü % 25 arttı", f"30{NBSP}Ocak günü %25 arttı"),
        ("Prof. Dr. Ayşe Kaya ve M. Kemal", f"Prof.{NBSP}Dr.{NBSP}Ayşe Kaya ve M.{NBSP}Kemal"),
        ("Peki ? Evet !", "Peki? Evet!"),
        # issue 24: a range from a month is a range (T5); a day stays with a Russian month (T6)
        ("27 Eylül-10 Kasım 2020 arası", f"27{NBSP}Eylül–10{NBSP}Kasım 2020 arası"),
        ("Eylül-Kasım 2020 ve mart-nisan", "Eylül–Kasım 2020 ve mart–nisan"),
        ("Eylülde-10 ve Mart-Ankara", "Eylülde-10 ve Mart-Ankara"),  # no month, no range
        ("[Андрей Арешев, 26 февраля 2021]{lang=ru}", f"Андрей Арешев, 26{NBSP}февраля 2021"),
    ],
)
def test_rules_on_markdown_through_pandoc(markdown: str, expected: str) -> None:
    assert typeset_markdown(markdown) == expected


def test_changes_are_counted_per_rule_with_their_line() -> None:
    body = "İlk satır.\n\nAkdeniz‘e giden yol s. 5-37 arasında.\n"
    source = article(body)
    _, report = apply_turkish_typography(markdown_to_ast(source), source)
    found = [(change.rule, change.line, change.before, change.after) for change in report.changes]
    assert ("T3", 7, "Akdeniz‘e", "Akdeniz’e") in found
    assert ("T5", 7, "5-37", "5–37") in found
    assert report.counts()["T3"] == 1


def test_cyrillic_run_is_wrapped_in_a_russian_span() -> None:
    source = article("Yazar Андрей Арешев, 2025.")
    ast, _ = apply_turkish_typography(markdown_to_ast(source), source)
    spans = [inline for inline in ast["blocks"][0]["c"] if inline["t"] == "Span"]
    assert spans[0]["c"][0] == ["", [], [["lang", "ru"]]]
    assert stringify(spans[0]["c"][1]) == "Андрей Арешев,"


# Properties --------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Türkiye", "İstanbul", "ılık", "SİHA", "TSK", "2021", "5", "37", "Ocak", "Prof.", "Dr.", "M.",
        "%", "s.", "No.", "km", "Андрей", "связи", "nin", "de", "ve", "a", "-", "--", "–",
    ]
)  # fmt: skip
MARKS = st.sampled_from(["", "'", '"', "‘", "`", "´", "′", ",", ".", "?", "!", ":", ";", "(", ")", "-"])
TOKEN = st.builds(lambda mark, word, tail: mark + word + tail, MARKS, WORDS, MARKS)


def inlines_from(tokens: list[str]) -> list[dict[str, Any]]:
    inlines: list[dict[str, Any]] = []
    for token in tokens:
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": token})
    return inlines


def document(inlines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": inlines}]}


def text_letters(ast: dict[str, Any]) -> str:
    return re.sub(r"[\W_]", "", stringify(ast["blocks"][0]["c"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=25))
def test_property_applying_the_rules_twice_equals_once(tokens: list[str]) -> None:
    once, _ = apply_turkish_typography(document(inlines_from(tokens)), article())
    twice, report = apply_turkish_typography(once, article())
    assert twice == once
    assert [change.rule for change in report.changes if change.rule != "T7"] == []


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=25))
def test_property_no_letter_or_digit_changes(tokens: list[str]) -> None:
    before = document(inlines_from(tokens))
    after, _ = apply_turkish_typography(before, article())
    assert text_letters(after) == text_letters(before)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=10), st.text(min_size=1, max_size=30))
def test_property_code_and_urls_stay_byte_identical(tokens: list[str], code: str) -> None:
    url = f"https://example.org/{code}"
    code_inline = {"t": "Code", "c": [["", [], []], code]}
    link = {"t": "Link", "c": [["", ["uri"], []], [{"t": "Str", "c": url}], [url, ""]]}
    inlines = [*inlines_from(tokens), {"t": "Space"}, code_inline, {"t": "Space"}, link]
    after, _ = apply_turkish_typography(document(inlines), article())
    flat = json.dumps(after, ensure_ascii=False)
    assert json.dumps(code_inline, ensure_ascii=False) in flat
    assert json.dumps(link, ensure_ascii=False) in flat
