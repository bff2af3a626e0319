"""One piece of the print issue laid out alone, in a worker process: the front matter
(cover and contents), one article, or the back matter (the colophon, after the blank pages
a printer needs). The pdf stage stitches the pieces' PDFs into the issue (``stitching``).

An article begins on a page of its own (``break-before: page``) and the text column has
the same measure on left and right pages, so an article sets the same lines wherever it
starts; only its folios and running heads, and its pages' sides, depend on where it stands.
Its piece is laid out with its first folio and side (``first_page``), its paragraphs set as
fitting decided, its floats, tall pictures and notes placed on its own pages, and written
as a PDF made PDF/UA on its own: the work of the whole issue, cut into independent parts
that run side by side and that a build keeps when their HTML has not changed.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
import weasyprint
from fontTools.ttLib import TTFont

from dizgi import floats, notepages, pagefill, pagestarts, pdflang, pdfua, printerpages, tallpictures, turkish
from dizgi.fit import fitting, spacing
from dizgi.fit.fitting import ArticleFit
from dizgi.fit.spacing import LooseMeasure
from dizgi.layout import BODY_FONT, lay_out
from dizgi.pagefill import ShortPage
from dizgi.pagestarts import PageBegins

#: Tagged PDF/A-3a: archival (fonts embedded, sRGB output intent, XMP) and accessible (a
#: structure tree from the HTML, /Lang, DisplayDocTitle). WeasyPrint 70 takes one variant
#: only (its issue 2783), so the PDF/UA-1 identification is not added: in a PDF/A file it
#: would need a pdfaExtension schema for pdfuaid, and no validator here could check it.
PDF_VARIANT = "pdf/a-3a"
#: seconds between 1904-01-01 (OpenType's epoch, the fonts' ``head.modified``) and 1970-01-01
_OPENTYPE_EPOCH_OFFSET = 2082844800


@dataclass(frozen=True)
class PieceJob:
    """What a worker needs to lay out one piece: plain data, sent to another process."""

    html: str
    #: the articles the piece holds (none for the front and back matter) and their fitting
    keys: tuple[str, ...]
    fits: tuple[ArticleFit, ...]
    #: the index (0-based) in the issue of the piece's first page
    first_index: int
    styles_dir: Path
    manuscript_dir: Path
    timestamp: datetime.datetime
    #: the back matter: bring the issue to a multiple of this many pages (0: leave it)
    page_multiple: int = 0
    #: anchors of other pieces the piece links to (the contents' entries): named in the
    #: piece so its links are kept, pointed at their pieces by the stitching
    elsewhere: tuple[str, ...] = ()
    #: the contents' page numbers, by the anchor each entry links to
    numbers: tuple[tuple[str, int], ...] = ()

    @property
    def stylesheet(self) -> str:
        """What the piece's place in the issue adds to ``print.css``: its first page's folio
        and side (page 1, the cover, is a right-hand page), and the contents' numbers."""
        rules = []
        if self.first_index:
            side = "right" if self.first_index % 2 == 0 else "left"
            rules.append(f"html {{ break-before: {side} }}")
            rules.append(f"@page :first {{ counter-reset: page {self.first_index + 1} }}")
        rules.extend(
            f'.contents-list a[href="#{anchor}"]::after {{ content: "{number}" }}'
            for anchor, number in self.numbers
        )
        return "\n".join(rules)


@dataclass(frozen=True)
class LaidPiece:
    """A piece as laid out: its PDF, and what the pdf stage reports of it."""

    pdf: bytes
    pages: int
    #: what WeasyPrint warned about
    warnings: tuple[str, ...]
    loose: LooseMeasure
    #: paragraphs set with a setting of their own
    refitted: int
    #: what each page begins (``pagestarts``), counted from ids begun on this piece alone
    begins: tuple[PageBegins, ...]
    short: tuple[ShortPage, ...]
    floated: int
    blank: int


def page_label(index: int) -> str:
    """The label of page ``index`` (0-based) of the issue, as the PDF's page labels give it."""
    return turkish.LABELS["cover"] if index == 0 else str(index + 1)


def lay_out_piece(job: PieceJob) -> LaidPiece:
    """Lay the piece out and write its PDF (made PDF/UA by ``pdfua``): same job, same bytes."""
    identifier = hashlib.sha256((job.html + job.stylesheet).encode()).hexdigest()

    def work(document_html: weasyprint.HTML) -> LaidPiece:
        root = document_html.etree_element
        labels = link_labels(root)
        languages = pdflang.passages(root)
        refitted = fitting.apply_fits(root, job.fits)
        render = document_html.render
        document, floated = floats.place_floats(root, job.keys, render)
        document = tallpictures.fit_tall_pictures(document, render)
        document = notepages.keep_notes_with_calls(document, render)
        blank = 0
        if job.page_multiple:
            document, blank = printerpages.bring_to_multiple(
                document, root, job.page_multiple, render, before=job.first_index
            )
        for anchor in job.elsewhere:  # where it goes is the stitching's to say
            document.pages[0].anchors.setdefault(anchor, (0, 0, 0, 0))
        written = document.write_pdf(
            pdf_identifier=identifier[:32].encode(),
            pdf_variant=PDF_VARIANT,
            finisher=lambda document, pdf: _finish(pdf, job.timestamp),
        )
        return LaidPiece(
            pdf=pdfua.finish(written, labels, languages),
            pages=len(document.pages),
            warnings=(),
            loose=spacing.loose_measure(document, job.styles_dir / BODY_FONT),
            refitted=refitted,
            begins=pagestarts.page_begins(document),
            short=pagefill.short_pages(
                document, root, job.keys, lambda index: page_label(job.first_index + index)
            ),
            floated=floated,
            blank=blank,
        )

    # in the document's head, where it outweighs print.css (a stylesheet given to render()
    # is a user's, which the author's outweighs)
    html = job.html.replace("</head>", f"<style>\n{job.stylesheet}\n</style>\n</head>", 1)
    laid, warnings = lay_out(html, job.styles_dir, job.manuscript_dir, work)
    return dataclasses.replace(laid, warnings=warnings)


def link_labels(root: Any) -> dict[str, str]:
    """Where each link of a piece goes, in words, by its target (an anchor's id or a URI):
    its ``aria-label`` (a note call: *Not 3*; a back-link: *3: metne dön*), else its text
    (a contents entry: the article's title; a URL: itself)."""
    labels: dict[str, str] = {}
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        label = anchor.get("aria-label") or " ".join("".join(map(str, anchor.itertext())).split())
        if label:
            labels.setdefault(href.removeprefix("#"), label)
    return labels


def _finish(pdf: pydyf.PDF, timestamp: datetime.datetime) -> None:
    """What WeasyPrint leaves to us: page labels, and fonts stamped with the build's time."""
    _add_page_labels(pdf)
    _stamp_fonts(pdf, timestamp)


def _add_page_labels(pdf: pydyf.PDF) -> None:
    """Page labels a reader shows: *Kapak* for the cover, then the printed folios (2, 3 …).
    The front matter's are the issue's (the stitching keeps its catalog); an offprint's
    keep the folios its pages have in the issue (``offprint``)."""
    labels = pydyf.Array(
        [
            0, pydyf.Dictionary({"P": pydyf.String(turkish.LABELS["cover"])}),
            1, pydyf.Dictionary({"S": "/D", "St": 2}),
        ]
    )  # fmt: skip
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": labels})


def _stamp_fonts(pdf: pydyf.PDF, timestamp: datetime.datetime) -> None:
    """Give each embedded font the build's time as its ``head.modified``.

    Without the system's HarfBuzz-Subset, WeasyPrint 70 subsets with fontTools, which stamps
    each font with the clock (or SOURCE_DATE_EPOCH from the environment, which a stage must
    not set): the PDF's bytes would change on every build. The finisher sees the font
    streams before they are written, so the stamp is set here, for this document only.
    OpenType counts from 1904 and cannot say an earlier time: an issue of 1900 stamps its
    fonts with the first second of 1904.
    """
    seconds = max(0, int(timestamp.replace(tzinfo=datetime.UTC).timestamp()) + _OPENTYPE_EPOCH_OFFSET)
    for stream in pdf.objects:
        if not isinstance(stream, pydyf.Stream) or "Length1" not in stream.extra:
            continue
        font = TTFont(io.BytesIO(b"".join(stream.stream)), recalcTimestamp=False)
        font["head"].modified = seconds
        buffer = io.BytesIO()
        font.save(buffer)
        stream.stream = [buffer.getvalue()]
        stream.extra["Length1"] = len(buffer.getvalue())
