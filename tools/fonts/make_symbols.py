"""Make ``styles/fonts/DizgiSymbols-Regular.ttf``: the symbols the text faces lack.

Noto Serif and Noto Sans (2.004, and 2.015 as Google Fonts ships them) have no minus sign
(U+2212), no ``≤ ≥ ≈``, no arrows and no ``◦ ▪``: a policy writer types all of them. They
come from Noto Sans Math and Noto Sans Symbols 2 (OFL 1.1, no reserved font name), cut
down to the blocks below less every character the text faces already draw, and merged into
one face named *Dizgi Symbols*, which every text face falls back to (``fonts.css``).

Run once, from the project folder, with Debian's Noto fonts unpacked beside it:

    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb /tmp/noto
    .venv/bin/python tools/fonts/make_symbols.py /tmp/noto/usr/share/fonts/truetype/noto

(``--metrics-only`` gives the shipped face the text faces' ascent and descent, in place.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import merge, subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
#: (source face, the blocks taken from it)
SOURCES = (
    ("NotoSansMath-Regular.ttf", [(0x2032, 0x2037), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF),
                                  (0x27F0, 0x27FF), (0x2900, 0x297F), (0x2A00, 0x2AFF), (0x2B00, 0x2BFF)]),
    ("NotoSansSymbols2-Regular.ttf", [(0x2022, 0x2023), (0x2043, 0x2043), (0x25A0, 0x25FF), (0x2600, 0x26FF),
                                      (0x2700, 0x27BF), (0x2B00, 0x2BFF)]),
)  # fmt: skip
TEXT_FACES = ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf")
#: the spaces, kept although the text faces have them: Pango keeps a space between two
#: symbols in the symbols face, which then must draw it (or a box is drawn)
SPACES = {0x20, 0xA0, 0x2009, 0x200A, 0x202F}
#: drawn as nothing, zero wide: the joiners and variation selectors (Pandoc writes U+FE0E
#: after ``▪`` and ``↔``), which the shaper keeps in the symbol's face
INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, *range(0xFE00, 0xFE10)}


def main(noto: Path) -> None:
    text = set()
    for name in TEXT_FACES:
        text |= set(TTFont(ROOT / "styles" / "fonts" / name).getBestCmap())
    taken: set[int] = set()
    parts = []
    for name, blocks in SOURCES:
        face = TTFont(noto / name)
        wanted = {code for low, high in blocks for code in range(low, high + 1)}
        codes = ((set(face.getBestCmap()) & wanted) - text - taken) | (SPACES if not parts else set())
        taken |= codes
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.recalc_timestamp = False
        options.drop_tables = [*options.drop_tables, "DSIG", "MATH"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(face)
        part = Path(f"/tmp/dizgi-symbols-{len(parts)}.ttf")
        face.save(part)
        parts.append(str(part))
    merged = merge.Merger().merge(parts)
    _add_invisible(merged, INVISIBLE - set(merged.getBestCmap()))
    _match_vertical_metrics(merged, TTFont(ROOT / "styles" / "fonts" / TEXT_FACES[0]))
    for record in merged["name"].names:
        if record.nameID in (1, 16):
            record.string = "Dizgi Symbols"
        elif record.nameID == 4:
            record.string = "Dizgi Symbols Regular"
        elif record.nameID == 6:
            record.string = "DizgiSymbols-Regular"
        elif record.nameID == 3:
            record.string = "Dizgi Symbols Regular (from Noto Sans Math 2.001, Noto Sans Symbols 2 2.003)"
    target = ROOT / "styles" / "fonts" / "DizgiSymbols-Regular.ttf"
    merged.save(target)
    print(f"{target}: {len(merged.getBestCmap())} characters, {target.stat().st_size} bytes")


def _match_vertical_metrics(font: TTFont, text_face: TTFont) -> None:
    """The text faces' ascent and descent (1069 and 293 of 1000), not Noto Sans Math's 630
    descent: Pango sizes a line by the faces it holds, so a line with a ``−`` stood 16.3 pt
    from the next instead of 14.5 and the page's lines no longer backed up. A symbol that
    reaches lower is still drawn whole (nothing clips a glyph to the line)."""
    for table, fields in (
        ("hhea", ("ascent", "descent", "lineGap")),
        ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent")),
    ):
        for field in fields:
            setattr(font[table], field, getattr(text_face[table], field))


def _add_invisible(font: TTFont, codes: set[int]) -> None:
    """One empty, zero-wide glyph for ``codes``."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    name = "invisible"
    font["glyf"][name] = TTGlyphPen(None).glyph()
    font["hmtx"][name] = (0, 0)
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({code: name for code in codes if table.format != 4 or code <= 0xFFFF})
    font["maxp"].numGlyphs = len(font.getGlyphOrder())


def metrics_only() -> None:
    """Give the shipped symbols face the text faces' vertical metrics, in place."""
    target = ROOT / "styles" / "fonts" / "DizgiSymbols-Regular.ttf"
    font = TTFont(target)
    _match_vertical_metrics(font, TTFont(ROOT / "styles" / "fonts" / TEXT_FACES[0]))
    font.save(target)


if __name__ == "__main__":
    if sys.argv[1] == "--metrics-only":
        metrics_only()
    else:
        main(Path(sys.argv[1]))
