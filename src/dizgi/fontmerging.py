"""One embedded font per face in the stitched issue: each piece (``pieces``) embeds its own
subset of each face it uses, and the stitched PDF would carry a copy per piece (a generated
issue of five articles: six faces in 36 copies, 121 KB of fonts against 26 KB).

WeasyPrint 70 subsets with fontTools keeping the glyph ids (``retain_gids``), so the
subsets of one face share their ids: a glyph a piece drew is the same glyph in every
subset that has it. The subsets of a face are merged into one (each glyph from the subset
that holds it), their widths (``/W``) and their text mappings (``/ToUnicode``) joined, and
every font dictionary of the face points at the merged font. A helper of the pdf stage.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Array, Name

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)


def merge_faces(pdf: pikepdf.Pdf) -> int:
    """Make the font dictionaries of each face share one merged font; the faces merged."""
    faces: dict[str, list[pikepdf.Object]] = defaultdict(list)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == Name.Type0:
            descendant = obj.DescendantFonts[0]
            if "/FontFile2" in descendant.FontDescriptor and descendant.get("/CIDToGIDMap") == Name.Identity:
                faces[str(obj.BaseFont).partition("+")[2] or str(obj.BaseFont)].append(obj)
    merged = 0
    for fonts in faces.values():
        if len(fonts) > 1:
            _merge(pdf, fonts)
            merged += 1
    return merged


def _merge(pdf: pikepdf.Pdf, fonts: list[pikepdf.Object]) -> None:
    first = fonts[0].DescendantFonts[0]
    subsets = [
        TTFont(
            io.BytesIO(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()), recalcTimestamp=False
        )
        for font in fonts
    ]
    union = max(subsets, key=lambda subset: len(subset.getGlyphOrder()))
    order = union.getGlyphOrder()
    glyphs, metrics = union["glyf"], union["hmtx"]
    for subset in subsets:
        if subset is union:
            continue
        table = subset["glyf"]
        for gid, name in enumerate(subset.getGlyphOrder()):
            if not _drawn(table.glyphs[name]) or _drawn(glyphs.glyphs[order[gid]]):
                continue
            glyph = table[name]
            if glyph.isComposite():  # its parts by the union's names for the same ids
                for part in glyph.components:
                    part.glyphName = order[subset.getGlyphID(part.glyphName)]
            glyphs[order[gid]] = glyph
            metrics[order[gid]] = subset["hmtx"][name]
    buffer = io.BytesIO()
    union.save(buffer)  # the stamp the pdf stage gave the subsets stays (recalcTimestamp)
    data = buffer.getvalue()
    font_file = pikepdf.Stream(pdf, data)
    font_file.Length1 = len(data)
    widths: dict[int, object] = {}
    mappings: dict[bytes, bytes] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].W))
        for block in _BLOCK.findall(font.ToUnicode.read_bytes()):
            mappings.update(_BFCHAR.findall(block))
    width_array = Array()
    for cid in sorted(widths):
        width_array.append(cid)
        width_array.append(Array([widths[cid]]))
    to_unicode = pdf.make_stream(_cmap(mappings))
    descriptor = first.FontDescriptor
    descriptor.FontFile2 = pdf.make_indirect(font_file)
    for font in fonts:
        descendant = font.DescendantFonts[0]
        font.BaseFont = fonts[0].BaseFont
        font.ToUnicode = to_unicode
        descendant.BaseFont = first.BaseFont
        descendant.W = width_array
        descendant.FontDescriptor = descriptor


def _drawn(glyph: object) -> bool:
    """Whether a glyph of a subset has an outline, read without decompiling it (a glyph left
    out of a subset is empty)."""
    data = getattr(glyph, "data", None)
    return bool(data) if data is not None else bool(getattr(glyph, "numberOfContours", 0))


def _widths(array: pikepdf.Object) -> dict[int, object]:
    """``/W`` as each glyph id's width (both forms: ``c [w1 w2 …]`` and ``c1 c2 w``)."""
    found: dict[int, object] = {}
    items = list(array)
    index = 0
    while index < len(items):
        start = int(items[index])
        if isinstance(items[index + 1], Array):
            for offset, width in enumerate(items[index + 1]):
                found[start + offset] = width
            index += 2
        else:
            for cid in range(start, int(items[index + 1]) + 1):
                found[cid] = items[index + 2]
            index += 3
    return found


def _cmap(mappings: dict[bytes, bytes]) -> bytes:
    """A ToUnicode CMap of ``mappings`` (glyph id to UTF-16, as hex), in WeasyPrint's form."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mappings.items(), key=lambda item: int(item[0], 16))
    for start in range(0, len(items), 100):  # at most 100 entries a block (the CMap format)
        block = items[start : start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines.extend(b"<%s> <%s>" % pair for pair in block)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
