"""Read and validate ``issue.yaml`` and the articles it lists -> ``Issue``.

Every problem is reported with the file and the line it sits on, and unknown keys name
the nearest known one: an editor fixes a typo in seconds instead of reading a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dizgi.errors import ManuscriptError
from dizgi.model import (
    TO_FILL,
    Article,
    ArticleMeta,
    Author,
    CrossrefSettings,
    Issue,
    IssueMeta,
    PictureEntry,
    Sources,
    Translation,
)
from dizgi.textfiles import line_at, read_text
from dizgi.turkish import LABELS

ISSUE_REQUIRED = ("magazine", "issue", "date", "articles")
ISSUE_OPTIONAL = (
    "language", "number", "volume", "issn", "eissn", "publisher", "editors", "licence", "url",
    "notes", "cover", "page_multiple", "citation-style", "doi-pattern", "crossref",
)  # fmt: skip
CROSSREF_KEYS = ("depositor", "email", "registrant", "url")
ARTICLE_REQUIRED = ("title",)
ARTICLE_OPTIONAL = (
    "subtitle", "authors", "lang", "section", "keywords", "abstract", "photo_credit", "note",
    "notes_title", "image", "references", "bibliography",
    "title-en", "abstract-en", "keywords-en", "title-tr", "abstract-tr", "keywords-tr", "doi",
)  # fmt: skip
#: a DOI as Crossref registers them: ``10.`` and a registrant of 4–9 digits, ``/``, a suffix
_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
#: the fields a ``doi-pattern`` may use
DOI_FIELDS = ("year", "month", "volume", "number", "article")
#: the languages of a translated title, abstract and keywords (``title-en``, ``title-tr``)
TRANSLATION_LANGUAGES = ("en", "tr")
AUTHOR_KEYS = ("name", "affiliation", "orcid", "bio")
IMAGE_KEYS = ("file", "alt", "caption", "credit")
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def orcid_check_character(digits: str) -> str:
    """The check character of an ORCID iD (ISO 7064 MOD 11-2) from its first 15 digits."""
    total = 0
    for digit in digits.replace("-", ""):
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


_ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")


def issn_check_character(digits: str) -> str:
    """The check character of an ISSN (ISO 3297: MOD 11, weights 8 to 2) from its first 7
    digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(digits.replace("-", ""), range(8, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


NOTES_MODES = ("endnotes", "footnotes")
#: what a printer binds: a folded sheet is 4 pages, a forma (*forma*) 16
PAGE_MULTIPLES = (2, 4, 8, 16)
DEFAULT_NOTES_TITLE = LABELS["references"]
#: ``citation-style`` in issue.yaml: the styles in styles/csl/ (ISNAD 2 with notes that
#: cite is the magazine's practice)
CITATION_STYLES = ("isnad-dipnotlu", "isnad-metinici", "apa", "chicago-notes")
#: what a ``bibliography`` file may be, by its ending (Pandoc reads each)
BIBLIOGRAPHY_FORMATS = (".bib", ".json", ".yaml", ".yml")
#: issue dates dizgi takes (an old issue set again too); a date outside these is a typing
#: slip more often than an issue. Where a format cannot say so early a year (a zip entry:
#: 1980; a font's ``head``: 1904), the build says the earliest it can
FIRST_YEAR, LAST_YEAR = 1900, 2099

#: the longest text a one-line field may hold (a title, a name, a section), and a
#: paragraph field (``abstract``, ``note``): a field past these is a paste gone wrong, and
#: the layout's cost grows faster than a heading's length (a title is set on the cover, in
#: the contents, over the article and in the running heads)
MAX_LINE_FIELD = 300
MAX_PARAGRAPH_FIELD = 5000
#: the largest article file dizgi sets: some 60,000 words, three times the longest article
#: a journal takes. Layout time grows faster than an article's length (a 250 KB article
#: takes 25 times as long as a 25 KB one), so a pasted book is refused at once instead
#: of running for an hour
MAX_ARTICLE_BYTES = 400_000
#: fields of one paragraph, not one line
PARAGRAPH_FIELDS = frozenset({"abstract", "abstract-en", "abstract-tr", "note", "bio", "caption", "alt"})
#: characters that may not stand in an article's text: the C0 and C1 controls but tab and
#: line end (they come with text pasted from other programs, and XML refuses most of them)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_FRONT_MATTER_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True)
class _Mapping:
    """A YAML mapping with the line (1-based, in the whole file) of each of its keys."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    value_nodes: dict[str, yaml.Node]
    line: int
    path: Path
    line_offset: int

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def load_issue(manuscript_dir: Path) -> Issue:
    """Read ``manuscript_dir/issue.yaml`` and every article it lists."""
    issue_path = manuscript_dir / "issue.yaml"
    if issue_path.is_dir():
        raise ManuscriptError(
            "issue.yaml here is a folder, not a file",
            fix="replace the folder with the issue's issue.yaml file (see README: 'The manuscript')",
            path=issue_path,
        )
    if not issue_path.is_file():
        raise ManuscriptError(
            "there is no issue.yaml here",
            fix="point --manuscript at the folder that holds issue.yaml, or create it "
            "(see README: 'The manuscript')",
            path=issue_path,
        )
    issue_map = _parse_mapping(read_text(issue_path), issue_path, line_offset=0)
    _check_keys(issue_map, ISSUE_REQUIRED, ISSUE_OPTIONAL, "issue.yaml")

    meta = IssueMeta(
        magazine=_text(issue_map, "magazine"),
        issue=_text(issue_map, "issue"),
        date=_date(issue_map, "date"),
        language=_lang(issue_map, "language") or "tr",
        number=_optional_text(issue_map, "number"),
        volume=_optional_text(issue_map, "volume"),
        issn=_issn(issue_map, "issn"),
        eissn=_issn(issue_map, "eissn"),
        publisher=_optional_text(issue_map, "publisher"),
        editors=_text_list(issue_map, "editors"),
        licence=_optional_text(issue_map, "licence"),
        url=_optional_text(issue_map, "url"),
        notes=_choice(issue_map, "notes", NOTES_MODES) or "endnotes",
        cover=_picture_entry(issue_map, "cover"),
        page_multiple=_page_multiple(issue_map),
        crossref=_crossref(issue_map),
    )

    citation_style = _choice(issue_map, "citation-style", CITATION_STYLES) or CITATION_STYLES[0]
    doi_pattern = _optional_text(issue_map, "doi-pattern")
    articles: list[Article] = []
    warnings: list[str] = []
    entries = issue_map.values["articles"]
    node = issue_map.value_nodes["articles"]
    if not isinstance(entries, list) or not entries:
        raise ManuscriptError(
            "'articles' must be a list of article files",
            fix="list the articles in order, one per line: '  - articles/01-slug.md'",
            path=issue_path,
            line=issue_map.key_lines["articles"],
        )
    assert isinstance(node, yaml.SequenceNode)
    listed: dict[Path, int] = {}
    for index, (entry, entry_node) in enumerate(zip(entries, node.value, strict=True), start=1):
        line = issue_map.line_of(entry_node)
        if not isinstance(entry, str) or not entry.strip():
            raise ManuscriptError(
                f"article entry {index} is not a file path",
                fix="write the path of the article's Markdown file, relative to issue.yaml",
                path=issue_path,
                line=line,
            )
        if entry_node.end_mark.line > entry_node.start_mark.line and " - " in entry:
            raise ManuscriptError(
                "this line is indented deeper than the one above it, so YAML reads the two "
                f"article entries as one path ('{entry}')",
                fix="start every article's line with '- ' at the same indentation "
                "('  - articles/01-slug.md', two spaces)",
                path=issue_path,
                line=line + 1,
            )
        article_path = manuscript_dir / entry
        if not article_path.resolve().is_relative_to(manuscript_dir.resolve()):
            raise ManuscriptError(
                f"the article '{entry}' lies outside the manuscript folder",
                fix="copy it into the manuscript folder (e.g. articles/) and list it relative to issue.yaml",
                path=issue_path,
                line=line,
            )
        if article_path.is_dir():
            raise ManuscriptError(
                f"the article '{entry}' is a folder, not a file",
                fix="list the article's Markdown file (e.g. articles/01-slug.md), not its folder",
                path=issue_path,
                line=line,
            )
        if not article_path.is_file():
            raise ManuscriptError(
                f"the article '{entry}' does not exist",
                fix=f"create {article_path}, or correct the path (it is relative to issue.yaml)",
                path=issue_path,
                line=line,
            )
        first = listed.setdefault(article_path.resolve(), line)
        if first != line:
            raise ManuscriptError(
                f"the article '{entry}' is listed twice (first on line {first})",
                fix="list each article once; an article printed twice would also link to itself",
                path=issue_path,
                line=line,
            )
        article = load_article(
            article_path,
            key=f"a{index:02d}",
            default_lang=meta.language,
            citation_style=citation_style,
        )
        if article.meta.doi is None and doi_pattern is not None:
            article = _with_patterned_doi(article, doi_pattern, meta, index, issue_map)
        articles.append(article)
        warnings.extend(_still_to_fill(article_path))
        if any(author.name is None for author in article.meta.authors):
            warnings.append(
                f"{article_path}: a byline has no author name, only an affiliation; "
                "add 'name:' under 'authors:' when it is known"
            )
    return Issue(meta=meta, articles=tuple(articles), root=manuscript_dir, warnings=tuple(warnings))


_TO_FILL_LINE = re.compile(rf"^\s*(?:-\s*)?([\w-]+)\s*:\s*[\"']?({TO_FILL}\b[^\"'\n]*)")


def _still_to_fill(path: Path) -> list[str]:
    """A warning for each front-matter field ``python build.py import`` could not find in
    the Word file (written as ``DOLDURUN: …``), with its line."""
    lines = read_text(path).splitlines()
    fence = next((number for number, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
    return [
        f"{path}, line {number}: '{match.group(1)}' is still to be filled in ({match.group(2).strip()}): "
        "the import did not find it in the Word file"
        for number, line in enumerate(lines[1:fence], 2)
        if (match := _TO_FILL_LINE.match(line))
    ]


def load_article(
    path: Path, *, key: str, default_lang: str, citation_style: str = CITATION_STYLES[0]
) -> Article:
    """Split one article into its YAML front matter and its Markdown body, and validate both."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ManuscriptError(
            f"the article is {size / 1000:,.0f} KB; dizgi sets at most {MAX_ARTICLE_BYTES // 1000} KB "
            "(some 60,000 words) in one article",
            fix="split it into articles of their own (01a-…, 01b-…) and list each in issue.yaml",
            path=path,
        )
    lines = read_text(path).splitlines(keepends=True)
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]) or lines[0].startswith("..."):
        raise ManuscriptError(
            "the article does not start with YAML front matter",
            fix="begin the file with a line '---', then 'title: …', then another '---'",
            path=path,
            line=1,
        )
    closing = next(
        (number for number in range(1, len(lines)) if _FRONT_MATTER_FENCE.match(lines[number])),
        None,
    )
    if closing is None:
        raise ManuscriptError(
            "the front matter is never closed",
            fix="end the front matter with a line '---' before the article's text",
            path=path,
            line=1,
        )
    front = _parse_mapping("".join(lines[1:closing]), path, line_offset=1)
    _check_keys(front, ARTICLE_REQUIRED, ARTICLE_OPTIONAL, "an article's front matter")
    meta = ArticleMeta(
        title=_text(front, "title"),
        lang=_lang(front, "lang") or default_lang,
        notes_title=_optional_text(front, "notes_title") or DEFAULT_NOTES_TITLE,
        subtitle=_optional_text(front, "subtitle"),
        authors=_authors(front),
        section=_optional_text(front, "section"),
        keywords=_text_list(front, "keywords"),
        abstract=_optional_text(front, "abstract"),
        photo_credit=_optional_text(front, "photo_credit"),
        note=_optional_text(front, "note"),
        image=_picture_entry(front, "image"),
        translation=_translation(front, _lang(front, "lang") or default_lang),
        doi=_doi(front),
    )
    body = "".join(lines[closing + 1 :])
    control = _CONTROL.search(body)
    if control:
        raise ManuscriptError(
            f"a control character (U+{ord(control.group()):04X}) stands in the text",
            fix="delete it (it often comes with text pasted from another program)",
            path=path,
            line=line_at(body, control.start(), closing + 2),
        )
    return Article(
        meta=meta,
        source=path,
        body=body,
        body_line=closing + 2,
        key=key,
        sources=_sources(front, citation_style),
    )


class _AliasRefused(yaml.MarkedYAMLError):
    """A YAML alias, which manuscripts may not use."""


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, but a date that is no date (``2025-13-45``) stays text, so the
    key that holds it is named with its line instead of a traceback from the constructor."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Refuse an alias (``*name``): no manuscript needs one, and a few nested ones
        make a value of billions of items (the "billion laughs")."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasRefused(None, None, "an alias (*name) repeats another value", event.start_mark)
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _parse_mapping(text: str, path: Path, *, line_offset: int) -> _Mapping:
    """Parse YAML keeping each key's line, so later errors can point at it."""
    try:
        loader = _Loader(text)  # reads the whole text: a control character stops it here
    except yaml.reader.ReaderError as error:
        character = error.character if isinstance(error.character, int) else ord(error.character)
        raise ManuscriptError(
            f"a control character (U+{character:04X}) stands in the text; YAML does not allow it",
            fix="delete it (it often comes with text pasted from another program)",
            path=path,
            line=line_at(text, error.position, 1 + line_offset),
        ) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _AliasRefused as error:
        raise ManuscriptError(
            "a YAML alias (*name) stands here; dizgi takes none",
            fix="write the value out in full where it is needed",
            path=path,
            line=error.problem_mark.line + 1 + line_offset if error.problem_mark else None,
        ) from None
    except yaml.constructor.ConstructorError as error:
        tag = re.search(r"'tag:yaml.org,2002:([^']*)'|'(![^']*)'", str(error.problem))
        raise ManuscriptError(
            f"a YAML tag (!!{tag.group(1)}) stands here; dizgi takes none"
            if tag and tag.group(1)
            else f"this is not valid YAML: {error.problem}",
            fix="remove the tag and write the value as plain text",
            path=path,
            line=error.problem_mark.line + 1 + line_offset if error.problem_mark else None,
        ) from None
    except yaml.MarkedYAMLError as error:
        # An unclosed bracket or quote is noticed lines later: point at where it was opened.
        problem_line = error.problem_mark.line + 1 + line_offset if error.problem_mark else None
        context_line = error.context_mark.line + 1 + line_offset if error.context_mark else None
        if error.context and "block" in error.context and problem_line is not None:
            # A block is opened by its first line and broken by a line indented wrongly: that
            # line is the one to show (one space more or less than its neighbours).
            raise ManuscriptError(
                f"this line is not indented as the lines it belongs with (YAML: {error.problem})",
                fix="give it the same indentation as its neighbours, in spaces (a list item of "
                "'articles' is '  - articles/01-slug.md', two spaces); a tab never works",
                path=path,
                line=problem_line,
            ) from None
        problem = f"this is not valid YAML: {error.problem}"
        if context_line is not None and context_line != problem_line:
            problem += f" on line {problem_line}, {error.context} opened on this line"
        raise ManuscriptError(
            problem,
            fix="check the brackets, quotes and indentation on this line; "
            "a value holding ': ' or starting with a quote mark must be quoted whole",
            path=path,
            line=context_line or problem_line,
        ) from None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise ManuscriptError(
            "expected 'key: value' lines (a YAML mapping)",
            fix="write one 'key: value' per line, e.g. 'title: …'",
            path=path,
            line=1 + line_offset,
        )
    key_lines: dict[str, int] = {}
    value_nodes: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + line_offset
        if str(key_node.value) in key_lines:
            raise ManuscriptError(
                f"'{key_node.value}' is given twice (first on line {key_lines[str(key_node.value)]})",
                fix="keep one of the two lines; YAML would silently take the last",
                path=path,
                line=key_line,
            )
        key_lines[str(key_node.value)] = key_line
        value_nodes[str(key_node.value)] = value_node
    values = {str(key): value for key, value in data.items()}
    return _Mapping(values, key_lines, value_nodes, node.start_mark.line + 1 + line_offset, path, line_offset)


def _check_keys(mapping: _Mapping, required: tuple[str, ...], optional: tuple[str, ...], what: str) -> None:
    known = required + optional
    for key, line in mapping.key_lines.items():
        if key not in known:
            raise _unknown_key(key, known, f"The keys of {what} are", mapping.path, line)
    for key in required:
        if key not in mapping.values or mapping.values[key] in (None, ""):
            raise ManuscriptError(
                f"the required key '{key}' is missing",
                fix=f"add a line '{key}: …' ({what} needs {', '.join(required)})",
                path=mapping.path,
                line=mapping.line,
            )


def _unknown_key(key: str, known: tuple[str, ...], listing: str, path: Path, line: int) -> ManuscriptError:
    """An unknown key, with the nearest known one (a typo is the usual cause)."""
    nearest = difflib.get_close_matches(key, known, n=1, cutoff=0.0)[0]
    return ManuscriptError(
        f"unknown key '{key}'",
        fix=f"did you mean '{nearest}'? {listing}: {', '.join(known)}",
        path=path,
        line=line,
    )


def _type_error(mapping: _Mapping, key: str, expected: str, example: str) -> ManuscriptError:
    return ManuscriptError(
        f"'{key}' should be {expected}",
        fix=f"write it like this: {example}",
        path=mapping.path,
        line=mapping.key_lines[key],
    )


def _issn(mapping: _Mapping, key: str) -> str | None:
    """An ISSN, as journal systems and Crossref match the journal by it: its form and its
    check character."""
    value = _optional_text(mapping, key)
    if value is None:
        return None
    issn = value.upper().replace(" ", "")
    if len(issn) == 8 and "-" not in issn:
        issn = f"{issn[:4]}-{issn[4:]}"
    if not _ISSN.match(issn):
        raise ManuscriptError(
            f"'{value}' is not an ISSN",
            fix=f"write the eight characters in two groups: '{key}: 1234-5679'",
            path=mapping.path,
            line=mapping.key_lines[key],
        )
    expected = issn_check_character(issn[:-1])
    if issn[-1] != expected:
        raise ManuscriptError(
            f"the ISSN '{issn}' has a wrong check character: its last is '{issn[-1]}', "
            f"its first seven digits give '{expected}'",
            fix="copy the ISSN again from the ISSN portal record (portal.issn.org) or the printed issue: "
            "a digit is mistyped",
            path=mapping.path,
            line=mapping.key_lines[key],
        )
    return issn


def _optional_text(mapping: _Mapping, key: str) -> str | None:
    value = mapping.values.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _type_error(mapping, key, "a single line of text", f"{key}: …")
    return _limited(str(value).strip(), key, mapping.path, mapping.key_lines[key]) or None


#: Markdown that front matter would print as typed: a span with attributes
#: (``[…]{lang=en}``) and emphasis (``*…*``, ``**…**``)
_FRONT_MATTER_MARKUP = (
    (re.compile(r"\[[^\[\]]+\]\{[^{}]*\}"), "a span with attributes", "write the words without the brackets"),
    (
        re.compile(r"(?<![\w*])\*{1,2}(?=[^\s*])[^*]+(?<=[^\s*])\*{1,2}(?![\w*])"),
        "emphasis",
        "write the words without the asterisks",
    ),
)


#: the fields with a translation key (``title-en``), as the fix for a span names them
_TRANSLATED = {"title": "a title", "abstract": "an abstract"}


def _limited(text: str, key: str, path: Path, line: int) -> str:
    """``text``, unless it is longer than a ``key`` field may be, or holds Markdown that
    would print as typed (front matter is plain text: Pandoc never reads it)."""
    for pattern, kind, fix in _FRONT_MATTER_MARKUP:
        found = pattern.search(text)
        if found:
            translated = next(
                (
                    f"{word} in English as '{base}-en:'"
                    for base, word in _TRANSLATED.items()
                    if key.startswith(base)
                ),
                None,
            )
            raise ManuscriptError(
                f"'{key}' holds {kind}, '{found.group()}', which would print as typed: "
                "front matter is plain text, not Markdown",
                fix=(
                    f"give {translated}, beside this one; otherwise "
                    if translated and kind.startswith("a span")
                    else ""
                )
                + fix,
                path=path,
                line=line,
            )
    limit = MAX_PARAGRAPH_FIELD if key in PARAGRAPH_FIELDS else MAX_LINE_FIELD
    if len(text) > limit:
        kind = "an abstract or a note is a paragraph" if key in PARAGRAPH_FIELDS else "this is a line or two"
        raise ManuscriptError(
            f"'{key}' is {len(text):,} characters long; dizgi takes at most {limit:,} here",
            fix=f"shorten it ({kind}); the article's text belongs under the front matter",
            path=path,
            line=line,
        )
    return text


def _text(mapping: _Mapping, key: str) -> str:
    text = _optional_text(mapping, key)
    assert text is not None  # _check_keys made sure of it
    return text


def _text_list(mapping: _Mapping, key: str) -> tuple[str, ...]:
    value = mapping.values.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise _type_error(mapping, key, "a list of text items", f"{key}: [first, second]")
    line = mapping.key_lines[key]
    return tuple(_limited(str(item).strip(), key, mapping.path, line) for item in value if str(item).strip())


def _date(mapping: _Mapping, key: str) -> datetime.date:
    value = mapping.values[key]
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _type_error(mapping, key, "a date in ISO form", f"{key}: 2025-04-01") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _type_error(mapping, key, f"a date between {FIRST_YEAR} and {LAST_YEAR}", f"{key}: 2025-04-01")
    return day


def _lang(mapping: _Mapping, key: str) -> str | None:
    value = _optional_text(mapping, key)
    if value is not None and not _LANG_TAG.match(value):
        raise _type_error(mapping, key, "a language tag such as 'tr' or 'en'", f"{key}: tr")
    return value


def _page_multiple(mapping: _Mapping) -> int:
    """``page_multiple``: the number of pages the print PDF comes to a multiple of (1: any)."""
    value = mapping.values.get("page_multiple")
    if value is None:
        return 1
    if isinstance(value, bool) or value not in PAGE_MULTIPLES:
        raise _type_error(
            mapping, "page_multiple", f"one of {', '.join(map(str, PAGE_MULTIPLES))}", "page_multiple: 4"
        )
    return int(value)


def _choice(mapping: _Mapping, key: str, choices: tuple[str, ...]) -> str | None:
    value = _optional_text(mapping, key)
    if value is not None and value not in choices:
        raise _type_error(mapping, key, f"one of {', '.join(choices)}", f"{key}: {choices[0]}")
    return value


def _doi(front: _Mapping) -> str | None:
    """The article's DOI, as ``10.12345/abc`` (a ``https://doi.org/`` or ``doi:`` before it
    is taken off)."""
    value = _optional_text(front, "doi")
    if value is None:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.IGNORECASE)
    if not _DOI.match(doi):
        raise ManuscriptError(
            f"'{value}' is not a DOI",
            fix="write it as Crossref gave it: 10., the prefix's digits, /, the suffix: 10.12345/db.2025.1",
            path=front.path,
            line=front.key_lines["doi"],
        )
    return doi


def _with_patterned_doi(
    article: Article, pattern: str, meta: IssueMeta, index: int, issue_map: _Mapping
) -> Article:
    """The article with the DOI ``doi-pattern`` gives it (``{year}``, ``{month}``,
    ``{volume}``, ``{number}``: the issue's; ``{article}``: its place in the issue, 1, 2 …)."""
    fields = {
        "year": meta.date.year,
        "month": meta.date.month,
        "volume": meta.volume or "",
        "number": meta.number or "",
        "article": index,
    }
    line = issue_map.key_lines["doi-pattern"]
    try:
        doi = pattern.format_map(fields)
    except (KeyError, ValueError, IndexError) as error:
        raise ManuscriptError(
            f"the doi-pattern cannot be filled in ({error})",
            fix="use only "
            + ", ".join("{" + name + "}" for name in DOI_FIELDS)
            + " in it, e.g. 10.12345/db.{year}.{article:02d}",
            path=issue_map.path,
            line=line,
        ) from None
    if not _DOI.match(doi):
        raise ManuscriptError(
            f"the doi-pattern gives '{doi}', which is not a DOI",
            fix="begin it with 10., the prefix's digits and /: 10.12345/db.{year}.{article:02d}",
            path=issue_map.path,
            line=line,
        )
    return dataclasses.replace(article, meta=dataclasses.replace(article.meta, doi=doi))


def _translation(front: _Mapping, lang: str) -> Translation | None:
    """The title, abstract and keywords in the article's other language, if it gives them:
    ``-en`` for a Turkish article, ``-tr`` for an English one (an article in a third
    language takes either, not both)."""
    given = [key for key in front.values if "-" in key and key.rpartition("-")[2] in TRANSLATION_LANGUAGES]
    if not given:
        return None
    base = lang.split("-")[0]
    endings = sorted({key.rpartition("-")[2] for key in given})
    other = (
        next((code for code in TRANSLATION_LANGUAGES if code != base), "en")
        if base in TRANSLATION_LANGUAGES
        else endings[0]
    )
    for key in given:
        if not key.endswith(f"-{other}"):
            field = key.rpartition("-")[0]
            own = base in TRANSLATION_LANGUAGES
            raise ManuscriptError(
                f"'{key}' gives the article's {field} in its own language ({lang})"
                if own
                else f"'{key}' is a second translation: the article gives '{field}-{other}' too",
                fix=f"write it as '{field}', or in the other language as '{field}-{other}'"
                if own
                else "give the title, abstract and keywords in one other language",
                path=front.path,
                line=front.key_lines[key],
            )
    translation = Translation(
        lang=other,
        title=_optional_text(front, f"title-{other}"),
        abstract=_optional_text(front, f"abstract-{other}"),
        keywords=_text_list(front, f"keywords-{other}"),
    )
    return translation if translation.title or translation.abstract or translation.keywords else None


def _sources(front: _Mapping, style: str) -> Sources | None:
    """The article's references (``references``, ``bibliography``), or None if it gives none."""
    entries = front.values.get("references")
    if entries is not None and (
        not isinstance(entries, list)
        or not all(isinstance(entry, dict) and entry.get("id") for entry in entries)
    ):
        raise _type_error(
            front,
            "references",
            "a list of references, each with an 'id' you cite it by",
            "\n  - id: inalcik2003\n    type: book\n    title: …",
        )
    files = front.values.get("bibliography")
    if isinstance(files, str):
        files = [files]
    if files is not None and (
        not isinstance(files, list) or not all(isinstance(file, str) for file in files)
    ):
        raise _type_error(
            front, "bibliography", "a file name, or a list of them", "bibliography: kaynaklar.bib"
        )
    paths = tuple(front.path.parent / file for file in files or [])
    for file, path in zip(files or [], paths, strict=True):
        if path.suffix.lower() not in BIBLIOGRAPHY_FORMATS:
            raise ManuscriptError(
                f"the bibliography '{file}' is not a file dizgi reads",
                fix="give a BibTeX (.bib), CSL JSON (.json) or CSL YAML (.yaml) file; "
                "Zotero exports each (File, Export Library)",
                path=front.path,
                line=front.key_lines["bibliography"],
            )
        if not path.is_file():
            raise ManuscriptError(
                f"the bibliography '{file}' does not exist",
                fix=f"put it at {path}, or correct the name (it is relative to the article's file)",
                path=front.path,
                line=front.key_lines["bibliography"],
            )
    if not entries and not paths:
        return None
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in paths)).hexdigest()
    return Sources(
        style=style,
        references_yaml=yaml.safe_dump({"references": entries}, allow_unicode=True) if entries else "",
        bibliography=paths,
        bibliography_digest=digest,
    )


def _authors(front: _Mapping) -> tuple[Author, ...]:
    value = front.values.get("authors")
    if value is None:
        return ()
    node = front.value_nodes["authors"]
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        raise _type_error(front, "authors", "a list", "authors:\n    - name: Ad Soyad")
    authors = []
    for item, item_node in zip(value, node.value, strict=True):
        line = front.line_of(item_node)
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode | yaml.ScalarNode):
            raise ManuscriptError(
                "an author should be 'name:', 'affiliation:' and 'orcid:' lines",
                fix="write '- name: Ad Soyad' and, indented under it, 'affiliation: …'",
                path=front.path,
                line=line,
            )
        if isinstance(item_node, yaml.MappingNode):
            for key_node, _ in item_node.value:
                key = str(key_node.value)
                if key not in AUTHOR_KEYS:
                    raise _unknown_key(key, AUTHOR_KEYS, "An author has", front.path, front.line_of(key_node))
        fields: dict[str, str | None] = {}
        for key in AUTHOR_KEYS:
            raw = item.get(key)
            if isinstance(raw, list | dict | bool):
                raise ManuscriptError(
                    f"an author's '{key}' should be a single line of text",
                    fix=f"give each author an entry of its own: '- {key}: …'",
                    path=front.path,
                    line=line,
                )
            fields[key] = _limited(str(raw).strip(), key, front.path, line) if raw not in (None, "") else None
        if fields["name"] is None and fields["affiliation"] is None:
            raise ManuscriptError(
                "an author has neither a name nor an affiliation",
                fix="give 'name:' or 'affiliation:' (or both), or remove the entry",
                path=front.path,
                line=line,
            )
        orcid = fields["orcid"]
        if orcid is not None:
            orcid = orcid.removeprefix("https://orcid.org/").removeprefix("http://orcid.org/")
            if not _ORCID.match(orcid):
                raise ManuscriptError(
                    f"'{fields['orcid']}' is not an ORCID iD",
                    fix="write the sixteen-digit iD in four groups: 'orcid: 0000-0002-1825-0097'",
                    path=front.path,
                    line=line,
                )
            if orcid[-1] != orcid_check_character(orcid[:-1]):
                raise ManuscriptError(
                    f"the ORCID iD '{orcid}' has a wrong check character: its last is "
                    f"'{orcid[-1]}', its first fifteen digits give '{orcid_check_character(orcid[:-1])}'",
                    fix="copy the iD again from the author's ORCID record (orcid.org): a digit is mistyped",
                    path=front.path,
                    line=line,
                )
        authors.append(Author(fields["name"], fields["affiliation"], orcid, fields["bio"]))
    return tuple(authors)


def _crossref(issue_map: _Mapping) -> CrossrefSettings | None:
    """issue.yaml's ``crossref:`` block: depositor, email, registrant and the articles' url."""
    value = issue_map.values.get("crossref")
    if value is None:
        return None
    line = issue_map.key_lines["crossref"]
    example = (
        "crossref:\n    depositor: Dış Bakış\n    email: editor@example.org\n    registrant: Dış Bakış\n"
        "    url: https://example.org/2025-04/{slug}"
    )
    if not isinstance(value, dict):
        raise _type_error(issue_map, "crossref", "a mapping of depositor, email, registrant and url", example)
    for key in value:
        if key not in CROSSREF_KEYS:
            raise _unknown_key(str(key), CROSSREF_KEYS, "'crossref' has", issue_map.path, line)
    fields = {key: str(value.get(key) or "").strip() for key in CROSSREF_KEYS}
    missing = [key for key in CROSSREF_KEYS if not fields[key]]
    if missing:
        raise ManuscriptError(
            f"'crossref' has no '{missing[0]}'",
            fix="give all four, indented under 'crossref:': " + ", ".join(CROSSREF_KEYS),
            path=issue_map.path,
            line=line,
        )
    if "{slug}" not in fields["url"] or not fields["url"].startswith(("https://", "http://")):
        raise ManuscriptError(
            f"the crossref url '{fields['url']}' does not say where each article's page is",
            fix="write the web address of an article's page with {slug} for its name: "
            "https://example.org/2025-04/{slug}",
            path=issue_map.path,
            line=line,
        )
    return CrossrefSettings(**fields)


def _picture_entry(front: _Mapping, name: str) -> PictureEntry | None:
    """A picture's mapping (an article's ``image:``, the issue's ``cover:``): file, alt text,
    caption and credit."""
    value = front.values.get(name)
    if value is None:
        return None
    line = front.key_lines[name]
    example = f"{name}:\n    file: images/toren.jpg\n    alt: Bakü’de bir tören"
    if not isinstance(value, dict):
        raise _type_error(front, name, "a mapping of file, alt, caption and credit", example)
    for key in value:
        if key not in IMAGE_KEYS:
            raise _unknown_key(str(key), IMAGE_KEYS, f"'{name}' has", front.path, line)
    fields: dict[str, str | None] = {}
    for key in IMAGE_KEYS:
        raw = value.get(key)
        if isinstance(raw, list | dict | bool):
            raise _type_error(front, name, f"a mapping whose '{key}' is one line of text", example)
        fields[key] = _limited(str(raw).strip(), key, front.path, line) if raw not in (None, "") else None
    for required in ("file", "alt"):
        if fields[required] is None:
            raise ManuscriptError(
                f"the picture '{name}' has no '{required}'",
                fix=f"give the picture's file and what it shows, indented under '{name}:': "
                "'file: images/toren.jpg' and 'alt: Bakü’de bir tören'",
                path=front.path,
                line=line,
            )
    return PictureEntry(str(fields["file"]), str(fields["alt"]), fields["caption"], fields["credit"], line)
