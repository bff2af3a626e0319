"""An SVG picture clipped to its own viewport, for print.

A browser draws an SVG picture inside its box and nothing outside it; WeasyPrint clips it
only through the CSS ``overflow: hidden`` its stylesheet gives every ``img``, and an
element with ``overflow`` other than ``visible`` is a stacking context of its own, painted
after all the text of the page. The PDF then paints every picture after its caption and
the text below it, against the order of the tag tree (outloud's ORD-001, seen on 12 of 300
generated issues). So print.css gives pictures ``overflow: visible`` (a raster picture never
draws outside its box), and an SVG, which can (a chart's label past the edge of its
``viewBox``), gets the clip inside itself: its drawing wrapped in a group clipped to the
viewport, as a reading system would show it.
"""

from __future__ import annotations

import re

from lxml import etree

CLIP_ID = "dizgi-viewport"
#: CSS pixels per unit of an SVG length (SVG 1.1, 7.10: 96 px to the inch)
_PX_PER_UNIT = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|in|cm|mm)?\s*$")
#: elements that say what the picture is and stay children of the root
_ABOUT = frozenset({"title", "desc", "metadata"})


def clipped(svg: bytes) -> bytes:
    """The SVG with its drawing clipped to its viewport (the ``viewBox``, or else its
    ``width`` × ``height``); as it was where the viewport cannot be known (no ``viewBox``,
    a size in percent) or the SVG already clips itself."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(svg, parser)
    viewport = _viewport(root)
    if viewport is None or any(element.get("id") == CLIP_ID for element in root.iter()):
        return svg
    namespace = etree.QName(root).namespace

    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}" if namespace else name

    x, y, width, height = viewport
    clip_path = etree.Element(tag("clipPath"), id=CLIP_ID)
    etree.SubElement(
        clip_path, tag("rect"), x=_number(x), y=_number(y), width=_number(width), height=_number(height)
    )
    group = etree.Element(tag("g"), {"clip-path": f"url(#{CLIP_ID})"})
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in _ABOUT:
            continue
        group.append(child)  # lxml moves the element, with its tail
    defs = etree.SubElement(root, tag("defs"))
    defs.append(clip_path)
    root.append(group)
    result: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return result


def _viewport(root: etree._Element) -> tuple[float, float, float, float] | None:
    """The viewport in the SVG's own user units: its ``viewBox``, or its size at the origin."""
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            x, y, width, height = (float(value) for value in view_box)
        except ValueError:
            return None
        return (x, y, width, height) if width > 0 and height > 0 else None
    size = _length(root.get("width")), _length(root.get("height"))
    if size[0] is None or size[1] is None:
        return None
    return (0.0, 0.0, size[0], size[1])


def _length(value: str | None) -> float | None:
    """An absolute SVG length in user units (px); ``None`` for a percentage or nothing."""
    match = _LENGTH.match(value or "")
    if match is None:
        return None
    length = float(match.group(1)) * _PX_PER_UNIT[match.group(2) or ""]
    return length if length > 0 else None


def _number(value: float) -> str:
    return f"{value:g}"
