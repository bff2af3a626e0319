"""Line breaking against the best typesetters: the real article set by dizgi, by XeLaTeX
(babel turkish through Pandoc's ``lang=tr``, Knuth–Plass) and by Typst (Knuth–Plass), each
in Noto Serif 10.5 pt, justified, on the print measure (``pagegeometry``, read from
``print.css``) with Turkish hyphenation, measured the same way from the three PDFs
(pdfminer.six, ``dizgi.readback``): loose lines, lines ending hyphenated and runs of three
or more hyphenated lines.

``python build.py bench engines``. Not part of the tests. An engine that is not installed
is skipped with a line saying so: XeLaTeX is Debian's ``texlive-xetex texlive-lang-european``,
Typst the PyPI package ``typst`` (``.venv/bin/pip install typst``). All three set the same
text: the article after dizgi's Turkish rules, written out by Pandoc as LaTeX and Typst.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dizgi import cli, convert, manuscript, readback, typography
from dizgi.pagegeometry import print_geometry

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "styles" / "fonts"
A4_WIDTH_MM = print_geometry().width
MEASURE_MM = print_geometry().measure
#: what a line ending hyphenated ends with: WeasyPrint's U+2010, TeX's and Typst's hyphen
HYPHENS = ("-", "\u2010", "\u00ad")

LATEX_HEADER = r"""
\usepackage{fontspec}
\setmainfont{NotoSerif}[Path=FONTS/, Extension=.ttf, UprightFont=*-Regular, BoldFont=*-Bold,
  ItalicFont=*-Italic, BoldItalicFont=*-BoldItalic]
\usepackage[paperwidth=210mm, paperheight=297mm, textwidth=MEASUREmm, top=24mm, bottom=26mm]{geometry}
\AtBeginDocument{\fontsize{10.5pt}{14.5pt}\selectfont}
\setlength{\parindent}{1.2em}
\setlength{\parskip}{0pt}
"""

TYPST_HEADER = """#set page(width: 210mm, height: 297mm, margin: (top: 24mm, bottom: 26mm, x: MARGINmm))
#set text(font: "Noto Serif", size: 10.5pt, lang: "tr", hyphenate: true)
#set par(justify: true, first-line-indent: 1.2em, leading: 0.78em)
"""


@dataclass(frozen=True)
class Measure:
    engine: str
    justified: int
    loose: int
    hyphenated: int
    lines: int
    runs: int

    def row(self) -> str:
        share = 100 * self.loose / self.justified if self.justified else 0.0
        hyphenated = 100 * self.hyphenated / max(1, self.lines)
        return (
            f"| {self.engine} | {self.loose} / {self.justified} ({share:.1f}%) | "
            f"{self.hyphenated} of {self.lines} ({hyphenated:.0f}%) | {self.runs} |"
        )


#: how far past the column's edge a line may reach and still end at it: Typst hangs
#: punctuation and hyphens into the margin (about 2 pt at 10.5 pt)
OVERHANG = 3.0


def measure(engine: str, pdf: Path) -> Measure:
    """The measures of one PDF's body lines (the most common type size)."""
    lines = readback.pdf_lines(pdf)
    size = readback.body_size(lines)
    body = readback.body_lines(lines)
    edges: dict[int, float] = {}
    for line in body:
        edges[line.page] = max(edges.get(line.page, 0.0), line.x1)
    report = readback.loose_lines(
        [
            dataclasses.replace(line, x1=edges[line.page])
            if readback.in_body_size(line, size) and edges[line.page] - line.x1 < OVERHANG
            else line
            for line in lines
        ]
    )
    ends = [line.text.rstrip().endswith(HYPHENS) for line in body]
    runs = run = 0
    for hyphenated in ends:
        run = run + 1 if hyphenated else 0
        runs += run == 3
    return Measure(engine, report.justified_lines, len(report.loose), sum(ends), len(body), runs)


def article_json(manuscript_dir: Path) -> str:
    """The first article after dizgi's Turkish rules, as Pandoc JSON (the same text for all)."""
    article = manuscript.load_issue(manuscript_dir).articles[0]
    ast, _ = convert.read_article(article)
    ast, _ = typography.apply_turkish_typography(ast, article)
    return json.dumps(ast)


def pandoc(source: str, *arguments: str) -> str:
    import pypandoc

    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "json", *arguments],
        input=source.encode(),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def xelatex(source: str, folder: Path) -> Path | None:
    if shutil.which("xelatex") is None:
        print("xelatex is not installed: skipped (apt-get install texlive-xetex texlive-lang-european)")
        return None
    header = folder / "header.tex"
    header.write_text(LATEX_HEADER.replace("FONTS", str(FONTS)).replace("MEASURE", f"{MEASURE_MM:g}"))
    tex = folder / "article.tex"
    tex.write_text(
        pandoc(source, "--to", "latex", "--standalone", "--include-in-header", str(header), "-V", "lang=tr")
    )
    for _ in range(2):
        subprocess.run(
            ["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    pdf = folder / "article.pdf"
    return pdf if pdf.exists() else None


def typst(source: str, folder: Path) -> Path | None:
    try:
        typst_compiler = importlib.import_module("typst")  # optional: not among the pinned dependencies
    except ImportError:
        print("typst is not installed: skipped (.venv/bin/pip install typst)")
        return None
    document = folder / "article.typ"
    margin = (A4_WIDTH_MM - MEASURE_MM) / 2
    document.write_text(TYPST_HEADER.replace("MARGIN", f"{margin:g}") + pandoc(source, "--to", "typst"))
    pdf = folder / "article-typst.pdf"
    typst_compiler.compile(str(document), output=str(pdf), font_paths=[str(FONTS)])
    return pdf


def dizgi(manuscript_dir: Path, folder: Path) -> Path:
    out = folder / "dizgi"
    code = cli.main(
        ["--manuscript", str(manuscript_dir), "--out", str(out), "--no-cache", "--only", "pdf", "--quiet"]
    )
    if code != 0:
        raise SystemExit(code)
    return next(out.glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python build.py bench engines", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--manuscript", type=Path, default=ROOT / "manuscript")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dizgi-engines-") as name:
        folder = Path(name)
        source = article_json(arguments.manuscript)
        measures = [measure("dizgi", dizgi(arguments.manuscript, folder))]
        for engine, make in (("XeLaTeX + babel-turkish", xelatex), ("Typst", typst)):
            pdf = make(source, folder)
            if pdf is not None:
                measures.append(measure(engine, pdf))
    print(
        "| engine | loose lines (gap > 2× natural) | lines ending hyphenated | runs of ≥ 3 hyphenated lines |"
    )
    print("|---|---|---|---|")
    for found in measures:
        print(found.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
