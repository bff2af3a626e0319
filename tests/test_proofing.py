"""Turkish proofing (issue 26): the planted errors of ``tests/fixtures/proofing`` (every rule,
each beside its correct form, which must not be marked), the April article (what it finds
there is the false-alarm measure), the issue's word list, the passages in other languages,
and the commands that print the findings."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REAL_MANUSCRIPT, BuiltIssue, Run
from dizgi import cli, manuscript, proofing
from dizgi.pipeline import STYLES_DIR

PLANTED = FIXTURES / "proofing"
ARTICLE = PLANTED / "articles" / "01-yanlislar.md"

#: (rule, word, suggestion, line) of every planted error, in the order of the text
EXPECTED = [
    ("Y1", "yanlız", "yalnız", 8),
    ("Y1", "herkez", None, 8),
    ("Y1", "orjinal", "orijinal", 8),
    ("Y1", "süpriz", None, 8),
    ("Y1", "yalnış", "yanlış", 9),
    ("Y2", "Okul de", "Okul da", 11),
    ("Y2", "ev da", "ev de", 11),
    ("Y2", "saat te", "saatte", 11),
    ("Y2", "kitap ta", "kitapta", 11),
    ("Y3", "Evde ki", "Evdeki", 14),
    ("Y3", "dedimki", "dedim ki", 14),
    ("Y3", "öyleki", "öyle ki", 14),
    ("Y4", "gelecekmi", "gelecek mi", 17),
    ("Y4", "olurmu", "olur mu", 17),
    ("Y4", "biliyormusun", "biliyor musun", 17),
    ("Y5", "bir çok", "birçok", 19),
    ("Y5", "Hiç bir", "Hiçbir", 19),
    ("Y5", "her hangi", "herhangi", 19),
    ("Y5", "Bir kaç", "Birkaç", 19),
    ("Y5", "herşey", "her şey", 20),
    ("Y5", "Birşey", "Bir şey", 20),
    ("Y5", "yada", "ya da", 20),
    ("Y6", "Ankara’Da", "Ankara’da", 23),
    ("Y6", "Türkiyenin", "Türkiye’nin", 23),
    ("Y6", "İstanbulda", "İstanbul’da", 23),
]


def _proofread(root: Path) -> list[proofing.Finding]:
    return proofing.proofread_issue(manuscript.load_issue(root), STYLES_DIR)


@pytest.fixture(scope="module")
def planted() -> list[proofing.Finding]:
    return _proofread(PLANTED)


def test_every_planted_error_is_found_and_no_correct_form_is_marked(planted: list[proofing.Finding]) -> None:
    """25 errors, every rule; the same paragraphs hold each correct form (*okul da*, *evdeki*,
    *dedi ki*, *geldi mi*, *birçok*, *her şey*, *Ankara’da*), an English passage (*De
    facto*) and a Russian one, none of which may be marked."""
    assert len(EXPECTED) >= 20 and {rule for rule, *_ in EXPECTED} == set(proofing.RULES)
    found = [(f.rule, f.word, f.suggestion, f.line) for f in planted]
    assert [(rule, word, line) for rule, word, _, line in found] == [
        (rule, word, line) for rule, word, _, line in EXPECTED
    ]
    for (_, word, suggestion, _), (_, _, expected, _) in zip(found, EXPECTED, strict=True):
        if expected is not None:
            assert suggestion == expected, word
    assert all(f.path == ARTICLE for f in planted)


def test_a_finding_reads_with_its_file_line_word_suggestion_and_rule(planted: list[proofing.Finding]) -> None:
    assert str(planted[0]) == (f"{ARTICLE}, line 8: Y1 'yanlız' → 'yalnız' (not in the Turkish dictionary)")
    assert str(planted[-1]) == (
        f"{ARTICLE}, line 23: Y6 'İstanbulda' → 'İstanbul’da' "
        "(a proper noun's suffix goes after an apostrophe, in lower case)"
    )
    assert proofing.summary(planted) == "Turkish proofing: 25 findings (Y1 5, Y2 4, Y3 3, Y4 3, Y5 7, Y6 3)"


def test_the_april_article_gives_one_finding_in_1582_words() -> None:
    """The false-alarm measure: the published April article has no spelling error a copy
    editor would mark; dizgi marks *proaktif* (a loanword TDK's dictionary does not list:
    a copy editor may let it stand). Before the regular forms the 2015 dictionary lacks
    were accepted, it marked 29 (askerî, hâline, oynuyor, sanayii, genelleşebilmesi…)."""
    found = _proofread(REAL_MANUSCRIPT)
    assert [(f.rule, f.word, f.line) for f in found] == [("Y1", "proaktif", 65)]


def test_the_issue_word_list_silences_a_word(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    shutil.copytree(PLANTED, root)
    (root / proofing.WORD_LIST).write_text(
        "# yazarın kendi yazımı\nyanlız\nOrjinal  # bir terim\n", encoding="utf-8"
    )
    words = [f.word for f in _proofread(root)]
    assert "yanlız" not in words and "orjinal" not in words and "herkez" in words


def test_passages_in_another_language_and_notes_are_read_as_they_should() -> None:
    checker = proofing._Checker(proofing.dictionary(STYLES_DIR), frozenset())
    segments = list(
        proofing._segments(
            [
                {"t": "Para", "c": [
                    {"t": "Str", "c": "okul"}, {"t": "Space"},
                    {"t": "Span", "c": [["", [], [["lang", "en"]]], [{"t": "Str", "c": "de"}]]},
                    {"t": "Space"}, {"t": "Str", "c": "yanlız"},
                    {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "herşey"}]}]},
                ]}
            ]
        )
    )  # fmt: skip
    assert segments == ["okul ", " yanlız", "herşey"]  # no rule reads across the English span
    assert [finding[:3] for segment in segments for finding in checker.read(segment)] == [
        ("Y1", "", "yanlız"),
        ("Y5", "", "herşey"),
    ]


def _run(*argv: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(arg) for arg in argv], stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def test_proof_text_prints_each_finding_and_a_summary() -> None:
    run = _run("proof-text", "--manuscript", PLANTED)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 26
    assert lines[0] == f"{ARTICLE}, line 8: Y1 'yanlız' → 'yalnız' (not in the Turkish dictionary)"
    assert lines[-1] == "Turkish proofing: 25 findings (Y1 5, Y2 4, Y3 3, Y4 3, Y5 7, Y6 3)"
    missing = _run("proof-text", "--manuscript", PLANTED / "yok")
    assert missing.code == 2 and "there is no issue.yaml here" in missing.stderr


def test_check_proofreads_the_issue(built_citations: BuiltIssue) -> None:
    """The references fixture is built with ``--check``: its proofing stage ran and said so."""
    assert "  proofing " in built_citations.run.stdout
    assert "Turkish proofing: no finding" in built_citations.run.stdout


def test_the_json_summary_carries_the_findings(planted: list[proofing.Finding]) -> None:
    import json

    from dizgi import summary

    lines = tuple(str(finding) for finding in planted)
    data = json.loads(summary.as_json((), Path("dist"), 1.0, (), lines))
    assert data["proofing"] == list(lines) and data["warnings"] == []
