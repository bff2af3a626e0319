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


class _Measured:
    """The widths of a paragraph's words, measured once for all its trials: by the identity
    of each word's list of characters (alive as long as this; heads and tails of hyphenated
    words are measured as they come). Also each word's text, the one style it is set in
    (None for a word of several), its compounds' breaks and its hyphenation points: the
    trials of a paragraph ask for them again and again."""

    def __init__(self, widths: Widths, words: list[tuple[list[Char], Any]]) -> None:
        self.widths = widths
        self._natural = {id(chars): widths.of_chars(chars) for chars, _ in words}
        self._bare = {
            id(chars): widths.of_chars(c for c in chars if c[0] not in SPACES) for chars, _ in words
        }
        self._ties = {id(chars): _ties(chars) for chars, _ in words}
        self.texts = {id(chars): "".join(char for char, _ in chars) for chars, _ in words}
        self.styles = {id(chars): _one_style(chars) for chars, _ in words}
        #: (identity, natural width, ties) of each word, for a trial's widths at once
        self.sizes = tuple((id(chars), self._natural[id(chars)], self._ties[id(chars)]) for chars, _ in words)
        self._compounds: dict[int, list[int]] = {}
        self._points: dict[int, list[int]] = {}
        self._parts: dict[tuple[int, int, int], tuple[float, float]] = {}

    def natural(self, chars: list[Char]) -> float:
        known = self._natural.get(id(chars))
        return self.widths.of_chars(chars) if known is None else known

    def bare(self, chars: list[Char]) -> float:
        """The width of the word's glyphs, the spaces it holds (``nowrap``) left out."""
        known = self._bare.get(id(chars))
        return self.widths.of_chars(c for c in chars if c[0] not in SPACES) if known is None else known

    def ties(self, chars: list[Char]) -> float:
        """The type sizes of the word's spaces (no-break spaces, ``nowrap`` spaces), added
        up: word spacing applies to each, so a trial's spacing widens the word by as many."""
        known = self._ties.get(id(chars))
        return _ties(chars) if known is None else known

    def text(self, chars: list[Char]) -> str:
        known = self.texts.get(id(chars))
        return "".join(char for char, _ in chars) if known is None else known

    def part(self, word: list[Char], start: int, stop: int) -> tuple[float, float]:
        """The natural width and the ties (``ties``) of ``word[start:stop]``: a head that
        may end a line, or the tail that begins the next."""
        key = (id(word), start, stop)
        known = self._parts.get(key)
        if known is None:
            chars = word[start:stop]
            known = (self.widths.of_chars(chars), _ties(chars))
            if id(word) in self.texts:
                self._parts[key] = known
        return known

    def compounds(self, word: list[Char]) -> list[int]:
        """Where the word may break after a compound's own hyphen (``_compound_breaks``)."""
        return self._kept(self._compounds, word, _compound_breaks)

    def hyphenation_points(self, word: list[Char]) -> list[int]:
        """``_hyphenation_points``, worked out once for each of the paragraph's words."""
        return self._kept(self._points, word, lambda chars: _hyphenation_points(chars, self.widths))

    def _kept(
        self, known: dict[int, list[int]], word: list[Char], work_out: Callable[[list[Char]], list[int]]
    ) -> list[int]:
        """``work_out(word)``, kept in ``known`` for a word of the paragraph (a head or a
        tail is new each time: worked out as it comes)."""
        if id(word) not in self.texts:
            return work_out(word)
        if id(word) not in known:
            known[id(word)] = work_out(word)
        return known[id(word)]


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
    if not same_lines(_lines(paragraph.block, words, _AsSet(), measured)[0], paragraph.texts):
        return None

    def predict(settings: Sequence[Setting]) -> tuple[Spacing, ...]:
        outcomes: dict[int, Spacing] = {}

        def outcome(number: int) -> Spacing:
            if number not in outcomes:
                texts, ratios = _lines(paragraph.block, words, settings[number], measured, natural_em)
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
    words: list[tuple[list[Char], Any]],
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
    widths = measured.widths
    # this is the inner loop of fitting (every setting of every loose paragraph): each
    # word's and each space's width is worked out once per setting (a word by the identity
    # of its list in ``words``, alive all along; the parts of a word cut at a hyphen are new
    # lists, measured as they come)
    known_wide = {key: (natural + ties * step) * scale for key, natural, ties in measured.sizes}
    known_space: dict[int, float] = {}

    def wide(chars: list[Char]) -> float:
        found = known_wide.get(id(chars))
        if found is None:
            return (measured.natural(chars) + measured.ties(chars) * step) * scale
        return found

    def wide_part(chars: list[Char], start: int, stop: int) -> float:
        natural, ties = measured.part(chars, start, stop)
        return (natural + ties * step) * scale

    def space(style: Any) -> float:
        found = known_space.get(id(style))
        if found is None:
            size = float(style["font_size"])
            found = (widths.of(" ", style) + float(style["word_spacing"]) + step * size) * scale
            known_space[id(style)] = found
        return found

    pending = [chars for chars, _ in words]  # the lists themselves: their widths are known
    tails: list[list[Char]] = []
    spaces = [style for _, style in words]
    lines: list[list[list[Char]]] = []
    line: list[list[Char]] = []
    gaps: list[float] = []  # the word space before each word of the line
    used = 0.0
    room = first
    index = 0
    while index < len(pending):
        word = pending[index]
        if not line:
            line, gaps, used, index = [word], [0.0], wide(word), index + 1
            continue
        gap = space(spaces[index - 1])
        word_width = wide(word)
        if used + gap + word_width <= room + EPSILON:
            line.append(word)
            gaps.append(gap)
            used += gap + word_width
            index += 1
            continue
        # hyphenate-limit-zone is a share of the room WeasyPrint gave the text box the
        # line ends in: the room from where that box begins on the line
        zone = trial.zone / 100 * (room - _box_start(line, gaps, used, wide, measured)) if trial.zone else 0.0
        head = _head_that_fits(word, line, room - used - gap, room - used > zone, wide_part, measured, scale)
        if head:
            line.append(head)
            start = len(head) - (head[-1][0] == HYPHENATION_MARK)
            pending[index] = tail = word[start:]
            tails.append(tail)  # alive while its width is known by its identity
            known_wide[id(tail)] = wide_part(word, start, len(word))
        lines.append(line)
        line, used, room = [], 0.0, width
    if line:
        lines.append(line)
    texts = tuple(" ".join(measured.text(word) for word in words_) for words_ in lines)
    ratios = tuple(
        ratio
        for number, words_ in enumerate(lines[:-1])
        if (ratio := _ratio(words_, (first if number == 0 else width), measured, natural_em, scale))
        is not None
    )
    return texts, ratios


def _box_start(
    line: list[list[Char]],
    gaps: list[float],
    used: float,
    wide: Callable[[list[Char]], float],
    measured: _Measured,
) -> float:
    """Where on the line the text box it ends in begins: after the last character of
    another style (an inline element's text, or the text before it), else at its start."""
    style = line[-1][-1][1]
    run = 0.0
    for word, gap in zip(reversed(line), reversed(gaps), strict=True):
        one = measured.styles.get(id(word))
        if one is style:  # a word all in the line's last style: the box goes on before it
            run += wide(word) + gap
            continue
        other = next((at for at in range(len(word) - 1, -1, -1) if word[at][1] is not style), None)
        if other is not None:
            return used - run - wide(word[other + 1 :])
        run += wide(word) + gap
    return 0.0


def _head_that_fits(
    word: list[Char],
    line: list[list[Char]],
    room: float,
    zone_allows: bool,
    wide_part: Callable[[list[Char], int, int], float],
    measured: _Measured,
    scale: float,
) -> list[Char]:
    """What of ``word`` still goes on the line: the longest part before a compound's own
    hyphen that fits, else the longest hyphenated head that fits (where the zone allows,
    or where the word begins an inline box of its own: WeasyPrint then measures the room
    from that box's start), else nothing."""
    for cut in reversed(measured.compounds(word)):
        if wide_part(word, 0, cut) <= room + EPSILON:
            return word[:cut]
    letter = next((char for char in word if char[0].isalpha()), word[0])
    if not (zone_allows or letter[1] is not line[-1][-1][1]):
        return []
    for cut in measured.hyphenation_points(word):
        head = word[:cut]
        mark = (HYPHENATION_MARK, head[-1][1])
        if wide_part(word, 0, cut) + measured.widths.of(HYPHENATION_MARK, mark[1]) * scale <= room + EPSILON:
            return [*head, mark]
    return []


def _ratio(
    words: list[list[Char]], room: float, measured: _Measured, natural_em: float, scale: float
) -> float | None:
    """A justified line's word space in natural spaces: the room its glyphs leave, shared
    by its spaces (None for a line of one word)."""
    spaces = len(words) - 1 + sum(1 for word in words for char, _ in word if char in SPACES)
    if not spaces or not natural_em:
        return None
    glyphs = sum(measured.bare(word) for word in words) * scale
    size = float(words[0][0][1]["font_size"]) * scale
    return float(room - glyphs) / spaces / (natural_em * size)
