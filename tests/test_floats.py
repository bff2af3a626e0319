"""Page floats (``floats.py``), read back from built PDFs: no page of body text is left
less than 85% full (an article's last page aside), a figure stays with its caption and
comes at most one page after the text that calls it, and a split paragraph reads as the
whole did."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTCurve, LTFigure, LTImage, LTLine, LTRect, LTTextContainer

from conftest import FIXTURES, BuiltIssue, build_once, run_cli
from dizgi import floats, readback

MM = 72 / 25.4
#: print.css: the text block's top and bottom margins
TOP_MARGIN, BOTTOM_MARGIN = 24 * MM, 26 * MM


@pytest.fixture(scope="session")
def built_floats(tmp_path_factory: pytest.TempPathFactory) -> BuiltIssue:
    """Six floats of mixed sizes: a photograph, a wide, a tall and a small chart, a pull
    quote and a table (without floats.py its page 4 is 53% full)."""
    return build_once(tmp_path_factory, FIXTURES / "floats", "dis-bakis-2026-12")


def fills(pdf: Path) -> list[float]:
    """Each page's fill: from the text block's top to the lowest text line, picture or rule
    inside it, as a share of its height (running heads and folios stand outside it)."""
    result = []
    for page in extract_pages(str(pdf)):
        top, bottom = page.height - TOP_MARGIN, BOTTOM_MARGIN
        lows = [
            item.y0
            for item in page
            if isinstance(item, LTTextContainer | LTFigure | LTImage | LTRect | LTLine | LTCurve)
            and item.y0 >= bottom - 2
            and item.y1 <= top + 2
        ]
        result.append((top - min(lows)) / (top - bottom) if lows else 0.0)
    return result


def body_pages(pdf: Path) -> list[int]:
    """The pages (1-based) of the article's body other than its last: after the cover and
    the contents, before the article's last page and the colophon."""
    count = len(fills(pdf))
    return list(range(3, count - 1))


@pytest.mark.parametrize("fixture", ["built_issue", "built_pictures", "built_floats"])
def test_no_page_of_body_text_is_less_than_85_percent_full(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    built: BuiltIssue = request.getfixturevalue(fixture)
    measured = fills(built.pdf)
    pages = body_pages(built.pdf)
    assert pages, "the fixture has no body page but its last"
    short = {page: round(measured[page - 1], 2) for page in pages if measured[page - 1] < floats.MIN_FILL}
    assert not short, f"pages filled less than {floats.MIN_FILL:.0%}: {short}"


def test_the_build_says_how_many_floats_it_moved(built_floats: BuiltIssue, built_issue: BuiltIssue) -> None:
    assert re.search(
        r"^  pdf .*; 1 float moved to the next page(; short pages: .*)?$", built_floats.run.stdout, re.M
    )
    assert "moved to the next page" not in built_issue.run.stdout  # nothing to move


def test_the_paragraphs_around_a_moved_float_keep_their_lines(built_floats: BuiltIssue) -> None:
    """A float moved after a pull quote took the indent of the paragraph after it (``p +
    figure + p`` no longer matched): its first line, set by fitting with the indent, was
    justified wider and loose. The paragraphs keep their indents, so no line is loose."""
    assert re.search(r"^  pdf .*loose lines 0\.0% ", built_floats.run.stdout, re.M)
    assert readback.loose_lines(readback.pdf_lines(built_floats.pdf)).loose == ()


def test_the_measure_sees_a_short_page(built_issue: BuiltIssue) -> None:
    """The measure can fail: the article's last page (the Kaynakça) is far from full."""
    assert fills(built_issue.pdf)[len(fills(built_issue.pdf)) - 2] < floats.MIN_FILL


def _pages_with(pdf: Path, text: str) -> list[int]:
    found = []
    for number, page in enumerate(extract_pages(str(pdf)), start=1):
        words = "".join(item.get_text() for item in page if isinstance(item, LTTextContainer))
        if text in " ".join(words.split()):
            found.append(number)
    return found


def _pages_with_photographs(pdf: Path) -> set[int]:
    def images(item: object) -> bool:
        return isinstance(item, LTImage) or (
            isinstance(item, LTFigure) and any(images(inner) for inner in item)
        )

    return {number for number, page in enumerate(extract_pages(str(pdf)), start=1) if any(map(images, page))}


def test_floats_keep_their_captions_and_stay_within_a_page_of_their_call(built_floats: BuiltIssue) -> None:
    """The photograph and the tall chart, each after the paragraph that calls it."""
    (photograph,) = _pages_with(built_floats.pdf, "Bakü’de bir tören: bayraklar ve kalabalık")
    assert photograph in _pages_with_photographs(built_floats.pdf)
    for caption, called_after in (
        ("Bakü’de bir tören: bayraklar ve kalabalık", "Zengezur koridoru tartışmaları ise Nahçıvan"),
        ("İhracatın ülkelere göre dağılımı, 2024", "Zengezur koridoru tartışmaları ise Nahçıvan"),
    ):
        (page,) = _pages_with(built_floats.pdf, caption)
        calls = [call for call in _pages_with(built_floats.pdf, called_after) if call <= page]
        assert calls and page <= max(calls) + 1, (caption, calls, page)


@pytest.mark.parametrize("fixture", ["built_pictures", "built_floats"])
def test_a_table_caption_stands_on_its_tables_page(fixture: str, request: pytest.FixtureRequest) -> None:
    """Under the caption, on its page, the table's header row (WeasyPrint would leave the
    caption alone at the foot of a page and begin the table on the next)."""
    built: BuiltIssue = request.getfixturevalue(fixture)
    caption = "Yıllara göre ticaret hacmi (milyar dolar)"
    (number,) = _pages_with(built.pdf, caption)
    page = list(extract_pages(str(built.pdf)))[number - 1]
    lines = [line for box in page if isinstance(box, LTTextContainer) for line in box]
    (above,) = [line.y0 for line in lines if caption in " ".join(line.get_text().split())]
    assert any("İhracat" in line.get_text() and line.y1 <= above for line in lines)


def test_the_pictures_fixture_sets_its_photograph_at_the_top_of_the_next_page(
    built_pictures: BuiltIssue,
) -> None:
    """The picture that did not fit under the first paragraph went to the next page, and the
    text after it filled the page it left (before: the lead photograph and one paragraph)."""
    (page,) = _pages_with(built_pictures.pdf, "Bakü’de bir tören: bayraklar ve kalabalık")
    assert page == 4
    assert 3 in _pages_with(built_pictures.pdf, "Türk müteahhitlerinin üstlendiği altyapı işleri")


def test_a_split_paragraph_keeps_its_text_its_anchors_once_and_its_last_line_justified() -> None:
    root = ElementTree.fromstring(
        '<div class="article-body"><p id="p1">Bir iki <em id="e">üç dört</em> beş'
        '<a id="n1" href="#x">1</a> altı yedi</p></div>'
    )
    paragraph = root[0]
    parents = {child: parent for parent in root.iter() for child in parent}
    second = floats.split_paragraph(paragraph, ["Bir iki üç"], parents)
    assert second is not None
    assert "".join(paragraph.itertext()) == "Bir iki üç "
    assert "".join(second.itertext()) == "dört beş1 altı yedi"
    assert [node.get("id") for node in root.iter() if node.get("id")] == ["p1", "e", "n1"]
    assert "text-align-last: justify" in paragraph.get("style", "")
    assert "text-indent: 0" in second.get("style", "")
    assert floats.split_paragraph(second, ["başka bir metin"], parents) is None


@pytest.mark.parametrize("fixture", ["built_issue", "built_pictures", "built_floats"])
def test_a_page_of_an_article_under_a_quarter_full_is_reported(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """Issue 24: a page after an article's opener that sets less than a quarter of a text
    block is named in a warning with its share and in the pdf line of the summary; the
    pages the PDF read-back finds that short are the ones named (the floats fixture has one)."""
    built: BuiltIssue = request.getfixturevalue(fixture)
    measured = fills(built.pdf)
    article_pages_after_opener = range(4, len(measured))  # cover, contents, opener ... colophon
    short = {page for page in article_pages_after_opener if measured[page - 1] < 0.25}
    named = re.findall(
        r"^dizgi: warning: \S+\.md: page (\d+) sets only (\d+)% of a text block", built.run.stderr, re.M
    )
    assert {int(page) for page, _ in named} == short
    for page, share in named:
        assert abs(int(share) / 100 - measured[int(page) - 1]) < 0.03
        assert re.search(rf"^  pdf .*; short pages: .*\b{page} \({share}%\)", built.run.stdout, re.M)
    if fixture == "built_floats":
        assert short == {7}
        assert re.search(
            r"page 7 sets only 2\d% of a text block \(less than 25%, 10 lines\): shorten", built.run.stderr
        )


def test_a_generated_issue_whose_floats_shorten_it_by_pages_builds(built_generated: BuiltIssue) -> None:
    """Drawn by ``issue_grammar`` (five articles, thirteen pictures, four tables): taking its
    floats out at once shortened the issue by three pages, and putting one back asked for a
    page no longer there (IndexError in floats). Its short pages are named."""
    run = built_generated.run
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert re.search(r"^  pdf .* floats moved to the next page; short pages: ", run.stdout, re.M)


def _page_items(pdf: Path, number: int) -> tuple[list[Any], list[Any]]:
    """The page's text lines and pictures (pdfminer), pictures inside figures included."""
    page = list(extract_pages(str(pdf)))[number - 1]
    lines = [line for box in page if isinstance(box, LTTextContainer) for line in box]
    pictures = [item for item in page if isinstance(item, LTImage)] + [
        inner for item in page if isinstance(item, LTFigure) for inner in item if isinstance(inner, LTImage)
    ]
    return lines, pictures


def test_a_tall_picture_on_a_page_of_notes_is_shrunk_to_stand_above_them_with_its_caption(
    tmp_path: Path,
) -> None:
    """Drawn by ``issue_grammar`` (footnotes): a tall narrow picture (50 × 600 px) opens a page
    whose notes run seventeen lines. It was drawn over the notes, its caption on the next
    page, and the EPUB's page marker stood before a caption printed a page later."""
    run = run_cli("--manuscript", FIXTURES / "tall-picture", "--out", tmp_path, "--only", "pdf", "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    (pdf,) = tmp_path.glob("*.pdf")
    (page,) = _pages_with(pdf, "Fotoğraf: Anadolu Ajansı")
    lines, pictures = _page_items(pdf, page)
    (credit,) = [line for line in lines if "Fotoğraf: Anadolu Ajansı" in line.get_text()]
    (note,) = [line for line in lines if "Gülşen Ünal" in line.get_text()]
    tall = [picture for picture in pictures if picture.height > 100 * MM]
    assert tall, f"page {page} has no tall picture"
    assert all(picture.y0 >= credit.y1 for picture in tall)  # the caption under the picture
    assert note.y1 <= credit.y0  # the notes under the caption


@pytest.mark.parametrize("fixture", ["built_pictures", "built_floats"])
def test_every_picture_is_painted_before_its_caption(fixture: str, request: pytest.FixtureRequest) -> None:
    """The content stream paints a page in the tag tree's order (outloud's ORD-001): a
    picture before its caption. WeasyPrint's own stylesheet clips every ``img``, which made
    it a stacking context painted after all the text of its page (12 of 300 generated issues
    then failed ORD-001)."""
    from outloud.model import Document

    built: BuiltIssue = request.getfixturevalue(fixture)
    document = Document(str(built.pdf))
    pictures = 0
    late: list[str] = []
    for element in document.elements:
        if element.type != "Figure" or not element.mcrefs or element.parent is None:
            continue
        captions = [sibling for sibling in element.parent.children if sibling.type == "Caption"]
        page = element.mcrefs[0].page
        assert page is not None
        if page == 0:  # the cover's picture is cropped by clipping (object-fit: cover)
            continue
        painted = document.content(page).paint_order
        mark = (element.mcrefs[0].stream, element.mcrefs[0].mcid)
        if mark not in painted:  # an SVG drawn with paths only: outloud sees no paint in it
            continue
        picture_at = painted.index(mark)
        pictures += 1
        for caption in captions:
            caption_marks = [(ref.stream, ref.mcid) for ref in _marks(caption) if ref.page == page]
            caption_at = [painted.index(mark) for mark in caption_marks if mark in painted]
            if caption_at and min(caption_at) < picture_at:
                late.append(f"page {page + 1}: {element.alt!r}")
    assert late == [], f"pictures painted after their captions: {late}"
    # the raster pictures (an SVG drawn with paths only shows outloud no paint)
    assert pictures == {"built_pictures": 2, "built_floats": 1}[fixture], "the pictures were not all found"


def _marks(element: Any) -> list[Any]:
    """The marked-content references of an element and all its descendants."""
    return [*element.mcrefs, *(mark for child in element.children for mark in _marks(child))]


def test_a_footnote_is_printed_on_the_page_of_its_call(tmp_path: Path) -> None:
    """To keep two lines of a paragraph at the foot of a page, WeasyPrint moved the page's
    note to the next page (``notepages``): found in a generated May issue (note 1 called on
    page 8, printed on page 9); this one-article fixture does the same on page 4."""
    run = run_cli(
        "--manuscript", FIXTURES / "deferred-note", "--out", tmp_path, "--only", "pdf", "--no-cache"
    )
    assert run.code == 0, run.stderr[-3000:]
    (pdf,) = tmp_path.glob("*.pdf")
    lines = readback.pdf_lines(pdf)
    calls = {
        int(char.get_text()): line.page
        for line in lines
        if line.size > 10
        for char in line.chars
        if char.get_text().isdigit() and char.size < 0.85 * line.size
    }
    notes = {
        int(match.group(1)): line.page
        for line in lines
        if (match := re.match(r"(\d)\. Şükrü Işık", line.text))
    }
    assert sorted(notes) == [1, 2, 3]
    assert calls == notes


def test_a_note_too_long_to_come_back_leaves_no_page_short_in_the_middle_of_an_article(
    tmp_path: Path,
) -> None:
    """Footnotes of 22 lines, each moved by WeasyPrint to the page after its call's: no
    page leaves room to take one back, and pushing the paragraph at the foot of the call's
    page (``notepages``) only left pages 12% and 35% full in the middle of the article (11
    pages where 8 do). Such a round is undone: every page of the article but its last is
    full."""
    run = run_cli("--manuscript", FIXTURES / "long-note", "--out", tmp_path, "--only", "pdf", "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    (pdf,) = tmp_path.glob("*.pdf")
    article = fills(pdf)[2:-2]  # after the cover and contents; before its last page and the colophon
    assert len(article) >= 3
    assert [round(fill, 2) for fill in article if fill < floats.MIN_FILL] == []
    assert "short pages" not in run.stdout


def test_a_long_note_called_at_an_article_s_end_is_not_printed_on_the_next_opener(tmp_path: Path) -> None:
    """Drawn by the long run (page footnotes): notes 3 and 4 of the third article, too long
    for the room its last page left, went to the next page, where the fourth article
    begins: its rubric stood over them and its title a page later. The line of the call
    goes with such a note instead; the opener is whole, and each EPUB page marker on its
    page."""
    from test_generated_issues import markers_off_their_pages

    run = run_cli("--manuscript", FIXTURES / "note-before-opener", "--out", tmp_path, "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    (pdf,), (epub,) = tmp_path.glob("*.pdf"), tmp_path.glob("*.epub")
    lines = readback.pdf_lines(pdf)
    title = next(
        line for line in lines if line.page > 2 and line.text.startswith("Bu durum sadece Bakü’nün değil,")
    )
    rubrics = [line for line in lines if line.text.replace(" ", "") == "Analiz" and line.page == title.page]
    assert rubrics, f"the fourth article's rubric is not on its title's page {title.page}"
    notes = {line.page for line in lines if line.text.startswith("3. Gülşen Ünal, “Dolayısıyla kolektif")}
    assert notes and title.page not in notes
    assert markers_off_their_pages(epub, lines) == []
