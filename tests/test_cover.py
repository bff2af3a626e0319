"""The cover holds 1 to 40 articles on one page: a few headlines, the rest counted, so the
contents begin on page 2 and every page keeps its label; read back from built PDFs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTImage, LTTextContainer

from conftest import FIXTURES, XHTML, BuiltIssue, read_epub, run_cli
from dizgi import cache, covering, figures, pdf, pipeline, scheduling
from test_fitting import STYLES, CoverHere, typeset_issue

ARTICLES = 40
LONG_TITLE = "Karabağ’dan Türk Dünyasına: Türkiye-Azerbaycan Savunma Ortaklığının Bölgesel " * 3
TITLE = "Güney Kafkasya’da Yeni Dengeler ve Türkiye-Azerbaycan Savunma Ortaklığı, Sayı {}"


def volume(folder: Path, *, picture: bool, articles: int = ARTICLES) -> Path:
    """A manuscript of 40 short articles; the first title is as long as dizgi allows."""
    (folder / "articles").mkdir(parents=True)
    lines = ["magazine: Dış Bakış", "issue: Nisan 2025", "date: 2025-04-01", "number: 12"]
    if picture:
        (folder / "images").mkdir()
        shutil.copy(FIXTURES / "pictures" / "images" / "kapak.jpg", folder / "images")
        lines += ["cover:", "  file: images/kapak.jpg", "  alt: Hazar Denizi’nde gün batımı"]
    lines.append("articles:")
    for number in range(1, articles + 1):
        name = f"articles/{number:02}.md"
        lines.append(f"  - {name}")
        title = LONG_TITLE[:300].strip() if number == 1 else TITLE.format(number)
        (folder / name).write_text(
            f'---\ntitle: "{title}"\nsection: Güvenlik ve Dış Politika\nauthors:\n'
            "  - name: Ayşe Yılmaz\n    affiliation: Ankara Üniversitesi\n---\n\n"
            "Türkiye ile Azerbaycan arasındaki ticaret, 1990’ların başından bu yana büyüdü.\n",
            encoding="utf-8",
        )
    (folder / "issue.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=[True, False], ids=["with picture", "without picture"])
def forty(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[bool, Path]:
    folder = tmp_path_factory.mktemp("volume")
    run = run_cli(
        "--manuscript", volume(folder / "in", picture=request.param), "--out", folder / "out", "--only", "pdf"
    )
    assert run.code == 0, run.stderr
    return request.param, folder / "out" / "dis-bakis-2025-04.pdf"


def test_forty_articles_leave_the_cover_one_page_with_the_rest_counted(forty: tuple[bool, Path]) -> None:
    picture, pdf = forty
    reader = pypdf.PdfReader(pdf)
    cover, second = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    counted = re.search(r"ve (\d+) yazı daha: İçindekiler", cover)
    assert counted, cover
    shown = ARTICLES - int(counted.group(1))
    # as many as fit (covering.py): more than the count that always fits, none over the masthead
    # (the next test), and the one more that was tried does not fit
    assert shown > (2 if picture else 4)
    assert "GÜVENLİK VE DIŞ POLİTİKA" in cover  # the section, uppercased the Turkish way (T2)
    assert TITLE.format(shown) in " ".join(cover.split())
    assert TITLE.format(shown + 1) not in " ".join(cover.split())
    assert second.startswith("İçindekiler"), "the cover ran onto page 2"


def test_the_headlines_stand_below_the_picture_and_the_masthead(forty: tuple[bool, Path]) -> None:
    """They are set at the foot of the cover (absolutely): nothing may run into them."""
    picture, pdf = forty
    page = next(extract_pages(str(pdf), maxpages=1))
    texts = [item for item in page if isinstance(item, LTTextContainer)]
    headlines = [item for item in texts if "GÜVENLİK" in item.get_text() or "Sayı" in item.get_text()]
    above = [item for item in texts if "DIŞ BAKIŞ" in item.get_text() or "NİSAN 2025" in item.get_text()]
    images = [item for item in page if isinstance(item, LTImage)] + [
        inner for item in page if hasattr(item, "__iter__") for inner in item if isinstance(inner, LTImage)
    ]
    assert headlines and above and (bool(images) == picture)
    top_of_headlines = max(item.y1 for item in headlines)
    # the picture is cropped to at most 85 mm tall (print.css, object-fit: cover): pdfminer
    # gives the whole image drawn, its visible part is the top 85 mm of it
    visible = [item.y1 - min(item.height, 85 / 25.4 * 72) for item in images]
    assert all(item.y0 > top_of_headlines for item in above)
    assert all(bottom > top_of_headlines + 3 / 25.4 * 72 for bottom in visible)


def test_a_title_too_long_for_the_cover_ends_in_an_ellipsis_there_and_is_whole_in_the_contents(
    forty: tuple[bool, Path],
) -> None:
    _, pdf = forty
    reader = pypdf.PdfReader(pdf)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "…" in cover
    assert LONG_TITLE[:300].strip() not in cover
    contents = " ".join(" ".join(page.extract_text() for page in reader.pages[1:4]).split())
    assert LONG_TITLE[:300].strip()[-40:] in contents


def test_page_labels_follow_the_one_page_cover(forty: tuple[bool, Path]) -> None:
    """Kapak, then the printed folios; the contents give the last article the folio of its page."""
    _, pdf = forty
    reader = pypdf.PdfReader(pdf)
    assert [reader.page_labels[index] for index in range(3)] == ["Kapak", "2", "3"]
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    last = max(index for index, text in enumerate(texts) if TITLE.format(ARTICLES) in text)  # its own page
    contents = " ".join(texts[1:last])
    assert f"{TITLE.format(ARTICLES)} Ayşe Yılmaz {reader.page_labels[last]}" in contents


def test_an_issue_of_one_article_counts_none(built_issue: BuiltIssue) -> None:
    cover = pypdf.PdfReader(built_issue.pdf).pages[0].extract_text()
    assert "yazı daha" not in cover
    assert "Karabağ’dan Türk Dünyasına" in cover


def test_the_cover_lists_every_article_while_they_fit(built_generated: BuiltIssue) -> None:
    """Issue 24: five articles and no cover picture: all five headlines, nothing counted (it
    listed four and 've 1 yazı daha' with room for the fifth)."""
    cover = " ".join(pypdf.PdfReader(built_generated.pdf).pages[0].extract_text().split())
    assert "yazı daha" not in cover
    assert "Rusya, bu denklemin en kritik dış aktörü" in cover  # the fifth


def test_each_headline_on_the_cover_is_a_link_to_its_article(built_generated: BuiltIssue) -> None:
    """As on the contents page: the reader goes from a headline to its article, and a URL
    typed in a title is not printed with no link over it (outloud's LNK-010, seen on the
    cover of a generated issue). The link's label is the headline, its words apart."""
    reader = pypdf.PdfReader(built_generated.pdf)
    links = [annotation.get_object() for annotation in reader.pages[0].get("/Annots", [])]
    labels = list(dict.fromkeys(str(link["/Contents"]) for link in links if link["/Subtype"] == "/Link"))
    assert len(labels) == 5
    assert "Rusya, bu denklemin en kritik dış aktörü" in labels[4]
    assert [str(link["/Dest"]) for link in links] == sorted(str(link["/Dest"]) for link in links)
    assert sorted({str(link["/Dest"]) for link in links}) == ["a01", "a02", "a03", "a04", "a05"]
    assert not [label for label in labels if re.search(r"[a-zçğıöşü][A-ZÇĞİÖŞÜ]", label)], labels


def test_the_epub_cover_lists_every_article(built_generated: BuiltIssue) -> None:
    """A reading system scrolls the cover page: it lists all five headlines, each a link to
    its article (it stopped at four and said 've 1 yazı daha', the printed cover's rule)."""
    documents = dict(read_epub(built_generated.epub).documents)
    cover = documents["EPUB/cover.xhtml"]
    links = [link.get("href") for link in cover.iter(f"{XHTML}a")]
    assert links == ["a01.xhtml", "a02.xhtml", "a03.xhtml", "a04.xhtml", "a05.xhtml"]
    assert "yazı daha" not in "".join(cover.itertext())


def test_the_cover_trials_laid_out_ahead_in_a_worker_choose_as_laying_them_out_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline sets the cover's trials going in a worker before fitting the articles
    (``foresee_cover``): the pdf stage then chooses the same headlines and front matter as
    from trials laid out in this process, without laying one out here; a build that finds
    the trials in the cache sends none."""
    issue, typeset = typeset_issue(volume(tmp_path / "in", picture=True, articles=9))
    cover, _ = figures.cover_picture(issue)
    htmls = pdf.print_articles(issue, typeset, STYLES)
    timestamp = pipeline.build_timestamp(issue)
    here = pdf.issue_parts(issue, typeset, htmls, STYLES, timestamp, CoverHere(), cover)
    front = pdf.FrontMatter(issue, typeset, htmls, STYLES, timestamp, cover)
    assert covering.counts_tried(len(typeset), picture=True) == range(3, 10)  # two always fit

    def forbidden(trial: covering.CoverTrial) -> covering.CoverSeen:
        raise AssertionError("a cover trial laid out in the build's own process")

    store = cache.BuildCache(tmp_path / "cache")
    workers = scheduling.Workers()
    try:
        assert workers.pool.submit(int).result() == 0  # forked before this process may not lay out
        monkeypatch.setattr(covering, "lay_out_trial", forbidden)
        ahead = pipeline._PieceLayer(store, workers, "resources")
        ahead.foresee_cover(front.trial, len(typeset), picture=True)
        assert ahead.foreseen is not None
        assert pdf.issue_parts(issue, typeset, htmls, STYLES, timestamp, ahead, cover) == here
        assert len(ahead.foreseen.result()) >= 2  # the search laid out more than one trial
        again = pipeline._PieceLayer(store, workers, "resources")
        again.foresee_cover(front.trial, len(typeset), picture=True)
        assert again.foreseen is None
        assert pdf.issue_parts(issue, typeset, htmls, STYLES, timestamp, again, cover) == here
    finally:
        workers.close()
