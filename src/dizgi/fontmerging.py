"""One embedded font per face in the stitched issue: each piece (``pieces``) embeds its own
subset of each face it uses, and the stitched PDF would carry a copy per piece (a generated
issue of five articles: six faces in 36 copies, 121 KB of fonts against 26 KB).

WeasyPrint 70 subsets with fontTools keeping the glyph ids (``retain_gids``), so the
subsets of one face share their ids: a glyph a piece drew is the same glyph in every
subset that has it. The subsets of a face are merged into one (each glyph's outline and
metrics from the subset that holds it), their widths (``/W``) and their text mappings
(``/ToUnicode``) joined, and every font dictionary of the face points at the merged font.
The merge works on the tables' bytes (``loca``, ``glyf``, ``hmtx``), not on fontTools'
decompiled glyphs: 22 pieces' fonts took 1.2 s that way, on every build. A helper of the
pdf stage.
"""

from __future__ import annotations

import io
import re
import struct
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pikepdf
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter
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
    data = merged_font([font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes() for font in fonts])
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


@dataclass(frozen=True)
class _Subset:
    """A subset's tables as bytes, and its glyphs' outlines and metrics by glyph id, read
    from ``loca``, ``glyf`` and ``hmtx`` without decompiling a table."""

    version: str
    tables: dict[str, bytes]
    glyphs: list[bytes]
    metrics: list[bytes]

    @classmethod
    def read(cls, data: bytes) -> _Subset:
        reader = SFNTReader(io.BytesIO(data))
        tables = {tag: reader[tag] for tag in reader.tables}
        count = struct.unpack_from(">H", tables["maxp"], 4)[0]
        long_offsets = struct.unpack_from(">h", tables["head"], 50)[0] == 1
        if long_offsets:
            offsets = struct.unpack(f">{count + 1}L", tables["loca"][: 4 * (count + 1)])
        else:
            offsets = tuple(2 * o for o in struct.unpack(f">{count + 1}H", tables["loca"][: 2 * (count + 1)]))
        glyf = tables["glyf"]
        glyphs = [glyf[offsets[gid] : offsets[gid + 1]] for gid in range(count)]
        long_metrics = struct.unpack_from(">H", tables["hhea"], 34)[0]
        hmtx = tables["hmtx"]
        last_advance = hmtx[4 * long_metrics - 4 : 4 * long_metrics - 2]  # the glyphs after share it
        metrics = [
            hmtx[4 * gid : 4 * gid + 4]
            if gid < long_metrics
            else last_advance + hmtx[4 * long_metrics + 2 * (gid - long_metrics) :][:2]
            for gid in range(count)
        ]
        return cls(str(reader.sfntVersion), tables, glyphs, metrics)


def merged_font(files: list[bytes]) -> bytes:
    """One TrueType font of subsets of one face that kept their glyph ids: each glyph's
    outline and metrics from a subset that drew it; the other tables from the subset with
    the most glyph ids (its names and mappings cover every id), with the bounds and maxima
    that depend on the glyphs (``head``, ``hhea``, ``maxp``) taken over all subsets."""
    subsets = [_Subset.read(data) for data in files]
    base = max(subsets, key=lambda subset: len(subset.glyphs))
    glyphs, metrics = list(base.glyphs), list(base.metrics)
    for subset in subsets:
        for gid, outline in enumerate(subset.glyphs):
            if outline and not glyphs[gid]:
                glyphs[gid], metrics[gid] = outline, subset.metrics[gid]
    padded = [outline + b"\0" * (-len(outline) % 4) for outline in glyphs]
    offsets = [0]
    for outline in padded:
        offsets.append(offsets[-1] + len(outline))
    tables = dict(base.tables)
    tables["glyf"] = b"".join(padded)
    tables["loca"] = struct.pack(f">{len(offsets)}L", *offsets)
    tables["hmtx"] = b"".join(metrics)
    tables["head"] = _combined(base, subsets, "head", {36: (">h", min), 38: (">h", min), 40: (">h", max),
                                                 42: (">h", max)}, {50: (">h", 1)})  # fmt: skip
    tables["hhea"] = _combined(base, subsets, "hhea", {10: (">H", max), 12: (">h", min), 14: (">h", min),
                                                 16: (">h", max)}, {34: (">H", len(glyphs))})  # fmt: skip
    maxima = {offset: (">H", max) for offset in range(6, len(base.tables["maxp"]), 2)}
    tables["maxp"] = _combined(base, subsets, "maxp", maxima, {4: (">H", len(glyphs))})
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tables), base.version)
    for tag, table in tables.items():
        writer[tag] = table
    writer.close()
    return out.getvalue()


def _combined(
    base: _Subset,
    subsets: list[_Subset],
    tag: str,
    over_all: dict[int, tuple[str, Any]],
    fixed: dict[int, tuple[str, int]],
) -> bytes:
    """``base``'s table ``tag`` with each field of ``over_all`` (by byte offset: its format
    and ``min`` or ``max``) taken over every subset, and the fields of ``fixed`` set."""
    table = bytearray(base.tables[tag])
    for offset, (layout, combine) in over_all.items():
        struct.pack_into(
            layout,
            table,
            offset,
            combine(struct.unpack_from(layout, s.tables[tag], offset)[0] for s in subsets),
        )
    for offset, (layout, value) in fixed.items():
        struct.pack_into(layout, table, offset, value)
    return bytes(table)


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
