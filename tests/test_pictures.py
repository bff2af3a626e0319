"""Pictures, tables and quotes, read back from both outputs of the pictures fixture (a
photograph with its credit, an SVG chart with its source, a table across a page, a block
quote and a pull quote), and the bad pictures with their exact messages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTFigure, LTImage
from PIL import Image
from pypdf import PdfReader

from conftest import (
    FIXTURES,
    OPF,
    PICTURES_SLUG,
    TEXT_WIDTH,
    XHTML,
    BuiltIssue,
    EpubContents,
    read_epub,
    run_cli,
    text_block,
)
from dizgi import checks, readback, svgclip
from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

PICTURES = FIXTURES / "pictures"
SLUG = PICTURES_SLUG
MM = 72 / 25.4


@pytest.fixture(scope="session")
def pictures_epub(built_pictures: BuiltIssue) -> EpubContents:
    return read_epub(built_pictures.epub)


def test_the_pictures_fixture_builds_without_a_warning(built_pictures: BuiltIssue) -> None:
    assert built_pictures.run.stderr == ""


def test_the_photograph_is_in_the_pdf_at_its_own_resolution_inside_the_text_block(
    built_pictures: BuiltIssue,
) -> None:
    placed = []
    for page in extract_pages(built_pictures.pdf):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTImage):
                placed.append((item.srcsize, item.bbox, page.pageid))
            elif isinstance(item, LTFigure):
                stack.extend(item)
    photographs = [(size, box, width) for size, box, width in placed if size == (2000, 1333)]
    assert len(photographs) == 1, placed
    _, (x0, _, x1, _), page = photographs[0]
    left, right = text_block(page)
    assert x0 >= left - 0.5 and x1 <= right + 0.5, "the picture leaves the text block"
    assert x1 - x0 == pytest.approx(TEXT_WIDTH, abs=1), "a picture wider than the block is set to its width"


def test_figures_are_tagged_with_their_alt_text(built_pictures: BuiltIssue) -> None:
    root = PdfReader(built_pictures.pdf).trailer["/Root"]["/StructTreeRoot"]
    figures: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt")))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
    assert sorted(figures) == [
        "Akşam ışığında Bakü’nün yüksek binaları, pencerelerde ışıklar",
        "Bakü’de bir tören: bayraklar ve kalabalık",
        "Hazar Denizi’nde gün batımı; güneş suya yansıyor",
        "Türkiye’nin Azerbaycan’a ihracatı, 2010–2024 (milyar dolar)",
    ]


def test_captions_credits_and_the_repeated_table_header_are_in_the_pdf_text(
    built_pictures: BuiltIssue,
) -> None:
    lines = readback.pdf_lines(built_pictures.pdf)
    text = "\n".join(line.text for line in lines)
    assert "Bakü’de bir tören: bayraklar ve kalabalık. Fotoğraf: Anadolu Ajansı" in text
    assert "Türkiye’nin Azerbaycan’a ihracatı, 2010–2024 (milyar dolar). Kaynak: TÜİK" in text
    header_pages = [line.page for line in lines if line.text.strip() == "İhracat"]  # a head cell
    assert len(header_pages) == 2 and len(set(header_pages)) == 2, "the table crosses a page: its head twice"
    first_year, last_year = (
        next(line.page for line in lines if line.text.strip().startswith(year)) for year in ("1990", "2030")
    )
    assert first_year < last_year


def test_the_epub_packages_each_picture_with_its_media_type_scaled_for_reading(
    pictures_epub: EpubContents,
) -> None:
    items = {item.get("href"): item.get("media-type") for item in pictures_epub.opf.iter(f"{OPF}item")}
    assert items["images/a01-lead.jpg"] == "image/jpeg"
    assert items["images/a01-1.jpg"] == "image/jpeg"
    assert items["images/a01-2.svg"] == "image/svg+xml"
    with Image.open(io.BytesIO(pictures_epub.members["EPUB/images/a01-1.jpg"])) as photograph:
        assert photograph.size == (1600, 1066)
    svg = pictures_epub.members["EPUB/images/a01-2.svg"]
    assert svg == (PICTURES / "images" / "ihracat.svg").read_bytes()


def test_the_epub_markup_of_figures_tables_and_quotes(pictures_epub: EpubContents) -> None:
    article = dict(pictures_epub.documents)["EPUB/a01.xhtml"]
    images = list(article.iter(f"{XHTML}img"))
    assert [image.get("alt") for image in images] == [
        "Akşam ışığında Bakü’nün yüksek binaları, pencerelerde ışıklar",
        "Bakü’de bir tören: bayraklar ve kalabalık",
        "Türkiye’nin Azerbaycan’a ihracatı, 2010–2024 (milyar dolar)",
    ]
    captions = ["".join(caption.itertext()) for caption in article.iter(f"{XHTML}figcaption")]
    assert captions == [
        "Bakü’de akşam. Fotoğraf: Ayşe Yılmaz",
        "Bakü’de bir tören: bayraklar ve kalabalık. Fotoğraf: Anadolu Ajansı",
        "Türkiye’nin Azerbaycan’a ihracatı, 2010–2024 (milyar dolar). Kaynak: TÜİK",
    ]
    assert {th.get("scope") for th in article.iter(f"{XHTML}th")} == {"col"}
    assert article.find(f".//{XHTML}div[@class='table-wrap']/{XHTML}table") is not None
    pullquote = article.find(f".//{XHTML}div[@class='pullquote']")
    assert pullquote is not None and pullquote.get("aria-hidden") == "true"
    assert article.find(f".//{XHTML}blockquote") is not None


def test_the_cover_picture_is_on_the_printed_cover_and_is_the_epub_cover_image(
    built_pictures: BuiltIssue, pictures_epub: EpubContents
) -> None:
    first_page = next(iter(extract_pages(built_pictures.pdf, maxpages=1)))
    stack, sizes = list(first_page), []
    while stack:
        item = stack.pop()
        if isinstance(item, LTImage):
            sizes.append(item.srcsize)
        elif isinstance(item, LTFigure):
            stack.extend(item)
    assert sizes == [(1800, 1200)]
    covers = [
        item for item in pictures_epub.opf.iter(f"{OPF}item") if item.get("properties") == "cover-image"
    ]
    assert [(item.get("href"), item.get("media-type")) for item in covers] == [
        ("images/cover.jpg", "image/jpeg")
    ]
    with Image.open(io.BytesIO(pictures_epub.members["EPUB/images/cover.jpg"])) as cover:
        assert cover.size == (1600, 1067), "the cover picture itself, at reading size, not a page render"
    page = dict(pictures_epub.documents)["EPUB/cover.xhtml"]
    (image,) = page.iter(f"{XHTML}img")
    assert (image.get("src"), image.get("alt")) == (
        "images/cover.jpg",
        "Hazar Denizi’nde gün batımı; güneş suya yansıyor",
    )


def test_the_author_s_orcid_is_a_link_and_the_bio_follows_the_article(
    built_pictures: BuiltIssue, pictures_epub: EpubContents
) -> None:
    article = dict(pictures_epub.documents)["EPUB/a01.xhtml"]
    links = [(a.get("href"), "".join(a.itertext())) for a in article.iter(f"{XHTML}a")]
    # shown whole, as ORCID's display guidelines ask (not "ORCID 0000-…")
    assert ("https://orcid.org/0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097") in links
    bio = article.find(f".//{XHTML}p[@class='author-bio']")
    assert bio is not None and "".join(bio.itertext()) == (
        "Ayşe Yılmaz Ankara Üniversitesi Uluslararası İlişkiler Bölümü’nde öğretim üyesidir; "
        "Kafkasya üzerine çalışır."
    )
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in PdfReader(built_pictures.pdf).pages
        for annotation in page.get("/Annots", []) or []
        if "/A" in annotation.get_object()
    ]
    assert "https://orcid.org/0000-0002-1825-0097" in uris


def test_accessibility_metadata_follows_the_content(pictures_epub: EpubContents) -> None:
    metadata = {}
    for meta in pictures_epub.opf.iter(f"{OPF}meta"):
        metadata.setdefault(meta.get("property"), []).append(meta.text)
    assert metadata["schema:accessMode"] == ["textual", "visual"]
    assert metadata["schema:accessModeSufficient"] == ["textual"]
    assert "alternativeText" in metadata["schema:accessibilityFeature"]
    summary = metadata["schema:accessibilitySummary"][0]
    assert summary.startswith("Bu yayın metin ve görsellerden oluşur")
    assert "Metnin dili Türkçe olarak belirtilmiştir" in summary


def test_epubcheck_and_ace_accept_the_epub_with_pictures(built_pictures: BuiltIssue) -> None:
    report = checks.run_epubcheck(built_pictures.epub)
    assert report.messages == (), report.summary
    assert checks.run_ace(built_pictures.epub).violations == ()


def add_picture(manuscript: Path, markdown: str, name: str, content: bytes) -> Path:
    (manuscript / "articles" / name).write_bytes(content)
    article = manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{markdown}\n", encoding="utf-8")
    return article


def picture_bytes(size: tuple[int, int], mode: str = "RGB", kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (0, 200, 200, 0) if mode == "CMYK" else 1 if mode == "P" else "red").save(
        buffer, kind
    )
    return buffer.getvalue()


def png(size: tuple[int, int]) -> bytes:
    return picture_bytes(size)


#: a line appended to the minimal article is line 19
LINE = 19


@pytest.mark.parametrize(
    ("markdown", "name", "content", "problem", "fix"),
    [
        (
            "![](resim.png)",
            "resim.png",
            png((2000, 1000)),
            "the picture 'resim.png' has no alt text",
            "write what the picture shows between the brackets: ![Bakü’de bir tören](images/toren.jpg); "
            "a picture that adds nothing to the text can say so: ![](images/süs.png){.decorative}",
        ),
        (
            "![Bozuk](bozuk.png)",
            "bozuk.png",
            b"\x89PNG\r\n\x1a\n not really a picture",
            "the picture 'bozuk.png' cannot be read as a picture (Truncated File Read)",
            "open it in an image program and save it again as JPEG (a photograph) or PNG (a chart)",
        ),
        (
            "![Hareketli](hareket.gif)",
            "hareket.gif",
            picture_bytes((10, 10), "P", "GIF"),
            "the picture 'hareket.gif' is a GIF; dizgi takes JPEG, PNG and SVG",
            "save it as JPEG (a photograph) or PNG (a chart, a drawing)",
        ),
        (
            "![Grafik](grafik.svg)",
            "grafik.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "the SVG picture 'grafik.svg' holds a <script>",
            "export the chart again as plain SVG (no script, no linked files or fonts), or as PNG",
        ),
        (
            "![Grafik](grafik.svg)",
            "grafik.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="http://iz.invalid/p.png"/></svg>',
            "the SVG picture 'grafik.svg' refers to another file (http://iz.invalid/p.png)",
            "export the chart again as plain SVG (no script, no linked files or fonts), or as PNG",
        ),
        (
            "Metin ![küçük](kucuk.png){credit=AA} içinde.",
            "kucuk.png",
            png((2000, 1000)),
            "the picture 'kucuk.png' has a credit but stands inside a paragraph",
            "give a picture with a credit a paragraph of its own, so it is set as a figure",
        ),
        (
            "![Bir tören](kucuk.png){credit=AA}\n\n: Yıllara göre ticaret hacmi",
            "kucuk.png",
            png((2000, 1000)),
            "the picture 'kucuk.png' stands as the term of a definition list: the paragraph after it "
            "begins with ':', which Markdown reads as the picture's definition",
            "begin that paragraph with something other than ':' (or write '\\:'); a table's caption "
            "': …' stands right under its table",
        ),
        (
            "![](kucuk.png){credit=AA}",
            "kucuk.png",
            png((2000, 1000)),
            "the picture 'kucuk.png' has a credit but no caption",
            "write what the picture shows between its brackets: "
            '![Bakü’de bir tören](images/toren.jpg){credit="Anadolu Ajansı"}; '
            "it is the caption and the screen reader's text",
        ),
    ],
    ids=[
        "no alt text",
        "corrupt",
        "GIF",
        "SVG with script",
        "SVG fetching",
        "credit inline",
        "credit, a definition's term",
        "credit, no caption",
    ],
)
def test_a_bad_picture_is_named_with_its_article_and_line(
    minimal_manuscript: Path, tmp_path: Path, markdown: str, name: str, content: bytes, problem: str, fix: str
) -> None:
    article = add_picture(minimal_manuscript, markdown, name, content)
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    problem = problem.replace("{folder}", str(minimal_manuscript))
    assert_failed_cleanly(run, out_dir, f"{article}, line {LINE}: {problem}\n  what to do: {fix}")


def test_a_picture_below_300_ppi_is_a_warning_with_its_line(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = add_picture(minimal_manuscript, "![Küçük bir resim](kucuk.png)", "kucuk.png", png((800, 400)))
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert (run.code, run.stderr) == (
        0,
        f"dizgi: warning: {article}, line {LINE}: the picture 'kucuk.png' prints at 156 ppi "
        "(800 px across 130 mm); print wants 300 ppi, 1535 px across\n",
    )


def test_a_decorative_picture_has_an_empty_alt_and_no_role_in_the_reading(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    add_picture(minimal_manuscript, "![](sus.png){.decorative}", "sus.png", png((2000, 200)))
    out_dir = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert (run.code, run.stderr) == (0, "")
    with zipfile.ZipFile(out_dir / "deneme-dergisi-2025-03.epub") as book:
        xhtml = book.read("EPUB/a01.xhtml").decode()
    assert '<img alt="" src="images/a01-1.png" role="presentation"/>' in xhtml


def test_a_cmyk_photograph_reaches_the_pdf_as_srgb(minimal_manuscript: Path, tmp_path: Path) -> None:
    """PDF/A with an sRGB output intent takes no DeviceCMYK: the picture is converted."""
    add_picture(
        minimal_manuscript,
        "![Bir baskı fotoğrafı](baski.jpg)",
        "baski.jpg",
        picture_bytes((2000, 1000), "CMYK", "JPEG"),
    )
    out_dir = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert (run.code, run.stderr) == (0, "")
    reader = PdfReader(out_dir / "deneme-dergisi-2025-03.pdf")
    spaces = [
        str(xobject.get_object().get("/ColorSpace"))
        for page in reader.pages
        for xobject in (page.get("/Resources", {}).get("/XObject", {}) or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert spaces and not any("CMYK" in space for space in spaces), spaces


def test_a_picture_replaced_between_builds_is_read_anew(minimal_manuscript: Path, tmp_path: Path) -> None:
    """The article's text is unchanged, but its picture is not: nothing stale from the cache."""
    article = add_picture(minimal_manuscript, "![Küçük bir resim](kucuk.png)", "kucuk.png", png((800, 400)))
    cache, out_dir = tmp_path / "cache", tmp_path / "out"
    first = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--cache", cache, "--quiet")
    assert first.stderr.startswith(
        f"dizgi: warning: {article}, line {LINE}: the picture 'kucuk.png' prints at 156"
    )
    (minimal_manuscript / "articles" / "kucuk.png").write_bytes(png((2400, 1200)))
    second = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--cache", cache, "--quiet")
    assert (second.code, second.stderr) == (0, "")
    with (
        zipfile.ZipFile(out_dir / "deneme-dergisi-2025-03.epub") as book,
        Image.open(io.BytesIO(book.read("EPUB/images/a01-1.png"))) as picture,
    ):
        assert picture.size == (1600, 800)


SPILLING_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" {size}>'
    '<rect width="100" height="50" fill="#ccc"/><circle cx="100" cy="60" r="40" fill="#f00"/></svg>'
)


@pytest.mark.parametrize(
    "size", ['width="100" height="50" viewBox="0 0 100 50"', 'width="26.4583mm" height="50px"']
)
def test_an_svg_that_draws_past_its_viewport_is_clipped_in_print(size: str, tmp_path: Path) -> None:
    """Print gives pictures ``overflow: visible`` (so that they are painted in reading order),
    and an SVG clips itself to its ``viewBox`` or size, as a reading system shows it: the red
    circle drawn past the grey chart's lower edge stops at that edge."""
    import pypdfium2
    import weasyprint

    svg = svgclip.clipped(SPILLING_SVG.format(size=size).encode())
    (tmp_path / "chart.svg").write_bytes(svg)
    html = (
        '<html><style>@page { margin: 0 }</style><body style="margin:0">'
        '<img src="chart.svg" alt="" style="display:block;width:100px;height:50px;overflow:visible">'
        "</body></html>"
    )
    weasyprint.HTML(string=html, base_url=str(tmp_path) + "/").write_pdf(tmp_path / "chart.pdf")
    page = pypdfium2.PdfDocument(tmp_path / "chart.pdf")[0]
    image = page.render(scale=96 / 72).to_pil().convert("RGB")  # 1 px per CSS px
    red = [(x, y) for x in range(image.width) for y in range(0, 120) if image.getpixel((x, y)) == (255, 0, 0)]
    assert red, "the circle inside the chart was not drawn"
    assert max(y for _, y in red) <= 50 and max(x for x, _ in red) <= 100, "the SVG drew past its viewport"


def test_an_svg_whose_viewport_is_unknown_is_left_as_it_is() -> None:
    svg = SPILLING_SVG.format(size='width="100%"').encode()
    assert svgclip.clipped(svg) == svg
