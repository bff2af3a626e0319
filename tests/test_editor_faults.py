"""The smaller faults a new editor met in a May issue (issue 24), each with the exact
message or the output that shows it fixed."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import XHTML, BuiltIssue, lines_off_the_text_block, read_epub, run_cli
from dizgi import checks, readback
from dizgi.manuscript import issn_check_character, orcid_check_character


def _article(manuscript: Path) -> Path:
    return manuscript / "articles" / "01-deneme.md"


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_an_orcid_with_a_wrong_check_character_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = _article(minimal_manuscript)
    affiliation = "    affiliation: Ankara Üniversitesi\n"
    _replace(article, affiliation, affiliation + "    orcid: 0000-0002-1825-0098\n")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr == (
        f"dizgi: error: {article}, line 4: the ORCID iD '0000-0002-1825-0098' has a wrong check "
        "character: its last is '8', its first fifteen digits give '7'\n"
        "  what to do: copy the iD again from the author's ORCID record (orcid.org): a digit is mistyped\n"
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_orcid_check_character_is_iso_7064() -> None:
    assert orcid_check_character("0000-0002-1825-009") == "7"  # ORCID's own example
    assert orcid_check_character("0000-0002-1694-233") == "X"


@pytest.mark.parametrize(
    ("written", "message", "fix"),
    [
        (
            "1234-5678",
            "the ISSN '1234-5678' has a wrong check character: its last is '8', "
            "its first seven digits give '9'",
            "copy the ISSN again from the ISSN portal record (portal.issn.org) or the printed issue: "
            "a digit is mistyped",
        ),
        (
            "ISSN 1234-5679",
            "'ISSN 1234-5679' is not an ISSN",
            "write the eight characters in two groups: 'issn: 1234-5679'",
        ),
    ],
)
def test_an_issn_mistyped_is_refused_with_its_line(
    minimal_manuscript: Path, tmp_path: Path, written: str, message: str, fix: str
) -> None:
    """The ISSN is how journal systems and Crossref find the journal (issue 25)."""
    issue = minimal_manuscript / "issue.yaml"
    _replace(issue, "date: 2025-03-01\n", f"date: 2025-03-01\nissn: {written}\n")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr == f"dizgi: error: {issue}, line 4: {message}\n  what to do: {fix}\n"


def test_the_issn_check_character_is_iso_3297() -> None:
    assert issn_check_character("0378-595") == "5"  # Hearing Research, the usual worked example
    assert issn_check_character("2049-363") == "0"
    assert issn_check_character("0000-006") == "X"


def test_a_heading_that_skips_a_level_is_a_warning_with_its_line(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    article = _article(minimal_manuscript)
    _replace(article, "## Bir Ara Başlık", "#### Bir Ara Başlık")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert run.code == 0
    assert (
        f"dizgi: warning: {article}, line 13: the heading 'Bir Ara Başlık' is level 4 (####) after level 1; "
        "a heading goes one level down at a time: write it ##\n"
    ) in run.stderr


def test_check_lists_every_failure_with_its_article_page_and_evidence(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    article = _article(minimal_manuscript)
    _replace(article, "## Bir Ara Başlık", "#### Bir Ara Başlık")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--check", "--quiet")
    assert run.code == 2
    # not only the first failing check: the PDF/UA checker's on the issue and on the offprint,
    # and Ace's on the EPUB, each with where to look
    assert re.search(r"\d+ check\(s\) failed:", run.stderr)
    issue_line = next(
        line for line in run.stderr.splitlines() if line.strip().startswith("deneme-dergisi-2025-03.pdf:")
    )
    assert "HDG-001" in issue_line and f"— page 3 ({article}): Bir Ara Başlık" in issue_line
    assert any(
        line.strip().startswith("01-deneme.pdf: PDF/UA error HDG-001") for line in run.stderr.splitlines()
    )
    assert any("heading-order a01.xhtml" in line for line in run.stderr.splitlines())


def test_a_caption_ends_before_its_credit(tmp_path: Path) -> None:
    from conftest import FIXTURES

    run = run_cli("--manuscript", FIXTURES / "floats", "--out", tmp_path, "--only", "epub", "--quiet")
    assert run.code == 0, run.stderr
    (epub,) = tmp_path.glob("*.epub")
    captions = [
        "".join(caption.itertext())
        for _, root in read_epub(epub).documents
        for caption in root.iter(f"{XHTML}figcaption")
    ]
    credited = [caption for caption in captions if "Fotoğraf:" in caption or "Kaynak:" in caption]
    assert credited
    for caption in credited:
        assert re.search(r"[.!?…:] (Fotoğraf|Kaynak):", caption), caption


def _baseline(line: readback.PdfLine) -> float:
    """The baseline most of the line's characters stand on (a note call stands higher)."""
    return Counter(round(char.y0, 1) for char in line.chars).most_common(1)[0][0]


def test_a_line_with_a_note_call_backs_up_like_the_others(pdf_lines: list[readback.PdfLine]) -> None:
    """A raised call made its line stand 15.5 pt from the next: the lines of a page no
    longer backed up (the register the 14.5 pt grid promises)."""
    body = readback.body_lines(pdf_lines)
    pairs = [
        (upper, lower)
        for upper, lower in pairwise(body)
        if upper.page == lower.page and 14 < _baseline(upper) - _baseline(lower) < 16.5
    ]
    with_calls = [
        pair for pair in pairs if any(char.size < 0.85 * pair[0].size for line in pair for char in line.chars)
    ]
    assert len(with_calls) >= 5  # the real issue's note calls
    assert [
        round(_baseline(a) - _baseline(b), 1)
        for a, b in pairs
        if abs(_baseline(a) - _baseline(b) - 14.5) > 0.15
    ] == []


def test_a_line_with_a_symbol_of_the_symbols_face_backs_up_like_the_others(
    built_generated: BuiltIssue,
) -> None:
    """The symbols face (``−``, ``◦``, ``≤``) had Noto Sans Math's descent (630 of 1000, the
    text faces 293): a line of negative figures, or of a second-level list, stood 16.3 or
    18.2 pt from the next instead of 14.5."""
    body = readback.body_lines(readback.pdf_lines(built_generated.pdf))
    pairs = [
        (upper, lower)
        for upper, lower in pairwise(body)
        if upper.page == lower.page
        and 14 < _baseline(upper) - _baseline(lower) < 18.5
        and any("Dizgi-Symbols" in char.fontname for char in upper.chars if char.get_text().strip())
    ]
    assert len(pairs) >= 5, "the fixture's lines with − and ◦ were not found"
    assert [
        (upper.page, round(_baseline(upper) - _baseline(lower), 1), upper.text[:40])
        for upper, lower in pairs
        if abs(_baseline(upper) - _baseline(lower) - 14.5) > 0.15
    ] == []


def test_a_heading_stands_closer_to_its_text_than_to_the_text_before(
    pdf_lines: list[readback.PdfLine],
) -> None:
    """A heading takes one line of space, 10 pt above it and 4.5 pt below: it no longer sits
    on the text it heads, and the lines around it still back up."""
    headings = [line for line in pdf_lines if round(line.size, 1) == 11.0 and "Kurumsallaşması" in line.text]
    assert headings
    for heading in headings:
        page = [line for line in pdf_lines if line.page == heading.page and line.size == 10.5]
        above = min(
            (line for line in page if _baseline(line) > _baseline(heading)), key=lambda line: _baseline(line)
        )
        below = max(
            (line for line in page if _baseline(line) < _baseline(heading)), key=lambda line: _baseline(line)
        )
        gap_above, gap_below = _baseline(above) - _baseline(heading), _baseline(heading) - _baseline(below)
        assert gap_below > 16 and gap_above > gap_below + 3, (gap_above, gap_below)
        assert abs(gap_above + gap_below - 3 * 14.5) < 0.6  # two lines' baselines, a heading between


def test_verbose_gives_each_occurrence_its_own_line(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = _article(minimal_manuscript)
    body = "Türkiye’nin ve Azerbaycan’ın ortaklığı üzerine birkaç cümle."
    _replace(article, body, "Türkiye'nin ve Azerbaycan'ın ortaklığı.\n\nYine Türkiye'nin ve Azerbaycan'ın.")
    out = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out, "--verbose", "--only", "epub")
    assert run.code == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if 'T3 "Türkiye\'nin"' in line]
    assert lines == [
        f"  {article}:15: T3 \"Türkiye'nin\" → 'Türkiye’nin'",
        f"  {article}:17: T3 \"Türkiye'nin\" → 'Türkiye’nin'",
    ]


def _listing_two(manuscript: Path, second: str) -> Path:
    """issue.yaml listing the article twice, the second line indented as ``second`` says."""
    issue = manuscript / "issue.yaml"
    listing = "  - articles/01-deneme.md\n"
    _replace(issue, listing, listing + second + "- articles/01-deneme.md\n")
    return issue


@pytest.mark.parametrize(
    ("indent", "message"),
    [
        (  # one space less: the line that breaks the list is named, not the mapping's first
            " ",
            "this line is not indented as the lines it belongs with "
            "(YAML: expected <block end>, but found '<block sequence start>')\n"
            "  what to do: give it the same indentation as its neighbours, in spaces (a list item of "
            "'articles' is '  - articles/01-slug.md', two spaces); a tab never works\n",
        ),
        (  # one space more: not reported as a missing article 'a.md - b.md'
            "   ",
            "this line is indented deeper than the one above it, so YAML "
            "reads the two article entries as one path ('articles/01-deneme.md - articles/01-deneme.md')\n"
            "  what to do: start every article's line with '- ' at the same indentation "
            "('  - articles/01-slug.md', two spaces)\n",
        ),
    ],
    ids=["one space less", "one space more"],
)
def test_a_wrongly_indented_article_line_is_named_with_its_indentation(
    indent: str, message: str, minimal_manuscript: Path, tmp_path: Path
) -> None:
    issue = _listing_two(minimal_manuscript, indent)
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr == f"dizgi: error: {issue}, line 6: {message}"


def test_a_word_longer_than_any_is_broken_at_line_ends_with_a_warning(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    """A 2,000-letter run of mixed letters took two minutes in hyphenation (a 50,000-letter one
    more than five; ``python build.py bench hostile`` times that): now its lines are broken
    where they end, and the build says so with the line."""
    article = _article(minimal_manuscript)
    letters = random.Random(24)
    word = "".join(letters.choice("bcdfgklmnprst") + letters.choice("aeıioöuü") for _ in range(300))
    with article.open("a", encoding="utf-8") as file:
        file.write(f"\nBir paragraf {word} sonu.\n")
    out = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out, "--quiet", "--only", "pdf")
    assert run.code == 0, run.stderr
    assert run.stderr == (
        f"dizgi: warning: {article}, line 19: a word of 600 characters ('{word[:20]}…') is longer than "
        "a line; it is broken where each line ends, without a hyphen: if it is more than one word, "
        "put the spaces in\n"
    )
    lines = readback.pdf_lines(next(out.glob("*.pdf")))
    assert not lines_off_the_text_block(lines)
    printed = "".join(line.text for line in lines).replace("\u200b", "")
    assert word in printed  # broken without a hyphen: the letters read back whole


def test_a_web_address_typed_in_a_title_is_a_link_wherever_it_is_printed(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    """A generated issue's title held ``https://example.org/rapor?sayfa=3``: the opener
    printed it with no link over it (outloud's LNK-010). The opener's heading links it, as
    the subtitle, abstract and bios do; the cover's and the contents' entries are links to
    the article already, and a link holds no other."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace(
            'title: "İkinci Deneme: Kısa Bir Yazı"', 'title: "Rapor: https://example.org/rapor?sayfa=3"'
        ),
        encoding="utf-8",
    )
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path)
    assert run.code == 0, run.stderr
    (pdf,) = tmp_path.glob("*.pdf")
    assert [finding for finding in checks.run_outloud(pdf).findings if "LNK-010" in finding] == []
    (epub,) = tmp_path.glob("*.epub")
    headings = [heading for _, root in read_epub(epub).documents for heading in root.iter(f"{XHTML}h1")]
    (title,) = [heading for heading in headings if "Rapor:" in "".join(heading.itertext())]
    assert [link.get("href") for link in title.iter(f"{XHTML}a")] == ["https://example.org/rapor?sayfa=3"]
