"""T9: every character the issue uses has a glyph in every shipped face; fonts ship with licences."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT, ReadBack

FONTS = ROOT / "styles" / "fonts"
#: the text faces (every text is set in one of them) and the symbols face all fall back to
FACES = sorted(face for face in FONTS.glob("*.ttf") if not face.name.startswith("DizgiSymbols"))
SYMBOLS_FACE = FONTS / "DizgiSymbols-Regular.ttf"
#: T9's list: Turkish letters, circumflex vowels, Cyrillic, typographic punctuation, digits
CHECKLIST_CHARACTERS = (
    "çğıİöşüÇĞÖŞÜâîûÂÎÛ"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "’‘“”–—…№‐\u00a0\u202f0123456789%"
)


@cache
def cmap(face: Path) -> frozenset[int]:
    return frozenset(TTFont(face).getBestCmap())


def test_the_shipped_faces_are_there_with_their_licence() -> None:
    assert [face.name for face in FACES] == [
        "NotoSans-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-BoldItalic.ttf",
        "NotoSerif-Italic.ttf",
        "NotoSerif-Regular.ttf",
    ]
    assert SYMBOLS_FACE.is_file()
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.stem)
def test_t9_every_face_covers_the_checklist_characters(face: Path) -> None:
    assert [char for char in CHECKLIST_CHARACTERS if ord(char) not in cmap(face)] == []


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.stem)
def test_t9_every_character_of_the_issue_has_a_glyph_in_every_face(face: Path, both: ReadBack) -> None:
    used = {char for char in both.epub.text() if not char.isspace() or char in "\u00a0\u202f"}
    assert sorted(char for char in used if ord(char) not in cmap(face) | cmap(SYMBOLS_FACE)) == []


def test_t9_the_fixture_pdf_uses_only_the_shipped_fonts_embedded(both: ReadBack) -> None:
    from dizgi import readback

    report = readback.read_pdf(both.built.pdf)
    assert [font.name for font in report.fonts if not font.embedded or font in report.foreign_fonts] == []
