"""The frozen dataclasses that travel between the stages.

Each field says the key it is read from and where it lands, so a reader can follow a
piece of metadata from ``issue.yaml`` to the PDF and the EPUB without reading the stages.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from dizgi.textfiles import line_of
from dizgi.turkish import ascii_slug, collation_key

JsonAst = dict[str, Any]
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>")
_NOTE_NUMBER = re.compile(r"^\d+\.\s*")

#: T7: a justified line is loose when its word space is over this many natural spaces
#: (fitting aims under it; the layout's summary and the PDF read-back count against it)
LOOSE_FACTOR = 2.0


#: what ``python build.py import`` writes for a field the Word file did not give; the build
#: names each such field until it is filled in
TO_FILL = "DOLDURUN"


@dataclass(frozen=True)
class Author:
    #: from ``authors[].name``; the byline, PDF /Author, EPUB ``dc:creator``
    name: str | None
    #: from ``authors[].affiliation``; under the byline (and the creator when no name)
    affiliation: str | None = None
    #: from ``authors[].orcid`` (``0000-0002-1825-0097``); a link after the name in the byline
    orcid: str | None = None
    #: from ``authors[].bio``; set after the article, behind the author's name
    bio: str | None = None

    @property
    def credit(self) -> str:
        """What stands for this author where one line is wanted: the name, else the affiliation."""
        return self.name or self.affiliation or ""


@dataclass(frozen=True)
class PictureEntry:
    """A picture named in YAML: an article's lead photograph (front matter ``image``, set
    under the title) or the issue's cover (``cover`` in issue.yaml)."""

    #: ``file``: the path, relative to the file naming it or to the manuscript's images/
    file: str
    #: ``alt``: what the picture shows (required)
    alt: str
    #: ``caption``: a caption under it
    caption: str | None = None
    #: ``credit``: printed behind *Fotoğraf:*
    credit: str | None = None
    #: the line of its key in the file naming it (for messages)
    line: int | None = None


#: the longest running head, in characters: one line of 7.5 pt letter-spaced capitals on the
#: 130 mm measure holds some 75
RUNNING_HEAD_CHARACTERS = 60
#: the longest word offered to hyphenation: no word of a language comes near (Turkish's
#: famous longest has 70 letters); a longer run of letters is a typing slip or a pasted code.
#: WeasyPrint tries every hyphenation point of a word against each line, laying the word out
#: each time: a 2,000-letter word took two minutes, so a longer one is broken where each line
#: ends, without a hyphen, and the build warns
LONGEST_HYPHENATED_WORD = 100


@dataclass(frozen=True)
class Translation:
    """The front matter in the article's other language, as a journal's index asks for it:
    a Turkish article's ``title-en``, ``abstract-en``, ``keywords-en``; an English article's
    ``title-tr``, ``abstract-tr``, ``keywords-tr``. Set on the opener after the article's
    own abstract, marked with its language (PDF, EPUB), and in the JATS and the deposit."""

    #: ``en`` or ``tr``: the key's ending
    lang: str
    title: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleMeta:
    #: from ``title``; the article opener, contents, PDF outline, EPUB nav and ``<title>``
    title: str
    #: from ``lang`` (default: the issue's ``language``); ``lang`` on the article's root
    lang: str
    #: from ``notes_title`` (default ``Kaynakça``); the heading over the article's notes
    notes_title: str
    #: from ``subtitle``; under the title
    subtitle: str | None = None
    #: from ``authors``; the byline
    authors: tuple[Author, ...] = ()
    #: from ``section``; the rubric over the title
    section: str | None = None
    #: from ``keywords``; PDF /Keywords, EPUB ``dc:subject``
    keywords: tuple[str, ...] = ()
    #: from ``abstract``; set before the body
    abstract: str | None = None
    #: from ``photo_credit``; set small after the article, behind the label *Fotoğraf:*
    photo_credit: str | None = None
    #: from ``note``; the publication note, set small after the article behind *Not:*
    note: str | None = None
    #: from ``image``; the lead photograph under the title
    image: PictureEntry | None = None
    #: from ``title-en``, ``abstract-en``, ``keywords-en`` (``-tr`` for an English article)
    translation: Translation | None = None
    #: from ``doi`` (or issue.yaml's ``doi-pattern``), ``10.12345/…``: a link on the opener,
    #: the JATS ``article-id``
    doi: str | None = None

    @property
    def byline(self) -> str:
        """The authors in one line (names, or affiliations where a name is unknown)."""
        return ", ".join(author.credit for author in self.authors)

    @property
    def short_title(self) -> str:
        """The running head's title: the part before a colon, when the title has one, cut
        at a word with an ellipsis when it is longer than ``RUNNING_HEAD_CHARACTERS`` (a
        running head is one line: a 90-character title in capitals took two, over the
        text)."""
        head, colon, _ = self.title.partition(":")
        title = head.strip() if colon and head.strip() else self.title
        if len(title) <= RUNNING_HEAD_CHARACTERS:
            return title
        cut = title[: RUNNING_HEAD_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
        return cut + "…"


@dataclass(frozen=True)
class Sources:
    """What an article's citations (``[@key, s. 12]``) are made from: Pandoc's citeproc
    reads the references and sets them in the issue's citation style."""

    #: from issue.yaml ``citation-style`` (default ``isnad-dipnotlu``): ``styles/csl/<style>.csl``
    style: str
    #: from the front matter's ``references`` (CSL YAML, as Pandoc reads it): the entries
    references_yaml: str = ""
    #: from the front matter's ``bibliography``: BibTeX, CSL JSON or CSL YAML files
    bibliography: tuple[Path, ...] = ()
    #: a digest of those files' bytes: an edited file is not taken from the cache
    bibliography_digest: str = ""


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    #: the Markdown file, as the user named it (for messages)
    source: Path
    #: the Markdown body (front matter removed)
    body: str
    #: line of the source file on which ``body`` starts (for messages)
    body_line: int
    #: a short ASCII id, unique in the issue (``a01``): prefix of every id in the article
    key: str
    #: the references its citations are made from; None when it gives none (its notes are
    #: then free text, as the April issue's are)
    sources: Sources | None = None

    @property
    def slug(self) -> str:
        """The name of the article's own files (offprint, JATS): its file's name, in ASCII."""
        return ascii_slug(self.source.stem) or self.key

    def line_of(self, needle: str) -> int | None:
        """The line of the file where ``needle`` first stands in the body (any case), if it does."""
        return line_of(self.body, needle, self.body_line)


@dataclass(frozen=True)
class CrossrefSettings:
    """What only the Crossref deposit needs (issue.yaml ``crossref:``)."""

    #: ``depositor``: who deposits (a name)
    depositor: str
    #: ``email``: where Crossref writes back
    email: str
    #: ``registrant``: the organisation that owns the DOIs
    registrant: str
    #: ``url``: each article's page on the web, with ``{slug}`` for the article's name
    url: str


@dataclass(frozen=True)
class IssueMeta:
    #: from ``magazine``; cover, running head, PDF /Title, EPUB ``dc:title``
    magazine: str
    #: from ``issue``, as printed (``Nisan 2025``); cover, running head, titles
    issue: str
    #: from ``date`` (ISO); PDF dates, EPUB ``dc:date`` and ``dcterms:modified``
    date: datetime.date
    #: from ``language`` (default ``tr``); ``lang`` of every document, PDF /Lang, ``dc:language``
    language: str = "tr"
    #: from ``number``; colophon
    number: str | None = None
    #: from ``volume``; colophon
    volume: str | None = None
    #: from ``issn``; colophon
    issn: str | None = None
    #: from ``eissn``; colophon, EPUB identifier later
    eissn: str | None = None
    #: from ``publisher``; colophon, EPUB ``dc:publisher``
    publisher: str | None = None
    #: from ``editors``; colophon
    editors: tuple[str, ...] = ()
    #: from ``licence``; colophon, EPUB ``dc:rights``
    licence: str | None = None
    #: from ``url``; colophon
    url: str | None = None
    #: from ``crossref``; the deposit (``dist/<slug>/crossref.xml``), none without it
    crossref: CrossrefSettings | None = None
    #: from ``notes``: ``endnotes`` (default) or ``footnotes``
    notes: str = "endnotes"
    #: from ``cover``: the cover picture, on the printed cover and as the EPUB's cover image
    cover: PictureEntry | None = None
    #: from ``page_multiple``: the print PDF is brought to a multiple of this many pages with
    #: blank pages before the colophon (1: as many pages as it takes)
    page_multiple: int = 1


@dataclass(frozen=True)
class Issue:
    meta: IssueMeta
    articles: tuple[Article, ...]
    #: the folder holding ``issue.yaml``; the renderers may read only below it and ``styles/``
    root: Path
    #: things worth telling the editor that do not stop the build (a byline with no name)
    warnings: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """``dis-bakis-2025-04``: the output files' stem."""
        return f"{ascii_slug(self.meta.magazine)}-{self.meta.date:%Y-%m}"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    #: the id in the HTML (ASCII, prefixed by the article key)
    anchor: str


@dataclass(frozen=True)
class Picture:
    """A picture of an article, as both outputs carry it."""

    #: the file in the manuscript
    source: Path
    #: its address in the article's HTML, the same in print and in the EPUB: ``images/a01-1.jpg``
    href: str
    #: ``image/jpeg``, ``image/png`` or ``image/svg+xml``
    media_type: str
    #: its size in pixels (``None`` for SVG, which has none)
    width: int | None = None
    height: int | None = None


def note_id(key: str, number: int) -> str:
    """The id of note ``number`` of article ``key`` (``a01-note-3``): the notes list's item,
    the page footnote, the EPUB's endnote; what a note call links to."""
    return f"{key}-note-{number}"


def note_call_id(key: str, number: int) -> str:
    """The id of the call of note ``number`` of article ``key`` (``a01-ref-3``): what the
    note's back-link leads to."""
    return f"{key}-ref-{number}"


@dataclass(frozen=True)
class JatsSource:
    """What an article's JATS is made from, kept until the JATS stage (which knows the
    page numbers) makes it: the article's final Pandoc AST as JSON (after the Turkish rules,
    its notes still in place, the bibliography lifted out), the bibliography's entries as
    JSON (Pandoc blocks), and each entry's reference data (a CSL item, or None)."""

    ast_json: str
    bibliography_json: str = "[]"
    structured: tuple[dict[str, Any] | None, ...] = ()


@dataclass(frozen=True)
class TypesetArticle:
    article: Article
    #: the body as an HTML fragment (XHTML-compatible): headings, paragraphs, note calls
    body_html: str
    #: the notes as a list of ``<li>`` fragments, in order, each with a back-link
    notes_html: tuple[str, ...]
    #: the exact HTML of each note call in ``body_html``, in order
    note_calls: tuple[str, ...] = ()
    #: each note's text as phrasing HTML (no paragraph, no back-link): a page footnote
    footnotes_html: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    #: every ``lang`` value the article uses (for checks and hyphenation)
    languages: frozenset[str] = field(default_factory=frozenset)
    #: what reading the article found worth telling (a note never called), with file and line
    warnings: tuple[str, ...] = ()
    #: the pictures of the article, in order: the lead photograph first, when there is one
    pictures: tuple[Picture, ...] = ()
    #: the lead photograph (one of ``pictures``)
    lead: Picture | None = None
    #: what the article's JATS is made from (``jats.jats_source``); the JATS stage alone
    #: reads it
    jats_source: JatsSource | None = None
    #: the bibliography (*Kaynakça*) as ``<li>`` fragments in Turkish alphabetical order:
    #: citeproc's entries and those an author listed under a *Kaynakça* heading
    bibliography_html: tuple[str, ...] = ()
    #: the heading over the notes: ``notes_title``, or *Notlar* beside a bibliography
    notes_title: str = ""

    @property
    def reference_texts(self) -> tuple[str, ...]:
        """The article's references as plain lines, as printed: the bibliography's entries,
        or the notes (less their numbers) where the notes are the *Kaynakça*. For the
        deposit's ``citation_list`` and the journal form's sheet."""
        entries = self.bibliography_html or self.notes_html
        texts = (" ".join(unescape(_TAG.sub("", _BREAK.sub(" ", entry))).split()) for entry in entries)
        if self.bibliography_html:
            return tuple(texts)
        return tuple(_NOTE_NUMBER.sub("", text) for text in texts)

    @property
    def content_html(self) -> str:
        """All the manuscript's text became, as HTML: the body, the notes, the bibliography."""
        return self.body_html + "".join(self.notes_html) + "".join(self.bibliography_html)


@dataclass(frozen=True)
class PageStart:
    """Where a page of the print edition begins, for the EPUB's page-list."""

    #: the page's label as printed (its folio; ``Kapak`` for the cover)
    label: str
    #: the id of the first element that begins on the page (or after it, for a page that
    #: begins none)
    anchor: str
    #: for a page that begins no element of its own (the end of a paragraph, a note): the
    #: id of the element it continues, and the text the page begins with, so the EPUB's
    #: marker can stand at that word
    inside: str = ""
    words: str = ""


@dataclass(frozen=True)
class PrintEdition:
    """What the EPUB takes from the print layout: where pages begin, and the cover."""

    pages: tuple[PageStart, ...]
    #: the cover page rendered as a JPEG
    cover_jpeg: bytes
    #: how the EPUB names the print edition (``pageBreakSource``)
    name: str


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    kind: str
    size: int
    #: pages for a PDF; documents for an EPUB; files for SHA256SUMS
    units: int
    #: what ``--check`` found, one line per check
    checks: tuple[str, ...] = ()


def issue_keywords(articles: tuple[TypesetArticle, ...]) -> list[str]:
    """Every article's keywords once, in Turkish alphabetical order: the issue's subjects in
    the PDF's metadata and the EPUB's package document alike."""
    keywords = {keyword for typeset in articles for keyword in typeset.article.meta.keywords}
    return sorted(keywords, key=collation_key)
