"""Reading a built PDF back: its fonts, language and text, its lines and their word spacing.

The tests and ``--check`` judge the PDF by what a reader gets from the file, not by what
dizgi meant to write. Not on the normal build path: the build's loose-line figure comes
from the layout it already holds (``fitting.loose_measure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import DictionaryObject

from dizgi.model import LOOSE_FACTOR

#: every font in the PDF must be one of the shipped faces (fonts.css names them so)
SHIPPED_FONT_PREFIX = "Dizgi-"


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool


@dataclass(frozen=True)
class PdfReport:
    pages: int
    fonts: tuple[PdfFont, ...]
    lang: str | None
    text: str

    @property
    def foreign_fonts(self) -> tuple[PdfFont, ...]:
        """Fonts that are not the shipped faces: a glyph fell back to a system font."""
        return tuple(f for f in self.fonts if not f.name.split("+")[-1].startswith(SHIPPED_FONT_PREFIX))


def read_pdf(pdf_path: Path) -> PdfReport:
    """Pages, fonts (with whether each is embedded), ``/Lang`` and text of a PDF."""
    reader = pypdf.PdfReader(pdf_path)
    fonts: dict[str, PdfFont] = {}
    for page in reader.pages:
        page_resources = page.get("/Resources")
        font_dict = page_resources.get_object().get("/Font") if page_resources else None
        if not font_dict:
            continue
        for font_ref in font_dict.get_object().values():
            font = font_ref.get_object()
            assert isinstance(font, DictionaryObject)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            fonts[name] = PdfFont(name, _font_is_embedded(font))
    lang = reader.root_object.get("/Lang")
    text = "\n".join(page.extract_text() for page in reader.pages)
    return PdfReport(
        len(reader.pages),
        tuple(sorted(fonts.values(), key=lambda f: f.name)),
        str(lang) if lang is not None else None,
        text,
    )


def _font_is_embedded(font: DictionaryObject) -> bool:
    descriptor: Any = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descendants: Any = font["/DescendantFonts"]
        descriptor = descendants[0].get_object().get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_problems(report: PdfReport, expected_lang: str) -> list[str]:
    """What is wrong with a built PDF, in words an editor can act on (empty when all is well)."""
    problems = []
    for font in report.fonts:
        if not font.embedded:
            problems.append(f"the font {font.name} is not embedded")
    for font in report.foreign_fonts:
        problems.append(
            f"the font {font.name} is not one of the shipped fonts: a character has no glyph in "
            "styles/fonts and fell back to a font of this machine"
        )
    if report.lang != expected_lang:
        problems.append(f"the PDF's /Lang is {report.lang!r}, not {expected_lang!r}")
    return problems


@dataclass(frozen=True)
class LooseLine:
    page: int
    text: str
    #: the line's mean word gap divided by the natural space
    ratio: float


@dataclass(frozen=True)
class LooseLineReport:
    """How evenly the justified body text is spaced (T7's measure), read back from the PDF."""

    justified_lines: int
    loose: tuple[LooseLine, ...]
    #: median word gap on body lines that end short of the column (no justification): the
    #: natural space of lines without space glyphs
    natural_space: float

    @property
    def share(self) -> float:
        return len(self.loose) / self.justified_lines if self.justified_lines else 0.0

    @property
    def summary(self) -> str:
        return f"loose lines {self.share:.1%} ({len(self.loose)} of {self.justified_lines} justified)"


@dataclass(frozen=True)
class PdfLine:
    """One line of text as pdfminer.six reads it back, with where it stands."""

    page: int
    text: str
    size: float
    x0: float
    x1: float
    y0: float
    y1: float
    #: the line's characters (pdfminer ``LTChar``), for measuring word gaps
    chars: tuple[Any, ...]


def pdf_lines(pdf_path: Path) -> list[PdfLine]:
    """Every text line of the PDF, page by page, in pdfminer's reading order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    lines = []
    for number, page in enumerate(
        extract_pages(str(pdf_path), laparams=LAParams(line_margin=0.3, char_margin=4.0)), start=1
    ):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                chars = tuple(char for char in line if isinstance(char, LTChar))
                if chars:
                    lines.append(
                        PdfLine(
                            number,
                            line.get_text().rstrip("\n"),
                            round(chars[0].size, 1),
                            min(char.x0 for char in chars),
                            max(char.x1 for char in chars),
                            line.y0,
                            line.y1,
                            chars,
                        )
                    )
    return lines


def body_size(lines: list[PdfLine]) -> float:
    """The body text's type size: the size most characters are set in."""
    sizes: dict[float, int] = {}
    for line in lines:
        sizes[line.size] = sizes.get(line.size, 0) + len(line.chars)
    return max(sizes, key=lambda size: sizes[size]) if sizes else 0.0


#: how far a body paragraph's type size may stand from the body size: fitting sets a
#: paragraph that cannot be set well otherwise 1 or 2% smaller (``fitting.EXPANSIONS``)
BODY_SIZE_TOLERANCE = 0.025


def in_body_size(line: PdfLine, size: float) -> bool:
    """Is the line set in the body text's size (or a fitted paragraph's, a little smaller)?"""
    return abs(line.size - size) <= BODY_SIZE_TOLERANCE * size + 0.05


def body_lines(lines: list[PdfLine]) -> list[PdfLine]:
    """The lines set in the body text's size."""
    size = body_size(lines)
    return [line for line in lines if in_body_size(line, size)]


def pdf_body_text(lines: list[PdfLine]) -> str:
    """The text inside the text block: running heads and folios left out, so a word
    hyphenated at the foot of a page joins the first word of the next.

    The text block is where body text stands on the fullest pages: from the lowest body
    line of any page to the highest. Running heads sit above it, folios below.
    """
    body = body_lines(lines)
    if not body:
        return "\n".join(line.text for line in lines)
    top, bottom = max(line.y1 for line in body), min(line.y0 for line in body)
    return "\n".join(line.text for line in lines if bottom - 2 <= (line.y0 + line.y1) / 2 <= top + 2)


def loose_lines(lines: list[PdfLine]) -> LooseLineReport:
    """Measure word gaps on the body text's lines with pdfminer.six.

    Body text is the most common type size. A line reaching the column's right edge is
    justified. Its gaps are compared with the natural space: the width of the line's own
    space glyphs (the face's space at the line's size: what a gap is before justification
    widens it), as the layout's measure does (``spacing.py``). A PDF that writes no space
    glyphs (TeX's) is measured against the median gap of lines that end short of the
    column (the last lines of paragraphs, set with the natural space). The page median is
    not used where the spaces are known: the last lines of paragraphs fitted with a
    narrower word space would pull it down and make every justified line look looser.
    Gaps are measured in ems of their line, so a paragraph fitted a little smaller is
    measured alike.
    """
    size = body_size(lines)
    pages: dict[int, list[tuple[float, list[float], str, float | None]]] = {}
    for line in lines:
        if in_body_size(line, size):
            gaps = [gap * size / line.size for gap in _word_gaps(list(line.chars))]
            spaces = sorted(char.width for char in line.chars if char.get_text() == " ")
            space = spaces[len(spaces) // 2] * size / line.size if spaces else None
            pages.setdefault(line.page, []).append((line.x1, gaps, line.text, space))
    short_gaps: list[float] = []
    justified: list[tuple[int, list[float], str, float | None]] = []
    for number, measured in pages.items():
        right_edge = max(right for right, _, _, _ in measured)
        for right, gaps, text, space in measured:
            if not gaps:
                continue
            if right >= right_edge - 1.0:
                justified.append((number, gaps, text, space))
            elif right < right_edge - 5.0:
                short_gaps.extend(gaps)
    natural = sorted(short_gaps)[len(short_gaps) // 2] if short_gaps else size / 4
    loose = tuple(
        LooseLine(number, text, sum(gaps) / len(gaps) / (space or natural))
        for number, gaps, text, space in justified
        if sum(gaps) / len(gaps) > LOOSE_FACTOR * (space or natural)
    )
    return LooseLineReport(len(justified), loose, natural)


def _word_gaps(chars: list[Any]) -> list[float]:
    """The gaps between words on one line: from a word's last glyph to the next one's first."""
    gaps = []
    previous_end: float | None = None
    in_space = False
    for char in chars:
        if char.get_text().isspace():
            in_space = True
            continue
        if previous_end is not None and (in_space or char.x0 - previous_end > 0.25 * char.size):
            gaps.append(char.x0 - previous_end)
        previous_end = char.x1
        in_space = False
    return gaps
