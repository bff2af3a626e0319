"""``python build.py import FILE…``: an author's Word (``.docx``) or OpenDocument (``.odt``)
file becomes an article of the manuscript, ``articles/NN-slug.md``, in the Markdown the README
teaches, its pictures in ``images/`` and its line in ``issue.yaml``.

Pandoc's readers do the text (headings, notes, lists, quotes, tables, emphasis, pictures,
Zotero and Mendeley citations); ``wordpackage`` reads what they drop (tracked changes and
comments, the pictures' descriptions, passages in other languages, an ``.odt``'s paragraph
styles, what Markdown cannot hold). The front matter comes from the paragraph styles an
author or a journal template uses (*Title*, *Subtitle*, *Author*, *Öz*, *Abstract*,
*Anahtar Kelimeler*, *Keywords* and their common spellings) or from paragraphs that begin
so (``Öz:``, ``Keywords:``); what is not found is written as ``DOLDURUN: …``, which the
build names until it is filled in. A file with changes nobody accepted is refused with a
list of them; comments never reach the article; nothing is overwritten without ``force``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from dizgi import wordpackage
from dizgi.errors import ManuscriptError
from dizgi.model import TO_FILL
from dizgi.pandoc_ast import elements, unwrapped
from dizgi.pandoc_process import run_pandoc
from dizgi.textfiles import read_text
from dizgi.turkish import ascii_slug

#: a paragraph style (lower case) -> the front-matter field its text fills (in a Turkish
#: article; an English one swaps the languages)
STYLE_FIELDS = {
    "title": "title", "başlık": "title", "makale başlığı": "title",
    "subtitle": "subtitle", "alt başlık": "subtitle",
    "author": "author", "yazar": "author", "authors": "author", "yazarlar": "author",
    "affiliation": "affiliation", "kurum": "affiliation", "author affiliation": "affiliation",
    "öz": "abstract", "özet": "abstract", "oz": "abstract", "ozet": "abstract",
    "abstract": "abstract-en", "summary": "abstract-en",
    "anahtar kelimeler": "keywords", "anahtar sözcükler": "keywords", "anahtar kelime": "keywords",
    "keywords": "keywords-en", "key words": "keywords-en",
}  # fmt: skip
#: a paragraph that begins with one of these (and a colon) fills the field, in any style
_LEADS = re.compile(
    r"^(?P<lead>öz|özet|abstract|anahtar kelimeler|anahtar sözcükler|keywords|key words)\s*[:.]\s*", re.I
)
#: paragraph styles of captions (lower case), and a caption's usual beginning
CAPTION_STYLES = frozenset(
    ("caption", "table", "figure", "image caption", "table caption", "illustration", "drawing",
     "şekil", "tablo", "resim yazısı", "açıklama")
)  # fmt: skip
_CAPTION_LEAD = re.compile(r"^(tablo|table|şekil|figure|resim|harita|grafik|fotoğraf)\s*\d+\s*[:.–-]", re.I)
#: the Markdown the README teaches: the author's own quotes and apostrophes (no ``smart``),
#: no raw HTML, tables as pipe tables
_MARKDOWN = "markdown-smart-raw_html-raw_attribute-simple_tables-multiline_tables"
#: the front matter's keys in the README's order
_FRONT_ORDER = (
    "title", "subtitle", "authors", "abstract", "keywords", "title-en", "abstract-en", "keywords-en",
    "title-tr", "abstract-tr", "keywords-tr",
)  # fmt: skip
#: picture files the pipeline takes as they are; others are converted to PNG where Pillow can
_KEPT_PICTURES = (".jpg", ".jpeg", ".png", ".svg")


@dataclass(frozen=True)
class Imported:
    """What one import made, for the command's report."""

    source: Path
    article: Path
    pictures: tuple[Path, ...]
    notes: int
    tables: int
    found: tuple[str, ...]
    to_fill: tuple[str, ...]
    losses: tuple[wordpackage.Loss, ...]
    comments_left_out: int


def import_file(source: Path, manuscript_dir: Path, *, changes: str | None, force: bool) -> Imported:
    """Import one file into the manuscript (``changes``: ``accept``, ``reject`` or None)."""
    issue_yaml = manuscript_dir / "issue.yaml"
    if not issue_yaml.is_file():
        raise ManuscriptError(
            "there is no issue.yaml to add the article to",
            fix=f"import into the folder that holds issue.yaml (--manuscript DIR), or create {issue_yaml}",
            path=issue_yaml,
        )
    package = wordpackage.read(source)
    revisions = [r for r in package.revisions if r.kind != "comment"]
    if package.revisions and changes is None:
        listed = "\n".join(f"    - {revision}" for revision in package.revisions)
        raise ManuscriptError(
            f"the file holds {len(revisions)} tracked change{'s' if len(revisions) != 1 else ''} and "
            f"{len(package.revisions) - len(revisions)} comment"
            f"{'s' if len(package.revisions) - len(revisions) != 1 else ''} nobody has settled:\n{listed}",
            fix="accept or reject them in Word (Review › Accept › Accept All Changes) and delete the "
            "comments, "
            "or import with --accept-changes or --reject-changes (comments never reach the article)",
            path=source,
        )
    if changes == "reject" and source.suffix.lower() == ".odt" and revisions:
        raise ManuscriptError(
            "Pandoc's reader of .odt files cannot reject tracked changes",
            fix="reject them in LibreOffice (Edit › Track Changes › Manage › Reject All), save, "
            "and import again",
            path=source,
        )
    with tempfile.TemporaryDirectory(prefix="dizgi-import-") as scratch:
        ast = _read(source, changes or "accept", Path(scratch))
        references = _keyed_references(ast)
        blocks = _styled_blocks(ast, package)
        fields, body = _front_matter(blocks, ast.get("meta", {}), package.language)
        body = _captioned(body, package.descriptions)
        ast = {**ast, "meta": {}, "blocks": _headings_down(_unstyled(body))}
        number, slug = _place(manuscript_dir, str(fields.get("title") or source.stem), source)
        article_path = manuscript_dir / "articles" / f"{number:02d}-{slug}.md"
        pictures, picture_losses = _pictures(ast, Path(scratch), manuscript_dir, slug)
        _refuse_overwrite([article_path, *(target for _, target in pictures)], force)
        markdown = _markdown(ast, package.passages)
        for picture_source, target in pictures:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(picture_source, target)
    found = tuple(key for key in fields if fields[key])
    front, to_fill = _yaml_front(fields, package.language, references)
    article_path.parent.mkdir(parents=True, exist_ok=True)
    partial = article_path.with_name(f".{article_path.name}.part")
    partial.write_text(f"---\n{front}---\n\n{markdown}", encoding="utf-8")
    partial.replace(article_path)
    _list_in_issue(issue_yaml, article_path.relative_to(manuscript_dir).as_posix())
    return Imported(
        source=source,
        article=article_path,
        pictures=tuple(target for _, target in pictures),
        notes=sum(1 for node in elements(ast["blocks"]) if node.get("t") == "Note"),
        tables=sum(1 for node in elements(ast["blocks"]) if node.get("t") == "Table"),
        found=found,
        to_fill=to_fill,
        losses=(*package.losses, *picture_losses),
        comments_left_out=sum(1 for r in package.revisions if r.kind == "comment"),
    )


def _read(source: Path, changes: str, media: Path) -> dict[str, Any]:
    reader = "docx+styles+citations" if source.suffix.lower() == ".docx" else "odt"
    try:
        output, _ = run_pandoc(
            "", str(source), "--from", reader, "--to", "json", f"--track-changes={changes}",
            f"--extract-media={media}",
        )  # fmt: skip
    except RuntimeError as error:
        raise ManuscriptError(
            f"Pandoc could not read the file: {error}",
            fix="open it in Word or LibreOffice and save it anew, then import it again",
            path=source,
        ) from None
    result: dict[str, Any] = json.loads(output)
    return result


def _styled_blocks(ast: dict[str, Any], package: wordpackage.WordPackage) -> list[tuple[str, dict[str, Any]]]:
    """The body's blocks, each with its paragraph style's name (lower case; "" for none):
    a ``.docx``'s from Pandoc's ``custom-style`` divs, an ``.odt``'s matched by text."""
    styled: list[tuple[str, dict[str, Any]]] = []
    for block in ast["blocks"]:
        if block["t"] == "Div" and dict(block["c"][0][2]).get("custom-style"):
            style = dict(block["c"][0][2])["custom-style"].lower()
            styled.extend((style, inner) for inner in block["c"][1])
        elif block["t"] == "Div" and "caption" in block["c"][0][1]:  # the .odt reader's table caption
            styled.extend(("caption", inner) for inner in block["c"][1])
        else:
            styled.append(("", block))
    if package.paragraph_styles:
        names = list(package.paragraph_styles)
        at = 0
        for index, (_, block) in enumerate(styled):
            text = " ".join(_plain(block).split())
            for ahead in range(at, min(at + 8, len(names))):
                if names[ahead][0] == text:
                    styled[index] = (names[ahead][1].lower(), block)
                    at = ahead + 1
                    break
    return styled


def _front_matter(
    blocks: list[tuple[str, dict[str, Any]]], meta: dict[str, Any], language: str
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The front-matter fields found in the styled blocks (and Pandoc's own metadata: a
    ``.docx``'s *Title*, *Subtitle* and *Author* styles), and the blocks left for the body."""
    fields: dict[str, Any] = {}
    for key in ("title", "subtitle"):
        if key in meta:
            fields[key] = " ".join(_plain(meta[key]).split())
    authors: list[dict[str, str]] = []
    if "author" in meta:
        names = meta["author"]["c"] if meta["author"]["t"] == "MetaList" else [meta["author"]]
        authors = [{"name": " ".join(_plain(name).split())} for name in names]
    body: list[tuple[str, dict[str, Any]]] = []
    for style, block in blocks:
        text = " ".join(_plain(block).split())
        field = STYLE_FIELDS.get(style)
        lead = _LEADS.match(text)
        if field is None and lead and block["t"] in ("Para", "Plain"):
            field = STYLE_FIELDS[lead.group("lead").lower()]
        if field is None or not text:
            body.append((style, block))
            continue
        if lead:
            text = text[lead.end() :]
        if field == "author":
            authors.extend(
                {"name": name.strip()} for name in re.split(r"\s*[,;&]\s*|\s+ve\s+", text) if name.strip()
            )
        elif field == "affiliation":
            for author in authors or [{}]:
                author.setdefault("affiliation", text)
            if not authors:
                authors.append({"affiliation": text})
        elif field.startswith("keywords"):
            fields[field] = [word.strip().rstrip(".") for word in re.split(r"[,;]", text) if word.strip()]
        elif field.startswith("abstract") and field in fields:
            fields[field] += "\n\n" + text  # a second paragraph of the abstract
        else:
            fields.setdefault(field, text)
    if authors:
        fields["authors"] = authors
    if not fields.get("title") and body and _looks_like_a_title(body[0][1]):
        fields["title"] = " ".join(_plain(body.pop(0)[1]).split())
    if language == "en":  # an English article: its own fields unmarked, the Turkish ones -tr
        renamed = {"abstract": "abstract-tr", "abstract-en": "abstract", "keywords": "keywords-tr",
                   "keywords-en": "keywords"}  # fmt: skip
        fields = {renamed.get(key, key): value for key, value in fields.items()}
    return fields, body


def _looks_like_a_title(block: dict[str, Any]) -> bool:
    """A first paragraph that reads as a title: short, not a sentence, no note."""
    text = " ".join(_plain(block).split())
    return (
        block["t"] in ("Para", "Plain")
        and 0 < len(text.split()) <= 20
        and not text.endswith((".", ":", ";"))
        and not any(node.get("t") in ("Note", "Image") for node in elements(block["c"]))
    )


def _captioned(
    blocks: list[tuple[str, dict[str, Any]]], descriptions: tuple[str, ...]
) -> list[tuple[str, dict[str, Any]]]:
    """Captions joined to their tables and pictures: a caption-style paragraph (or one that
    begins *Tablo 1:*, *Şekil 2:*) next to a table becomes its caption, after a picture
    alone in its paragraph the picture's; each picture takes its description as alt text."""
    result: list[tuple[str, dict[str, Any]]] = []
    pictures = iter(descriptions)
    index = 0
    while index < len(blocks):
        style, block = blocks[index]
        image = _lone_image(block)
        if image is not None:
            description = next(pictures, "")
            caption = None
            if index + 1 < len(blocks) and _is_caption(*blocks[index + 1]):
                caption = blocks[index + 1][1]
                index += 1
            result.append((style, _figure(image, caption, description)))
        elif _is_caption(style, block) and index + 1 < len(blocks) and blocks[index + 1][1]["t"] == "Table":
            table = blocks[index + 1][1]
            table["c"][1] = [None, [{"t": "Plain", "c": _inlines(block)}]]
            result.append(("", table))
            index += 1
        elif (
            _is_caption(style, block)
            and result
            and result[-1][1]["t"] == "Table"
            and not _has_caption(result[-1][1])
        ):
            result[-1][1]["c"][1] = [None, [{"t": "Plain", "c": _inlines(block)}]]
        else:
            if block["t"] in ("Para", "Plain"):
                for node in elements(block["c"]):
                    if node.get("t") == "Image":
                        next(pictures, "")  # a picture inside a paragraph keeps its place
            result.append((style, block))
        index += 1
    return result


def _plain(node: Any) -> str:
    """The text of a block, an inline or a metadata value, its notes aside."""
    if isinstance(node, list):
        return "".join(_plain(item) for item in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind == "Str":
        return str(node["c"])
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "MetaString":
        return str(node["c"])
    if kind == "Note" or not isinstance(node.get("c"), list | dict):
        return ""
    return _plain(node["c"])


def _is_caption(style: str, block: dict[str, Any]) -> bool:
    return block["t"] in ("Para", "Plain") and (
        style in CAPTION_STYLES or bool(_CAPTION_LEAD.match(_plain(block).strip()))
    )


def _has_caption(table: dict[str, Any]) -> bool:
    return bool(table["c"][1][1])


def _inlines(block: dict[str, Any]) -> list[Any]:
    inlines: list[Any] = block["c"]
    return inlines


def _lone_image(block: dict[str, Any]) -> dict[str, Any] | None:
    """The picture of a paragraph that holds nothing else."""
    if block["t"] not in ("Para", "Plain"):
        return None
    inlines = [node for node in block["c"] if node.get("t") not in ("Space", "SoftBreak", "LineBreak")]
    if len(inlines) == 1 and inlines[0]["t"] == "Image":
        image: dict[str, Any] = inlines[0]
        return image
    return None


def _figure(image: dict[str, Any], caption: dict[str, Any] | None, description: str) -> dict[str, Any]:
    """A picture in a paragraph of its own (a figure): the caption in its brackets and the
    description as ``alt``; without a caption, the description in the brackets."""
    identifier, classes, attributes = image["c"][0]
    attributes = [pair for pair in attributes if pair[0] not in ("width", "height", "alt")]
    text = (
        _inlines(caption)
        if caption is not None
        else ([{"t": "Str", "c": description}] if description else [])
    )
    if caption is not None and description and description != _plain(caption).strip():
        attributes.append(["alt", description])
    target = [image["c"][2][0], ""]  # an .odt's frame name is no title
    return {"t": "Para", "c": [{"t": "Image", "c": [[identifier, classes, attributes], text, target]}]}


def _unstyled(blocks: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The blocks without Pandoc's ``custom-style`` divs and spans (their content stays)."""
    cleaned: list[dict[str, Any]] = unwrapped(
        [block for _, block in blocks], lambda node: bool(dict(node["c"][0][2]).get("custom-style"))
    )
    return cleaned


def _headings_down(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The document's highest heading (Word's *Heading 1*) is the article's first level of
    sections, ``##`` (the title is level 1), and the rest follow; a table's column widths,
    which Word always gives, are dropped, so that a
    plain table is written as a pipe table, as the README writes one."""
    levels = [node["c"][0] for node in elements(blocks) if node.get("t") == "Header"]
    shift = 2 - min(levels, default=2)
    for node in elements(blocks):
        if node.get("t") == "Header":
            node["c"][0] = min(node["c"][0] + shift, 6)
        elif node.get("t") == "Table":
            node["c"][2] = [[alignment, {"t": "ColWidthDefault"}] for alignment, _ in node["c"][2]]
    return blocks


def _place(manuscript_dir: Path, title: str, source: Path) -> tuple[int, str]:
    """The article's number and name: the number of an article of the same name (a file
    imported again), else the next after the highest in ``articles/``."""
    words = ascii_slug(title).split("-")[:6] if not title.startswith(TO_FILL) else []
    slug = "-".join(words) or ascii_slug(source.stem) or "makale"
    numbered = {path.name: int(match.group(1)) for path in (manuscript_dir / "articles").glob("*.md")
                if (match := re.match(r"(\d+)-", path.name))}  # fmt: skip
    same = [number for name, number in numbered.items() if name.split("-", 1)[1] == f"{slug}.md"]
    return (same[0] if same else max(numbered.values(), default=0) + 1), slug


def _pictures(
    ast: dict[str, Any], scratch: Path, manuscript_dir: Path, slug: str
) -> tuple[list[tuple[Path, Path]], list[wordpackage.Loss]]:
    """Each picture Pandoc extracted, as a file for ``images/`` (``<slug>-1.png``): JPEG, PNG
    and SVG as they are, other formats converted to PNG, those Pillow cannot read (EMF, WMF)
    left out and named. The AST then points at the new files."""
    planned: list[tuple[Path, Path]] = []
    losses: list[wordpackage.Loss] = []
    number = 0
    for node in elements(ast["blocks"]):
        if node.get("t") != "Image":
            continue
        source = Path(node["c"][2][0])
        if not source.is_absolute():
            source = scratch / source
        number += 1
        suffix = source.suffix.lower()
        if suffix == ".jpeg":
            suffix = ".jpg"
        if suffix not in _KEPT_PICTURES:
            converted = source.with_suffix(".converted.png")
            try:
                with Image.open(source) as picture:
                    picture.convert("RGB").save(converted)
            except (UnidentifiedImageError, OSError):
                losses.append(wordpackage.Loss(
                    f"picture {number} ({source.suffix.lstrip('.').upper()}, which dizgi cannot use) "
                    "was left out",
                    "save it from Word as PNG (right-click › Save as Picture) and put it in images/",
                ))  # fmt: skip
                node["t"], node["c"] = "Str", ""
                continue
            source, suffix = converted, ".png"
        target = manuscript_dir / "images" / f"{slug}-{number}{suffix}"
        planned.append((source, target))
        node["c"][2][0] = f"images/{target.name}"
    return planned, losses


def _refuse_overwrite(targets: list[Path], force: bool) -> None:
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        raise ManuscriptError(
            f"{existing[0]} already exists"
            + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""),
            fix="import with --force to write over it, or move it away first",
            path=existing[0],
        )


def _keyed_references(ast: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources of the document's Zotero or Mendeley citations, as CSL items, each with a
    key an editor can read and type (``inalcik2003``, not Zotero's ``1``); the citations in
    the AST are given the same keys."""
    found = ast.get("meta", {}).get("references")
    if found is None:
        return []
    document = {**ast, "meta": {"references": found}, "blocks": []}
    output, _ = run_pandoc(json.dumps(document), "--from", "json", "--to", "csljson")
    items: list[dict[str, Any]] = json.loads(output)
    keys: dict[str, str] = {}
    for item in items:
        names = item.get("author") or item.get("editor") or [{}]
        first = names[0] if isinstance(names[0], dict) else {}
        name = ascii_slug(str(first.get("family") or first.get("literal") or item.get("title") or "kaynak"))
        year = str(((item.get("issued") or {}).get("date-parts") or [[""]])[0][0])
        key = (name.split("-")[0] or "kaynak") + year
        while key in keys.values():
            key += "a" if not key[-1].isalpha() or key[-1] == "z" else chr(ord(key[-1]) + 1)
        keys[str(item["id"])] = key
        item["id"] = key
    for node in elements(ast["blocks"]):
        if node.get("t") == "Cite":
            for citation in node["c"][0]:
                citation["citationId"] = keys.get(citation["citationId"], citation["citationId"])
    return items


def _markdown(ast: dict[str, Any], passages: tuple[tuple[str, str], ...]) -> str:
    """The body as the Markdown the README teaches (notes as ``[^1]``, the author's own
    quotes and apostrophes kept), each passage in another language marked ``{lang=…}``."""
    output, _ = run_pandoc(
        json.dumps(ast), "--from", "json", "--to", _MARKDOWN,
        "--wrap=none", "--markdown-headings=atx",
    )  # fmt: skip
    for passage, lang in passages:
        at = output.find(passage)
        if at >= 0 and output[max(0, at - 1) : at] != "[":
            output = f"{output[:at]}[{passage}]{{lang={lang}}}{output[at + len(passage) :]}"
    return output


def _yaml_front(fields: dict[str, Any], language: str, references: list[Any]) -> tuple[str, tuple[str, ...]]:
    """The front matter as YAML, in the README's order; each field the file did not give
    that an article needs is ``DOLDURUN: …`` (the build names it until it is filled in)."""
    front: dict[str, Any] = {}
    to_fill = []
    if not fields.get("title"):
        fields["title"] = f"{TO_FILL}: makalenin başlığı"
        to_fill.append("title")
    if not fields.get("authors"):
        fields["authors"] = [{"name": f"{TO_FILL}: yazarın adı", "affiliation": f"{TO_FILL}: kurumu"}]
        to_fill.append("authors")
    for key in _FRONT_ORDER:
        if fields.get(key):
            front[key] = fields[key]
    if language != "tr":
        front["lang"] = language
    if references:
        front["references"] = references
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)
    return text, tuple(to_fill)


def _list_in_issue(issue_yaml: Path, entry: str) -> None:
    """Add ``entry`` at the end of issue.yaml's ``articles`` list, keeping the rest of the
    file (its comments, its order) as the editor wrote it."""
    text = read_text(issue_yaml)
    listed = yaml.safe_load(text) or {}
    if entry in (listed.get("articles") or []):
        return
    lines = text.splitlines()
    start = next((index for index, line in enumerate(lines) if re.match(r"articles\s*:", line)), None)
    if start is None:
        lines += ["articles:", f"  - {entry}"]
    else:
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "-", "\t")) or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        indent = next(
            (line[: len(line) - len(line.lstrip())] for line in lines[start + 1 : end] if line.strip()), "  "
        )
        lines.insert(end, f"{indent}- {entry}")
    partial = issue_yaml.with_name(".issue.yaml.part")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(issue_yaml)
