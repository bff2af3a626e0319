"""Turkish language facts the pipeline needs: case mapping, ASCII folding, dates, labels.

Python's ``str.upper()`` turns ``i`` into ``I`` and ``str.lower()`` turns ``İ`` into
``i`` + U+0307: both wrong for Turkish (checklist T2). Every case change the pipeline makes
goes through this module, and every label it writes comes from ``LABELS``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

_TO_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})


def upper(text: str) -> str:
    """Uppercase the Turkish way: ``i → İ``, ``ı → I``; everything else as Unicode says."""
    return text.translate(_TO_UPPER).upper()


def lower(text: str) -> str:
    """Lowercase the Turkish way: ``I → ı``, ``İ → i`` (never ``i`` + combining dot)."""
    return text.translate(_TO_LOWER).lower()


MONTHS = (
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
)  # fmt: skip


def format_date(day: datetime.date) -> str:
    """``24 Kasım 2026``: never the locale's month name, never an English one (T11)."""
    return f"{day.day}\u00a0{MONTHS[day.month - 1]} {day.year}"


def format_month(day: datetime.date) -> str:
    """``Nisan 2025``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


_ASCII_FOLD = str.maketrans({"ı": "i", "İ": "I", "ğ": "g", "Ğ": "G", "ş": "s", "Ş": "S"})


def ascii_slug(text: str) -> str:
    """``Dış Bakış`` → ``dis-bakis``: file names and ids that any system accepts.

    The Turkish letters with no decomposition (ı, ğ's breve does decompose but ı does not)
    are folded first; the rest lose their accents through NFKD.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


#: Every word the pipeline itself writes into an output (T13): one place, in Turkish.
LABELS = {
    "contents": "İçindekiler",
    #: under the cover's headlines, when the issue holds more articles than the cover shows
    "cover_more": "ve {} yazı daha: İçindekiler",
    "references": "Kaynakça",
    "notes": "Notlar",
    "photo_credit": "Fotoğraf:",
    "source": "Kaynak:",
    "orcid": "ORCID kimliği",
    "note": "Not:",
    "page": "Sayfa",
    "cover": "Kapak",
    "colophon": "Künye",
    "magazine": "Dergi",
    "issue": "Sayı",
    "number": "No.",
    "volume": "Cilt",
    "publisher": "Yayıncı",
    "editors": "Editörler",
    "licence": "Lisans",
    "date": "Tarih",
    "back_to_text": "metne dön",
    "note_call": "Not",
    "abstract": "Öz",
    "keywords": "Anahtar Kelimeler",
    "landmarks": "Yer imleri",
    "start": "Başlangıç",
    "pages": "Sayfalar",
    "print_edition": "basılı sürüm (PDF)",
}


#: the labels of an article's front matter in each language it may be given in (an English
#: article's abstract is an *Abstract*, its Turkish translation an *Öz*)
FRONT_LABELS = {
    "tr": {"abstract": "Öz", "keywords": "Anahtar Kelimeler"},
    "en": {"abstract": "Abstract", "keywords": "Keywords"},
}


_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvwxyz"
_ALPHABET_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}


def collation_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key for the Turkish alphabet (T12): ç after c, ğ after g, ı before i, ş after s."""
    return tuple((_ALPHABET_RANK.get(char, len(_ALPHABET)), char) for char in lower(text))
