"""Every character the issue sets must be one the shipped fonts draw.

A character the fonts lack (an emoji, a Chinese word) would otherwise be drawn from
whatever font the machine has (DejaVu, Droid Sans Fallback) and embedded in the PDF, or
as an empty box where it has none: output that differs from machine to machine, and a
PDF/A that promises shipped fonts only. So the build stops at the first such character,
naming the file, the line, the character and its Unicode name, before any layout. The
text faces share one character set (Noto Serif and Noto Sans, 2,840 characters: Latin,
Greek, Cyrillic and their punctuation), and only characters all of them hold count, since
any text may be set in any face (a title is sans on the cover and serif over the article).
What they lack, every face falls back to the symbols face for (``fonts.css``: the minus
sign, ``≤``, arrows, geometric bullets), so its characters count too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from html import unescape
from pathlib import Path

from fontTools.ttLib import TTFont

from dizgi.errors import ManuscriptError
from dizgi.model import Issue, TypesetArticle
from dizgi.textfiles import line_of, read_text

#: characters no glyph is needed for: line ends and tabs the layout turns into space; the
#: joiners and the variation selectors, which the shaper applies and never draws (Pandoc's
#: HTML writer puts U+FE0E, text presentation, after an arrow such as ``↔`` by itself)
_NOT_DRAWN = frozenset("\n\r\t\u200c\u200d\u2060") | frozenset(map(chr, range(0xFE00, 0xFE10)))
_TAG = re.compile(r"<[^>]*>")


#: the file name of the face every text face falls back to (``fonts.css``)
SYMBOLS_FILE_PREFIX = "DizgiSymbols-"


def shipped_characters(font_files: list[Path]) -> frozenset[str]:
    """The characters every one of the shipped text faces has a glyph for, and those of
    the symbols face they all fall back to."""
    covered: set[str] | None = None
    fallback: set[str] = set()
    for font in font_files:
        with TTFont(font, lazy=True) as face:
            characters = {chr(code) for code in face.getBestCmap()}
        if font.name.startswith(SYMBOLS_FILE_PREFIX):
            fallback |= characters
        else:
            covered = characters if covered is None else covered & characters
    return frozenset((covered or set()) | fallback)


def check_coverage(issue: Issue, articles: tuple[TypesetArticle, ...], shipped: frozenset[str]) -> None:
    """Stop at the first character of the issue the shipped fonts cannot draw (``shipped``:
    ``shipped_characters`` of the fonts)."""
    covered = shipped | _NOT_DRAWN
    issue_path = issue.root / "issue.yaml"
    _check_text(_issue_text(issue), covered, issue_path, None)
    for typeset in articles:
        article = typeset.article
        meta = article.meta
        fields = [meta.title, meta.subtitle, meta.section, meta.abstract, meta.photo_credit, meta.note]
        fields += [typeset.notes_title or meta.notes_title, *meta.keywords]
        fields += [part for author in meta.authors for part in (author.name, author.affiliation, author.bio)]
        if meta.image is not None:
            fields += [meta.image.alt, meta.image.caption, meta.image.credit]
        if meta.translation is not None:
            fields += [meta.translation.title, meta.translation.abstract, *meta.translation.keywords]
        front = "\n".join(field for field in fields if field)
        _check_text(front, covered, article.source, None)
        text = unescape(_TAG.sub("", typeset.content_html))
        _check_text(text, covered, article.source, article.line_of)


def _issue_text(issue: Issue) -> str:
    meta = issue.meta
    fields = [meta.magazine, meta.issue, meta.number, meta.volume, meta.publisher, meta.licence, meta.url]
    if meta.cover is not None:
        fields += [meta.cover.alt, meta.cover.caption, meta.cover.credit]
    return "\n".join(field for field in [*fields, *meta.editors] if field)


def _check_text(
    text: str, covered: frozenset[str], path: Path, line_of: Callable[[str], int | None] | None
) -> None:
    missing = next((character for character in text if character not in covered), None)
    if missing is None:
        return
    line = line_of(missing) if line_of is not None else None
    if line is None:
        line = _line_in_file(path, missing)
    name = unicodedata.name(missing, "no name")
    raise ManuscriptError(
        f"the character '{missing}' (U+{ord(missing):04X} {name}) is in none of the shipped fonts; "
        "it would be drawn from another font of this machine, or as an empty box",
        fix="remove it or write what it means in words; text in a script the fonts lack needs "
        "its font added to styles/fonts (see README: 'Fonts')",
        path=path,
        line=line,
    )


def _line_in_file(path: Path, character: str) -> int | None:
    """The line of the file that holds ``character`` (the front matter, issue.yaml)."""
    try:
        text = read_text(path)
    except (OSError, ManuscriptError):
        return None
    return line_of(text, character)
