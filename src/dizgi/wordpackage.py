"""What dizgi reads itself from an author's Word (``.docx``) or OpenDocument (``.odt``) file,
beside Pandoc's reader: the tracked changes and comments (never to pass silently), what
Markdown cannot hold (text boxes, shapes, equations, colours, fonts set by hand, fields,
headers and footers, page breaks), the pictures' descriptions (Pandoc 3.9 drops Word's
*Alt Text*), the languages of passages in another language than the document's (Pandoc
drops them too), and, for an ``.odt``, each paragraph's style (Pandoc's ODT reader has no
``+styles``). ``importer`` turns the file into an article with all of it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from dizgi.errors import ManuscriptError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
VML = "{urn:schemas-microsoft-com:vml}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
#: an old binary Word file, and the container an encrypted .docx is stored in (both OLE)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: fields that are citations (Pandoc reads Zotero's as references) or captions' numbers
_KEPT_FIELDS = ("ADDIN ZOTERO", "ADDIN CSL_CITATION", "ADDIN CSL_BIBLIOGRAPHY", "ADDIN MENDELEY", "SEQ")
#: an .odt's paragraphs that are not the body's own: notes, comments, text boxes, deletions
_ASIDE = frozenset((f"{TEXT}note-body", f"{OFFICE}annotation", f"{DRAW}text-box", f"{TEXT}changed-region"))
#: the text properties of an .odt's styles that ``_odt_styles`` keeps, by the name it keeps them under
_STYLE_PROPERTIES = (
    ("language", f"{FO}language"), ("color", f"{FO}color"), ("font", f"{STYLE}font-name"),
    ("background", f"{FO}background-color"),
)  # fmt: skip
#: an .odt's fields whose result Markdown keeps only as text (caption numbers are not among them)
_ODT_FIELDS = tuple(
    f"{TEXT}{name}" for name in ("date", "time", "page-number", "page-count", "reference-ref", "bookmark-ref",
                                 "variable-get", "user-field-get", "file-name", "author-name")
)  # fmt: skip
#: Word's copy of a drawing for readers without DrawingML, which repeats each shape and box
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Revision:
    """A tracked change or a comment: who, what and where (paragraph and its first words)."""

    kind: str
    author: str
    text: str
    where: str

    def __str__(self) -> str:
        text = f": “{self.text}”" if self.text else ""
        return f"{self.kind} by {self.author or 'an unnamed author'}, {self.where}{text}"


@dataclass(frozen=True)
class Loss:
    """Something of the file that does not carry over into the article, and where it stood."""

    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.what}, {self.where}"


@dataclass(frozen=True)
class WordPackage:
    """What ``read`` found in the file, beside what Pandoc reads."""

    revisions: tuple[Revision, ...]
    losses: tuple[Loss, ...]
    #: the pictures' descriptions (Word's *Alt Text*, LibreOffice's *Description*), in order
    descriptions: tuple[str, ...]
    #: (passage, language) for each run in another language than the document's
    passages: tuple[tuple[str, str], ...]
    #: the document's own language (``tr``), as its default style says
    language: str
    #: an ``.odt``'s paragraphs as (text, style name) in order (a ``.docx``: Pandoc's ``+styles``)
    paragraph_styles: tuple[tuple[str, str], ...]


def read(path: Path) -> WordPackage:
    """Open the file and read it, or a clear error for a file dizgi cannot import."""
    kind = path.suffix.lower()
    if not path.is_file():
        raise ManuscriptError(
            "the file does not exist", fix="give the path of the author's .docx or .odt", path=path
        )
    head = path.read_bytes()[:8]
    if kind == ".doc" or (kind not in (".docx", ".odt") and head == _OLE):
        raise ManuscriptError(
            "this is an old Word file (.doc), which dizgi cannot read",
            fix="open it in Word or LibreOffice and save it as a Word document (.docx): "
            "File › Save As › Word Document (*.docx)",
            path=path,
        )
    if kind not in (".docx", ".odt"):
        raise ManuscriptError(
            f"dizgi imports Word (.docx) and OpenDocument (.odt) files, not '{path.suffix or path.name}'",
            fix="save the text from its program as .docx, then import that",
            path=path,
        )
    if not head:
        raise ManuscriptError(
            "the file is empty (0 bytes)", fix="ask the author to send the file again", path=path
        )
    if head == _OLE:
        raise ManuscriptError(
            "the file is protected with a password, so it cannot be read",
            fix="open it with the password and save it without one (Word: File › Info › Protect Document "
            "› Encrypt with Password, clear the box), then import it again",
            path=path,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ManuscriptError(
            "the file is damaged: it is not the archive a .docx or .odt is",
            fix="ask the author to send it again, or open it in Word or LibreOffice and save it anew",
            path=path,
        ) from None
    main = "word/document.xml" if kind == ".docx" else "content.xml"
    try:
        if main not in parts:
            raise KeyError(main)
        return _read_docx(parts) if kind == ".docx" else _read_odt(parts)
    except (KeyError, etree.XMLSyntaxError):
        raise ManuscriptError(
            f"the file is damaged: its {main} is missing or cannot be read",
            fix="open it in Word or LibreOffice and save it anew, then import it again",
            path=path,
        ) from None


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _words(text: str, count: int = 6) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _where(number: int, text: str) -> str:
    return f"paragraph {number} (“{_words(text)}”)" if text.strip() else f"paragraph {number}"


# --- Word ---------------------------------------------------------------------------------


def _docx_text(element: etree._Element) -> str:
    """The text of a part of the document, without what stands in a text box or in the
    fallback copy Word keeps of a drawing for older readers."""
    return "".join(
        str(t.text or "")
        for t in element.iter(f"{W}t")
        if not any(a.tag in (f"{W}txbxContent", _FALLBACK) and a is not element for a in t.iterancestors())
    )


def _docx_paragraphs(body: etree._Element) -> Iterator[tuple[int, etree._Element]]:
    """The body's paragraphs, numbered as a reader counts them (text boxes' own aside)."""
    number = 0
    for paragraph in body.iter(f"{W}p"):
        if any(ancestor.tag == f"{W}txbxContent" for ancestor in paragraph.iterancestors()):
            continue
        number += 1
        yield number, paragraph


def _read_docx(parts: dict[str, bytes]) -> WordPackage:
    document = _xml(parts["word/document.xml"])
    body = document.find(f"{W}body")
    if body is None:
        raise KeyError("body")
    styles = _xml(parts["word/styles.xml"]) if "word/styles.xml" in parts else None
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") if styles is not None else None
    language = _primary(default.get(f"{W}val") if default is not None else None) or "tr"
    comments = {}
    if "word/comments.xml" in parts:
        for comment in _xml(parts["word/comments.xml"]).iter(f"{W}comment"):
            comments[comment.get(f"{W}id")] = (comment.get(f"{W}author") or "", _docx_text(comment))
    revisions: list[Revision] = []
    losses: list[Loss] = []
    descriptions: list[str] = []
    passages: list[tuple[str, str]] = []
    for number, paragraph in _docx_paragraphs(body):
        text = _docx_text(paragraph)
        where = _where(number, text)
        for change in paragraph.iter(f"{W}ins", f"{W}del", f"{W}rPrChange", f"{W}pPrChange"):
            author = change.get(f"{W}author") or ""
            if change.tag == f"{W}ins":
                revisions.append(Revision("insertion", author, _docx_text(change), where))
            elif change.tag == f"{W}del":
                deleted = "".join(str(t.text or "") for t in change.iter(f"{W}delText"))
                revisions.append(Revision("deletion", author, deleted, where))
            else:
                revisions.append(Revision("formatting change", author, "", where))
        for reference in paragraph.iter(f"{W}commentReference"):
            author, said = comments.get(reference.get(f"{W}id"), ("", ""))
            revisions.append(Revision("comment", author, said, where))
        losses.extend(_docx_losses(paragraph, number, text, where))
        for drawing in paragraph.iter(f"{WP}docPr"):
            if any(ancestor.tag == f"{WPS}wsp" for ancestor in drawing.iterancestors()):
                continue
            descriptions.append((drawing.get("descr") or drawing.get("title") or "").strip())
        passages.extend(_docx_passages(paragraph, language))
    if "word/footnotes.xml" in parts:  # the notes' passages in other languages
        for paragraph in _xml(parts["word/footnotes.xml"]).iter(f"{W}p"):
            passages.extend(_docx_passages(paragraph, language))
    for name in sorted(parts):
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            said = " ".join(_docx_text(_xml(parts[name])).split())
            if said:
                kind = "the page header" if "header" in name else "the page footer"
                losses.append(Loss(f"{kind} “{_words(said)}”", "on every page (Word's header and footer)"))
    return WordPackage(tuple(revisions), tuple(losses), tuple(descriptions), tuple(passages), language, ())


def _docx_losses(paragraph: etree._Element, number: int, text: str, where: str) -> Iterator[Loss]:
    for box in paragraph.iter(f"{W}txbxContent"):
        if not _in_fallback(box):
            yield Loss(f"a text box (“{_words(_docx_text(box))}”)", where)
    for shape in paragraph.iter(f"{WPS}wsp", f"{VML}shape", f"{VML}rect", f"{VML}oval", f"{VML}line"):
        if _in_fallback(shape) or shape.find(f".//{W}txbxContent") is not None:
            continue
        if shape.find(f".//{VML}imagedata") is None:
            yield Loss("a drawn shape", where)
    for equation in paragraph.iter(f"{MATH}oMath"):
        if not any(ancestor.tag == f"{MATH}oMath" for ancestor in equation.iterancestors()):
            yield Loss("an equation (given as TeX between $ signs, which dizgi prints as typed)", where)
    seen: set[str] = set()
    for run in paragraph.iter(f"{W}r"):
        properties = run.find(f"{W}rPr")
        if properties is None or not _docx_text(run).strip():
            continue
        color = properties.find(f"{W}color")
        if color is not None and (color.get(f"{W}val") or "auto").lower() not in ("auto", "000000"):
            seen.add("coloured text")
        if properties.find(f"{W}highlight") is not None:
            seen.add("highlighted text")
        fonts = properties.find(f"{W}rFonts")
        if fonts is not None and fonts.get(f"{W}ascii"):
            seen.add(f"text in a font set by hand ({fonts.get(f'{W}ascii')})")
    yield from (Loss(what, where) for what in sorted(seen))
    instructions = [str(i.text or "") for i in paragraph.iter(f"{W}instrText")]
    instructions += [str(f.get(f"{W}instr") or "") for f in paragraph.iter(f"{W}fldSimple")]
    for instruction in instructions:
        field = instruction.strip()
        if field and not field.upper().startswith(_KEPT_FIELDS):
            yield Loss(f"a field ({field.split()[0]}), whose text may be missing: type it in", where)
    for mark in paragraph.iter(f"{W}br"):
        if mark.get(f"{W}type") == "page":
            yield Loss("a page break", where)
    if paragraph.find(f"{W}pPr/{W}pageBreakBefore") is not None:
        yield Loss("a page break before the paragraph", where)
    if paragraph.find(f"{W}pPr/{W}sectPr") is not None:
        yield Loss("a section break", where)


def _in_fallback(element: etree._Element) -> bool:
    return any(ancestor.tag == _FALLBACK for ancestor in element.iterancestors())


def _docx_passages(paragraph: etree._Element, language: str) -> Iterator[tuple[str, str]]:
    """Runs in another language than the document's, joined where they follow each other."""
    current, text = "", ""
    for run in paragraph.iter(f"{W}r"):
        if any(ancestor.tag in (f"{W}del", f"{W}txbxContent") for ancestor in run.iterancestors()):
            continue
        mark = run.find(f"{W}rPr/{W}lang")
        lang = _primary(mark.get(f"{W}val") if mark is not None else None) or language
        said = _docx_text(run)
        if lang == current and lang != language:
            text += said
            continue
        if current and current != language and text.strip():
            yield text.strip(), current
        current, text = lang, said
    if current and current != language and text.strip():
        yield text.strip(), current


def _primary(tag: str | None) -> str | None:
    """``en-GB`` → ``en``; None for none."""
    return tag.split("-")[0].lower() if tag else None


# --- OpenDocument -------------------------------------------------------------------------


def _odt_text(element: etree._Element) -> str:
    """A paragraph's text as a reader sees it: notes, comments, frames (pictures, text
    boxes) and deleted text aside."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag in (f"{TEXT}note", f"{OFFICE}annotation", f"{TEXT}tracked-changes", f"{DRAW}frame") and (
            node is not element
        ):
            if node.tail:
                parts.append(node.tail)
            return
        if node.tag == f"{TEXT}s":
            parts.append(" " * int(node.get(f"{TEXT}c") or 1))
        elif node.tag == f"{TEXT}tab":
            parts.append("\t")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return "".join(parts)


def _read_odt(parts: dict[str, bytes]) -> WordPackage:
    content = _xml(parts["content.xml"])
    styles = _xml(parts["styles.xml"]) if "styles.xml" in parts else None
    office_text = content.find(f"{OFFICE}body/{OFFICE}text")
    if office_text is None:
        raise KeyError("office:text")
    named = _odt_styles(content, styles)
    language = "tr"
    if styles is not None:
        default = styles.find(f".//{STYLE}default-style[@{STYLE}family='paragraph']/{STYLE}text-properties")
        if default is not None and default.get(f"{FO}language"):
            language = _primary(default.get(f"{FO}language")) or "tr"
    regions = {}
    for region in office_text.iter(f"{TEXT}changed-region"):
        change = region[0] if len(region) else None
        if change is None:
            continue
        author = change.findtext(f"{OFFICE}change-info/{DC}creator") or ""
        deleted = " ".join(_odt_text(p) for p in change.iter(f"{TEXT}p"))
        kind = {"insertion": "insertion", "deletion": "deletion"}.get(
            etree.QName(change).localname, "formatting change"
        )
        regions[region.get(f"{TEXT}id") or region.get("{http://www.w3.org/XML/1998/namespace}id")] = (
            kind,
            author,
            deleted,
        )
    revisions: list[Revision] = []
    losses: list[Loss] = []
    descriptions: list[str] = []
    passages: list[tuple[str, str]] = []
    paragraph_styles: list[tuple[str, str]] = []
    number = 0
    for paragraph in office_text.iter(f"{TEXT}p", f"{TEXT}h"):
        if any(a.tag in _ASIDE or a.tag.startswith(DRAW) for a in paragraph.iterancestors()):
            continue  # a note's, a comment's, a shape's or a frame's own paragraph
        number += 1
        text = _odt_text(paragraph)
        where = _where(number, text)
        style = named.get(paragraph.get(f"{TEXT}style-name") or "", {})
        if not any(a.tag == f"{OFFICE}annotation" for a in paragraph.iterancestors()):
            paragraph_styles.append((" ".join(text.split()), str(style.get("name", ""))))
        for mark in paragraph.iter(f"{TEXT}change-start", f"{TEXT}change"):
            kind, author, deleted = regions.get(mark.get(f"{TEXT}change-id"), ("change", "", ""))
            said = _odt_inserted(paragraph, mark.get(f"{TEXT}change-id")) if kind == "insertion" else deleted
            revisions.append(Revision(kind, author, " ".join(said.split()), where))
        for note in paragraph.iter(f"{OFFICE}annotation"):
            said = " ".join(_odt_text(p) for p in note.iter(f"{TEXT}p"))
            revisions.append(
                Revision("comment", note.findtext(f"{DC}creator") or "", " ".join(said.split()), where)
            )
        losses.extend(_odt_losses(paragraph, named, where, style))
        for frame in paragraph.iter(f"{DRAW}frame"):
            if frame.find(f"{DRAW}image") is not None:
                descriptions.append(
                    " ".join((frame.findtext(f"{SVG}desc") or frame.findtext(f"{SVG}title") or "").split())
                )
        for span in paragraph.iter(f"{TEXT}span"):
            lang = (
                _primary(str(named.get(span.get(f"{TEXT}style-name") or "", {}).get("language") or ""))
                or language
            )
            if lang != language and _odt_text(span).strip():
                passages.append((" ".join(_odt_text(span).split()), lang))
    if styles is not None:
        for part in styles.iter(f"{STYLE}header", f"{STYLE}footer"):
            said = " ".join(" ".join(_odt_text(p) for p in part.iter(f"{TEXT}p")).split())
            if said:
                kind = "the page header" if part.tag == f"{STYLE}header" else "the page footer"
                losses.append(
                    Loss(f"{kind} “{_words(said)}”", "on every page (the page style's header and footer)")
                )
    return WordPackage(
        tuple(revisions),
        tuple(losses),
        tuple(descriptions),
        tuple(passages),
        language,
        tuple(paragraph_styles),
    )


def _odt_inserted(paragraph: etree._Element, change_id: str | None) -> str:
    """The text between a change's start and end marks in the paragraph."""
    parts: list[str] = []
    inside = False
    for node in paragraph.iter():
        if node.tag == f"{TEXT}change-start" and node.get(f"{TEXT}change-id") == change_id:
            inside = True
            parts.append(node.tail or "")
            continue
        if node.tag == f"{TEXT}change-end" and node.get(f"{TEXT}change-id") == change_id:
            break
        if inside:
            parts.append((node.text or "") + (node.tail or ""))
    return "".join(parts)


def _odt_styles(content: etree._Element, styles: etree._Element | None) -> dict[str, dict[str, str]]:
    """Each style's display name, language, colour, font, background and page break, by its
    internal name (automatic styles take their parent's display name)."""
    found: dict[str, dict[str, str]] = {}
    for root in (styles, content):
        if root is None:
            continue
        for style in root.iter(f"{STYLE}style"):
            name = style.get(f"{STYLE}name") or ""
            parent = found.get(style.get(f"{STYLE}parent-style-name") or "", {})
            entry = {
                "name": style.get(f"{STYLE}display-name")
                or (parent.get("name") if root is content else None)
                or name.replace("_20_", " ")
            }
            text = style.find(f"{STYLE}text-properties")
            if text is not None:
                for key, attribute in _STYLE_PROPERTIES:
                    if text.get(attribute):
                        entry[key] = str(text.get(attribute))
            paragraph = style.find(f"{STYLE}paragraph-properties")
            if paragraph is not None and "page" in (
                paragraph.get(f"{FO}break-before"),
                paragraph.get(f"{FO}break-after"),
            ):
                entry["break"] = "page"
            found[name] = entry
    return found


def _odt_losses(
    paragraph: etree._Element, named: dict[str, dict[str, str]], where: str, style: dict[str, str]
) -> Iterator[Loss]:
    for box in paragraph.iter(f"{DRAW}text-box"):
        yield Loss(f"a text box (“{_words(' '.join(_odt_text(p) for p in box.iter(f'{TEXT}p')))}”)", where)
    for _ in paragraph.iter(
        f"{DRAW}custom-shape", f"{DRAW}rect", f"{DRAW}ellipse", f"{DRAW}line", f"{DRAW}polygon"
    ):
        yield Loss("a drawn shape", where)
    for _ in paragraph.iter(f"{DRAW}object"):
        yield Loss("an equation or embedded object (left out)", where)
    seen: set[str] = set()
    for span in paragraph.iter(f"{TEXT}span"):
        found = named.get(span.get(f"{TEXT}style-name") or "", {})
        if found.get("color", "#000000").lower() not in ("#000000",):
            seen.add("coloured text")
        if found.get("background", "transparent") not in ("transparent",):
            seen.add("highlighted text")
        if found.get("font"):
            seen.add(f"text in a font set by hand ({found['font']})")
    yield from (Loss(what, where) for what in sorted(seen))
    for field in paragraph.iter(*_ODT_FIELDS):
        yield Loss(f"a field ({etree.QName(field).localname}), whose text may be missing: type it in", where)
    if style.get("break") == "page":
        yield Loss("a page break before the paragraph", where)
