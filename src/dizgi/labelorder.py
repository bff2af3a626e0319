"""List labels painted where they are read.

WeasyPrint 70 lays an outside list marker (``li::marker``, tagged ``Lbl``) out as an
absolutely positioned box, and CSS paints positioned boxes after all the in-flow text of
their stacking context. So the content stream draws a page's list items first and all
their numbers or bullets last, while the structure tree reads each label before its item.
On a page that holds little besides a list (a note with a list, alone on an article's last
page) most of what is painted is out of reading order: a PDF/UA checker sees a scrambled
page (outloud's ORD-001), and a tool that reads the stream (copy and paste, a reflowing
reader) puts every number after the list.

Each label's marked-content sequence moves, inside a ``q``/``Q`` pair of its own, to just
before the first sequence the structure tree reads after it on the same page, with the
colour, transparency and text state it was drawn with: the page looks exactly as before.
A label is left where it is when moving it could change how anything is drawn (it is not
wrapped alone in its own ``q``/``Q``, or the two places differ in transformation matrix or
clip, or either lies inside a text object), and so is a list drawn inside a form XObject
(a list with ``opacity``, which dizgi's styles never give).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import pikepdf
from pikepdf import Array, Dictionary, Name

Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage

#: operators that set one part of the graphics state, by the part they set
_STATE_PARTS = {
    "rg": "fill", "g": "fill", "k": "fill", "sc": "fill", "scn": "fill", "cs": "fill_space",
    "RG": "stroke", "G": "stroke", "K": "stroke", "SC": "stroke", "SCN": "stroke", "CS": "stroke_space",
    "gs": "extgstate", "Tc": "char_spacing", "Tw": "word_spacing", "Tz": "scale", "TL": "leading",
    "Ts": "rise", "Tr": "render",
}  # fmt: skip
#: the order a prelude sets them in: a colour space before the colour in it
_PRELUDE_ORDER = ("fill_space", "fill", "stroke_space", "stroke", "extgstate", "char_spacing",
                  "word_spacing", "scale", "leading", "rise", "render")  # fmt: skip


@dataclass(frozen=True)
class DrawingState:
    """What a stretch of drawing inherits: the instruction that last set each part of the
    graphics state, the transformation matrix, and whether a text object is open."""

    parts: dict[str, Instruction] = field(default_factory=dict)
    matrix: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    in_text: bool = False


def paint_labels_in_reading_order(pdf: pikepdf.Pdf, root: pikepdf.Object) -> int:
    """Move each list label of every page of ``pdf`` (structure tree ``root``) to where the
    tree reads it; return how many moved."""
    reading = _reading_order(pdf, root)
    moved = 0
    for index, page in enumerate(pdf.pages):
        order = reading.get(index)
        if not order or not any(is_label for _, is_label in order):
            continue
        instructions = list(pikepdf.parse_content_stream(page))
        rewritten, count = _rewrite(instructions, order)
        if count:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
            moved += count
    return moved


def _reading_order(pdf: pikepdf.Pdf, root: pikepdf.Object) -> dict[int, list[tuple[int, bool]]]:
    """For each page (by index), its marked-content ids in the structure tree's order, each
    with whether a list label (``Lbl``) holds it."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    order: dict[int, list[tuple[int, bool]]] = {}
    for page, mcid, in_label in _marks(root, None, in_label=False):
        if page is not None and page.objgen in pages:
            order.setdefault(pages[page.objgen], []).append((mcid, in_label))
    return order


def _marks(
    element: pikepdf.Object, page: pikepdf.Object | None, *, in_label: bool
) -> Iterator[tuple[pikepdf.Object | None, int, bool]]:
    """The marked content under ``element``, depth first: its page, id, and whether it is
    (part of) a list label."""
    page = element.get("/Pg", page)
    in_label = in_label or element.get("/S") == Name.Lbl
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            yield page, int(kid), in_label
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            yield kid.get("/Pg", page), int(kid.MCID), in_label
        elif isinstance(kid, Dictionary) and "/S" in kid:
            yield from _marks(kid, page, in_label=in_label)


def _rewrite(
    instructions: Sequence[Instruction], order: list[tuple[int, bool]]
) -> tuple[list[Instruction], int]:
    """``instructions`` with each label that is painted after what is read next moved to
    just before it, and how many moved."""
    spans = _spans(instructions)
    moves: dict[int, list[tuple[int, int]]] = {}  # target start -> label spans, in reading order
    for position, (mcid, is_label) in enumerate(order):
        following = next((later for later, label in order[position + 1 :] if not label), None)
        if not is_label or following is None or mcid not in spans or following not in spans:
            continue
        (start, end), target = spans[mcid], spans[following][0]
        if start > target and _wrapped_alone(instructions, start, end):
            moves.setdefault(target, []).append((start, end))
    if not moves:
        return list(instructions), 0
    states = _states_at(
        instructions, {start for spans_ in moves.values() for start, _ in spans_} | set(moves)
    )
    preludes: dict[tuple[int, int], list[Instruction]] = {}
    for target, labels in moves.items():
        for start, end in labels:
            prelude = _prelude(states[start], states[target])
            if prelude is not None:
                preludes[(start, end)] = prelude
    removed = {index for start, end in preludes for index in range(start - 1, end + 2)}
    rewritten: list[Instruction] = []
    for index, instruction in enumerate(instructions):
        for start, end in moves.get(index, []):
            if (start, end) in preludes:
                rewritten += [_operator("q"), *preludes[(start, end)], *instructions[start : end + 1]]
                rewritten.append(_operator("Q"))
        if index not in removed:
            rewritten.append(instruction)
    return rewritten, len(preludes)


def _spans(instructions: Sequence[Instruction]) -> dict[int, tuple[int, int]]:
    """Each outermost marked-content sequence with an id: its ``BDC`` and ``EMC`` indices."""
    spans: dict[int, tuple[int, int]] = {}
    opened: list[tuple[int | None, int]] = []
    for index, instruction in enumerate(instructions):
        operator = _name(instruction)
        if operator in ("BDC", "BMC"):
            operands = instruction.operands
            properties = operands[1] if operator == "BDC" and len(operands) == 2 else None
            number = properties.get("/MCID") if isinstance(properties, Dictionary) else None
            opened.append((int(number) if number is not None and not opened else None, index))
        elif operator == "EMC" and opened:
            mcid, start = opened.pop()
            if mcid is not None:
                spans[mcid] = (start, index)
    return spans


def _wrapped_alone(instructions: Sequence[Instruction], start: int, end: int) -> bool:
    """Is the sequence ``start``…``end`` alone inside a ``q``/``Q`` pair, so that taking it
    out (with the pair) changes nothing drawn after it?"""
    return (
        start > 0
        and end + 1 < len(instructions)
        and (_name(instructions[start - 1]) == "q" and _name(instructions[end + 1]) == "Q")
    )


def _states_at(instructions: Sequence[Instruction], wanted: set[int]) -> dict[int, DrawingState]:
    """The drawing state in force just before each instruction index in ``wanted``."""
    state = DrawingState()
    saved: list[DrawingState] = []
    found: dict[int, DrawingState] = {}
    for index, instruction in enumerate(instructions):
        if index in wanted:
            found[index] = state
        operator = _name(instruction)
        if operator == "q":
            saved.append(state)
        elif operator == "Q" and saved:
            state = replace(saved.pop(), in_text=state.in_text)
        elif operator == "cm":
            state = replace(state, matrix=_concatenate(_numbers(instruction), state.matrix))
        elif operator in ("BT", "ET"):
            state = replace(state, in_text=operator == "BT")
        elif operator in ("W", "W*"):
            state = replace(state, parts={**state.parts, "clip": instruction})
        elif operator in _STATE_PARTS:
            part = _STATE_PARTS[operator]
            parts = {**state.parts, part: instruction}
            if part in ("fill", "stroke") and operator not in ("sc", "scn", "SC", "SCN"):
                parts.pop(f"{part}_space", None)  # rg, g, k, RG, G, K choose their own space
            if part.endswith("_space"):
                parts.pop(part.removesuffix("_space"), None)  # a new space starts at its initial colour
            state = replace(state, parts=parts)
    return found


def _prelude(label: DrawingState, target: DrawingState) -> list[Instruction] | None:
    """The instructions that turn the state at ``target`` into the state the label was
    drawn in, or None if no instructions can (another matrix or clip, an open text object,
    a transparency the target's place has and the label's had not)."""
    if label.in_text or target.in_text or not _same_matrix(label.matrix, target.matrix):
        return None
    if _bytes(label.parts.get("clip")) != _bytes(target.parts.get("clip")):
        return None
    prelude: list[Instruction] = []
    for part in _PRELUDE_ORDER:
        wanted, present = label.parts.get(part), target.parts.get(part)
        if _bytes(wanted) == _bytes(present):
            continue
        if wanted is None:
            if part not in _INITIAL:
                return None
            wanted = _INITIAL[part]
        prelude.append(wanted)
    return prelude


#: the initial value of each part a prelude can reset (ISO 32000-1, 8.4 and 9.3)
_INITIAL = {
    "fill_space": pikepdf.ContentStreamInstruction([Name.DeviceGray], pikepdf.Operator("cs")),
    "fill": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("g")),
    "stroke_space": pikepdf.ContentStreamInstruction([Name.DeviceGray], pikepdf.Operator("CS")),
    "stroke": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("G")),
    "char_spacing": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Tc")),
    "word_spacing": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Tw")),
    "scale": pikepdf.ContentStreamInstruction([100], pikepdf.Operator("Tz")),
    "leading": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("TL")),
    "rise": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Ts")),
    "render": pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Tr")),
}


def _operator(name: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([], pikepdf.Operator(name))


def _name(instruction: Instruction) -> str:
    return (
        str(instruction.operator)
        if isinstance(instruction, pikepdf.ContentStreamInstruction)
        else "INLINE IMAGE"
    )


def _bytes(instruction: Instruction | None) -> bytes | None:
    return None if instruction is None else pikepdf.unparse_content_stream([instruction])


def _numbers(instruction: Instruction) -> tuple[float, ...]:
    return tuple(float(operand) for operand in instruction.operands)


def _concatenate(m: tuple[float, ...], ctm: tuple[float, ...]) -> tuple[float, ...]:
    """``m`` × ``ctm``: the matrix after ``m cm`` (ISO 32000-1, 8.4.4)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = ctm
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )  # fmt: skip


def _same_matrix(one: tuple[float, ...], other: tuple[float, ...]) -> bool:
    return all(abs(x - y) < 1e-6 for x, y in zip(one, other, strict=True))
