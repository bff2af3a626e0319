"""The Turkish rules (T1, T3–T6) on every string of the front matter and issue.yaml: titles,
subtitles, sections, abstracts, keywords, names, affiliations, bios, captions and credits,
notes. These reach the cover, the contents, the running heads, the PDF's Info and XMP and
the EPUB's package document and navigation, so they are set once, here, right after the
manuscript is read; the article bodies go through ``typography`` with Pandoc's AST.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dizgi.errors import ManuscriptError
from dizgi.model import Article, ArticleMeta, Author, Issue, IssueMeta, PictureEntry, Translation
from dizgi.textfiles import read_text
from dizgi.typography import Change, LineFinder, typeset_text


class _Setter:
    """Sets strings of one file in one language, keeping each change with its line."""

    def __init__(self, path: Path, lang: str):
        self.path = path
        self.lang = lang
        self.changes: list[tuple[Path, Change]] = []
        self._find: LineFinder | None = None

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        result, found = typeset_text(text, self.lang)
        self.changes.extend(
            (self.path, Change(rule, self._line(before), before, after)) for rule, before, after in found
        )
        return result

    def _line(self, before: str) -> int | None:
        """The line of the file holding the changed text (the front matter is read again:
        the loaded values do not keep their lines)."""
        if self._find is None:
            try:
                text = read_text(self.path)
            except (OSError, ManuscriptError):
                text = ""
            self._find = LineFinder(text, 1)
        return self._find(before)

    def picture(self, entry: PictureEntry | None) -> PictureEntry | None:
        if entry is None:
            return None
        return dataclasses.replace(
            entry, alt=self(entry.alt) or entry.alt, caption=self(entry.caption), credit=self(entry.credit)
        )


def typeset_metadata(issue: Issue) -> tuple[Issue, tuple[tuple[Path, Change], ...]]:
    """The issue with the Turkish rules applied to every string it sets; and each change
    with its file."""
    meta = issue.meta
    setter = _Setter(issue.root / "issue.yaml", meta.language)
    issue_meta: IssueMeta = dataclasses.replace(
        meta,
        magazine=setter(meta.magazine) or meta.magazine,
        issue=setter(meta.issue) or meta.issue,
        publisher=setter(meta.publisher),
        editors=tuple(setter(editor) or editor for editor in meta.editors),
        cover=setter.picture(meta.cover),
    )
    changes = list(setter.changes)
    articles = []
    for article in issue.articles:
        typeset, found = _typeset_article_meta(article)
        articles.append(typeset)
        changes.extend(found)
    return dataclasses.replace(issue, meta=issue_meta, articles=tuple(articles)), tuple(changes)


def _typeset_article_meta(article: Article) -> tuple[Article, list[tuple[Path, Change]]]:
    meta = article.meta
    setter = _Setter(article.source, meta.lang)
    typeset: ArticleMeta = dataclasses.replace(
        meta,
        title=setter(meta.title) or meta.title,
        notes_title=setter(meta.notes_title) or meta.notes_title,
        subtitle=setter(meta.subtitle),
        authors=tuple(
            Author(setter(author.name), setter(author.affiliation), author.orcid, setter(author.bio))
            for author in meta.authors
        ),
        section=setter(meta.section),
        keywords=tuple(setter(keyword) or keyword for keyword in meta.keywords),
        abstract=setter(meta.abstract),
        photo_credit=setter(meta.photo_credit),
        note=setter(meta.note),
        image=setter.picture(meta.image),
        translation=_typeset_translation(meta.translation, article.source),
    )
    return dataclasses.replace(article, meta=typeset), setter.changes


def _typeset_translation(translation: Translation | None, source: Path) -> Translation | None:
    """The translation set by the rules of its own language (T1: an English title keeps its
    straight apostrophes' English reading, its quotes English)."""
    if translation is None:
        return None
    setter = _Setter(source, translation.lang)
    return dataclasses.replace(
        translation,
        title=setter(translation.title),
        abstract=setter(translation.abstract),
        keywords=tuple(setter(keyword) or keyword for keyword in translation.keywords),
    )
