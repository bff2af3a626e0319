"""T7: the Turkish dictionary WeasyPrint hyphenates with, on its own."""

from __future__ import annotations

import pytest

from conftest import ROOT, TYPOGRAPHY_MANUSCRIPT, run_cli
from dizgi.hyphenation import hyphenate

DICTIONARY = ROOT / "styles" / "hyphenation" / "hyph_tr_TR-dizgi.dic"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("İlişkiler", "İliş-ki-ler"),  # pyphen alone: İl-işk-iler (str.lower() adds U+0307)
        ("İstanbul", "İs-tan-bul"),  # pyphen alone: İst-anbul
        ("stratejik", "stra-te-jik"),  # the patterns alone: st-ra-te-jik
        ("Sağlıklılaştırılamayanlardan", "Sağ-lık-lı-laş-tı-rı-la-ma-yan-lar-dan"),
        ("Türkiye’nin", "Tür-ki-ye’nin"),  # never at or after the apostrophe
        ("Azerbaycan’ın", "Azer-bay-can’ın"),  # not Azerbayca-n’ın
        ("SİHA’lar", "SİHA’lar"),  # abbreviations stay whole
        ("TSK’nın", "TSK’nın"),
        ("2021’de", "2021’de"),  # numbers stay whole
        ("İKİNCİ", "İKİNCİ"),
        ("entegrasyonun", "en-teg-ras-yo-nun"),
    ],
)
def test_t7_turkish_breaks(word: str, expected: str) -> None:
    assert hyphenate(word, "tr", DICTIONARY) == expected


def test_t7_capitalised_words_break_like_lowercase_ones() -> None:
    from dizgi import turkish

    for word in ("İlişkiler", "Işıklandırma", "İstihbarat"):
        assert turkish.lower(hyphenate(word, "tr", DICTIONARY)) == hyphenate(
            turkish.lower(word), "tr", DICTIONARY
        )


def test_t7_at_least_two_letters_before_and_three_after_a_break() -> None:
    for word in ("ama", "okul", "araba", "ılık", "ekonomik", "istihbaratla"):
        parts = hyphenate(word, "tr", DICTIONARY).split("-")
        assert len(parts[0]) >= 2 and len(parts[-1]) >= 3, parts


def test_t7_russian_and_english_use_their_own_patterns() -> None:
    assert hyphenate("необратимый", "ru", DICTIONARY) != "необратимый"
    assert hyphenate("interoperability", "en", DICTIONARY) != "interoperability"


def test_verbose_lists_each_change_with_file_and_line(tmp_path: object) -> None:
    run = run_cli("--manuscript", TYPOGRAPHY_MANUSCRIPT, "--out", tmp_path, "--verbose", "--only", "epub")
    assert run.code == 0
    article = TYPOGRAPHY_MANUSCRIPT / "articles" / "01-kurallar.md"
    assert f"  {article}:11: T3 'Akdeniz‘e' → 'Akdeniz’e'" in run.stdout
    assert f"  {article}:15: T6 '% 25' → '%25'" in run.stdout
    convert_line = next(line for line in run.stdout.splitlines() if line.startswith("  convert"))
    assert "Turkish rules: T1 2, T3 10, T4 " in convert_line
