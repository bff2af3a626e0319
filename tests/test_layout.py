"""Every layout goes through ``layout.lay_out``, which keeps one WeasyPrint font
configuration per process (issue 27): the documents it lays out are the same, byte for
byte, as with a configuration of their own, and no process leaves its folder of copied
font files behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pikepdf
import weasyprint

from conftest import ROOT
from dizgi import pipeline
from dizgi.layout import lay_out
from dizgi.weasy import FontConfiguration

STYLES = pipeline.STYLES_DIR
#: a page of Turkish in the shipped faces, roman, italic and bold, and a symbol of Dizgi Symbols
PAGE = (
    '<html lang="tr"><head><link rel="stylesheet" href="fonts.css"><link rel="stylesheet" href="print.css">'
    "</head><body><p>Ağır ışık, <em>İstanbul’da</em> <strong>çiçekli</strong> bir öğle: 3 − 2 ≤ 1.</p>"
    "</body></html>"
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


def test_layouts_share_one_font_configuration_and_set_the_same_bytes(tmp_path: Path) -> None:
    first, _ = lay_out(PAGE, STYLES, tmp_path, lambda html: html.render())
    second, _ = lay_out(PAGE, STYLES, tmp_path, lambda html: html.render())
    assert first.font_config is second.font_config
    own_fonts, _ = lay_out(PAGE, STYLES, tmp_path, lambda html: html.render(font_config=FontConfiguration()))
    assert own_fonts.font_config is not first.font_config
    assert written(first) == written(second) == written(own_fonts)
    # the shipped faces, embedded (the sans of the page's furniture too), no font of the machine
    assert embedded_fonts(written(first)) == {
        "Dizgi-Sans", "Dizgi-Serif", "Dizgi-Serif-Bold", "Dizgi-Serif-Italic", "Dizgi-Symbols"
    }  # fmt: skip


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
