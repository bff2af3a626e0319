"""The citation styles against their guides' own published examples (issue 25): the same
sources given as data, set by dizgi, must read as the guide prints them. Where dizgi's
typography differs on purpose it is said at the assertion (an en dash in a page range, T5).

Sources:
- ISNAD 2: the guide's in-text chapter, "3. İSNAD Metin İçi Atıf Sistemi", *Kitap*:
  https://www.isnadsistemi.org/blog/guide/isnad-metin-ici-atif-sistemi/ (single- and
  two-author book: the bibliography entry and the citation with a page). Its footnote
  forms: *İSNAD Atıf Sistemi 2. Edisyon* (Demir 2019, DOI 10.5281/zenodo.3518241), book
  with one author (*Mustafa Öztürk … (İstanbul: Düşün Yayınları, 2011), 57.*) and with two
  (*1. Yazar Adı Soyadı – 2. Yazar Adı Soyadı, Kitap Adı (Baskı Yeri: Yayıncı, Baskı
  Tarihi), Sayfa Numarası.*).
- APA 7: the Publication Manual (7th ed., 2020), chapter 10, as APA Style's reference
  examples print them (https://apastyle.apa.org/style-grammar-guidelines/references/examples):
  journal article §10.1 example 1 (Grady et al.), newspaper article §10.1 example 16
  (Carey), authored book §10.2 example 20 (Jackson), webpage on a news site §10.16 example
  110 (Bologna).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, XHTML, read_epub, run_cli

ISNAD_REFERENCES = """references:
  - id: demir2018
    type: book
    author: [{family: Demir, given: Abdullah}]
    title: "Ebû İshak es-Saffâr’ın Kelâm Yöntemi"
    publisher: İSAM Yayınları
    publisher-place: Ankara
    issued: 2018
  - id: barkan1973
    type: book
    author: [{family: Barkan, given: Ömer Lütfi}, {family: Ayverdi, given: Ekrem Hakkı}]
    title: "İstanbul Vakıfları Tahrir Defteri 953 Tarihli"
    publisher: İstanbul Fetih Cemiyeti
    publisher-place: İstanbul
    issued: 1973
  - id: ozturk2011
    type: book
    author: [{family: Öztürk, given: Mustafa}]
    title: "Tefsirde Bâtınîlik ve Bâtınî Te’vil Geleneği"
    publisher: Düşün Yayınları
    publisher-place: İstanbul
    issued: 2011
"""

APA_REFERENCES = """references:
  - id: grady2019
    type: article-journal
    author:
      - {family: Grady, given: Jessica Stoltzfus}
      - {family: Her, given: Malia}
      - {family: Moreno, given: Geena}
      - {family: Perez, given: Catherine}
      - {family: Yelinek, given: Jillian}
    title: >-
      Emotions in storybooks: A comparison of storybooks that represent ethnic and racial
      groups in the United States
    container-title: Psychology of Popular Media Culture
    volume: 8
    issue: 3
    page: 207-217
    DOI: 10.1037/ppm0000185
    issued: 2019
  - id: carey2019
    type: article-newspaper
    author: [{family: Carey, given: Benedict}]
    title: "Can we get better at forgetting?"
    container-title: The New York Times
    URL: https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html
    issued: 2019-03-22
  - id: jackson2019
    type: book
    author: [{family: Jackson, given: Lynne M.}]
    title: "The psychology of prejudice: From attitudes to social action"
    edition: 2
    publisher: American Psychological Association
    DOI: 10.1037/0000168-000
    issued: 2019
  - id: bologna2019
    type: webpage
    author: [{family: Bologna, given: Caroline}]
    title: "Why some people with anxiety love watching horror movies"
    container-title: HuffPost
    URL: https://www.huffpost.com/entry/anxiety-love-watching-horror-movies_l_5d277587e4b02a5a5d57b59e
    issued: 2019-10-31
"""


def _build(tmp_path: Path, style: str, lang: str, references: str, body: str) -> tuple[list[str], str]:
    """The minimal issue with one article citing the guide's sources in ``style``: the
    bibliography's entries and the notes, as text read back from the EPUB."""
    manuscript = tmp_path / "manuscript"
    shutil.copytree(FIXTURES / "minimal", manuscript)
    issue = manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + f"citation-style: {style}\n", encoding="utf-8")
    article = manuscript / "articles" / "01-deneme.md"
    article.write_text(
        f"---\ntitle: Rehberin örnekleri\nlang: {lang}\n{references}---\n\n{body}\n", encoding="utf-8"
    )
    run = run_cli("--manuscript", manuscript, "--out", tmp_path / "out", "--no-cache", "--only", "epub")
    assert run.code == 0, run.stderr[-3000:]
    (epub,) = (tmp_path / "out").glob("*.epub")
    root = next(root for name, root in read_epub(epub).documents if name.endswith("a01.xhtml"))
    section = next(
        element for element in root.iter(f"{XHTML}section") if element.get("role") == "doc-bibliography"
    )
    entries = [" ".join("".join(item.itertext()).split()) for item in section.iter(f"{XHTML}li")]
    notes = [
        " ".join("".join(item.itertext()).split())
        for item in root.iter(f"{XHTML}li")
        if "note" in item.get("class", "").split()
    ]
    body_text = " ".join("".join(root.itertext()).split())
    return entries, "\n".join(notes) if notes else body_text


def test_isnad_in_text_sets_the_guides_book_examples(tmp_path: Path) -> None:
    entries, text = _build(
        tmp_path,
        "isnad-metinici",
        "tr",
        ISNAD_REFERENCES,
        "Tek yazarlı [@demir2018, 19-23]. İki yazarlı [@barkan1973, 45]. Üçüncü [@ozturk2011].",
    )
    assert entries == [
        "Barkan, Ömer Lütfi – Ayverdi, Ekrem Hakkı. İstanbul Vakıfları Tahrir Defteri 953 Tarihli. "
        "İstanbul: İstanbul Fetih Cemiyeti, 1973.",
        "Demir, Abdullah. Ebû İshak es-Saffâr’ın Kelâm Yöntemi. Ankara: İSAM Yayınları, 2018.",
        "Öztürk, Mustafa. Tefsirde Bâtınîlik ve Bâtınî Te’vil Geleneği. İstanbul: Düşün Yayınları, 2011.",
    ]
    assert "(Barkan – Ayverdi, 1973, 45)" in text
    assert "(Demir, 2018, 19–23)" in text  # the guide prints 19-23: a range takes an en dash here (T5)


def test_isnad_footnotes_set_the_guides_book_examples(tmp_path: Path) -> None:
    _, notes = _build(
        tmp_path,
        "isnad-dipnotlu",
        "tr",
        ISNAD_REFERENCES,
        "Bir yazarlı.[@ozturk2011, 57] İki yazarlı.[@barkan1973, 45]",
    )
    assert (
        "Mustafa Öztürk, Tefsirde Bâtınîlik ve Bâtınî Te’vil Geleneği (İstanbul: Düşün Yayınları, 2011), 57."
        in notes
    )
    assert (
        "Ömer Lütfi Barkan – Ekrem Hakkı Ayverdi, İstanbul Vakıfları Tahrir Defteri 953 Tarihli "
        "(İstanbul: İstanbul Fetih Cemiyeti, 1973), 45."
    ) in notes


def test_apa_sets_the_manuals_examples_in_an_english_article(tmp_path: Path) -> None:
    entries, text = _build(
        tmp_path,
        "apa",
        "en",
        APA_REFERENCES,
        "Four sources [@grady2019; @carey2019; @jackson2019, p. 12; @bologna2019].",
    )
    assert entries == [
        "Bologna, C. (2019, October 31). Why some people with anxiety love watching horror movies. HuffPost. "
        "https://www.huffpost.com/entry/anxiety-love-watching-horror-movies_l_5d277587e4b02a5a5d57b59e",
        "Carey, B. (2019, March 22). Can we get better at forgetting? The New York Times. "
        "https://www.nytimes.com/2019/03/22/health/memory-forgetting-psychology.html",
        "Grady, J. S., Her, M., Moreno, G., Perez, C., & Yelinek, J. (2019). Emotions in storybooks: "
        "A comparison of storybooks that represent ethnic and racial groups in the United States. "
        "Psychology of Popular Media Culture, 8(3), 207–217. https://doi.org/10.1037/ppm0000185",
        "Jackson, L. M. (2019). The psychology of prejudice: From attitudes to social action (2nd ed.). "
        "American Psychological Association. https://doi.org/10.1037/0000168-000",
    ]
    assert "(Bologna, 2019; Carey, 2019; Grady et al., 2019; Jackson, 2019, p. 12)" in text


@pytest.mark.parametrize(("lang", "date"), [("tr", "(2019, 22 Mart)"), ("en", "(2019, March 22)")])
def test_apa_writes_month_and_day_in_the_articles_order(tmp_path: Path, lang: str, date: str) -> None:
    """APA's own style file writes *(2019, Mart 22)* in a Turkish article: month first, in a
    macro no locale reaches; dizgi sets a Turkish article with ``apa.tr.csl``."""
    entries, _ = _build(tmp_path, "apa", lang, APA_REFERENCES, "Bir kaynak [@carey2019].")
    assert entries[0].startswith(f"Carey, B. {date}.")


TURKISH_NAMES = """references:
  - {id: inalcik, type: book, author: [{family: İnalcık, given: Halil}], title: Devlet-i Aliyye, issued: 2009}
  - {id: irmak, type: book, author: [{family: Irmak, given: Deniz}], title: Havza, issued: 2001}
  - {id: isik, type: book, author: [{family: Işık, given: Mehmet}], title: Rapor, issued: 2010}
  - {id: ilgaz2010, type: book, author: [{family: Ilgaz, given: Ahmet}], title: Deniz, issued: 2010}
  - {id: ilgaz2019, type: book, author: [{family: Ilgaz, given: Ahmet}], title: Kara, issued: 2019}
  - {id: celik, type: book, author: [{family: Çelik, given: Murat}], title: Bakü, issued: 2021}
  - {id: cengiz, type: book, author: [{family: Cengiz, given: Ali}], title: Koridor, issued: 2015}
"""


def test_apa_orders_the_sources_of_a_citation_by_the_turkish_alphabet(tmp_path: Path) -> None:
    """citeproc sorts a citation's sources as if *İ* were *I* with an accent (*İnalcık*
    before *Irmak*); the Turkish alphabet has ı before i. The year collapses as APA asks."""
    _, text = _build(
        tmp_path,
        "apa",
        "tr",
        TURKISH_NAMES,
        "Kaynaklar [@inalcik; @irmak; @isik; @ilgaz2019; @celik; @ilgaz2010; @cengiz].",
    )
    assert "(Cengiz, 2015; Çelik, 2021; Ilgaz, 2010, 2019; Irmak, 2001; Işık, 2010; İnalcık, 2009)" in text
