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
import itertools
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
    for obj in _type0_fonts(pdf):
        descendant = obj.DescendantFonts[0]
        if "/FontFile2" in descendant.FontDescriptor and descendant.get("/CIDToGIDMap") == Name.Identity:
            faces[str(obj.BaseFont).partition("+")[2] or str(obj.BaseFont)].append(obj)
    merged = 0
    for fonts in faces.values():
        if len(fonts) > 1:
            _merge(pdf, fonts)
            merged += 1
    return merged


def _type0_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """The composite fonts the pages draw with, found through their resources (and those
    of the forms and patterns they hold), in the order of their object numbers. Going
    through every object of a stitched issue instead (10,000 for 20 articles) took a sixth
    of a second."""
    found: dict[tuple[int, int], pikepdf.Object] = {}
    seen: set[tuple[int, int]] = set()

    def visit(resources: pikepdf.Object | None) -> None:
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            return
        if resources.is_indirect:
            seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            if font.is_indirect and font.get("/Subtype") == Name.Type0:  # WeasyPrint's all are
                found[font.objgen] = font
        for holder in ("/XObject", "/Pattern"):
            for inner in (resources.get(holder) or {}).values():
                visit(inner.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return [found[objgen] for objgen in sorted(found)]


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
    """A subset's tables as bytes, and where each glyph's outline lies in ``glyf`` (from
    ``loca``), read without decompiling a table. Of its thousands of glyph ids, a subset
    draws the few glyphs its piece set: only those are cut out of it (``drawn``); every id
    is cut out only of the subset the merge builds on."""

    version: str
    tables: dict[str, bytes]
    #: ``loca`` as it stands, and what its entries are multiplied by (2 in its short form)
    offsets: tuple[int, ...]
    scale: int
    #: ids of the glyphs with an outline, in order
    drawn: tuple[int, ...]
    #: glyphs with an advance of their own in ``hmtx`` (``hhea.numberOfHMetrics``)
    long_metrics: int

    @classmethod
    def read(cls, data: bytes) -> _Subset:
        reader = SFNTReader(io.BytesIO(data))
        tables = {tag: reader[tag] for tag in reader.tables}
        count = struct.unpack_from(">H", tables["maxp"], 4)[0]
        if struct.unpack_from(">h", tables["head"], 50)[0] == 1:  # long offsets
            offsets, scale = struct.unpack(f">{count + 1}L", tables["loca"][: 4 * (count + 1)]), 1
        else:
            offsets, scale = struct.unpack(f">{count + 1}H", tables["loca"][: 2 * (count + 1)]), 2
        drawn = tuple(gid for gid, (start, stop) in enumerate(itertools.pairwise(offsets)) if stop > start)
        long_metrics = struct.unpack_from(">H", tables["hhea"], 34)[0]
        return cls(str(reader.sfntVersion), tables, offsets, scale, drawn, long_metrics)

    @property
    def count(self) -> int:
        return len(self.offsets) - 1

    def outline(self, gid: int) -> bytes:
        return self.tables["glyf"][self.scale * self.offsets[gid] : self.scale * self.offsets[gid + 1]]

    def metric(self, gid: int) -> bytes:
        """The glyph's advance and left side bearing (``hmtx``: the glyphs after the last
        long metric share its advance)."""
        hmtx, long_metrics = self.tables["hmtx"], self.long_metrics
        if gid < long_metrics:
            return hmtx[4 * gid : 4 * gid + 4]
        start = 4 * long_metrics + 2 * (gid - long_metrics)
        return hmtx[4 * long_metrics - 4 : 4 * long_metrics - 2] + hmtx[start : start + 2]


def merged_font(files: list[bytes]) -> bytes:
    """One TrueType font of subsets of one face that kept their glyph ids: each glyph's
    outline and metrics from a subset that drew it; the other tables from the subset with
    the most glyph ids (its names and mappings cover every id), with the bounds and maxima
    that depend on the glyphs (``head``, ``hhea``, ``maxp``) taken over all subsets."""
    subsets = [_Subset.read(data) for data in files]
    base = max(subsets, key=lambda subset: subset.count)
    glyphs = [base.outline(gid) for gid in range(base.count)]
    metrics = [base.metric(gid) for gid in range(base.count)]
    for subset in subsets:
        for gid in subset.drawn:
            if not glyphs[gid]:
                glyphs[gid], metrics[gid] = subset.outline(gid), subset.metric(gid)
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
