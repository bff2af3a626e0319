"""The issue's HTML + ``print.css`` -> WeasyPrint -> the print PDF and the print edition.

The whole issue is one HTML document so that the contents can take page numbers from
``target-counter()`` and the running heads flow across articles. Before it is laid out,
paragraph fitting decides each article's settings from layouts of the article alone
(``measure`` and ``try_settings``, which run in worker processes and return plain data);
the issue is then laid out once, with those settings.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
import weasyprint
from fontTools.ttLib import TTFont

from dizgi import (
    __version__,
    covering,
    floats,
    imaging,
    notepages,
    offprint,
    pagefill,
    pdflang,
    pdfua,
    printerpages,
    proof,
    tallpictures,
    turkish,
    weasy,
)
from dizgi.fit import fitting, spacing
from dizgi.fit.fitting import ArticleFit
from dizgi.fit.spacing import LooseMeasure
from dizgi.layout import BODY_FONT, lay_out
from dizgi.model import Article, Issue, PageStart, Picture, PrintEdition, TypesetArticle, issue_keywords
from dizgi.offprint import Offprint, OffprintMeta
from dizgi.pagefill import ShortPage
from dizgi.templates import ArticleEntry, render, render_article
from dizgi.weasy import boxes

#: Tagged PDF/A-3a: archival (fonts embedded, sRGB output intent, XMP) and accessible (a
#: structure tree from the HTML, /Lang, DisplayDocTitle). WeasyPrint 70 takes one variant
#: only (its issue 2783), so the PDF/UA-1 identification is not added: in a PDF/A file it
#: would need a pdfaExtension schema for pdfuaid, and no validator here could check it.
PDF_VARIANT = "pdf/a-3a"
#: seconds between 1904-01-01 (OpenType's epoch, the fonts' ``head.modified``) and 1970-01-01
_OPENTYPE_EPOCH_OFFSET = 2082844800


@dataclass(frozen=True)
class PdfRender:
    pages: int
    #: what WeasyPrint warned about (a CSS property it ignored, a font it could not load)
    warnings: tuple[str, ...]
    #: justified and loose lines of the final layout
    loose: LooseMeasure
    #: paragraphs set with a setting of their own
    refitted: int
    #: what the EPUB takes from the print layout: where pages begin, and the cover
    edition: PrintEdition
    #: each article's pages as a PDF of its own (when asked for)
    offprints: tuple[Offprint, ...] = ()
    #: figures, tables and pull quotes moved to the top of the next page (``floats.py``)
    floated: int = 0
    #: pages of an article (after its opener) setting less than a quarter of a text block
    short: tuple[ShortPage, ...] = ()
    #: blank pages added before the colophon for ``page_multiple`` (``printerpages``)
    blank: int = 0


def print_articles(issue: Issue, articles: tuple[TypesetArticle, ...], styles_dir: Path) -> tuple[str, ...]:
    """Each article's HTML as the print issue sets it (notes as endnotes or footnotes)."""
    footnotes = issue.meta.notes == "footnotes"
    return tuple(
        _with_picture_files(render_article(styles_dir / "templates", typeset, footnotes=footnotes), typeset)
        for typeset in articles
    )


def _with_picture_files(html: str, typeset: TypesetArticle) -> str:
    """The article's pictures read from their files (the EPUB packages them under the same
    ``images/`` names instead). A decorative picture becomes a background: the tagged PDF
    then keeps it out of the structure (an artifact), where an ``<img>`` without alt text
    would be a figure nobody can name."""
    for picture in typeset.pictures:
        address = imaging.print_address(picture)
        decorative = re.compile(
            rf'<img (?=[^>]*role="presentation")[^>]*src="{re.escape(picture.href)}"[^>]*>'
        )
        if picture.width and picture.height:
            html = decorative.sub(
                f'<span class="decorative" style="max-width: {picture.width}px">'
                f'<span style="padding-top: {100 * picture.height / picture.width:.3f}%; '
                f"background-image: url('{address}')\"></span></span>",
                html,
            )
        html = html.replace(f'src="{picture.href}"', f'src="{address}"')
    return html


def issue_html(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    article_htmls: tuple[str, ...],
    styles_dir: Path,
    timestamp: datetime.datetime,
    cover: Picture | None = None,
) -> str:
    """The whole issue as one HTML document: cover (with its picture), contents, articles,
    colophon."""
    meta = issue.meta
    items = [
        ArticleEntry(typeset.article, href=f"#{typeset.article.key}", html=html)
        for typeset, html in zip(articles, article_htmls, strict=True)
    ]
    bylines = [item.byline for item in items if item.byline]
    keywords = issue_keywords(articles)
    context = dict(
        issue=meta,
        authors="; ".join(dict.fromkeys(bylines)),
        description=" · ".join(t.article.meta.title for t in articles),
        keywords=", ".join(keywords),
        version=__version__,
        timestamp=timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        running_head=f"{turkish.upper(meta.magazine)} · {turkish.upper(meta.issue)}",
        cover_src=imaging.print_address(cover) if cover else "",
    )

    def lay_out_cover(count: int) -> weasyprint.Document:
        """The cover alone (the same as the issue's), with ``count`` headlines."""
        html = render(
            styles_dir / "templates", "issue.html.j2", articles=items, cover_headlines=count, cover_only=True,
            **context,
        )  # fmt: skip
        document, _ = lay_out(html, styles_dir, issue.root, lambda parsed: parsed.render())
        return document

    count = covering.cover_headlines(len(items), cover is not None, lay_out_cover)
    return render(
        styles_dir / "templates",
        "issue.html.j2",
        articles=items,
        cover_headlines=count,
        cover_only=False,
        **context,
    )


def render_pdf(
    issue: Issue,
    html: str,
    fits: tuple[ArticleFit, ...],
    styles_dir: Path,
    target: Path,
    timestamp: datetime.datetime,
    *,
    cover: bool = True,
    offprints: tuple[Article, ...] = (),
) -> PdfRender:
    """Lay out the issue once, with the fitted settings, and write the PDF to ``target``;
    same input, same bytes. With ``cover``, the edition carries the first page as a JPEG;
    each article of ``offprints`` gets its pages as a PDF of its own."""
    identifier = hashlib.sha256(html.encode()).hexdigest()

    def work(document_html: weasyprint.HTML) -> PdfRender:
        """The layout's part of the render (its warnings and the cover picture come after)."""
        labels = link_labels(document_html.etree_element)
        root = document_html.etree_element
        languages = pdflang.passages(root)
        refitted = fitting.apply_fits(root, fits)
        keys = tuple(article.key for article in issue.articles)
        document, floated = floats.place_floats(root, keys, document_html.render)
        document = tallpictures.fit_tall_pictures(document, document_html.render)
        document = notepages.keep_notes_with_calls(document, document_html.render)
        document, blank = printerpages.bring_to_multiple(
            document, root, issue.meta.page_multiple, document_html.render
        )
        document.write_pdf(
            target,
            pdf_identifier=identifier[:32].encode(),
            pdf_variant=PDF_VARIANT,
            finisher=lambda document, pdf: _finish(pdf, timestamp),
        )
        finished = pdfua.finish(target.read_bytes(), labels, languages)
        target.write_bytes(finished)
        return PdfRender(
            pages=len(document.pages),
            warnings=(),
            loose=spacing.loose_measure(document, styles_dir / BODY_FONT),
            refitted=refitted,
            edition=PrintEdition(page_starts(document), b"", ""),
            offprints=_offprints(document, root, offprints, finished),
            floated=floated,
            short=pagefill.short_pages(document, root, keys, page_label),
            blank=blank,
        )

    rendered, warnings = lay_out(html, styles_dir, issue.root, work)
    edition = PrintEdition(
        rendered.edition.pages,
        proof.cover_jpeg(target) if cover else b"",
        f"{issue.meta.magazine}, {issue.meta.issue}, {turkish.LABELS['print_edition']}",
    )
    return dataclasses.replace(rendered, warnings=warnings, edition=edition)


def _offprints(
    document: weasyprint.Document, root: Any, articles: tuple[Article, ...], issue_pdf: bytes
) -> tuple[Offprint, ...]:
    """Each article's pages cut from the finished issue PDF, with the article's own title,
    authors, abstract, keywords and language (``offprint``)."""
    ranges = weasy.article_pages(document, root, tuple(article.key for article in articles))
    made = []
    reach = offprint.reaches(issue_pdf) if articles else {}
    for article in articles:
        pages = ranges.get(article.key)
        if pages is None:
            continue
        meta = copy.copy(document.metadata)
        meta.title = article.meta.title
        meta.authors = [author.credit for author in article.meta.authors if author.credit]
        meta.description = article.meta.abstract
        meta.keywords = list(article.meta.keywords)
        info = {
            "Title": meta.title,
            "Author": ", ".join(meta.authors),
            "Subject": meta.description or "",
            "Keywords": ", ".join(meta.keywords),
        }
        xmp = pdfua.declared(weasy.xmp_packet(meta, PDF_VARIANT))
        content = offprint.cut(issue_pdf, pages, OffprintMeta(info, xmp, article.meta.lang), reach)
        made.append(Offprint(article.key, content, pages.start + 1, pages.stop))
    return tuple(made)


def link_labels(root: Any) -> dict[str, str]:
    """Where each link of the issue goes, in words, by its target (an anchor's id or a URI):
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


def page_label(index: int) -> str:
    """The label of page ``index`` (0-based), as the PDF's page labels give it."""
    return turkish.LABELS["cover"] if index == 0 else str(index + 1)


def page_starts(document: weasyprint.Document) -> tuple[PageStart, ...]:
    """For each page, the first element with an id that begins on it (in reading order).

    An element split over pages appears on each; it begins on the first. A page that opens
    by continuing one element (the end of a paragraph, of a note) says which and with what
    words, so that the EPUB's marker can stand there, before the page's first words; its
    anchor is the next element that begins on it or after it, where the marker goes when
    the words cannot be found.
    """
    seen: set[str] = set()
    firsts: list[str | None] = []
    continued: list[tuple[str, str] | None] = []
    for page in document.pages:
        first = None
        found = _first_text(weasy.page_box(page))
        begins = (found[0], found[2]) if found is not None else None
        # the page's first words end a paragraph or item an earlier page began (not a table,
        # whose head, repeated, would be found where the table begins)
        ends_one = found is not None and found[0] in seen and found[1] in _RUNNING_ON
        for element in _own_elements(weasy.page_box(page)):
            anchor = element.get("id")
            if anchor and anchor not in seen:
                seen.add(anchor)
                first = first or anchor
        firsts.append(first)
        continued.append(begins if ends_one or not first else None)
    starts = []
    for index in range(len(firsts)):
        following = next((later for later in firsts[index:] if later), None)
        inside, words = continued[index] or ("", "")
        if following is not None:
            starts.append(PageStart(page_label(index), following, inside, words))
    return tuple(starts)


#: the elements whose end a page may begin with, marked in the EPUB at the page's words
_RUNNING_ON = frozenset({"p", "li", "dd", "blockquote"})


def _own_elements(box: Any) -> Iterator[Any]:
    """The elements a page's boxes were made from (``page_elements``), less those a box
    only stands for: a note's call is made from the note (WeasyPrint 70), which may be
    printed a page later; a list item's marker from the item."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return
    if getattr(box, "element", None) is not None:
        yield box.element
    for child in getattr(box, "children", ()):
        yield from _own_elements(child)


def _first_text(box: Any, holders: tuple[Any, ...] = (), line: Any = None) -> tuple[str, str, str] | None:
    """The first words a page's flow sets (not its running heads, not its footnotes): the
    id and tag of the nearest element around them that has an id, and the words: the whole
    of their line, so that the EPUB finds the place they begin even where the first word
    alone (*power*, the end of a span split over two pages) stands earlier in the paragraph."""
    element = getattr(box, "element", None)
    anchored = element is not None and getattr(box, "element_tag", None) and element.get("id")
    holders = (*holders, element) if anchored else holders
    if isinstance(box, floats.NOT_THE_FLOW) or "::" in (getattr(box, "element_tag", "") or ""):
        return None  # generated text (a list item's marker, a note call) is not in the EPUB
    if isinstance(box, boxes.LineBox):
        line = box
    text = getattr(box, "text", None)
    if isinstance(text, str) and text.strip() and holders:
        words = " ".join(_line_text(line).split()) if line is not None else ""
        return holders[-1].get("id"), str(holders[-1].tag), words or " ".join(text.split())
    for child in getattr(box, "children", ()):
        found = _first_text(child, holders, line)
        if found is not None:
            return found
    return None


def _line_text(box: Any) -> str:
    """The text a line box sets, less generated text (a marker, a note call)."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return ""
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_line_text(child) for child in getattr(box, "children", ()))


def _finish(pdf: pydyf.PDF, timestamp: datetime.datetime) -> None:
    """What WeasyPrint leaves to us: page labels, and fonts stamped with the build's time."""
    _add_page_labels(pdf)
    _stamp_fonts(pdf, timestamp)


def _add_page_labels(pdf: pydyf.PDF) -> None:
    """Page labels a reader shows: *Kapak* for the cover, then the printed folios (2, 3 …).
    An offprint's keep the folios its pages have in the issue (``offprint``)."""
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
