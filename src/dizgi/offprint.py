"""Offprints: each article's pages of the issue as a PDF of its own, the file a journal
system or an author asks for.

The issue is laid out in pieces (``pieces``), one for each article, and stitched; an
offprint is its article's piece as laid out, not laid out or painted again: its pages are
the issue's pages, content streams and all, so it cannot differ from the issue (folios,
line breaks, the PDF/UA work done on each piece). The piece holds nothing of other pages:
no structure element, bookmark or link to prune. What is its own is put in: its title,
authors, abstract, keywords and language (document information and XMP), and page labels
that keep the issue's folios. Its fonts are the piece's subsets (the issue merges each
face's subsets into one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name


@dataclass(frozen=True)
class Offprint:
    """One article's pages of the issue, as a PDF."""

    key: str
    pdf: bytes
    #: the folios of its first and last pages, as printed in the issue
    first_folio: int
    last_folio: int

    @property
    def pages(self) -> int:
        return self.last_folio - self.first_folio + 1


@dataclass(frozen=True)
class OffprintMeta:
    """What an offprint says of itself: its document information (``/Title``, ``/Author``,
    ``/Subject``, ``/Keywords``, the others as the issue's), its XMP packet, which must say
    the same (PDF/A), and its language."""

    info: dict[str, str]
    xmp: bytes
    lang: str


def from_piece(piece_pdf: bytes, first_folio: int, meta: OffprintMeta) -> bytes:
    """The article's piece (its PDF as laid out for the issue, beginning at ``first_folio``)
    as its offprint: the article's own metadata and language, the issue's folios."""
    with pikepdf.open(io.BytesIO(piece_pdf)) as pdf:
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=first_folio)]))
        pdf.Root.Lang = pikepdf.String(meta.lang)
        for field in ("/Title", "/Author", "/Subject", "/Keywords"):
            value = meta.info.get(field.lstrip("/"))
            if value:
                pdf.docinfo[field] = pikepdf.String(value)
            elif field in pdf.docinfo:
                del pdf.docinfo[field]
        pdf.Root.Metadata.write(meta.xmp)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
