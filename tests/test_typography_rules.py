"""The Turkish typography checklist (../shared/turkish-typography.md), rule by rule, read back
from built outputs: the fixture ``typography`` (every rule exercised) and the real issue."""

from __future__ import annotations

import itertools
import re

import pytest

from conftest import (
    TEXT_WIDTH,
    XHTML,
    BuiltIssue,
    ReadBack,
    first_missing_word,
    join_hyphenated_lines,
    text_block,
    words,
)
from dizgi import readback, turkish
from dizgi.hyphenation import TurkishHyphDict

NBSP = "\u00a0"
HYPHEN_ADDED = "\u2010"  # what WeasyPrint ends a hyphenated line with
#: print.css: the body's line height (10.5/14.5 pt)
BODY_LEADING = 14.5


def one_line(lines: list[readback.PdfLine], pattern: str) -> bool:
    """Does ``pattern`` (a regex) match inside a single line of the PDF?"""
    return any(re.search(pattern, line.text) for line in lines)


# T1 -------------------------------------------------------------------------------------


def test_t1_cyrillic_runs_get_lang_ru_without_markup(typography: ReadBack) -> None:
    spans = [
        "".join(span.itertext())
        for _, root in typography.epub.documents
        for span in root.iter(f"{XHTML}span")
        if span.get("lang") == "ru" and span.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    ]
    assert "Андрей Арешев" in spans
    assert "Азербайджан укрепляет связи с Турцией." in spans


def test_t1_english_phrases_keep_lang_en(typography: ReadBack) -> None:
    english = {
        "".join(span.itertext())
        for _, root in typography.epub.documents
        for span in root.iter(f"{XHTML}span")
        if span.get("lang") == "en"
    }
    assert {"interoperability", "a fine figure of official fiction"} <= english


def test_t1_fixture_pdf_declares_turkish(typography: ReadBack) -> None:
    assert readback.read_pdf(typography.built.pdf).lang == "tr"


# T2 -------------------------------------------------------------------------------------


def test_t2_running_head_uppercases_dotted_i(typography: ReadBack) -> None:
    heads = [line.text for line in typography.lines if line.size < 8]
    assert "İKİNCİ KARABAĞ SAVAŞI" in heads
    assert "DIŞ BAKIŞ DENEME · KASIM 2026" in heads
    assert not any("IKINCI" in head or "DIS " in head for head in heads)


def test_t2_cover_of_the_real_issue_reads_dis_bakis_nisan(real: ReadBack) -> None:
    cover = [line.text for line in real.lines if line.page == 1]
    assert cover[:2] == ["DIŞ BAKIŞ", "NİSAN 2025"]
    assert "DIŞ BAKIŞ · NİSAN 2025" in real.pdf_text  # the running head


def test_t2_stylesheets_leave_case_to_the_pipeline(typography: ReadBack) -> None:
    from conftest import ROOT

    for name in ("print.css", "epub.css"):
        css = (ROOT / "styles" / name).read_text(encoding="utf-8")
        assert "text-transform" not in css, name
        assert "small-caps" not in css, name


# T3 -------------------------------------------------------------------------------------


APOSTROPHE_WORDS = (
    "Türkiye’nin", "TSK’nın", "SİHA’ların", "2021’de", "8’inci", "Akdeniz’e", "Bakü’nün",
    "İzmir’in", "Ankara’ya",
)  # fmt: skip


def test_t3_apostrophe_before_suffix_is_u2019_in_the_epub(typography: ReadBack) -> None:
    prose = typography.epub.prose()
    for word in APOSTROPHE_WORDS:
        assert word in prose
    assert re.findall(r"\w['‘`´′]\w", prose) == []


def test_t3_apostrophe_before_suffix_is_u2019_in_the_pdf(typography: ReadBack) -> None:
    text = join_hyphenated_lines(readback.pdf_body_text(typography.lines))
    for word in APOSTROPHE_WORDS:
        assert word in text


def test_t3_real_issue_corrects_the_akdeniz_slip(real: ReadBack) -> None:
    assert "Akdeniz’e" in real.epub.text() and "Akdeniz‘e" not in real.epub.text()
    assert "Akdeniz’e" in real.pdf_text and "Akdeniz‘e" not in real.pdf_text


def test_t3_no_line_breaks_at_an_apostrophe(both: ReadBack) -> None:
    lines = readback.pdf_body_text(both.lines).splitlines()
    for line, following in itertools.pairwise(lines):
        # a suffix on the next line (Türkiye’ / nin) would be a break at the apostrophe;
        # an English possessive (Citizens’ / Assembly) ends a word like any other
        assert not (line.rstrip(HYPHEN_ADDED).endswith("’") and following[:1].islower()), (line, following)
        assert not following.startswith("’"), following


def test_t3_code_and_urls_keep_their_straight_marks(typography: ReadBack) -> None:
    codes = [
        "".join(code.itertext())
        for _, root in typography.epub.documents
        for code in root.iter(f"{XHTML}code")
    ]
    assert 'Türkiye\'nin "kodu" 5-37' in codes
    links = [a.get("href") for _, root in typography.epub.documents for a in root.iter(f"{XHTML}a")]
    assert "https://example.org/a-b/5-37?q='x'" in links


# T4 -------------------------------------------------------------------------------------


def test_t4_quotes_are_turkish_with_single_quotes_inside(typography: ReadBack) -> None:
    prose = typography.epub.prose()
    assert "“Barış kalıcı olmalıdır”" in prose
    assert "“Komutan bana ‘geri çekilin’ dedi, ben de çekildim.”" in prose
    assert "“boşluklu tırnak”" in prose
    assert "“Türkiye’nin Savunma Politikası”" in prose
    assert '"' not in prose


# T5 -------------------------------------------------------------------------------------


def test_t5_number_ranges_take_an_en_dash(typography: ReadBack) -> None:
    prose = typography.epub.prose()
    for expected in (f"s.{NBSP}5–37", "2020–2021", "3–4"):
        assert expected in prose
    for kept in ("2025-04-01", "F-16", "Ankara-Bakü", "Türkiye-Azerbaycan"):
        assert kept in prose


def test_t5_real_issue_range_5_37(real: ReadBack) -> None:
    assert "5–37" in real.epub.text() and "5-37" not in real.epub.text()
    assert "5–37" in real.pdf_text


def test_t5_a_number_range_is_one_word_to_the_line_breaker(both: ReadBack) -> None:
    """Unicode line breaking allows a break after an en dash (5– / 37): every range in the
    EPUB is inside a span the stylesheets set nowrap, and no PDF line ends inside one."""
    ranges = 0
    for _, root in both.epub.documents:
        for element in root.iter(f"{XHTML}*"):
            for text, holder in ((element.text, element), (element.tail, element.getparent())):
                for _ in re.finditer(r"\d–\d", text or ""):
                    tied = [holder, *holder.iterancestors()]
                    assert any("nobreak" in (node.get("class") or "").split() for node in tied), text
                    ranges += 1
    assert ranges >= 1
    for line, following in itertools.pairwise(both.lines):
        assert not (re.search(r"\d–$", line.text) and re.match(r"\d", following.text)), line.text


def test_t5_spaced_hyphen_becomes_en_dash_tied_to_the_word_before(typography: ReadBack) -> None:
    prose = typography.epub.prose()
    assert f"Savaş{NBSP}– en azından bu yazıda{NBSP}– bir örnek" in prose
    assert f"örnek{NBSP}– çift kısa çizgiyle{NBSP}– aynı" in prose
    assert " - " not in prose and " -- " not in prose
    for line in typography.lines:
        assert not line.text.startswith("–"), line.text


# T6 -------------------------------------------------------------------------------------


NO_BREAK_PAIRS = (
    ("30", "Ocak"), ("5", "km"), ("3,5", "milyon"), ("bkz.", "12."), ("s.", "44"), ("No.", "7"),
    ("Prof.", "Dr."), ("Dr.", "Ayşe"), ("M.", "Kemal"),
)  # fmt: skip


def test_t6_no_break_spaces_in_the_epub(typography: ReadBack) -> None:
    prose = typography.epub.prose()
    for left, right in NO_BREAK_PAIRS:
        assert f"{left}{NBSP}{right}" in prose
    assert "%25" in prose and "% 25" not in prose
    assert "Peki?" in prose and "değil;" in prose and "gerekir!" in prose


def test_t6_no_break_pairs_stay_on_one_line_in_the_pdf(typography: ReadBack) -> None:
    for left, right in NO_BREAK_PAIRS:
        assert one_line(typography.lines, re.escape(left) + r"[\s\u00a0]+" + re.escape(right)), (left, right)
    assert one_line(typography.lines, r"%25")


# T7 -------------------------------------------------------------------------------------


def hyphenated_breaks(lines: list[str]) -> list[tuple[str, str]]:
    """(head, tail) of every word that hyphenation broke at a line end."""
    breaks = []
    for line, following in itertools.pairwise(lines):
        if line.endswith(HYPHEN_ADDED):
            head = re.findall(r"[\w’]+$", line[:-1])
            tail = re.findall(r"^[\w’]+", following)
            if head and tail:
                breaks.append((head[0], tail[0]))
    return breaks


def test_t7_turkish_text_is_hyphenated_where_the_turkish_dictionary_allows(both: ReadBack) -> None:
    from conftest import ROOT

    dictionary = TurkishHyphDict((ROOT / "styles" / "hyphenation" / "hyph_tr_TR-dizgi.dic").resolve())
    breaks = hyphenated_breaks([line.text for line in both.body_lines])
    assert len(breaks) >= 5, "the body text is barely hyphenated"
    for head, tail in breaks:
        word = head + tail
        if re.search(r"[\u0400-\u04ff]|[a-z]{2,}ty|ability", word):
            continue  # Russian and English runs use their own patterns
        assert len(head) >= 2 and len(tail.split("’")[0]) >= 1 and len(word) - len(head) >= 3, (head, tail)
        assert len(head) in dictionary.positions(word), f"{head}-{tail} is not a Turkish break"


def test_t7_headings_and_bylines_are_not_hyphenated(both: ReadBack) -> None:
    size = readback.body_size(both.lines)
    for line in both.lines:
        if line.size > size and not readback.in_body_size(line, size):  # titles and headings
            assert not line.text.endswith(HYPHEN_ADDED), line.text
    for line in both.lines:
        if "Üniversitesi" in line.text:  # the byline's affiliation
            assert not line.text.endswith(HYPHEN_ADDED)


def test_t7_abbreviations_and_numbers_are_never_hyphenated(both: ReadBack) -> None:
    for head, tail in hyphenated_breaks(readback.pdf_body_text(both.lines).splitlines()):
        assert not re.search(r"[A-ZÇĞİÖŞÜ]{2}|\d", head + tail), (head, tail)


def test_t7_loose_line_share_is_at_most_one_percent(both: ReadBack) -> None:
    report = readback.loose_lines(both.lines)
    assert report.justified_lines >= 25
    assert report.share <= 0.01, [line.text for line in report.loose]


def max_hyphenated_run(lines: list[readback.PdfLine]) -> int:
    run = longest = 0
    for line in lines:
        run = run + 1 if line.text.endswith(HYPHEN_ADDED) else 0
        longest = max(longest, run)
    return longest


def test_t7_no_more_than_two_hyphenated_lines_in_a_row_in_the_fixture(typography: ReadBack) -> None:
    assert max_hyphenated_run(typography.body_lines) <= 2


def test_t7_no_more_than_two_hyphenated_lines_in_a_row_in_the_real_issue(real: ReadBack) -> None:
    assert max_hyphenated_run(real.body_lines) <= 2


@pytest.mark.parametrize("fixture", ["built_issue", "built_typography", "built_pictures"])
def test_t7_no_word_stands_alone_on_a_line_inside_a_paragraph(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """WeasyPrint 70 now and then breaks a justified line after one short word that would
    have fit on the line before (*ise* alone, then *Nahçıvan üzerinden …*, in the pictures
    fixture): such a line cannot be justified. A line of one word, short of the measure,
    followed by a line of the same paragraph (the next line down, not indented)."""
    built: BuiltIssue = request.getfixturevalue(fixture)
    lines = readback.body_lines(readback.pdf_lines(built.pdf))
    stranded = [
        (line.page, line.text, following.text)
        for line, following in itertools.pairwise(lines)
        if following.page == line.page
        and " " not in line.text.strip()
        and not line.text.endswith(HYPHEN_ADDED)
        and line.x1 - line.x0 < 0.6 * TEXT_WIDTH
        and abs((line.y0 - following.y0) - BODY_LEADING) < 1.0
        and following.x0 < text_block(following.page)[0] + 1.0
    ]
    assert stranded == []


def test_t7_last_word_of_a_paragraph_is_kept_whole(both: ReadBack) -> None:
    last_words = [
        span for _, root in both.epub.documents for span in root.iter(f"{XHTML}span")
        if "nohyphen" in span.get("class", "").split()
    ]  # fmt: skip
    assert len(last_words) >= 5
    css = "".join(member.decode() for name, member in both.epub.members.items() if name.endswith(".css"))
    assert ".nohyphen" in css
    # In the PDF: a paragraph's last line is never the lone tail of a hyphenated word.
    body = both.body_lines
    for previous, line in itertools.pairwise(body):
        ends_paragraph = line.x1 < text_block(line.page)[1] - 5.0
        if ends_paragraph and previous.text.endswith(HYPHEN_ADDED):
            assert " " in line.text.strip(), f"the last word was hyphenated: {previous.text} / {line.text}"


def test_t7_epub_has_no_soft_hyphens_and_asks_the_reader_to_hyphenate(both: ReadBack) -> None:
    assert "\u00ad" not in both.epub.text()
    css = next(member for name, member in both.epub.members.items() if name.endswith("epub.css")).decode()
    assert "hyphens: auto" in css


# T8 -------------------------------------------------------------------------------------


def ligature_glyphs(line: readback.PdfLine) -> list[str]:
    """Glyphs that stand for more than one letter (pdfminer decodes a ligature as 'fi')."""
    return [
        char.get_text()
        for char in line.chars
        if len(char.get_text()) > 1 or "\ufb00" <= char.get_text() <= "\ufb06"
    ]


def test_t8_turkish_fi_words_are_set_letter_by_letter(typography: ReadBack) -> None:
    turkish_lines = [
        line for line in typography.lines if re.search(r"Fikir|fiyat|fiil|tarafın|ofis", line.text)
    ]
    assert turkish_lines
    assert [ligature_glyphs(line) for line in turkish_lines] == [[] for _ in turkish_lines]


def test_t8_the_check_sees_ligatures_where_they_are_allowed(typography: ReadBack) -> None:
    phrase = r"\b(fine|figure|official|fiction)\b"  # "a fine figure of official fiction", English
    english = [line for line in typography.lines if re.search(phrase, line.text)]
    assert "fi" in [glyph for line in english for glyph in ligature_glyphs(line)]


def test_t8_real_issue_has_no_ligature_glyph_in_its_turkish_body_text(real: ReadBack) -> None:
    assert [ligature_glyphs(line) for line in real.body_lines if ligature_glyphs(line)] == []


# T10 ------------------------------------------------------------------------------------


def test_t10_pdf_text_holds_every_word_of_the_fixture(typography: ReadBack) -> None:
    article = next(root for name, root in typography.epub.documents if name.endswith("a01.xhtml"))
    body = article.find(f".//{XHTML}div[@class='article-body']")
    assert body is not None
    expected = words("".join(body.itertext()))
    actual = words(join_hyphenated_lines(readback.pdf_body_text(typography.lines)))
    assert first_missing_word(expected, actual) is None


def test_t10_pdf_text_has_no_soft_hyphen_replacement_or_private_use_character(both: ReadBack) -> None:
    for line in both.lines:
        assert not re.search(r"[\u00ad\ufffd\ue000-\uf8ff]", line.text), line.text
    assert re.search("[İığşâîû]", both.pdf_text)


# T11 ------------------------------------------------------------------------------------


def test_t11_numbers_never_split_across_lines(typography: ReadBack) -> None:
    for number in ("3,5", "1.250.000", "%25", "2020–2021"):
        assert one_line(typography.lines, re.escape(number)), number


def test_t11_dates_the_pipeline_writes_are_turkish(typography: ReadBack) -> None:
    assert one_line(typography.lines, r"24[\s\u00a0]Kasım 2026")
    assert "24\u00a0Kasım 2026" in typography.epub.text()
    english_months = (
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
    )
    assert not re.search(english_months, typography.pdf_text + typography.epub.text())


# T12 ------------------------------------------------------------------------------------


TURKISH_ORDER = [
    "çatışma", "güvenlik", "ılımlılık", "Irak", "İran", "ittifak", "ölçek", "özerklik", "savunma", "şiddet",
]  # fmt: skip


def test_t12_keywords_are_sorted_in_turkish_order_in_the_pdf(typography: ReadBack) -> None:
    import pypdf

    info = pypdf.PdfReader(typography.built.pdf).metadata
    assert info is not None
    assert str(info["/Keywords"]).split(", ") == TURKISH_ORDER


def test_t12_keywords_are_sorted_in_turkish_order_in_the_epub(typography: ReadBack) -> None:
    subjects = [
        element.text for element in typography.epub.opf.iter("{http://purl.org/dc/elements/1.1/}subject")
    ]
    assert subjects == TURKISH_ORDER
    assert sorted(TURKISH_ORDER, key=turkish.collation_key) == TURKISH_ORDER


# T13 ------------------------------------------------------------------------------------


def test_t13_labels_are_turkish(both: ReadBack) -> None:
    texts = [line.text for line in both.lines]
    assert "İçindekiler" in texts and "Kaynakça" in texts and "Künye" in texts
    assert any(text.startswith("Fotoğraf: ") for text in texts)
    assert any(text.startswith("Not: ") for text in texts)
    nav = next(root for name, root in both.epub.documents if name.endswith("nav.xhtml"))
    landmarks = nav.find(f".//{XHTML}nav[@id='landmarks']")
    assert landmarks is not None
    assert [a.text for a in landmarks.iter(f"{XHTML}a")] == ["Kapak", "İçindekiler", "Başlangıç"]


def test_t13_no_heading_ends_a_page(both: ReadBack) -> None:
    size = readback.body_size(both.lines)
    for page in sorted({line.page for line in both.body_lines}):
        content = [
            line for line in both.lines
            if line.page == page and (line.size >= size or readback.in_body_size(line, size))
        ]  # fmt: skip
        last = min(content, key=lambda line: line.y0)
        assert readback.in_body_size(last, size), f"page {page} ends with a heading: {last.text}"


def test_t13_no_widows_or_orphans(real: ReadBack) -> None:
    """A paragraph that a page break splits leaves at least two lines on each side."""
    body = real.body_lines
    pages = sorted({line.page for line in body})
    splits = 0
    for page, following in itertools.pairwise(pages):
        last = [line for line in body if line.page == page][-1]
        first = next(line for line in body if line.page == following)
        (left, right), (next_left, next_right) = text_block(page), text_block(following)
        continues = last.x1 >= right - 1.0 and first.x0 <= next_left + 1.0
        if not continues:
            continue
        splits += 1
        assert last.x0 <= left + 1.0, f"orphan: a paragraph's first line alone at the foot of page {page}"
        assert first.x1 >= next_right - 5.0, f"widow: a paragraph's last line alone atop page {following}"
    assert splits >= 1, "no paragraph crosses a page: the check proved nothing"


def test_note_calls_never_start_a_line(both: ReadBack) -> None:
    text_pages = {line.page for line in both.body_lines}  # not the contents' page numbers
    lines = readback.pdf_body_text([line for line in both.lines if line.page in text_pages]).splitlines()
    assert [line for line in lines if re.fullmatch(r"\s*\d+\s*", line)] == []
    calls = [
        a for _, root in both.epub.documents for a in root.iter(f"{XHTML}a") if a.get("role") == "doc-noteref"
    ]
    assert calls
    for call in calls:
        tie = call.getparent()
        assert tie is not None and "nobreak" in tie.get("class", "").split(), "".join(tie.itertext())
