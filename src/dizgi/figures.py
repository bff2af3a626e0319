"""Pictures in an article: found in its Pandoc AST, checked, named for the outputs, captioned.

A picture is written the Markdown way, ``![Bakü’de bir tören](images/toren.jpg)``, its path
relative to the article's file (as every Markdown editor resolves it) or to the ``images/``
folder beside ``issue.yaml``. Before anything is laid out, each one must be a file of the
manuscript, a JPEG, PNG or SVG that can be read (an SVG with no script and no reference
outside itself), and carry an alt text (accessibility is not optional in an EPUB we
publish; ``{.decorative}`` says a picture adds nothing, and gets ``alt=""``). Each gets a
name of its own in the outputs (``images/a01-1.jpg``), the same in the print HTML and the
EPUB; ``credit="…"`` (a photograph: *Fotoğraf:*) and ``source="…"`` (a chart: *Kaynak:*)
join its caption. A raster picture that prints below 300 ppi is a warning, with its line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree
from PIL import Image, UnidentifiedImageError

from dizgi import svgfonts
from dizgi.errors import ManuscriptError
from dizgi.model import Article, Issue, JsonAst, Picture
from dizgi.pagegeometry import print_geometry
from dizgi.pandoc_ast import elements, stringify
from dizgi.turkish import LABELS

#: a picture is set at most as wide as the text block (``pagegeometry``), at 96 px to the
#: inch when smaller (CSS's own resolution)
CSS_PX_PER_INCH = 96.0
#: below this, a photograph prints visibly soft
MIN_PRINT_PPI = 300
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
SVG = ("image/svg+xml", ".svg")
#: caption attributes and the label each credit is printed behind
CREDITS = (("credit", "photo_credit"), ("source", "source"))
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def prepare_pictures(
    ast: JsonAst, article: Article, root: Path
) -> tuple[JsonAst, tuple[Picture, ...], tuple[str, ...]]:
    """Check every picture of the article and point it at its name in the outputs; return
    the changed AST, the pictures in order and the warnings (low resolution)."""
    pictures: list[Picture] = []
    warnings: list[str] = []

    def picture(image: dict[str, Any], caption: str | None) -> Picture:
        (identifier, classes, attributes), alt_inlines, (target, title) = image["c"]
        line = article.line_of(target)
        found = picture_file(target, article.source, root, line)
        media_type, extension, width, height = _read(found, target, article.source, line)
        decorative = "decorative" in classes
        given = dict(attributes)
        alt = "" if decorative else given.get("alt") or stringify(alt_inlines).strip() or (caption or "")
        if not alt and not decorative:
            raise ManuscriptError(
                f"the picture '{target}' has no alt text",
                fix="write what the picture shows between the brackets: "
                "![Bakü’de bir tören](images/toren.jpg); a picture that adds nothing to the text "
                "can say so: ![](images/süs.png){.decorative}",
                path=article.source,
                line=line,
            )
        made = Picture(
            source=found,
            href=f"images/{article.key}-{len(pictures) + 1}{extension}",
            media_type=media_type,
            width=width,
            height=height,
        )
        warnings.extend(_resolution_warning(made, target, article.source, line))
        warnings.extend(_font_warnings(found, target, article.source, line))
        kept = [(name, value) for name, value in attributes if name not in ("alt", "credit", "source")]
        if decorative:
            kept.append(("role", "presentation"))
        image["c"][0] = [identifier, [name for name in classes if name != "decorative"], kept]
        image["c"][1] = [{"t": "Str", "c": alt}] if alt else []
        image["c"][2] = [made.href, title]
        pictures.append(made)
        return made

    found = list(elements(ast["blocks"]))
    # a picture alone in its paragraph with no caption: Pandoc makes a figure only of one
    # with text between its brackets
    alone = {
        id(block["c"][0])
        for block in found
        if block.get("t") in ("Para", "Plain") and len(block["c"]) == 1 and block["c"][0].get("t") == "Image"
    }
    # a picture whose next paragraph begins with ':' is a definition list's term (Pandoc)
    terms = {
        id(term[0])
        for block in found
        if block.get("t") == "DefinitionList"
        for term, _ in block["c"]
        if len(term) == 1 and term[0].get("t") == "Image"
    }
    in_figures = {
        id(image)
        for figure in found
        if figure.get("t") == "Figure"
        for image in elements(figure["c"][2])
        if image.get("t") == "Image"
    }
    for element in found:
        if element.get("t") == "Figure":
            _figure(element, picture)
        elif element.get("t") == "Image" and id(element) not in in_figures:
            if any(name in dict(element["c"][0][2]) for name, _ in CREDITS) and id(element) in alone:
                raise ManuscriptError(
                    f"the picture '{element['c'][2][0]}' has a credit but no caption",
                    fix="write what the picture shows between its brackets: "
                    '![Bakü’de bir tören](images/toren.jpg){credit="Anadolu Ajansı"}; '
                    "it is the caption and the screen reader's text",
                    path=article.source,
                    line=article.line_of(element["c"][2][0]),
                )
            if any(name in dict(element["c"][0][2]) for name, _ in CREDITS) and id(element) in terms:
                raise ManuscriptError(
                    f"the picture '{element['c'][2][0]}' stands as the term of a definition list: the "
                    "paragraph after it begins with ':', which Markdown reads as the picture's definition",
                    fix="begin that paragraph with something other than ':' (or write '\\:'); a table's "
                    "caption ': …' stands right under its table",
                    path=article.source,
                    line=article.line_of(element["c"][2][0]),
                )
            if any(name in dict(element["c"][0][2]) for name, _ in CREDITS):
                raise ManuscriptError(
                    f"the picture '{element['c'][2][0]}' has a credit but stands inside a paragraph",
                    fix="give a picture with a credit a paragraph of its own, so it is set as a figure",
                    path=article.source,
                    line=article.line_of(element["c"][2][0]),
                )
            picture(element, None)
    return ast, tuple(pictures), tuple(warnings)


def lead_picture(article: Article, root: Path) -> tuple[Picture | None, tuple[str, ...]]:
    """The article's lead photograph (front matter ``image:``), checked as a body picture
    is, named ``images/a01-lead.jpg``; and its resolution warning, if any."""
    lead = article.meta.image
    if lead is None:
        return None, ()
    found = picture_file(lead.file, article.source, root, lead.line)
    media_type, extension, width, height = _read(found, lead.file, article.source, lead.line)
    made = Picture(found, f"images/{article.key}-lead{extension}", media_type, width, height)
    return made, _resolution_warning(made, lead.file, article.source, lead.line)


def cover_picture(issue: Issue) -> tuple[Picture | None, tuple[str, ...]]:
    """The issue's cover picture (issue.yaml ``cover:``), a JPEG or PNG (reading systems
    show an SVG cover poorly), named ``images/cover.jpg``; and its resolution warning."""
    cover = issue.meta.cover
    if cover is None:
        return None, ()
    source = issue.root / "issue.yaml"
    found = picture_file(cover.file, source, issue.root, cover.line)
    media_type, extension, width, height = _read(found, cover.file, source, cover.line)
    if width is None:
        raise ManuscriptError(
            f"the cover '{cover.file}' is an SVG; a cover must be a JPEG or PNG",
            fix="export the cover as JPEG (a photograph) or PNG",
            path=source,
            line=cover.line,
        )
    made = Picture(found, f"images/cover{extension}", media_type, width, height)
    warning = _resolution_warning(made, cover.file, source, cover.line)
    return made, warning


def _font_warnings(path: Path, target: str, source: Path, line: int | None) -> tuple[str, ...]:
    """A warning for each font family of an SVG picture that names neither a serif nor a
    sans dizgi can stand in for: print sets its text in the shipped sans (``svgfonts``)."""
    if path.suffix.lower() != ".svg":
        return ()
    return tuple(
        f"{source}, line {line}: the SVG picture '{target}' names the font family {family}, "
        "which dizgi does not ship; print sets its text in Noto Sans (name a serif or sans-serif "
        "family in the chart to choose)"
        for family in svgfonts.unknown_families(path.read_bytes())
    )


def _resolution_warning(picture: Picture, target: str, source: Path, line: int | None) -> tuple[str, ...]:
    """A warning when a raster picture prints below ``MIN_PRINT_PPI`` at the size it is set."""
    if picture.width is None:
        return ()
    printed_inches = min(print_geometry().measure / 25.4, picture.width / CSS_PX_PER_INCH)
    ppi = round(picture.width / printed_inches)
    if ppi >= MIN_PRINT_PPI:
        return ()
    return (
        f"{source}, line {line}: the picture '{target}' prints at {ppi} ppi "
        f"({picture.width} px across {printed_inches * 25.4:.0f} mm); print wants {MIN_PRINT_PPI} ppi, "
        f"{round(MIN_PRINT_PPI * printed_inches)} px across",
    )


def _figure(figure: dict[str, Any], picture: Callable[[dict[str, Any], str | None], Picture]) -> None:
    """A picture alone in its paragraph: its caption keeps the Markdown text (hidden from
    screen readers when it only repeats the alt text), and the credit joins it."""
    attr, (short, caption_blocks), body = figure["c"]
    images = [element for element in elements(body) if element.get("t") == "Image"]
    caption_text = stringify(
        [inline for block in caption_blocks if isinstance(block.get("c"), list) for inline in block["c"]]
    ).strip()
    credits: list[dict[str, Any]] = []
    for image in images:
        given = dict(image["c"][0][2])
        for name, label in CREDITS:
            if given.get(name):
                credits.append(_span(["credit"], f"{LABELS[label]} {given[name]}"))
        made_alt = given.get("alt")
        picture(image, caption_text)
        links = any(element.get("t") == "Link" for element in elements(caption_blocks))
        # the caption says what the alt text says; one holding a link stays in reach (a
        # hidden link can still take the focus: Ace's aria-hidden-focus)
        if caption_blocks and not made_alt and not links:
            for block in caption_blocks:
                block["c"] = (
                    [{"t": "Span", "c": [["", ["caption"], [["aria-hidden", "true"]]], block["c"]]}]
                    if isinstance(block.get("c"), list)
                    else block["c"]
                )
    if credits:
        if not caption_blocks:
            caption_blocks.append({"t": "Plain", "c": []})
        last = caption_blocks[-1]
        if last["c"] and not caption_text.endswith((".", "!", "?", "…", ":")):
            # "Zonguldak Fotoğraf: …" read as one phrase: the caption ends as a sentence
            last["c"].append({"t": "Str", "c": "."})
        for credit in credits:
            if last["c"]:
                last["c"].append({"t": "Space"})
            last["c"].append(credit)
    figure["c"] = [attr, [short, caption_blocks], body]


def _span(classes: list[str], text: str) -> dict[str, Any]:
    return {"t": "Span", "c": [["", classes, []], [{"t": "Str", "c": text}]]}


def picture_file(target: str, source: Path, root: Path, line: int | None) -> Path:
    """The file a picture's path names: beside the file naming it (``source``: the article,
    or issue.yaml), else in the manuscript's ``images/``; it must lie inside the manuscript
    folder and exist."""
    relative = Path(unquote(target.split("#")[0].split("?")[0]))
    candidates = [source.parent / relative, root / "images" / relative, root / relative]
    for candidate in candidates:
        if not candidate.resolve().is_relative_to(root.resolve()):
            raise ManuscriptError(
                f"the picture '{target}' lies outside the manuscript folder; the outputs may not fetch it",
                fix="copy the picture into the manuscript folder (e.g. images/) "
                "and give its path from the article",
                path=source,
                line=line,
            )
        if candidate.is_file():
            return candidate
    looked = list(dict.fromkeys(str(candidate) for candidate in candidates))
    raise ManuscriptError(
        f"the picture '{target}' is not there (looked for {', '.join(looked[:-1])} and {looked[-1]})",
        fix=f"put the picture's file there, or correct the path: it is relative to {source.name}",
        path=source,
        line=line,
    )


def _read(path: Path, target: str, source: Path, line: int | None) -> tuple[str, str, int | None, int | None]:
    """Media type, extension and pixel size of a picture that both outputs can carry."""
    if path.suffix.lower() == ".svg":
        _check_svg(path, target, source, line)
        return (*SVG, None, None)
    try:
        with Image.open(path) as image:
            image.verify()
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ManuscriptError(
            f"the picture '{target}' cannot be read as a picture ({error})",
            fix="open it in an image program and save it again as JPEG (a photograph) or PNG (a chart)",
            path=source,
            line=line,
        ) from None
    if kind not in FORMATS:
        raise ManuscriptError(
            f"the picture '{target}' is a {kind}; dizgi takes JPEG, PNG and SVG",
            fix="save it as JPEG (a photograph) or PNG (a chart, a drawing)",
            path=source,
            line=line,
        )
    return (*FORMATS[kind], width, height)


def _check_svg(path: Path, target: str, source: Path, line: int | None) -> None:
    """An SVG is a document that can run script and fetch files: it may hold neither."""

    def refuse(problem: str) -> ManuscriptError:
        return ManuscriptError(
            f"the SVG picture '{target}' {problem}",
            fix="export the chart again as plain SVG (no script, no linked files or fonts), or as PNG",
            path=source,
            line=line,
        )

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise refuse(f"is not well-formed XML ({error.msg})") from None
    if etree.QName(root).localname != "svg":
        raise refuse("is not an SVG document")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "iframe", "object", "embed"):
            raise refuse(f"holds a <{name}>")
        for attribute, value in element.attrib.items():
            attribute, value = str(attribute), str(value)
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                raise refuse(f"holds an event attribute ({local})")
            if attribute in ("href", _XLINK_HREF) and not value.startswith("#"):
                raise refuse(f"refers to another file ({value})")
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise refuse("refers to another file in its styles")
        if name == "style" and ("@import" in (element.text or "") or "url(" in (element.text or "")):
            raise refuse("refers to another file in its styles")
