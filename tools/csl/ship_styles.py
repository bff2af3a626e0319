"""Make ``styles/csl/``: the citation styles an issue may choose (``citation-style`` in
issue.yaml), copied from the Citation Style Language project's repository with dizgi's
corrections for the citeproc in the Pandoc dizgi ships.

Run once, from the project folder, with a clone of https://github.com/citation-style-language/styles:

    .venv/bin/python tools/csl/ship_styles.py /path/to/styles

Corrections (each shown by a test in ``tests/test_citations.py``):

- **ISNAD's ` - ` between authors.** The ISNAD styles say ``name-delimiter=" - "`` once, on
  ``<style>``, where CSL 1.0 lets every ``<name>`` inherit it; Pandoc's citeproc (3.9) does
  not inherit it, and joined co-authors with ``, `` in the notes and ``. `` in the
  bibliography (*Ilgaz, Ahmet. Işık, Şükrü.*). Each ``<name>`` of the ISNAD styles says it
  itself.
- **Dates as Turkish writes them.** The Turkish locale (``tr-TR``) writes a day with a
  leading zero (*05 Mart 2010*); each style's own Turkish locale (added to APA and Chicago,
  which have none) now gives the text date as *5 Mart 2010*.
- **APA's month and day in Turkish.** APA sets a newspaper's or a web page's date as
  *(2010, March 5)*, month first, in a macro of its own that no locale reaches (and Pandoc's
  citeproc ignores ``date-parts`` on a localized date). ``apa.tr.csl`` is APA with that
  macro day first, *(2010, 5 Mart)*, as Turkish APA guides write it; an article in Turkish
  is set with it (``citations.style_file``).
- **The sources of a citation in Turkish order.** APA sorts the sources within a citation
  by author; Pandoc's citeproc compares them by code point (*İnalcık* before *Irmak*). The
  citation's ``<sort>`` is taken out of the style, and dizgi sorts each citation's sources
  by the Turkish alphabet before citeproc sets them (``citations.sort_citations``; the
  styles doing so are ``citations.SORTED_CITATIONS``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
from dizgi.citations import SORTED_CITATIONS  # noqa: E402

#: dizgi's name for a style -> the CSL project's file
STYLES = {
    "isnad-dipnotlu": "isnad-dipnotlu.csl",
    "isnad-metinici": "isnad-metinici.csl",
    "apa": "apa.csl",
    "chicago-notes": "chicago-notes-bibliography.csl",
}
TURKISH_TEXT_DATE = """<locale xml:lang="tr-TR">
    <date form="text">
      <date-part name="day" suffix=" "/>
      <date-part name="month" suffix=" "/>
      <date-part name="year"/>
    </date>"""


#: APA's month and day (``date-issued-month-day``) as the project ships it, and in Turkish order
APA_MONTH_DAY = """    <date variable="issued">
      <date-part name="month"/>
      <date-part name="day" prefix=" "/>
    </date>"""
APA_DAY_MONTH = """    <date variable="issued">
      <date-part name="day" suffix=" "/>
      <date-part name="month"/>
    </date>"""


def corrected(name: str, text: str) -> str:
    """The style ``name`` (its CSL ``text``) with dizgi's corrections."""
    head, info_end, body = text.partition("</info>")
    citation_start = body.index("<citation")
    citation_end = body.index("</citation>")
    citation = body[citation_start:citation_end]
    unsorted = re.sub(r"\s*<sort>.*?</sort>", "", citation, count=1, flags=re.S)
    assert (unsorted != citation) == (name in SORTED_CITATIONS), name
    body = body[:citation_start] + unsorted + body[citation_end:]
    if name.startswith("isnad-"):
        body = re.sub(r"<name(?=[\s/>])(?![^>]*\bdelimiter=)", '<name delimiter=" - "', body)
        body = body.replace('<locale xml:lang="tr-TR">', TURKISH_TEXT_DATE, 1)
    else:
        assert '<locale xml:lang="tr-TR">' not in body, name
        body = "\n  " + TURKISH_TEXT_DATE + "\n  </locale>" + body
    return head + info_end + body


def turkish_variant(name: str, text: str) -> str | None:
    """The style in the order Turkish writes a date where no locale reaches, or None when
    the style needs no variant."""
    if name != "apa":
        return None
    assert text.count(APA_MONTH_DAY) == 1
    return text.replace(APA_MONTH_DAY, APA_DAY_MONTH)


def main(source: Path) -> None:
    for name, file in STYLES.items():
        text = corrected(name, (source / file).read_text(encoding="utf-8"))
        (ROOT / "styles" / "csl" / f"{name}.csl").write_text(text, encoding="utf-8")
        variant = turkish_variant(name, text)
        if variant is not None:
            (ROOT / "styles" / "csl" / f"{name}.tr.csl").write_text(variant, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
