"""Issues nobody wrote by hand: a Hypothesis grammar of everything the README lets an
editor write, drawn as whole manuscripts (``issue.yaml``, articles, pictures).

The text is real Turkish: sentences of the April article and the typography fixture,
drawn in a new order, with what editors type into them (straight quotes, ranges, ``%
25``, other-language spans, bare URLs, negative figures). The blocks: paragraphs,
``##``/``###`` headings, lists (tight and loose, bullets and numbers, nested), tables of
2 to 40 rows (figures with a minus sign), block quotes, pull quotes, definition lists,
pictures (PNG, JPEG and SVG charts naming an editor's fonts) of mixed sizes with captions,
credits and sources, and notes of every length (one sentence to several paragraphs, a
list or a quote inside) called anywhere. Front matter: one to three authors (names,
affiliations, ORCIDs with a right check digit, bios), subtitles, sections, keywords,
abstracts (front matter as plain text: spans in it are issue 25's); the issue: endnotes or
footnotes, number, volume.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
_SOURCES = (
    ROOT / "manuscript" / "articles" / "01-karabagdan-turk-dunyasina.md",
    ROOT / "tests" / "fixtures" / "floats" / "articles" / "01-alti-gorsel.md",
)


def _sentences() -> tuple[str, ...]:
    """Plain sentences of the real texts: no notes, no markup, 30 to 300 characters."""
    found: list[str] = []
    for source in _SOURCES:
        body = source.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            if not line or line.startswith(("#", "[^", "!", ":", "|", ">")) or "{" in line:
                continue
            line = re.sub(r"\[\^\w+\]", "", line)
            found += [s.strip() for s in re.split(r"(?<=[.?!])\s+", line) if 30 <= len(s.strip()) <= 300]
    return tuple(dict.fromkeys(found))


SENTENCES = _sentences()
#: what editors type into the text (the Turkish rules fix most of it)
TYPED = (
    '"yakın çevre" politikası',
    "Rusya'nın tutumu",
    "27 Eylül-10 Kasım 2020 arası",
    "s. 5-37",
    "% 25 oranında",
    "[interoperability]{lang=en}",
    "[Андрей Арешев, 26 февраля 2021]{lang=ru}",
    "[soft power]{lang=en} kavramı",
    "https://example.org/rapor?sayfa=3",
    "−3,5 puanlık düşüş",
    "≤ 2 ve ≥ 5 arasında",
    "ASELSAN'ın ve TSK'nın",
    "*Dış Politika* dergisi",
    "**önemli** bir adım",
)
FONT_FAMILIES = ("Noto Sans", "Noto Serif", "serif", "sans-serif", "Arial", "Times New Roman", "Calibri")
NAMES = ("Ayşe Yılmaz", "Mehmet Öztürk", "İlknur Çağlar", "Şükrü Işık", "Gülşen Ünal", "Ömer Doğan")
AFFILIATIONS = ("Ankara Üniversitesi", "Milli Savunma Üniversitesi, Uluslararası İlişkiler Bölümü",
                "Marmara Üniversitesi", "İstanbul Teknik Üniversitesi")  # fmt: skip
SECTIONS = ("Analiz", "Söyleşi", "Deneme", "Değerlendirme")


def orcid(digits: str) -> str:
    """An ORCID iD of 15 digits and its ISO 7064 11-2 check character."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


@dataclass
class Manuscript:
    """A drawn issue: its files (path -> text or bytes) and what it holds, for the report."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    articles: int = 0
    notes: int = 0
    pictures: int = 0
    tables: int = 0

    def write(self, folder: Path) -> Path:
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    def __repr__(self) -> str:  # Hypothesis prints it for a failing issue: the files are kept
        return f"Manuscript({self.describe()})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis's printer
        printer.text(repr(self))

    def describe(self) -> str:
        return f"{self.articles} articles, {self.notes} notes, {self.pictures} pictures, {self.tables} tables"


def plain(text: str) -> str:
    """The text without Markdown: a span's words without its brackets and attributes, no
    emphasis marks (front matter is plain text)."""
    return re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text).replace("*", "")


def short(text: str, length: int) -> str:
    """At most ``length`` characters, cut at a word; plain where a cut would leave a span
    or an emphasis open (``[…`` would turn a picture's path into a link)."""
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0]
    balanced = (
        text.count("[") == text.count("]") and text.count("{") == text.count("}") and not text.count("*") % 2
    )
    if not balanced:  # the spans that are whole lose their markup, a cut one its brackets
        text = re.sub(r"[\[\]*]", "", re.sub(r"\{[^}]*\}?", "", plain(text)))
    return text.rstrip(" .,;:")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def sentence(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SENTENCES))
    if draw(st.integers(0, 3)) == 0:
        words = text.split()
        at = draw(st.integers(1, max(1, len(words) - 1)))
        text = " ".join([*words[:at], draw(st.sampled_from(TYPED)), *words[at:]])
    return text


@st.composite
def paragraph(draw: st.DrawFn, notes: list[str], max_sentences: int = 8) -> str:
    parts = draw(st.lists(sentence(), min_size=1, max_size=max_sentences))
    if draw(st.booleans()):
        label = f"n{len(notes) + 1}"
        notes.append(draw(note_text()))
        at = draw(st.integers(0, len(parts) - 1))
        parts[at] = parts[at] + f"[^{label}]"
    return " ".join(parts)


@st.composite
def note_text(draw: st.DrawFn) -> str:
    """A note: a reference of one line, a sentence or two, or several paragraphs."""
    kind = draw(st.integers(0, 4))
    reference = (
        f'{draw(st.sampled_from(NAMES))}, "{short(draw(st.sampled_from(SENTENCES)), 60)}", *Dış Bakış*, '
        f"Sayı {draw(st.integers(1, 40))}, {draw(st.integers(1990, 2025))}, s. {draw(st.integers(1, 50))}-"
        f"{draw(st.integers(51, 120))}."
    )
    if kind == 0:
        return reference
    if kind == 1:
        return reference + " " + draw(sentence()) + " https://example.org/" + str(draw(st.integers(1, 999)))
    if kind == 2:
        return " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
    blocks = [
        reference,
        *(" ".join(draw(st.lists(sentence(), min_size=2, max_size=6))) for _ in range(kind - 1)),
    ]
    if kind == 4:
        blocks.append("- " + draw(sentence()) + "\n- " + draw(sentence()))
    # the note's later paragraphs, and every line of them, indented under its first
    return "\n".join(
        line if index == 0 or not line else "    " + line
        for index, line in enumerate("\n\n".join(blocks).splitlines())
    )


@st.composite
def a_list(draw: st.DrawFn, depth: int = 0) -> str:
    ordered = draw(st.booleans())
    loose = draw(st.booleans())
    items = []
    for number in range(1, draw(st.integers(2, 9)) + 1):
        marker = f"{number}." if ordered else "-"
        item = f"{marker} {' '.join(draw(st.lists(sentence(), min_size=1, max_size=4)))}"
        if depth == 0 and draw(st.integers(0, 5)) == 0:
            inner = draw(a_list(depth=1))
            item += "\n\n" + "\n".join("    " + line if line else "" for line in inner.splitlines())
        items.append(item)
    return ("\n\n" if loose else "\n").join(items)


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(2, 4))
    rows = draw(st.integers(2, 40))
    head = "| Ülke | " + " | ".join(f"{2019 + c}" for c in range(columns - 1)) + " |"
    rule = "|:--|" + "--:|" * (columns - 1)
    body = []
    for row in range(rows):
        cells = [f"{'−' if draw(st.booleans()) else ''}{draw(st.integers(0, 99))},{draw(st.integers(0, 9))}"
                 for _ in range(columns - 1)]  # fmt: skip
        country = draw(st.sampled_from(("Azerbaycan", "Gürcistan", "Kazakistan", "Özbekistan")))
        body.append(f"| {country} {row + 1} | " + " | ".join(cells) + " |")
    caption = f": {short(draw(sentence()), 80)}" if draw(st.integers(0, 3)) else ""
    return "\n".join([head, rule, *body]) + ("\n\n" + caption if caption else "")


@st.composite
def picture(draw: st.DrawFn, manuscript: Manuscript) -> str:
    number = len([name for name in manuscript.files if name.startswith("images/")]) + 1
    kind = draw(st.sampled_from(("png", "jpg", "svg")))
    name = f"images/resim-{number}.{kind}"
    if kind == "svg":
        family = draw(st.sampled_from(FONT_FAMILIES))
        width, height = draw(st.integers(200, 900)), draw(st.integers(80, 700))
        manuscript.files[name] = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}"><rect x="10" y="10" width="{width // 3}" height="{height // 2}" '
            f'fill="#1f4e79"/><text x="10" y="{height - 10}" font-family="{family}" '
            'font-size="14">İhracat −3,5 ≤ 2024</text></svg>'
        )
    else:
        width, height = draw(st.integers(40, 2400)), draw(st.integers(40, 2400))
        image = Image.new("RGB", (width, height), (draw(st.integers(0, 255)), 120, 90))
        ImageDraw.Draw(image).rectangle((0, 0, width // 2, height // 2), fill=(30, 78, 121))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG" if kind == "png" else "JPEG", quality=80)
        manuscript.files[name] = buffer.getvalue()
    manuscript.pictures += 1
    caption = short(draw(sentence()), 120)
    attributes = draw(st.sampled_from(("", '{credit="Anadolu Ajansı"}', '{source="TÜİK"}')))
    return f"![{caption}](../{name}){attributes}"


@st.composite
def article(draw: st.DrawFn, manuscript: Manuscript, number: int) -> str:
    notes: list[str] = []
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.integers(0, 15))
        if kind <= 6:
            blocks.append(draw(paragraph(notes)))
        elif kind == 7:
            blocks.append(f"## {short(draw(sentence()), 60)}")
        elif kind == 8 and any(block.startswith("## ") for block in blocks):
            blocks.append(f"### {short(draw(sentence()), 50)}")
        elif kind == 9:
            blocks.append(draw(a_list()))
        elif kind == 10:
            manuscript.tables += 1
            blocks.append(draw(table()))
        elif kind == 11:
            blocks.append("> " + draw(paragraph(notes, max_sentences=5)))
        elif kind == 12:
            blocks.append(f'::: {{.pullquote}}\n"{draw(sentence())}"\n:::')
        elif kind == 13:
            blocks.append(f"{short(draw(sentence()), 40)}\n:   {draw(paragraph(notes, max_sentences=3))}")
        else:
            blocks.append(draw(picture(manuscript)))
    if not any(not block.startswith(("#", "!", ":::")) for block in blocks):
        blocks.append(draw(paragraph(notes)))
    front = [f"title: {_quoted(plain(short(draw(sentence()), 90)))}"]
    if draw(st.booleans()):
        front.append(f"subtitle: {_quoted(plain(short(draw(sentence()), 100)))}")
    if draw(st.booleans()):
        front.append(f"section: {draw(st.sampled_from(SECTIONS))}")
    authors = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    front.append("authors:")
    for author in authors:
        front.append(f"  - name: {author}")
        front.append(f"    affiliation: {_quoted(draw(st.sampled_from(AFFILIATIONS)))}")
        if draw(st.booleans()):
            front.append(f"    orcid: {orcid(''.join(str(draw(st.integers(0, 9))) for _ in range(15)))}")
        if draw(st.integers(0, 2)) == 0:
            front.append(f"    bio: {_quoted(plain(draw(sentence())))}")
    if draw(st.booleans()):
        abstract = " ".join(draw(st.lists(sentence(), min_size=1, max_size=5)))
        front.append(f"abstract: {_quoted(plain(abstract))}")
    if draw(st.booleans()):
        front.append("keywords: [Türkiye, Azerbaycan, güvenlik]")
    if draw(st.integers(0, 3)) == 0:
        front.append("photo_credit: Anadolu Ajansı")
    manuscript.notes += len(notes)
    definitions = "\n\n".join(f"[^n{i}]: {text}" for i, text in enumerate(notes, start=1))
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(blocks) + "\n\n" + definitions + "\n"


@st.composite
def manuscripts(draw: st.DrawFn, min_articles: int = 1, max_articles: int = 6) -> Manuscript:
    manuscript = Manuscript()
    count = draw(st.integers(min_articles, max_articles))
    names = [f"articles/{number:02d}-yazi.md" for number in range(1, count + 1)]
    for number, name in enumerate(names, start=1):
        manuscript.files[name] = draw(article(manuscript, number))
    manuscript.articles = count
    issue = ["magazine: Dış Bakış", "issue: Mayıs 2025", "date: 2025-05-01"]
    if draw(st.booleans()):
        issue += [f"number: {draw(st.integers(1, 12))}", f"volume: {draw(st.integers(1, 9))}"]
    if draw(st.booleans()):  # then each article has a JATS file too
        issue.append(f"issn: {draw(st.sampled_from(('1234-5679', '0378-5955', '2049-3630')))}")
    issue.append(f"notes: {draw(st.sampled_from(('endnotes', 'footnotes')))}")
    issue += ["articles:", *(f"  - {name}" for name in names)]
    manuscript.files["issue.yaml"] = "\n".join(issue) + "\n"
    return manuscript
