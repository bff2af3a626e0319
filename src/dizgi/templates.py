"""The Jinja2 templates of ``styles/templates``: the issue's HTML skeletons.

Autoescaping is on, so a title with ``&`` or ``<`` stays text; the filters give templates
Turkish case mapping and Turkish dates (T2, T11), never Python's or the locale's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import markupsafe

from dizgi import turkish
from dizgi.model import Article, Heading, TypesetArticle, note_id


@dataclass(frozen=True)
class ArticleEntry:
    """An article as the cover, the contents and the navigation list it."""

    article: Article
    #: where the article starts: ``#a01`` in the print issue, ``a01.xhtml`` in the EPUB
    href: str
    headings: tuple[Heading, ...] = ()
    #: the article's whole HTML, where the template sets it inline (the print issue)
    html: str = ""
    #: the heading over its notes, where the navigation lists them (empty: none listed)
    notes_title: str = ""
    #: whether it has a bibliography (*Kaynakça*) the navigation lists
    bibliography: bool = False

    @property
    def byline(self) -> str:
        return self.article.meta.byline


@cache
def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["upper_tr"] = turkish.upper
    env.filters["date_tr"] = _date_tr
    env.filters["linked"] = linked
    return env


#: a web address typed in front matter text; the punctuation closing a sentence is not its
_ADDRESS = re.compile(r"""https?://[^\s<>"]+?(?=[.,;:!?)»”’]*(?:\s|$))""")


def linked(text: str) -> markupsafe.Markup:
    """The text escaped, each web address in it a link (``class="uri"``, as Pandoc marks
    the body's): an address printed as plain text is a PDF/UA finding, and a reader of the
    EPUB cannot follow it. For front matter (an abstract, a bio, a note)."""
    parts, at = [], 0
    for match in _ADDRESS.finditer(text):
        address = match.group()
        parts += [markupsafe.escape(text[at : match.start()]),
                  markupsafe.Markup('<a href="{0}" class="uri">{0}</a>').format(address)]  # fmt: skip
        at = match.end()
    parts.append(markupsafe.escape(text[at:]))
    return markupsafe.Markup("").join(parts)


def _date_tr(day: datetime.date) -> str:
    return turkish.format_date(day)


def render(templates_dir: Path, name: str, **context: object) -> str:
    return environment(templates_dir).get_template(name).render(labels=turkish.LABELS, **context)


def render_article(templates_dir: Path, typeset: TypesetArticle, *, footnotes: bool = False) -> str:
    """One article's HTML: header, body, notes, credits; the same for print and EPUB.

    With ``footnotes``, each note's text takes the place of its call, in a span the print
    stylesheet floats to the foot of the page, and there is no notes list.
    """
    meta = typeset.article.meta
    body_html, notes_html = typeset.body_html, typeset.notes_html
    if footnotes:
        key = typeset.article.key
        for number, (call, note) in enumerate(
            zip(typeset.note_calls, typeset.footnotes_html, strict=True), 1
        ):
            footnote = f'<span class="footnote" id="{note_id(key, number)}" role="doc-footnote">{note}</span>'
            body_html = body_html.replace(call, footnote, 1)
        notes_html = ()
    return render(
        templates_dir,
        "article.html.j2",
        key=typeset.article.key,
        meta=meta,
        runhead=turkish.upper(meta.short_title),
        body_html=body_html,
        notes_html=notes_html,
        notes_title=typeset.notes_title or meta.notes_title,
        bibliography_html=typeset.bibliography_html,
        lead=typeset.lead,
        front_labels=turkish.FRONT_LABELS,
    )
