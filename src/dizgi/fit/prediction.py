"""Line breaks predicted, not laid out: how a paragraph would break at each trial setting,
worked out from the widths of its words, measured once.

WeasyPrint breaks a line greedily: it takes words while they fit, then tries to hyphenate
the first word that does not (the longest allowed head and a hyphen that fit), or breaks a
compound after its own hyphen. A word space wider by some amount, a type size 2% smaller,
a hyphenation zone: each only changes the arithmetic. So the paragraph's text is read back
from its galley layout (the same text boxes, their styles, fonts and languages), each word
measured with Pango as WeasyPrint measures it (``create_layout``, ``line_size``), and each
trial's lines computed from those widths.

A model can be wrong where WeasyPrint is subtler (a word at the very edge, a URL, a box
inside a word), so nothing is trusted unverified: a paragraph whose predicted lines at
its own setting differ from its galley's is searched by laying out trials as before, and
the one setting chosen from predictions is laid out to check it (``trials.PredictedSearch``).
WeasyPrint 70's private text API (``weasyprint.text.line_break``) and box tree, checked
against 70.0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyphen
import weasyprint

from dizgi import weasy
from dizgi.fit.spacing import HYPHENATION_MARK, Spacing, line_boxes, text_boxes
from dizgi.weasy import create_layout, line_size

#: what a compound breaks after with no hyphen added, as Pango does between two letters
#: (*Türkiye-Azerbaycan*, *Bakü–Tiflis*)
COMPOUND_BREAKS = "-–"
#: a line break opportunity after these, where WeasyPrint's lines show one
BREAKS_AFTER = "-–—"
#: the spaces word spacing and justification widen (WeasyPrint: ``' |\u00a0'``)
SPACES = " \u00a0"
#: widths are compared with this much slack (CSS px), as rounding does
EPSILON = 1e-6

#: a character of the paragraph, with the computed style of the text box it is set in
Char = tuple[str, Any]


class Setting(Protocol):
    """A trial setting (``fitting.Trial``): word spacing in hundredths of an em, the
    hyphenation zone in per cent of the measure, the type size in per cent."""

    @property
    def step(self) -> int: ...
    @property
    def zone(self) -> int: ...
    @property
    def scale(self) -> int: ...


@dataclass(frozen=True)
class _AsSet:
    step: int = 0
    zone: int = 0
    scale: int = 100


class Widths:
    """Pango's widths of text runs in a style, each measured once (per layout)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int], float] = {}
        self._dictionaries: dict[tuple[str, int, int], pyphen.Pyphen] = {}

    def of(self, text: str, style: Any) -> float:
        key = (text, id(style))
        if key not in self._known:
            layout = create_layout(text, style, None, None, 0)  # the line lives as long as it
            first_line, _ = layout.get_first_line()
            self._known[key] = float(line_size(first_line, style)[0])
        return self._known[key]

    def of_chars(self, chars: Iterable[Char]) -> float:
        return sum(self.of(text, style) for text, style in _runs(chars))

    def dictionary(self, lang: str, left: int, right: int) -> pyphen.Pyphen:
        key = (lang, left, right)
        if key not in self._dictionaries:
            self._dictionaries[key] = pyphen.Pyphen(lang=lang, left=left, right=right)
        return self._dictionaries[key]


class _Word:
    """A word of the paragraph, or a part of one cut at a line's end (a head, with the
    hyphen WeasyPrint adds when ``marked``, or the tail that begins the next line): its
    characters and what the trials ask of them, worked out once."""

    __slots__ = (
        "_compounds",
        "_points",
        "bare",
        "chars",
        "natural",
        "origin",
        "spaces",
        "start",
        "stop",
        "style",
        "text",
        "ties",
    )

    def __init__(self, origin: int, start: int, stop: int, chars: list[Char], widths: Widths) -> None:
        #: the paragraph word it is (part of), and where in that word it begins and ends
        self.origin, self.start, self.stop = origin, start, stop
        self.chars = chars
        #: its width as the stylesheet sets it, and the type sizes of its spaces (``_ties``)
        self.natural = widths.of_chars(chars)
        self.ties = _ties(chars)
        #: the width of its glyphs (the spaces it holds, ``nowrap``, left out), and those spaces
        self.spaces = sum(1 for char, _ in chars if char in SPACES)
        self.bare = widths.of_chars(c for c in chars if c[0] not in SPACES) if self.spaces else self.natural
        self.text = "".join(char for char, _ in chars)
        #: the one style all its characters are set in (None where they differ)
        self.style = _one_style(chars)
        self._compounds: list[int] | None = None
        self._points: list[int] | None = None

    def wide(self, step: float, scale: float) -> float:
        """Its width at a trial's word spacing (``step`` em per space it holds) and type size."""
        return (self.natural + self.ties * step) * scale

    def compounds(self) -> list[int]:
        """Where it breaks after a compound's own hyphen (``_compound_breaks``)."""
        if self._compounds is None:
            self._compounds = _compound_breaks(self.chars)
        return self._compounds

    def hyphenation_points(self, widths: Widths) -> list[int]:
        """``_hyphenation_points``, longest head first."""
        if self._points is None:
            self._points = _hyphenation_points(self.chars, widths)
        return self._points


class _Measured:
    """A paragraph's words measured once for all its trials: each word (``_Word``), each
    head and tail a trial cuts from one (by the word and the cut: the trials of a paragraph
    cut the same words at the same places again and again), and, for each word spacing and
    type size, every word's width and the word space after it."""

    def __init__(self, widths: Widths, words: list[tuple[list[Char], Any]]) -> None:
        self.widths = widths
        self.words = [_Word(number, 0, len(chars), chars, widths) for number, (chars, _) in enumerate(words)]
        #: the style of the space after each word (None after the last)
        self._after = [style for _, style in words]
        self._parts: dict[tuple[int, int, int, bool], _Word] = {}
        self._settings: dict[tuple[float, float], tuple[list[float], list[float]]] = {}

    def part(self, word: _Word, start: int, stop: int, marked: bool = False) -> _Word:
        """``word``'s characters from ``start`` to ``stop`` (a head ``marked`` ends with the
        hyphen WeasyPrint adds, in the style of its last letter)."""
        key = (word.origin, word.start + start, word.start + stop, marked)
        found = self._parts.get(key)
        if found is None:
            chars = word.chars[start:stop]
            if marked:
                chars = [*chars, (HYPHENATION_MARK, chars[-1][1])]
            found = self._parts[key] = _Word(key[0], key[1], key[2], chars, self.widths)
        return found

    def at(self, step: float, scale: float) -> tuple[list[float], list[float]]:
        """Each word's width at a word spacing and type size, and the space after it."""
        found = self._settings.get((step, scale))
        if found is None:
            wides = [word.wide(step, scale) for word in self.words]
            spaces = [0.0 if style is None else self._space(style, step, scale) for style in self._after]
            found = self._settings[(step, scale)] = (wides, spaces)
        return found

    def _space(self, style: Any, step: float, scale: float) -> float:
        """A word space in ``style`` with a trial's word spacing and type size."""
        size = float(style["font_size"])
        return (self.widths.of(" ", style) + float(style["word_spacing"]) + step * size) * scale


def _one_style(chars: list[Char]) -> Any:
    """The style every character of the word is set in, or None where they differ."""
    style = chars[0][1] if chars else None
    return style if all(char[1] is style for char in chars) else None


def _compound_breaks(word: list[Char]) -> list[int]:
    """Where a compound breaks after its own hyphen or dash, between two letters."""
    return [
        cut + 1
        for cut in range(1, len(word) - 1)
        if word[cut][0] in COMPOUND_BREAKS and word[cut - 1][0].isalpha() and word[cut + 1][0].isalpha()
    ]


def _ties(chars: list[Char]) -> float:
    """The type sizes of the spaces inside a word (no-break spaces, ``nowrap`` spaces), added
    up: word spacing applies to each, so a trial's spacing widens the word by as many."""
    return sum(float(style["font_size"]) for char, style in chars if char in SPACES)


@dataclass(frozen=True)
class Paragraph:
    """A justified paragraph of a layout, read back: its block box and its line boxes."""

    block: Any
    lines: tuple[Any, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(_line_text(line) for line in self.lines)


def paragraphs(document: weasyprint.Document) -> dict[Any, Paragraph]:
    """Every block with lines, by its element, in document order."""
    found: dict[Any, tuple[Any, list[Any]]] = {}
    for page in document.pages:
        for block, line in line_boxes(weasy.page_box(page)):
            if block.element is not None:
                found.setdefault(block.element, (block, []))[1].append(line)
    return {element: Paragraph(block, tuple(lines)) for element, (block, lines) in found.items()}


def predictor(
    paragraph: Paragraph, widths: Widths, natural_em: float
) -> Callable[[Sequence[Setting]], tuple[Spacing, ...]] | None:
    """The paragraph's words read back and measured once, for working out how any settings
    would set it (its lines, and the word space of each justified one in natural spaces,
    the face's space being ``natural_em``); None when the arithmetic does not even give the
    paragraph's own lines at the stylesheet's setting.

    Within a family of settings (one zone, one type size) a wider word space only makes
    every line's words wider, so where two spacings break the paragraph alike, every
    spacing between them does too (``trials`` says why, for layouts): each family is
    worked out at its ends, then in the middle of every gap whose ends differ."""
    words = _words(_chars(paragraph.lines))
    measured = _Measured(widths, words)
    if not same_lines(_lines(paragraph.block, _AsSet(), measured)[0], paragraph.texts):
        return None

    def predict(settings: Sequence[Setting]) -> tuple[Spacing, ...]:
        outcomes: dict[int, Spacing] = {}

        def outcome(number: int) -> Spacing:
            if number not in outcomes:
                texts, ratios = _lines(paragraph.block, settings[number], measured, natural_em)
                outcomes[number] = Spacing(ratios, texts)
            return outcomes[number]

        families: dict[tuple[int, int], list[int]] = {}
        for number, setting in enumerate(settings):
            families.setdefault((setting.zone, setting.scale), []).append(number)
        for family in families.values():
            order = sorted(family, key=lambda number: settings[number].step)
            gaps = [(0, len(order) - 1)]
            while gaps:
                low, high = gaps.pop()
                ends = outcome(order[low]), outcome(order[high])
                if high - low < 2:
                    continue
                if ends[0].texts == ends[1].texts:  # the same breaks: the same spacing too
                    outcomes.update((order[between], ends[0]) for between in range(low + 1, high))
                else:
                    middle = (low + high) // 2
                    gaps += [(low, middle), (middle, high)]
        return tuple(outcome(number) for number in range(len(settings)))

    return predict


def same_lines(one: Iterable[str], other: Iterable[str]) -> bool:
    """Do two outcomes break their paragraph alike (line ends' spaces aside)?"""
    return _strip(one) == _strip(other)


def _strip(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(line.strip() for line in lines)


def _line_text(line: Any) -> str:
    return "".join(box.text for box in text_boxes(line))


def _chars(lines: Iterable[Any]) -> list[Char]:
    """The paragraph's characters with their styles, its lines joined back: the hyphens
    WeasyPrint added are dropped, and the space a break took is put back (not after a
    break at a compound's hyphen or a dash)."""
    chars: list[Char] = []
    lines = list(lines)
    for number, line in enumerate(lines):
        boxes = list(text_boxes(line))
        for box in boxes:
            chars.extend((char, box.style) for char in box.text)
        text = "".join(box.text for box in boxes)
        if number == len(lines) - 1 or not boxes:
            continue
        if text.endswith(HYPHENATION_MARK):
            chars.pop()
        elif not text.endswith(tuple(BREAKS_AFTER)):
            chars.append((" ", boxes[-1].style))
    return chars


def _words(chars: list[Char]) -> list[tuple[list[Char], Any]]:
    """The paragraph's words, each with the style of the space after it (None for the
    last); a space where lines may not break (``white-space: nowrap``) stays in its word."""
    words: list[tuple[list[Char], Any]] = []
    word: list[Char] = []
    for char, style in chars:
        if char == " " and style["white_space"] not in ("nowrap", "pre"):
            if word:
                words.append((word, style))
                word = []
            continue
        word.append((char, style))
    if word:
        words.append((word, None))
    return words


def _runs(chars: Iterable[Char]) -> Iterator[tuple[str, Any]]:
    """Runs of characters in one style."""
    text: list[str] = []
    current: Any = None
    for char, style in chars:
        if text and style is not current:
            yield "".join(text), current
            text = []
        text.append(char)
        current = style
    if text:
        yield "".join(text), current


def _hyphenation_points(word: list[Char], widths: Widths) -> list[int]:
    """Where the word may be hyphenated, longest head first, as WeasyPrint asks pyphen: the
    letters from the first one on (not the punctuation around them, nor a suffix after an
    apostrophe), in the language and with the limits of the style they are set in."""
    start = next((index for index, (char, _) in enumerate(word) if char.isalpha()), None)
    if start is None:
        return []
    end = start
    while end < len(word) and word[end][0].isalpha():
        end += 1
    style = word[start][1]
    total, left, right = style["hyphenate_limit_chars"]
    language = style["lang"] and pyphen.language_fallback(style["lang"])
    if style["hyphens"] != "auto" or not language or end - start < total:
        return []
    core = "".join(char for char, _ in word[start:end])
    return [start + len(head) for head, _ in widths.dictionary(language, left, right).iterate(core)]


def _lines(
    block: Any,
    trial: Setting,
    measured: _Measured,
    natural_em: float = 0.0,
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The lines a trial breaks the paragraph into, and the word space of each justified
    one in natural spaces (the face's own space, ``natural_em`` of the type size)."""
    scale = trial.scale / 100
    step = trial.step / 100
    width = block.width
    indent = block.style["text_indent"]
    first = width - (indent.value if indent.unit == "px" else 0)
    # this is the inner loop of fitting (every setting of every loose paragraph): the
    # widths of the words and spaces at this setting are worked out once per paragraph
    words = measured.words
    wides, spaces = measured.at(step, scale)
    lines: list[list[_Word]] = []
    line: list[_Word] = []
    line_wides: list[float] = []
    gaps: list[float] = []  # the word space before each word of the line
    used = 0.0
    room = first
    index = 0
    tail: _Word | None = None  # what is left of word ``index``, cut at the end of a line
    tail_wide = 0.0
    while index < len(words):
        word, word_width = (words[index], wides[index]) if tail is None else (tail, tail_wide)
        if not line:
            line, line_wides, gaps, used = [word], [word_width], [0.0], word_width
            index, tail = index + 1, None
            continue
        gap = spaces[index - 1]
        if used + gap + word_width <= room + EPSILON:
            line.append(word)
            line_wides.append(word_width)
            gaps.append(gap)
            used += gap + word_width
            index, tail = index + 1, None
            continue
        # hyphenate-limit-zone is a share of the room WeasyPrint gave the text box the
        # line ends in: the room from where that box begins on the line
        zone = (
            trial.zone / 100 * (room - _box_start(line, line_wides, gaps, used, measured, step, scale))
            if trial.zone
            else 0.0
        )
        cut = _head_that_fits(word, line, room - used - gap, room - used > zone, measured, step, scale)
        if cut is not None:
            head, at = cut
            line.append(head)
            tail = measured.part(word, at, len(word.chars))
            tail_wide = tail.wide(step, scale)
        lines.append(line)
        line, used, room = [], 0.0, width
    if line:
        lines.append(line)
    texts = tuple(" ".join(word.text for word in words_) for words_ in lines)
    ratios = tuple(
        ratio
        for number, words_ in enumerate(lines[:-1])
        if (ratio := _ratio(words_, (first if number == 0 else width), natural_em, scale)) is not None
    )
    return texts, ratios


def _box_start(
    line: list[_Word],
    line_wides: list[float],
    gaps: list[float],
    used: float,
    measured: _Measured,
    step: float,
    scale: float,
) -> float:
    """Where on the line the text box it ends in begins: after the last character of
    another style (an inline element's text, or the text before it), else at its start."""
    style = line[-1].chars[-1][1]
    run = 0.0
    for word, word_width, gap in zip(reversed(line), reversed(line_wides), reversed(gaps), strict=True):
        if word.style is style:  # a word all in the line's last style: the box goes on before it
            run += word_width + gap
            continue
        chars = word.chars
        other = next((at for at in range(len(chars) - 1, -1, -1) if chars[at][1] is not style), None)
        if other is not None:
            return used - run - measured.part(word, other + 1, len(chars)).wide(step, scale)
        run += word_width + gap
    return 0.0


def _head_that_fits(
    word: _Word,
    line: list[_Word],
    room: float,
    zone_allows: bool,
    measured: _Measured,
    step: float,
    scale: float,
) -> tuple[_Word, int] | None:
    """What of ``word`` still goes on the line, and where it is cut: the longest part
    before a compound's own hyphen that fits, else the longest hyphenated head that fits
    (where the zone allows, or where the word begins an inline box of its own: WeasyPrint
    then measures the room from that box's start), else nothing."""
    for cut in reversed(word.compounds()):
        if measured.part(word, 0, cut).wide(step, scale) <= room + EPSILON:
            return measured.part(word, 0, cut), cut
    chars = word.chars
    letter = next((char for char in chars if char[0].isalpha()), chars[0])
    if not (zone_allows or letter[1] is not line[-1].chars[-1][1]):
        return None
    for cut in word.hyphenation_points(measured.widths):
        hyphen = measured.widths.of(HYPHENATION_MARK, chars[cut - 1][1]) * scale
        if measured.part(word, 0, cut).wide(step, scale) + hyphen <= room + EPSILON:
            return measured.part(word, 0, cut, marked=True), cut
    return None


def _ratio(words: list[_Word], room: float, natural_em: float, scale: float) -> float | None:
    """A justified line's word space in natural spaces: the room its glyphs leave, shared
    by its spaces (None for a line of one word)."""
    spaces = len(words) - 1 + sum(word.spaces for word in words)
    if not spaces or not natural_em:
        return None
    glyphs = sum(word.bare for word in words) * scale
    size = float(words[0].chars[0][1]["font_size"]) * scale
    return float(room - glyphs) / spaces / (natural_em * size)
