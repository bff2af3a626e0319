"""Reading an editor's text files (issue.yaml, articles, word lists) as text, whatever the
editor's program saved: UTF-8 with or without a byte-order mark, any line ends, letters
composed; and a clear error, with the line, for a file in another encoding."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from dizgi.errors import ManuscriptError


def read_text(path: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark, any line ends (read as
    ``\\n``), letters composed (NFC: an ``ş`` typed as ``s`` + cedilla becomes one ``ş``,
    which the fonts, hyphenation and search all expect)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManuscriptError(
            f"the file is not UTF-8 text (byte {error.start + 1} cannot be read){_guess_encoding(raw)}",
            fix="save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
            path=path,
            line=raw.count(b"\n", 0, error.start) + 1,
        ) from None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def line_at(text: str, offset: int, first_line: int = 1) -> int:
    """The line of ``text`` that character ``offset`` stands on, counting its first line as
    ``first_line`` (an article's body begins after its front matter): every message that
    names a line of an editor's file counts here."""
    return first_line + text.count("\n", 0, offset)


def line_of(text: str, needle: str, first_line: int = 1) -> int | None:
    """The line where ``needle`` first stands in ``text`` (any case when not as written)."""
    at = text.find(needle)
    if at < 0:
        at = text.lower().find(needle.lower())
    return None if at < 0 else line_at(text, at, first_line)


def _guess_encoding(raw: bytes) -> str:
    """What a file that is not UTF-8 probably is: Turkish text saved by an older Windows
    program is Windows-1254, whose ğ, ş and ı (bytes 0xF0, 0xFE, 0xFD) are its tell-tale."""
    try:
        text = raw.decode("cp1254")
    except UnicodeDecodeError:
        return ""
    if any(letter in text for letter in "ğĞşŞıİ"):
        return "; it looks like Windows-1254 (Turkish)"
    return ""
