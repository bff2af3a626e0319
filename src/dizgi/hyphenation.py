"""Turkish hyphenation patterns registered with pyphen, which WeasyPrint hyphenates through.

pyphen ships no Turkish dictionary (WeasyPrint then silently does not hyphenate ``lang="tr"``),
and it lowercases with ``str.lower()``, which turns ``İ`` into ``i`` + U+0307: every break
after an ``İ`` lands one letter early (*İl-işkiler*). Our dictionary lowercases the Turkish
way, leaves abbreviations (*SİHA’lar*, *TSK’nın*) whole and breaks a proper noun only
inside its stem, never at or after the apostrophe (*Azer-bay-can’ın*, not *Azerbayca-n’ın*).
Russian and English use pyphen's own dictionaries.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen

from dizgi import turkish

TURKISH_LANGUAGE_CODES = ("tr", "tr_TR")
#: two capitals in a row, or a digit: an abbreviation or a number, never hyphenated (T7)
_NOT_A_PLAIN_WORD = re.compile(r"[A-ZÇĞİÖŞÜ]{2}|\d")
#: the apostrophe before a suffix (T3 makes it ’; a straight one may still reach here)
_APOSTROPHE = re.compile(r"[’']")
#: letters a stem keeps before its apostrophe (TDK: Türki-ye’nin, never Türkiy-e’nin)
STEM_RIGHT_MIN = 2


class TurkishHyphDict(pyphen.HyphDict):  # type: ignore[misc]  # pyphen ships no type hints
    """hyph-tr patterns, applied to the word lowercased the Turkish way."""

    def positions(self, word: str) -> list[int]:
        if _NOT_A_PLAIN_WORD.search(word):
            return []
        apostrophe = _APOSTROPHE.search(word)
        if apostrophe is None:
            positions: list[int] = super().positions(turkish.lower(word))
            return positions
        stem = word[: apostrophe.start()]
        return [p for p in super().positions(turkish.lower(stem)) if p <= len(stem) - STEM_RIGHT_MIN]


def register_turkish(dictionary: Path) -> None:
    """Make ``pyphen.Pyphen(lang="tr")`` (and so WeasyPrint) use our Turkish dictionary.

    pyphen keeps one parsed dictionary per file in ``hdcache``; putting ours there is how a
    dictionary class of our own reaches WeasyPrint without patching either library.
    """
    path = dictionary.resolve()
    for code in TURKISH_LANGUAGE_CODES:
        pyphen.LANGUAGES[code] = path
        pyphen.LANGUAGES_LOWERCASE[code.lower()] = code
    if not isinstance(pyphen.hdcache.get(path), TurkishHyphDict):
        pyphen.hdcache[path] = TurkishHyphDict(path)


def hyphenate(word: str, lang: str, dictionary: Path, *, left: int = 2, right: int = 3) -> str:
    """``Sağ-lık-lı-laş-tı-rı-la-ma-yan-lar-dan``: the breaks WeasyPrint may use, for tests and
    for ``--verbose``."""
    register_turkish(dictionary)
    return str(pyphen.Pyphen(lang=lang, left=left, right=right).inserted(word))
