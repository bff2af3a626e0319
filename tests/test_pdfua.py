"""The print PDF is PDF/UA-1 and PDF/A-3a at once (issue 14): outloud, an independent
checker (PDF/UA-1 and WCAG 2.2 rules, Matterhorn checkpoints), finds nothing on the real
issue, the typography fixture, the pictures fixture and their offprints; and pikepdf checks
what outloud does not."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import FIXTURES, ROOT, BuiltIssue, run_cli
from dizgi import checks

BUILDS = ["built_issue", "built_typography", "built_pictures"]


def pdfs(built: BuiltIssue) -> list[Path]:
    """The issue's PDF and its offprints."""
    found = [built.pdf, *sorted(built.out_dir.glob("*/*.pdf"))]
    assert len(found) >= 2
    return found


@pytest.mark.parametrize("build", BUILDS)
def test_outloud_finds_no_error_and_no_warning(build: str, request: pytest.FixtureRequest) -> None:
    for path in pdfs(request.getfixturevalue(build)):
        report = checks.run_outloud(path)
        assert (report.errors, report.warnings) == (0, 0), (path.name, report.findings)


@pytest.fixture(scope="module")
def real_pdf(built_issue: BuiltIssue) -> bytes:
    return built_issue.pdf.read_bytes()


def test_outloud_sees_a_link_moved_out_of_its_link_element(real_pdf: bytes, tmp_path: Path) -> None:
    """Broken on purpose: one link annotation's object reference moved from its Link
    element to the paragraph around it (and the parent tree told so)."""
    with pikepdf.open(io.BytesIO(real_pdf)) as pdf:
        numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
        annotation = next(a for page in pdf.pages for a in page.obj.get("/Annots", []))
        position = [int(numbers[i]) for i in range(0, len(numbers), 2)].index(int(annotation.StructParent))
        link = numbers[2 * position + 1]
        kids = link.K
        index = next(i for i, kid in enumerate(kids) if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid)
        reference = kids[index]
        del kids[index]
        paragraph = link.P
        paragraph.K.append(reference)
        numbers[2 * position + 1] = paragraph
        broken = tmp_path / "broken.pdf"
        pdf.save(broken)
    report = checks.run_outloud(broken)
    assert report.errors >= 1
    assert any(finding.startswith("error LNK-001") for finding in report.findings), report.findings


def test_outloud_sees_a_pdf_that_does_not_say_pdf_ua(real_pdf: bytes, tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(real_pdf)) as pdf:
        stream = pdf.Root.Metadata
        stream.write(re.sub(rb"<pdfuaid:part>1</pdfuaid:part>", b"", stream.read_bytes()))
        broken = tmp_path / "broken.pdf"
        pdf.save(broken)
    assert any(finding.startswith("error DOC-012") for finding in checks.run_outloud(broken).findings)


def structure(pdf: pikepdf.Pdf) -> tuple[dict[int, pikepdf.Object], set[tuple[int, int]]]:
    """The parent tree (number -> entry) and every element reachable from the root."""
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    seen: set[tuple[int, int]] = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)
    return tree, seen


@pytest.mark.parametrize("build", BUILDS)
def test_every_annotation_sits_in_a_link_element_that_names_where_it_goes(
    build: str, request: pytest.FixtureRequest
) -> None:
    with pikepdf.open(request.getfixturevalue(build).pdf) as pdf:
        tree, reachable = structure(pdf)
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(annotations) >= 3
        for annotation in annotations:
            owner = tree[int(annotation.StructParent)]
            assert pikepdf.Name.Link == owner.S and owner.objgen in reachable
            references = [kid for kid in owner.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid]
            assert annotation.objgen in [reference.Obj.objgen for reference in references]
            contents = str(annotation.Contents)
            assert contents and not re.fullmatch(r"a\d\d(-[a-z]+-\d+)?", contents), contents


def test_a_note_call_says_which_note_it_opens(built_issue: BuiltIssue) -> None:
    with pikepdf.open(built_issue.pdf) as pdf:
        said = {str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])}
    assert {"Not 1", "1: metne dön"} <= said


TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@pytest.mark.parametrize("build", BUILDS)
def test_every_text_on_every_page_is_tagged_or_an_artifact(
    build: str, request: pytest.FixtureRequest
) -> None:
    """Each text-showing operator stands inside marked content that is either owned by an
    element of the structure tree or a pagination artifact (the running heads, folios)."""
    with pikepdf.open(request.getfixturevalue(build).pdf) as pdf:
        tree, reachable = structure(pdf)
        artifacts = 0
        for page in pdf.pages:
            owners = tree[int(page.obj.StructParents)]
            marks: list[str] = []
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(instruction.operator)
                if operator in ("BDC", "BMC"):
                    tag, *properties = instruction.operands
                    if tag == pikepdf.Name.Artifact:
                        marks.append("artifact")
                        artifacts += 1
                    else:
                        mcid = int(properties[0].MCID) if properties and "/MCID" in properties[0] else None
                        tagged = mcid is not None and owners[mcid].objgen in reachable
                        marks.append("tagged" if tagged else "untagged")
                elif operator == "EMC":
                    marks.pop()
                elif operator in TEXT_OPERATORS:
                    assert marks and marks[-1] in ("tagged", "artifact"), (page.index, marks)
        assert artifacts >= 2  # a folio and a running head at least


@pytest.mark.parametrize("build", BUILDS)
def test_the_pdf_says_pdf_ua_1_and_pdf_a_3a(build: str, request: pytest.FixtureRequest) -> None:
    with pikepdf.open(request.getfixturevalue(build).pdf) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
        assert re.search(r"pdfaid:part[>=\"']+3", xmp) and re.search(r"pdfaid:conformance[>=\"']+A", xmp)
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "tr"
        assert pdf.Root.MarkInfo.Marked is True


def _furniture(*places: tuple[float, float]) -> dict[str, object]:
    """outloud's PAG-001 finding as its JSON gives it, with one box per line."""
    return {
        "rule": "PAG-001",
        "severity": "warning",
        "message": f"{len(places)} running header or footer line(s) are tagged as content on 3 or more pages",
        "count": len(places),
        "boxes": [{"page": 4, "x0": 130.0, "y0": y0, "x1": 212.0, "y1": y1} for y0, y1 in places],
    }


def test_outloud_s_furniture_rule_is_not_counted_on_lines_of_the_text_block(built_issue: BuiltIssue) -> None:
    """A generated issue set "Sayı 12, 2015, s. 8–57." as the last note line of three pages:
    outloud took it for a running footer (its box: 73.7–85.2 pt, the text block's foot). A
    line in the margins, where running heads and folios stand, still counts."""
    explained = checks._lines_of_the_text_block
    assert explained(_furniture((73.7, 85.2)), built_issue.pdf)
    assert explained(_furniture((73.7, 85.2), (740.0, 750.0)), built_issue.pdf)
    assert not explained(_furniture((40.0, 50.0)), built_issue.pdf)  # the folio's place
    assert not explained(_furniture((73.7, 85.2), (790.0, 800.0)), built_issue.pdf)  # a running head's
    assert not explained({**_furniture((73.7, 85.2)), "count": 2}, built_issue.pdf)  # a line without a box


def test_the_text_block_margins_the_check_knows_are_the_stylesheet_s() -> None:
    css = (ROOT / "styles" / "print.css").read_text(encoding="utf-8")
    top, _, bottom, _ = re.search(
        r"@page \{[^}]*?margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm", css
    ).groups()
    assert (float(top), float(bottom)) == checks.TEXT_BLOCK_MARGINS_MM


@pytest.fixture(scope="module")
def built_list_note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A note holding a five-item list, printed on an article's last page with little else:
    the page on which three generated issues of 300 failed ORD-001."""
    out_dir = tmp_path_factory.mktemp("list-note")
    run = run_cli("--manuscript", FIXTURES / "list-note", "--out", out_dir, "--only", "pdf", "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    return out_dir


def test_a_page_holding_a_list_in_a_note_is_painted_in_reading_order(built_list_note: Path) -> None:
    """WeasyPrint paints list labels (absolutely positioned markers) after all the text of
    the page; on a page that holds little but a list, outloud then finds it scrambled."""
    from outloud.model import Document

    (pdf,) = built_list_note.glob("*.pdf")
    document = Document(str(pdf))
    labels_by_page: dict[int, int] = {}
    for element in document.elements:
        if element.type == "Lbl":
            for mark in _marks(element):
                labels_by_page[mark.page] = labels_by_page.get(mark.page, 0) + 1
    # the fixture still makes the page it was made for: a page where labels are a third
    # or more of what is painted
    assert any(
        count * 3 >= len(document.content(page).paint_order) for page, count in labels_by_page.items()
    ), labels_by_page
    for path in [pdf, *built_list_note.glob("*/*.pdf")]:
        report = checks.run_outloud(path)
        assert (report.errors, report.warnings) == (0, 0), (path.name, report.findings)


@pytest.mark.parametrize("fixture", ["built_list_note", "built_generated"])
def test_every_list_label_is_painted_just_before_the_item_it_labels(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    from outloud.model import Document

    built = request.getfixturevalue(fixture)
    pdf = next(built.glob("*.pdf")) if isinstance(built, Path) else built.pdf
    document = Document(str(pdf))
    labels, misplaced = 0, []
    for element in document.elements:
        if element.type != "Lbl" or not _marks(element) or element.parent is None:
            continue
        label = _marks(element)[0]
        body = next((kid for kid in element.parent.children if kid.type == "LBody"), None)
        item = [mark for mark in _marks(body) if mark.page == label.page] if body is not None else []
        if not item:
            continue
        painted = document.content(label.page).paint_order
        labels += 1
        at = painted.index((label.stream, label.mcid))
        if painted[at + 1 : at + 2] != [(item[0].stream, item[0].mcid)]:
            item_at = painted.index((item[0].stream, item[0].mcid))
            misplaced.append(f"page {label.page + 1}: label painted {at}, item {item_at}")
    assert misplaced == []
    assert labels >= 4


def _marks(element: Any) -> list[Any]:
    """The marked-content references of an element and all its descendants, in order."""
    return [*element.mcrefs, *(mark for child in element.children for mark in _marks(child))]


def test_moving_the_labels_changes_nothing_drawn(tmp_path: Path) -> None:
    """Each label is drawn, after the move, in the colour and transparency it was drawn in
    before. Here the first marker is drawn in the colour of the last paragraph, painted just
    before it (half-transparent blue), so the stream does not set that colour again; moved
    after the first, black paragraph, it must set it itself. A list in a list, too."""
    import pypdfium2
    import weasyprint

    from dizgi import labelorder

    html = """<html lang="tr"><head><title>x</title><style>
      li::marker { color: rgba(0, 0, 90, 0.5) } .grey { color: #777 }
      .after { color: rgba(0, 0, 90, 0.5) }
    </style></head><body><p>Önce bir paragraf.</p><ol class="grey"><li>Bir</li>
    <li><p>İki</p><ul><li>İç madde</li><li>İkinci iç madde</li></ul></li></ol>
    <p class="after">Sonra.</p></body></html>"""
    before = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(before)) as pdf:
        moved = labelorder.paint_labels_in_reading_order(pdf, pdf.Root.StructTreeRoot)
        out = io.BytesIO()
        pdf.save(out)
    assert moved == 4

    def pixels(data: bytes) -> bytes:
        page = pypdfium2.PdfDocument(data)[0]
        return bytes(page.render(scale=2).to_pil().tobytes())

    assert pixels(out.getvalue()) == pixels(before)


@pytest.mark.parametrize("fixture", ["built_issue", "built_generated", "built_citations"])
def test_every_passage_in_another_language_carries_its_lang_in_the_structure_tree(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """T1 in the PDF: WeasyPrint 70 writes only the document's /Lang, so an English abstract
    or a Russian name was read with the Turkish voice. Each element the EPUB marks with
    another language (the same HTML) has its text under a structure element with that
    /Lang, read back by outloud."""
    from outloud.model import Document

    from conftest import read_epub

    built: BuiltIssue = request.getfixturevalue(fixture)

    def squeezed(text: str) -> str:
        return "".join(text.replace("\u2010", "").replace("\u00ad", "").split())

    wanted: list[tuple[str, str]] = []

    def walk(element: Any, inherited: str) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            lang = child.get("lang") or inherited
            if lang != inherited and squeezed("".join(child.itertext())):
                wanted.append((lang, squeezed("".join(child.itertext()))))
            walk(child, lang)

    for name, root in read_epub(built.epub).documents:
        if re.search(r"a\d\d\.xhtml$", name):
            walk(root, root.get("lang"))
    assert wanted, "the fixture has passages in another language"

    document = Document(str(built.pdf))
    texts: dict[tuple[int, Any, int], str] = {}
    for page in range(len(document.pages)):
        for (stream, mcid), text in document.content(page).mcid_text.items():
            texts[(page, stream, mcid)] = squeezed(text)

    def text_of(element: Any) -> str:
        own = "".join(texts.get((ref.page, ref.stream, ref.mcid), "") for ref in element.mcrefs)
        return own + "".join(text_of(child) for child in element.children)

    marked: dict[str, str] = {}
    for element in document.elements:
        if element.lang and (element.parent is None or element.parent.lang != element.lang):
            # a passage split over lines or pages is one element per piece: joined as read
            marked[element.lang] = marked.get(element.lang, "") + text_of(element)
    unmarked = [(lang, text) for lang, text in wanted if text not in marked.get(lang, "")]
    assert unmarked == [], f"{len(unmarked)} of {len(wanted)} passages without their /Lang"
