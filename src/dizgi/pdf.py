"""The issue's HTML + ``print.css`` -> WeasyPrint -> the print PDF.

The whole issue is one HTML document so that the contents can take page numbers from
``target-counter()`` and the running heads flow across articles.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
import weasyprint

from dizgi import __version__, hyphenation, turkish
from dizgi.errors import RenderError
from dizgi.fetch import ConfinedFetcher
from dizgi.fitting import FitReport, fit_paragraphs
from dizgi.model import Issue, PageStart, TypesetArticle
from dizgi.templates import ArticleEntry, render, render_article

#: WeasyPrint warnings that say nothing about the issue: without the system library
#: libharfbuzz-subset it subsets fonts with fontTools, which gives the same embedded fonts.
HARMLESS_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)
TURKISH_PATTERNS = "hyph_tr_TR-dizgi.dic"
#: Tagged PDF/A-3a: archival (fonts embedded, sRGB output intent, XMP) and accessible (a
#: structure tree from the HTML, /Lang, DisplayDocTitle). WeasyPrint 70 takes one variant
#: only (its issue 2783), so the PDF/UA-1 identification is not added: in a PDF/A file it
#: would need a pdfaExtension schema for pdfuaid, and no validator here could check it.
PDF_VARIANT = "pdf/a-3a"
#: the body text's face (``fonts.css``: Dizgi Serif regular): its space is the natural word space
BODY_FONT = Path("fonts/NotoSerif-Regular.ttf")


@dataclass(frozen=True)
class PdfRender:
    pages: int
    #: what WeasyPrint warned about (a CSS property it ignored, a font it could not load)
    warnings: tuple[str, ...]
    #: what paragraph fitting did
    fit: FitReport
    #: where each page begins: the first element with an id that starts on it
    page_starts: tuple[PageStart, ...] = ()


def issue_html(
    issue: Issue, articles: tuple[TypesetArticle, ...], styles_dir: Path, timestamp: datetime.datetime
) -> str:
    """The whole issue as one HTML document: cover, contents, articles, colophon."""
    meta = issue.meta
    items = [
        ArticleEntry(
            typeset.article,
            href=f"#{typeset.article.key}",
            html=render_article(styles_dir / "templates", typeset, footnotes=issue.meta.notes == "footnotes"),
        )
        for typeset in articles
    ]
    bylines = [item.byline for item in items if item.byline]
    keywords = sorted({kw for t in articles for kw in t.article.meta.keywords}, key=turkish.collation_key)
    return render(
        styles_dir / "templates",
        "issue.html.j2",
        issue=meta,
        articles=items,
        authors="; ".join(dict.fromkeys(bylines)),
        description=" · ".join(t.article.meta.title for t in articles),
        keywords=", ".join(keywords),
        version=__version__,
        timestamp=timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        running_head=f"{turkish.upper(meta.magazine)} · {turkish.upper(meta.issue)}",
    )


def render_pdf(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    styles_dir: Path,
    target: Path,
    timestamp: datetime.datetime,
) -> PdfRender:
    """Lay out the issue and write the PDF to ``target``; same input, same bytes."""
    hyphenation.register_turkish(styles_dir / "hyphenation" / TURKISH_PATTERNS)
    html = issue_html(issue, articles, styles_dir, timestamp)
    fetcher = ConfinedFetcher((issue.root, styles_dir))
    with _captured_warnings() as warnings, _font_timestamps(timestamp):
        try:
            html_document = weasyprint.HTML(
                string=html, base_url=styles_dir.resolve().as_uri() + "/", url_fetcher=fetcher
            )
            document, fit = fit_paragraphs(html_document, styles_dir / BODY_FONT)
            document.write_pdf(
                target,
                pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
                pdf_variant=PDF_VARIANT,
                finisher=_add_page_labels,
            )
        except weasyprint.urls.FatalURLFetchingError as error:
            refused = fetcher.refused[-1] if fetcher.refused else str(error)
            raise RenderError(
                f"the layout asked for a file dizgi may not read: {refused}",
                fix="keep images and stylesheets inside the manuscript or styles folder, linked relatively",
                path=styles_dir / "print.css",
            ) from None
    return PdfRender(
        pages=len(document.pages), warnings=tuple(warnings), fit=fit, page_starts=page_starts(document)
    )


def page_label(index: int) -> str:
    """The label of page ``index`` (0-based), as the PDF's page labels give it."""
    return turkish.LABELS["cover"] if index == 0 else str(index + 1)


def page_starts(document: weasyprint.Document) -> tuple[PageStart, ...]:
    """For each page, the first element with an id that begins on it (in reading order).

    An element split over pages appears on each; it begins on the first. A page that only
    continues one paragraph takes the next element that begins anywhere after it.
    """
    seen: set[str] = set()
    firsts: list[str | None] = []
    for page in document.pages:
        first = None
        for element in _elements_in_order(page._page_box):
            anchor = element.get("id")
            if anchor and anchor not in seen:
                seen.add(anchor)
                first = first or anchor
        firsts.append(first)
    starts = []
    for index in range(len(firsts)):
        following = next((later for later in firsts[index:] if later), None)
        if following is not None:
            starts.append(PageStart(page_label(index), following))
    return tuple(starts)


def _elements_in_order(box: Any) -> Iterator[Any]:
    if getattr(box, "element", None) is not None and getattr(box, "element_tag", None) != "html":
        yield box.element
    for child in getattr(box, "children", ()):
        yield from _elements_in_order(child)


def cover_jpeg(pdf_path: Path, height: int = 1600) -> bytes:
    """The cover page as a JPEG, for the EPUB's cover image."""
    import io

    (image,) = page_images(pdf_path, height, pages=1)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def page_images(pdf_path: Path, height: int, pages: int | None = None) -> list[Any]:
    """The PDF's first ``pages`` pages (all by default) rendered ``height`` pixels tall, as
    RGB Pillow images (pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        images = []
        for index in range(len(document) if pages is None else min(pages, len(document))):
            page = document[index]
            images.append(page.render(scale=height / page.get_height()).to_pil().convert("RGB"))
        return images
    finally:
        document.close()


def _add_page_labels(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """Page labels a reader shows: *Kapak* for the cover, then the printed folios (2, 3 …)."""
    labels = pydyf.Array(
        [
            0, pydyf.Dictionary({"P": pydyf.String(turkish.LABELS["cover"])}),
            1, pydyf.Dictionary({"S": "/D", "St": 2}),
        ]
    )  # fmt: skip
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": labels})


@contextmanager
def _font_timestamps(timestamp: datetime.datetime) -> Iterator[None]:
    """Make fontTools stamp subset fonts with the build's time, not the clock's.

    Without the system's HarfBuzz-Subset, WeasyPrint subsets with fontTools, which writes
    the current time into each font's ``head`` table unless SOURCE_DATE_EPOCH is set: the
    PDF's bytes then change on every build.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(timestamp.replace(tzinfo=datetime.UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings instead of letting them print from inside a stage."""
    messages: list[str] = []

    class _Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if not message.startswith(HARMLESS_WARNINGS) and message not in messages:
                messages.append(message)

    logger = logging.getLogger("weasyprint")
    handler = _Collector(level=logging.WARNING)
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


#: the proof sheet: pages this tall, this many to a row, on a grey ground
PROOF_PAGE_HEIGHT = 360
PROOF_PAGES_PER_ROW = 8
PROOF_GAP = 16


def render_proof(pdf_path: Path, target: Path) -> int:
    """All pages side by side at thumbnail size, as a PNG: the whole issue at a glance.
    Returns the number of pages drawn."""
    from PIL import Image

    thumbnails = page_images(pdf_path, PROOF_PAGE_HEIGHT)
    columns = min(PROOF_PAGES_PER_ROW, len(thumbnails))
    rows = -(-len(thumbnails) // columns)
    cell_width = max(image.width for image in thumbnails) + PROOF_GAP
    cell_height = PROOF_PAGE_HEIGHT + PROOF_GAP
    sheet = Image.new(
        "RGB", (columns * cell_width + PROOF_GAP, rows * cell_height + PROOF_GAP), (200, 200, 200)
    )
    for index, image in enumerate(thumbnails):
        row, column = divmod(index, columns)
        sheet.paste(image, (PROOF_GAP + column * cell_width, PROOF_GAP + row * cell_height))
    sheet.save(target, format="PNG", optimize=True)
    return len(thumbnails)
