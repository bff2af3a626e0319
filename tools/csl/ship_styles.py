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
  leading zero (*05 Mart 2010*); the ISNAD styles' own Turkish locale now gives the text
  date as *5 Mart 2010*.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def corrected(name: str, text: str) -> str:
    """The style ``name`` (its CSL ``text``) with dizgi's corrections."""
    if not name.startswith("isnad-"):
        return text
    head, info_end, body = text.partition("</info>")
    body = re.sub(r"<name(?=[\s/>])(?![^>]*\bdelimiter=)", '<name delimiter=" - "', body)
    body = body.replace('<locale xml:lang="tr-TR">', TURKISH_TEXT_DATE, 1)
    return head + info_end + body


def main(source: Path) -> None:
    for name, file in STYLES.items():
        text = (source / file).read_text(encoding="utf-8")
        (ROOT / "styles" / "csl" / f"{name}.csl").write_text(corrected(name, text), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
