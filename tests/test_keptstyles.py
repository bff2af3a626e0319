"""Every layout goes through ``layout.lay_out``, whose documents keep one WeasyPrint font
configuration per process and each linked stylesheet parsed (``keptstyles``, issue 27): they
are laid out the same, byte for byte, as WeasyPrint lays them out alone, a stylesheet is
parsed again when its file changes, and no process leaves its folder of copied font files
behind."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pikepdf
import weasyprint

from conftest import ROOT
from dizgi import pipeline
from dizgi.layout import lay_out

STYLES = pipeline.STYLES_DIR
#: a page of Turkish in the shipped faces, roman, italic and bold, and a symbol of Dizgi Symbols
#: and an inline rule after print.css that outweighs one of its rules (``p { text-align:
#: justify }``) by coming later
PAGE = (
    '<html lang="tr"><head><link rel="stylesheet" href="fonts.css"><link rel="stylesheet" href="print.css">'
    "<style>p { color: #c00; text-align: left }</style></head><body><h2>Başlık</h2>"
    "<p>Ağır ışık, <em>İstanbul’da</em> <strong>çiçekli</strong> bir öğle: 3 − 2 ≤ 1. "
    + "Satırlar sola yaslı, iki yana değil. "
    * 6
    + "</p>"
    "<p>İkinci paragraf.</p></body></html>"
)


def written(document: weasyprint.Document) -> bytes:
    return document.write_pdf(pdf_identifier=b"0" * 32)  # type: ignore[no-any-return]


def embedded_fonts(pdf: bytes) -> set[str]:
    """The faces a PDF embeds, by PostScript name (a subset's tag left out)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return {
            str(font.get("/BaseFont")).split("+")[-1]
            for page in document.pages
            for font in page.Resources.Font.values()
        }


def test_layouts_keep_fonts_and_stylesheets_and_set_what_weasyprint_sets_alone(tmp_path: Path) -> None:
    first, _ = lay_out(PAGE, STYLES, tmp_path, lambda html: (html.render(), html.sheets))
    second, _ = lay_out(PAGE, STYLES, tmp_path, lambda html: (html.render(), html.sheets))
    assert first[0].font_config is second[0].font_config
    assert [len(first[1]), first[1][:2]] == [3, second[1][:2]]  # fonts.css and print.css, parsed once
    assert first[1][2] is not second[1][2]  # the inline rules, each document's own
    alone = weasyprint.HTML(string=PAGE, base_url=STYLES.resolve().as_uri() + "/").render()
    assert alone.font_config is not first[0].font_config
    assert written(first[0]) == written(second[0]) == written(alone)
    # the shipped faces, embedded (the sans of the page's furniture too), no font of the machine
    assert embedded_fonts(written(first[0])) == {
        "Dizgi-Sans", "Dizgi-Serif", "Dizgi-Serif-Bold", "Dizgi-Serif-Italic", "Dizgi-Symbols"
    }  # fmt: skip


def test_a_stylesheet_is_parsed_again_when_its_file_changes(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)

    def sheets() -> tuple[object, ...]:
        return lay_out(PAGE, styles, tmp_path, lambda html: html.sheets)[0]  # type: ignore[no-any-return]

    before = sheets()
    assert sheets()[:2] == before[:2]
    with (styles / "print.css").open("a", encoding="utf-8") as css:
        css.write("\n/* an edit */\n")
    after = sheets()
    assert after[0] is before[0] and after[1] is not before[1]


def test_a_head_with_a_stylesheet_of_another_kind_is_left_to_weasyprint(tmp_path: Path) -> None:
    """A stylesheet for screens only: WeasyPrint reads them all, as authors' stylesheets."""
    page = PAGE.replace(
        'href="print.css">', 'href="print.css"><link rel="stylesheet" href="x.css" media="screen">'
    )

    def taken(html: weasyprint.HTML) -> tuple[int, int]:
        return len(html.sheets), len(html.etree_element.find("head"))

    assert lay_out(page, STYLES, tmp_path, taken)[0] == (0, 4)
    assert lay_out(PAGE, STYLES, tmp_path, taken)[0] == (3, 0)


#: a build in small: the parent and two forked workers each lay a page out, then all end
FORKED_LAYOUTS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dizgi import scheduling
    from dizgi.layout import lay_out

    STYLES = Path(sys.argv[1])
    PAGE = sys.argv[2]

    def pages(_: int) -> int:
        return len(lay_out(PAGE, STYLES, STYLES, lambda html: html.render())[0].pages)

    if __name__ == "__main__":
        print(pages(0))
        workers = scheduling.Workers()
        print(sum(workers.pool.map(pages, range(4))))
        workers.close()
    """
)


def test_no_process_leaves_its_font_files_behind(tmp_path: Path) -> None:
    """WeasyPrint copies the ``@font-face`` files into a temporary folder per configuration;
    the workers end without collecting theirs, so the folder goes with a finalizer."""
    script = tmp_path / "forked.py"
    script.write_text(FORKED_LAYOUTS, encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = subprocess.run(
        [sys.executable, str(script), str(STYLES), PAGE],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT / "src")},
        timeout=120,
    )
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["1", "4"], "")
    assert sorted(path.name for path in temporary.iterdir()) == []
