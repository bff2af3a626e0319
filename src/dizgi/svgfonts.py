"""The fonts an SVG chart names, resolved to the shipped faces for print.

A chart exported from a spreadsheet or a drawing program names the fonts of the machine it
was drawn on (``font-family="Noto Sans"``, ``Arial``, ``Times New Roman``) or none at all
(WeasyPrint then asks for ``sans-serif``). None of them is a shipped face, so WeasyPrint
would draw the chart's text with a font of the build machine (DejaVu here), and the PDF's
read-back would refuse a font that is not dizgi's. For print, each family list is resolved
to the shipped face it means (serif or sans), followed by the symbols face as a fallback
for what the text faces lack (``−``, ``≤``, arrows); a family that means neither is set in
the sans face, and ``figures`` warns with the picture's name. The EPUB takes the SVG as it
is: a reading system draws an SVG picture with its own fonts, and cannot see the EPUB's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

SERIF_FACE = "Dizgi Serif"
SANS_FACE = "Dizgi Sans"
#: the face every text face falls back to, for the symbols the text faces lack (fonts.css)
SYMBOLS_FACE = "Dizgi Symbols"
#: families an editor's chart names, by the shipped face that stands in for each
#: (lower case, without quotes)
SERIF_FAMILIES = frozenset(
    {"dizgi serif", "noto serif", "serif", "times new roman", "times", "georgia", "cambria", "garamond",
     "liberation serif", "dejavu serif", "palatino", "palatino linotype", "book antiqua", "pt serif",
     "source serif pro", "merriweather", "constantia"}
)  # fmt: skip
SANS_FAMILIES = frozenset(
    {"dizgi sans", "noto sans", "sans-serif", "arial", "helvetica", "helvetica neue", "calibri", "verdana",
     "tahoma", "segoe ui", "liberation sans", "dejavu sans", "open sans", "roboto", "lato", "aptos",
     "source sans pro", "trebuchet ms", "system-ui", "inter", "arial narrow", "franklin gothic",
     "gill sans", "montserrat", "candara", "corbel"}
)  # fmt: skip
#: ``font-family: …`` in a ``style`` attribute or a ``<style>`` sheet
_PROPERTY = re.compile(r"""(\bfont-family\s*:\s*)((?:"[^"]*"|'[^']*'|[^;}"'])+)""")


def families(value: str) -> list[str]:
    """The families of a ``font-family`` value, unquoted, in order."""
    names = (name.strip().strip("\"'").strip() for name in value.split(","))
    return [name for name in names if name]


def shipped_face(value: str) -> str | None:
    """The shipped face a ``font-family`` value means: its first family that is a known
    serif or sans; ``None`` where none is."""
    for name in families(value):
        if name.lower() in SERIF_FAMILIES:
            return SERIF_FACE
        if name.lower() in SANS_FAMILIES:
            return SANS_FACE
    return None


def _values(root: etree._Element) -> Iterator[str]:
    """Every ``font-family`` value the SVG holds, attribute or property."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if "font-family" in element.attrib:
            yield str(element.get("font-family"))
        sheet = element.text if etree.QName(element).localname == "style" else None
        for text in (element.get("style"), sheet):
            for match in _PROPERTY.finditer(text or ""):
                yield match.group(2)


def unknown_families(svg: bytes) -> list[str]:
    """The ``font-family`` values of the SVG that name no family dizgi can stand in for."""
    unknown = (value.strip() for value in _values(_parse(svg)) if shipped_face(value) is None)
    return list(dict.fromkeys(unknown))


def for_print(svg: bytes) -> bytes:
    """The SVG with every font family resolved to a shipped face and the symbols face; the
    root names the sans face for text that names none (WeasyPrint's default is
    ``sans-serif``, a font of the machine)."""

    def stack(value: str) -> str:
        return f"{shipped_face(value) or SANS_FACE}, {SYMBOLS_FACE}"

    def resolve(css: str) -> str:
        return _PROPERTY.sub(lambda match: f"{match.group(1)}{stack(match.group(2))}", css)

    root = _parse(svg)
    root.set("font-family", stack(root.get("font-family", SANS_FACE)))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if "font-family" in element.attrib:
            element.set("font-family", stack(str(element.get("font-family"))))
        if element.get("style"):
            element.set("style", resolve(str(element.get("style"))))
        if etree.QName(element).localname == "style" and element.text:
            element.text = resolve(element.text)
    result: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return result


def _parse(svg: bytes) -> etree._Element:
    """The SVG's tree, parsed as ``figures`` checked it: no entities, no network, no DTD."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(svg, parser)
