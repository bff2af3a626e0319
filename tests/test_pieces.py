"""The issue laid out in pieces (front matter, each article, back matter: ``pieces``) and
stitched (``stitching``): the stitched PDF's structure is one tree whose parent tree knows
every page and link, an edit lays out only what it changed, and what the cache keeps makes
the same PDF as a build without it."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, BuiltIssue, run_cli
from dizgi import fontmerging, stitching


def parent_tree_faults(data: bytes) -> list[str]:
    """What is wrong with a PDF's parent tree: a key two pages or links share, a page whose
    entry holds elements of another page, a link whose entry is not the element that holds it."""
    faults = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
        entries = {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)}
        if len(entries) * 2 != len(numbers):
            faults.append("a key stands twice in /Nums")
        seen: set[int] = set()
        for number, page in enumerate(pdf.pages, start=1):
            key = int(page.obj.get("/StructParents", -1))
            if key < 0:
                continue
            if key in seen or key not in entries:
                faults.append(f"page {number}: key {key} shared or missing")
                continue
            seen.add(key)
            for element in entries[key]:
                page_of = element.get("/Pg") if isinstance(element, pikepdf.Dictionary) else None
                if page_of is not None and page_of.objgen != page.obj.objgen:
                    faults.append(f"page {number}: key {key} holds an element of another page")
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" not in annotation:
                    continue
                key = int(annotation.StructParent)
                if key in seen or key not in entries:
                    faults.append(f"page {number}: a link's key {key} shared or missing")
                    continue
                seen.add(key)
                holder = entries[key]
                kids = holder.K if isinstance(holder.K, pikepdf.Array) else [holder.K]
                if not any(
                    isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") == annotation for kid in kids
                ):
                    faults.append(f"page {number}: a link's key {key} names an element that does not hold it")
    return faults


def test_the_stitched_issue_has_one_parent_tree_that_knows_every_page_and_link(
    built_generated: BuiltIssue,
) -> None:
    data = built_generated.pdf.read_bytes()
    assert parent_tree_faults(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        linked = sum("/StructParent" in a for page in pdf.pages for a in page.obj.get("/Annots", []))
        assert len(pdf.pages) >= 20 and linked >= 10  # the check above saw pages and links
        document = pdf.Root.StructTreeRoot.K[0]
        tops = [str(kid.S) for kid in document.K]
    # WeasyPrint tags each page of an article as an /Art: one tree holds every article's pages
    offprints = (built_generated.out_dir / "dis-bakis-2025-05").glob("*.pdf")
    article_pages = sum(len(pikepdf.open(path).pages) for path in offprints)
    assert article_pages >= 20 and tops.count("/Art") == article_pages
    assert tops[0] == "/Sect" and tops[-1] == "/Sect"  # the cover first, the colophon last


def test_stitching_renumbers_the_parent_tree_of_each_piece(
    built_generated: BuiltIssue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tagged PDF (an offprint) stitched after itself: the second copy's keys follow the
    first's. Broken on purpose, the keys collide."""
    piece = (built_generated.out_dir / "dis-bakis-2025-05" / "02-yazi.pdf").read_bytes()
    pieces = [piece, piece]
    assert parent_tree_faults(stitching.stitch(pieces)) == []
    monkeypatch.setattr(stitching, "_renumber", lambda piece, offset: None)
    assert parent_tree_faults(stitching.stitch(pieces)) != []


def pieces_laid_out(stdout: str) -> tuple[int, int]:
    found = re.search(r"(\d+) of (\d+) pieces laid out", stdout)
    assert found, stdout
    return int(found[1]), int(found[2])


def test_an_edit_lays_out_what_it_changed_and_the_cache_makes_the_same_pdf(tmp_path: Path) -> None:
    """A word changed in the last article: its piece alone is laid out again. The third
    article two pages longer: it, the contents (its numbers), the articles after it and the
    colophon; not the two before it. Each build's PDF and offprints are the ones a build
    without the cache makes (the offprints of unchanged pieces come from the cache)."""
    manuscript = tmp_path / "issue"
    shutil.copytree(FIXTURES / "generated", manuscript)
    cache_dir = tmp_path / "cache"

    def build(name: str, *more: str) -> tuple[str, dict[str, bytes]]:
        run = run_cli("--manuscript", manuscript, "--out", tmp_path / name, "--only", "pdf", *more)
        assert run.code == 0, run.stderr
        made = {
            str(path.relative_to(tmp_path / name)): path.read_bytes()
            for path in (tmp_path / name).rglob("*.pdf")
        }
        assert len(made) == 6, sorted(made)  # the issue and five offprints
        return run.stdout, made

    cold, _ = build("cold", "--cache", str(cache_dir))
    last = manuscript / "articles" / "05-yazi.md"
    last.write_text(last.read_text(encoding="utf-8").replace("güçlü bir mesaj", "güçlü bir işaret", 1))
    said, edited = build("word", "--cache", str(cache_dir))
    assert pieces_laid_out(said) == (1, 8)  # asked first alone, then with the others
    uncached, alone = build("word-uncached", "--no-cache")
    assert edited == alone
    # the edited article's other paragraphs keep their trials from the cold build: fewer
    # paragraphs predicted than a build without the cache predicts for the same text
    assert predicted(said) < predicted(uncached) == predicted(cold), (said, uncached)

    middle = manuscript / "articles" / "03-yazi.md"
    text = middle.read_text(encoding="utf-8")
    paragraphs = ("Ek paragraf, sayfaları uzatmak için yazıldı ve tekrar eder. " * 20 + "\n\n") * 6
    middle.write_text(text.replace("\n\n", f"\n\n{paragraphs}", 1))
    said, longer = build("longer", "--cache", str(cache_dir))
    laid, asked = pieces_laid_out(said)
    assert "29 pages" in said  # two more than the 27 of the cold build
    # the edited article first, where it begins; then where the others now begin: the
    # contents, the two articles after it and the colophon (the two before it kept)
    assert (laid, asked) == (5, 8), said
    assert longer == build("longer-uncached", "--no-cache")[1]


def predicted(said: str) -> int:
    """The paragraphs the fit stage's line says were predicted, all articles together."""
    found = re.search(r"(\d+) paragraphs predicted", said)
    assert found, said
    return int(found.group(1))


def font_files(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Each embedded face (its name without the subset tag) and the font files it has."""
    files: dict[str, set[tuple[int, int]]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                font_file = obj.DescendantFonts[0].FontDescriptor.FontFile2
                files.setdefault(str(obj.BaseFont).partition("+")[2], set()).add(font_file.objgen)
    return files


def test_the_stitched_issue_embeds_each_face_once(
    built_generated: BuiltIssue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every piece embeds its own subsets; the issue one font per face, holding every glyph
    the pieces drew (their text reads back whole: ``test_print``). Broken on purpose (the
    merging left out), a piece stitched after itself carries each face twice."""
    files = font_files(built_generated.pdf.read_bytes())
    assert len(files) >= 5 and all(len(found) == 1 for found in files.values()), files
    piece = (built_generated.out_dir / "dis-bakis-2025-05" / "02-yazi.pdf").read_bytes()
    assert all(len(found) == 1 for found in font_files(stitching.stitch([piece, piece])).values())
    monkeypatch.setattr(fontmerging, "merge_faces", lambda pdf: 0)
    assert all(len(found) == 2 for found in font_files(stitching.stitch([piece, piece])).values())
