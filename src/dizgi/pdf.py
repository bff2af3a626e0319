"""The issue's HTML + ``print.css`` -> WeasyPrint -> the print PDF and the print edition.

The issue is laid out in pieces (``pieces``): the front matter, each article, the back
matter, each a document of its own with the issue's head, laid out side by side in the
workers and stitched into one PDF (``stitching``). Each article's paragraphs are set as
fitting decided (``fit``); the contents takes its page numbers from the pieces' page
counts. A build keeps the pieces whose HTML and place have not changed: an edited article
is laid out again, and the ones after it only when its page count changed.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from dizgi import (
    __version__,
    covering,
    imaging,
    pagestarts,
    pdfua,
    proof,
    stitching,
    turkish,
    weasy,
)
from dizgi.errors import RenderError
from dizgi.fit.fitting import ArticleFit
from dizgi.fit.spacing import LooseMeasure
from dizgi.model import Article, Issue, Picture, PrintEdition, TypesetArticle, issue_keywords
from dizgi.offprint import Offprint, OffprintMeta
from dizgi.pagefill import ShortPage
from dizgi.pieces import PDF_VARIANT, LaidPiece, PieceJob, page_label
from dizgi.templates import ArticleEntry, render, render_article


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


@dataclass(frozen=True)
class IssueParts:
    """The print issue's HTML, one document per piece (``pieces``): the front matter (cover
    and contents), each article, the back matter (colophon)."""

    front: str
    articles: tuple[str, ...]
    back: str
    #: the front matter's pages, where the cover's trials laid it out
    front_pages: int | None = None


def issue_parts(
    issue: Issue,
    articles: tuple[TypesetArticle, ...],
    article_htmls: tuple[str, ...],
    styles_dir: Path,
    timestamp: datetime.datetime,
    layer: PieceLayer,
    cover: Picture | None = None,
) -> IssueParts:
    """The issue's pieces as HTML documents with the issue's head: cover (with its picture)
    and contents, each article, colophon."""
    front = FrontMatter(issue, articles, article_htmls, styles_dir, timestamp, cover)

    def see(count: int) -> covering.CoverSeen:
        return layer.cover_trial(front.trial(count))

    choice = covering.cover_headlines(len(articles), cover is not None, see)
    return IssueParts(
        front=front.render("front", choice.headlines),
        articles=tuple(front.render("article", article_html=item.html) for item in front.items),
        back=front.render("back"),
        front_pages=choice.front_pages,
    )


class FrontMatter:
    """What the issue's templates are given (the head of every piece, the cover and the
    contents), and the front matter with some number of headlines on the cover: its trials
    (``trial``) depend on the titles, not on fitting, so the pipeline can have them laid
    out while the articles are fitted."""

    def __init__(
        self,
        issue: Issue,
        articles: tuple[TypesetArticle, ...],
        article_htmls: tuple[str, ...],
        styles_dir: Path,
        timestamp: datetime.datetime,
        cover: Picture | None,
    ) -> None:
        meta = issue.meta
        self.issue = issue
        self.styles_dir = styles_dir
        self.templates = styles_dir / "templates"
        self.items = [
            ArticleEntry(typeset.article, href=f"#{typeset.article.key}", html=html)
            for typeset, html in zip(articles, article_htmls, strict=True)
        ]
        bylines = [item.byline for item in self.items if item.byline]
        self.context = dict(
            issue=meta,
            articles=self.items,
            authors="; ".join(dict.fromkeys(bylines)),
            description=" · ".join(t.article.meta.title for t in articles),
            keywords=", ".join(issue_keywords(articles)),
            version=__version__,
            timestamp=timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            running_head=f"{turkish.upper(meta.magazine)} · {turkish.upper(meta.issue)}",
            cover_src=imaging.print_address(cover) if cover else "",
        )

    def render(self, part: str, headlines: int = 0, **more: Any) -> str:
        """One piece's document: the ``front`` matter with ``headlines`` on the cover, an
        ``article`` (its ``article_html``), or the ``back`` matter."""
        return render(
            self.templates, "issue.html.j2", part=part, cover_headlines=headlines, **more, **self.context
        )

    def trial(self, headlines: int) -> covering.CoverTrial:
        """The front matter (the same as the issue's) with ``headlines`` on the cover."""
        return covering.CoverTrial(self.render("front", headlines), self.styles_dir, self.issue.root)


class PieceLayer(Protocol):
    """Where the pdf stage has its pieces laid out (the pipeline's: in the workers, kept in
    the build cache)."""

    def lay_out(self, jobs: Sequence[PieceJob]) -> list[LaidPiece]:
        """Each job's piece, in the order of ``jobs``."""
        ...

    def pages(self, job: PieceJob) -> int | None:
        """The pages the job's piece had when last laid out anywhere in the issue, if known."""
        ...

    def cover_trial(self, trial: covering.CoverTrial) -> covering.CoverSeen:
        """``covering.lay_out_trial``, or what it showed when last asked."""
        ...

    def offprint(self, piece: bytes, first_folio: int, meta: OffprintMeta) -> bytes:
        """``offprint.from_piece``, or what it gave when last asked (an edit changes one
        article's piece: the other offprints are as they were)."""
        ...


#: rounds of laying out the pieces at most: the first places them where their page counts
#: were expected, the next where the first found them (a piece's count does not depend on
#: where it starts, so a second round is the last but for the contents' own count)
MAX_ROUNDS = 4
#: the front matter's pages until laid out: the cover and one page of contents
FRONT_PAGES = 2


def render_pdf(
    issue: Issue,
    parts: IssueParts,
    fits: tuple[ArticleFit, ...],
    styles_dir: Path,
    target: Path,
    timestamp: datetime.datetime,
    layer: PieceLayer,
    *,
    cover: bool = True,
    offprints: tuple[Article, ...] = (),
) -> PdfRender:
    """Lay out the issue's pieces side by side, each where the pieces before it end, stitch
    them and write the PDF to ``target``; same input, same bytes. With ``cover``, the edition
    carries the first page as a JPEG; each article of ``offprints`` gets its pages as a PDF
    of its own."""
    keys = tuple(article.key for article in issue.articles)

    def job(html: str, first: int, **more: Any) -> PieceJob:
        return PieceJob(html, first_index=first, styles_dir=styles_dir, manuscript_dir=issue.root,
                        timestamp=timestamp, **more)  # fmt: skip

    def front(counts: Sequence[int]) -> PieceJob:
        return job(parts.front, 0, keys=(), fits=(), elsewhere=keys, numbers=_numbers(keys, counts))

    articles = [
        job(html, 0, keys=(fit.key,), fits=(fit,)) for html, fit in zip(parts.articles, fits, strict=True)
    ]
    known = [layer.pages(piece) for piece in articles]
    counts = [count or fit.pages for count, fit in zip(known, fits, strict=True)]
    # the contents' own pages, needed before any number: known, or seen by the cover's
    # trials, or guessed (a cover and one page of contents); a wrong guess costs a round
    front_pages = layer.pages(front([FRONT_PAGES, *counts])) or parts.front_pages or FRONT_PAGES
    if 0 < known.count(None) < len(known):
        # an edit: the edited articles first (their galleys may miscount their pages), so
        # that the ones after them are laid out once, where they now begin
        firsts = _firsts([front_pages, *counts])
        unknown = [index for index, count in enumerate(known) if count is None]
        laid = layer.lay_out([dataclasses.replace(articles[i], first_index=firsts[i + 1]) for i in unknown])
        for index, piece in zip(unknown, laid, strict=True):
            counts[index] = piece.pages
    for _ in range(MAX_ROUNDS):
        firsts = _firsts([front_pages, *counts])
        jobs = [
            front([front_pages, *counts]),
            *(
                dataclasses.replace(piece, first_index=first)
                for piece, first in zip(articles, firsts[1:], strict=False)
            ),
            job(parts.back, firsts[-1], keys=(), fits=(), page_multiple=issue.meta.page_multiple),
        ]
        laid = layer.lay_out(jobs)
        found = [piece.pages for piece in laid[:-1]]
        if found == [front_pages, *counts]:
            break
        front_pages, *counts = found
    else:
        raise RenderError(
            "the pieces of the issue did not settle on their page counts",
            fix="report it with the issue: an article's page count changed with the page it starts on",
        )
    target.write_bytes(stitching.stitch([piece.pdf for piece in laid]))
    firsts = _firsts([piece.pages for piece in laid])
    # ids are the issue's, each in one piece: what a page begins is the same read alone
    begins = [begin for piece in laid for begin in piece.begins]
    ranges = {
        key: range(firsts[number], firsts[number] + piece.pages)
        for number, (key, piece) in enumerate(zip(keys, laid[1:-1], strict=True), start=1)
    }
    pages = sum(piece.pages for piece in laid)
    edition = PrintEdition(
        pagestarts.starts(begins, page_label),
        proof.cover_jpeg(target) if cover else b"",
        f"{issue.meta.magazine}, {issue.meta.issue}, {turkish.LABELS['print_edition']}",
    )
    return PdfRender(
        pages=pages,
        warnings=tuple(dict.fromkeys(warning for piece in laid for warning in piece.warnings)),
        loose=LooseMeasure(
            sum(piece.loose.justified for piece in laid), sum(piece.loose.loose for piece in laid)
        ),
        refitted=sum(piece.refitted for piece in laid),
        edition=edition,
        offprints=_offprints(laid[1:-1], parts.front, ranges, offprints, layer),
        floated=sum(piece.floated for piece in laid),
        short=tuple(short for piece in laid for short in piece.short),
        blank=laid[-1].blank,
    )


def _firsts(counts: Sequence[int]) -> list[int]:
    """The index of each piece's first page, and past the last, from the pieces' page counts."""
    return [sum(counts[:index]) for index in range(len(counts) + 1)]


def _numbers(keys: tuple[str, ...], counts: Sequence[int]) -> tuple[tuple[str, int], ...]:
    """The contents' numbers: each article's first folio, from the page counts of the
    front matter and the articles."""
    firsts = _firsts(counts)
    return tuple((key, first + 1) for key, first in zip(keys, firsts[1:], strict=False))


def _offprints(
    article_pieces: Sequence[LaidPiece],
    front: str,
    ranges: dict[str, range],
    articles: tuple[Article, ...],
    layer: PieceLayer,
) -> tuple[Offprint, ...]:
    """Each article's piece as its offprint, with the article's own title, authors,
    abstract, keywords and language (``offprint``); the rest of its metadata is the issue's,
    as the front matter's head gives it."""
    if not articles:
        return ()
    made = []
    pieces = dict(zip(ranges, article_pieces, strict=True))
    issue_meta = weasy.html_metadata(front)
    for article in articles:
        pages = ranges.get(article.key)
        if pages is None:
            continue
        meta = copy.copy(issue_meta)
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
        content = layer.offprint(
            pieces[article.key].pdf, pages.start + 1, OffprintMeta(info, xmp, article.meta.lang)
        )
        made.append(Offprint(article.key, content, pages.start + 1, pages.stop))
    return tuple(made)
