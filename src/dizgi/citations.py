"""Citations and the bibliography: what Pandoc's citeproc is given, and what dizgi takes
back from it.

An article that gives references (front matter ``references`` or ``bibliography``) is read
by Pandoc with ``--citeproc`` in the issue's style (``styles/csl/``): each citation
(``[@key, s. 12]``) becomes its text, and in a note style (ISNAD with notes, Chicago) a
note of its own; the bibliography comes back as a ``Div`` (``#refs``). dizgi lifts that
out of the body, with any section the author wrote under a *Kaynakça* heading, and sets
them as one list: the article's *Kaynakça*.

Where citeproc is wrong for Turkish, this module corrects it: it sorts by the Unicode
code point (*İnalcık, İpek* before *Irmak*, *Ilgaz, İnalcık, Işık*), so the entries are
sorted again by the Turkish alphabet (T12), keeping citeproc's order where the first
names are the same.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypandoc
import yaml

from dizgi.model import Article
from dizgi.pandoc_ast import elements, stringify
from dizgi.turkish import LABELS, collation_key, lower

#: the locale citeproc writes in, by the article's language
_LOCALES = {"tr": "tr-TR", "en": "en-US", "de": "de-DE", "fr": "fr-FR", "ru": "ru-RU", "az": "az-AZ"}
#: headings under which an author lists the sources by hand (compared in Turkish lower case)
BIBLIOGRAPHY_HEADINGS = frozenset(
    {"kaynakça", "kaynaklar", "kaynakca", "bibliyografya", "references", "bibliography"}
)
_MISSING = re.compile(r"Citeproc: citation (\S+) not found")
#: a reference's ``language`` as Zotero and BibTeX write it, when it is a name, not a code
_LANGUAGE_NAMES = {
    "english": "en", "turkish": "tr", "russian": "ru", "german": "de", "french": "fr", "arabic": "ar",
    "persian": "fa", "azerbaijani": "az", "ingilizce": "en", "türkçe": "tr", "rusça": "ru",
}  # fmt: skip


@contextmanager
def pandoc_arguments(article: Article, csl_dir: Path) -> Iterator[tuple[str, ...]]:
    """What Pandoc's reader is given to set the article's citations (none when it gives no
    references); the references go through a metadata file, removed afterwards."""
    sources = article.sources
    if sources is None:
        yield ()
        return
    locale = _LOCALES.get(article.meta.lang.split("-")[0], article.meta.lang)
    style = style_file(csl_dir, sources.style, article.meta.lang)
    arguments = ["--citeproc", "--csl", str(style), "--metadata", f"lang={locale}"]
    for bibliography in sources.bibliography:
        arguments += ["--bibliography", str(bibliography)]
    if not sources.references_yaml:
        yield tuple(arguments)
        return
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", encoding="utf-8", prefix="dizgi-references-"
    ) as file:
        file.write(sources.references_yaml)
        file.flush()
        yield (*arguments, "--metadata-file", file.name)


def style_file(csl_dir: Path, style: str, lang: str) -> Path:
    """The CSL file of ``style`` for an article in ``lang``: the style's variant for that
    language where one ships (``apa.tr.csl``: APA's month and day in Turkish order, which no
    locale reaches), else the style itself."""
    variant = csl_dir / f"{style}.{lang.split('-')[0]}.csl"
    return variant if variant.is_file() else csl_dir / f"{style}.csl"


#: styles that sort the sources within a citation (APA: by author, then year). citeproc
#: sorts them by code point (*İnalcık* before *Irmak*), so ``tools/csl/ship_styles.py`` takes
#: the sort out of the style and ``sort_citations`` does it, by the Turkish alphabet
SORTED_CITATIONS = frozenset({"apa"})


def sorts_citations(article: Article) -> bool:
    return article.sources is not None and article.sources.style in SORTED_CITATIONS


def sort_citations(ast: dict[str, Any], items: dict[str, dict[str, Any]]) -> None:
    """Put the sources of each citation of several in the style's order by the Turkish
    alphabet, before citeproc sets them: author (all names up to two, the first of three or
    more, as APA's ``author-sort``; a title where there is none), then date."""
    for node in elements(ast["blocks"]):
        if node.get("t") == "Cite" and len(node["c"][0]) > 1:
            node["c"][0].sort(key=lambda citation: _citation_key(items.get(citation["citationId"])))


def _citation_key(item: dict[str, Any] | None) -> tuple[tuple[tuple[int, str], ...], str]:
    if item is None:  # an unknown key: citeproc names it where it stands
        return (), ""
    names = [name for name in item.get("author") or item.get("editor") or [] if isinstance(name, dict)]
    if names:
        used = names if len(names) < 3 else names[:1]
        text = " ".join(
            f"{name.get('family') or name.get('literal') or ''} {name.get('given') or ''}" for name in used
        )
    else:
        text = str(item.get("title") or "")
    return collation_key(text), _date_text(item.get("issued"))


def _date_text(issued: Any) -> str:
    """A CSL date as text that sorts in time: ``2019-03-05``, ``2003``; none sorts first (as
    APA's *t.y.*)."""
    if isinstance(issued, dict):
        parts = (issued.get("date-parts") or [[]])[0]
        return "-".join(
            f"{int(part):04d}" if number == 0 else f"{int(part):02d}" for number, part in enumerate(parts)
        )
    return str(issued or "")


def reference_items(article: Article) -> dict[str, dict[str, Any]]:
    """The article's references as CSL items, by key: the front matter's ``references`` and
    the bibliography files (read by Pandoc as CSL JSON)."""
    sources = article.sources
    if sources is None:
        return {}
    entries: list[dict[str, Any]] = []
    if sources.references_yaml:
        entries += yaml.safe_load(sources.references_yaml).get("references") or []
    for file in sources.bibliography:
        if not file.is_file():
            continue  # the manuscript's check names it
        stat = file.stat()
        entries += json.loads(_bibliography_json(str(file), stat.st_mtime_ns, stat.st_size))
    return {str(entry.get("id")): entry for entry in entries if isinstance(entry, dict)}


@functools.lru_cache(maxsize=64)
def _bibliography_json(file: str, mtime_ns: int, size: int) -> str:
    """A bibliography file as CSL JSON, read by Pandoc once per version of the file (the
    convert stage and the JATS both ask; ``--watch`` sees a saved file anew)."""
    try:
        output = subprocess.run(
            [pypandoc.get_pandoc_path(), file, "--to", "csljson"], capture_output=True, check=True
        ).stdout.decode()
        json.loads(output)
    except (subprocess.CalledProcessError, json.JSONDecodeError, UnicodeDecodeError):
        return "[]"  # citeproc names what it cannot read
    return output


def reference_languages(article: Article, items: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Each reference (of ``items``) in another language than the article's: its key ->
    (language, title); a BibTeX entry's ``langid`` or ``language`` is its ``language``."""
    own = article.meta.lang.split("-")[0].lower()
    found = {}
    for key, entry in items.items():
        language = str(entry.get("language") or "").strip()
        title = entry.get("title")
        if language and isinstance(title, str) and language.split("-")[0].lower() != own:
            found[key] = (_LANGUAGE_NAMES.get(language.lower(), language), title)
    return found


def mark_title_languages(ast: dict[str, Any], languages: dict[str, tuple[str, str]]) -> None:
    """Each title of a reference in another language, where citeproc set it (a citation, a
    bibliography entry), marked with that language (``lang`` in both outputs): citeproc
    writes no language, so an English title was hyphenated and read as Turkish."""
    if not languages:
        return

    def mark(inlines: list[Any], keys: list[str]) -> None:
        for key in keys:
            if key in languages:
                _mark_title(inlines, *languages[key])

    for node in elements(ast["blocks"]):
        if node.get("t") == "Cite":
            mark(node["c"][1], [citation["citationId"] for citation in node["c"][0]])
        elif node.get("t") == "Div" and node["c"][0][0].startswith("ref-"):
            mark(node["c"][1], [node["c"][0][0].removeprefix("ref-")])


def _mark_title(inlines: Any, lang: str, title: str) -> bool:
    """Give the first inline whose text is ``title`` (in any case: a style may title-case
    it) the language ``lang``: a span's attributes, or a span around it."""
    wanted = " ".join(title.split()).casefold()
    if isinstance(inlines, dict):
        inlines = [inlines]
    if not isinstance(inlines, list):
        return False
    for index, node in enumerate(inlines):
        if not isinstance(node, dict) or node.get("t") not in (
            "Span",
            "Quoted",
            "Emph",
            "Strong",
            "Para",
            "Plain",
        ):
            if (
                isinstance(node, dict)
                and isinstance(node.get("c"), list)
                and _mark_title(node["c"], lang, title)
            ):
                return True
            continue
        text = " ".join(stringify([node]).strip("“”\"'‘’").split()).casefold()
        if text == wanted and node["t"] not in ("Para", "Plain"):
            if node["t"] == "Span":
                attributes = node["c"][0][2]
                attributes[:] = [pair for pair in attributes if pair[0] != "lang"] + [["lang", lang]]
            else:
                inlines[index] = {"t": "Span", "c": [["", [], [["lang", lang]]], [node]]}
            return True
        if _mark_title(node.get("c"), lang, title):
            return True
    return False


def missing_reference(warning: str, article: Article) -> str | None:
    """Pandoc's warning for a citation of a key no reference has, in the file's words."""
    match = _MISSING.search(warning)
    if match is None:
        return None
    key = match.group(1)
    line = article.line_of(f"@{key}")
    where = f"{article.source}, line {line}" if line else str(article.source)
    return (
        f"{where}: the citation @{key} names no reference; it is printed as '{key}?': "
        f"add a reference with 'id: {key}' (front matter 'references', or the bibliography file), "
        "or correct the key"
    )


def lift_bibliography(blocks: list[Any]) -> tuple[list[Any], tuple[list[Any], ...], tuple[str, ...]]:
    """``blocks`` without the bibliography, its entries (each a list of blocks) sorted by
    the Turkish alphabet, and each entry's reference key ("" for one typed by hand):
    citeproc's (the ``#refs`` div) and what an author listed by hand under a *Kaynakça*
    heading (a list's items, or paragraphs, up to the next heading of its level). A section
    holding anything else (a table, a sub-heading) is left as the author wrote it."""
    kept: list[Any] = []
    entries: list[tuple[str, list[Any]]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            entries += [
                (entry["c"][0][0].removeprefix("ref-"), entry["c"][1])
                for entry in block["c"][1]
                if entry["t"] == "Div"
            ]
            index += 1
            continue
        if block["t"] == "Header" and lower(stringify(block["c"][2])).strip(" :.") in BIBLIOGRAPHY_HEADINGS:
            end = next(
                (
                    at
                    for at in range(index + 1, len(blocks))
                    if blocks[at]["t"] == "Header" and blocks[at]["c"][0] <= block["c"][0]
                ),
                len(blocks),
            )
            section = blocks[index + 1 : end]
            if all(part["t"] in _LISTED for part in section):
                for part in section:
                    if part["t"] in ("Para", "Plain"):
                        entries.append(("", [part]))
                    else:
                        entries += [
                            ("", item) for item in (part["c"] if part["t"] == "BulletList" else part["c"][1])
                        ]
                index = end
                continue
        kept.append(block)
        index += 1
    ordered = sorted(entries, key=lambda entry: _sort_key(entry[1]))
    return kept, tuple(blocks for _, blocks in ordered), tuple(key for key, _ in ordered)


#: what a hand-made *Kaynakça* section may hold to be taken as one
_LISTED = frozenset({"Para", "Plain", "BulletList", "OrderedList"})


def references_div(entries: tuple[list[Any], ...]) -> dict[str, Any]:
    """The entries as citeproc's bibliography ``Div``, which Pandoc's JATS writer makes a
    ``ref-list`` of (a ``ref`` and ``mixed-citation`` each)."""
    return {
        "t": "Div",
        "c": [
            ["refs", ["references", "csl-bib-body"], []],
            [
                {"t": "Div", "c": [[f"ref-{number}", ["csl-entry"], []], entry]}
                for number, entry in enumerate(entries, 1)
            ],
        ],
    }


def _sort_key(entry: list[Any]) -> tuple[tuple[int, str], ...]:
    """An entry's place by the Turkish alphabet: its text up to the first comma or full
    stop (the first author's family name, or a title where there is no author). Python's
    sort is stable: entries with the same first name keep citeproc's order (by year, title)."""
    text = stringify(entry).strip()
    return collation_key(re.split(r"[,.]", text, maxsplit=1)[0])


def notes_title(article: Article, has_bibliography: bool) -> str:
    """The heading over the notes: the article's ``notes_title``, or *Notlar* where the
    sources have a *Kaynakça* of their own (T13: two sections are never both *Kaynakça*)."""
    title = article.meta.notes_title
    if has_bibliography and lower(title) in BIBLIOGRAPHY_HEADINGS:
        return LABELS["notes"]
    return title
