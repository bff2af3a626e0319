"""Subset the shipped fonts to the characters a document uses (fontTools), for the EPUB.

Six full Noto faces weigh 3.5 MB; the issue uses a few hundred characters. The subsets keep
every OpenType feature (Turkish forms, kerning) and every name record, so the copyright and
the OFL notice stay inside each font, as the licence asks. Timestamps are the source
font's, so the bytes depend on the text only.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

from fontTools import subset

#: always kept: what a reading system may set itself (hyphens it inserts, ASCII)
ALWAYS = set(string.printable) | {"\u2010", "\u00a0", "\u2026", "’", "“", "”", "–", "—"}


def subset_font(font: Path, characters: set[str]) -> bytes:
    """The font cut down to ``characters`` (plus ``ALWAYS``), as TrueType bytes."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables = [*options.drop_tables, "DSIG"]
    face = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(char) for char in characters | ALWAYS})
    subsetter.subset(face)
    buffer = io.BytesIO()
    subset.save_font(face, buffer, options)
    return buffer.getvalue()
