"""Bad input: exit 2, one message naming the file, the line and what to do; no traceback;
the output folder exactly as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import Run, run_cli, top_level


def build_into_used_folder(manuscript: Path, tmp_path: Path) -> tuple[Run, Path]:
    """Build into a folder that already holds an earlier build's files."""
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / "deneme-dergisi-2025-03.pdf").write_bytes(b"earlier pdf")
    (out_dir / "deneme-dergisi-2025-03.epub").write_bytes(b"earlier epub")
    return run_cli("--manuscript", manuscript, "--out", out_dir), out_dir


def assert_failed_cleanly(run: Run, out_dir: Path, message: str) -> None:
    assert run.code == 2
    assert run.stderr == f"dizgi: error: {message}\n"
    assert "Traceback" not in run.stdout + run.stderr
    assert sorted(path.name for path in out_dir.iterdir()) == [
        "deneme-dergisi-2025-03.epub",
        "deneme-dergisi-2025-03.pdf",
    ]
    assert (out_dir / "deneme-dergisi-2025-03.pdf").read_bytes() == b"earlier pdf"
    assert (out_dir / "deneme-dergisi-2025-03.epub").read_bytes() == b"earlier epub"


def test_the_minimal_fixture_itself_builds(minimal_manuscript: Path, tmp_path: Path) -> None:
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert (run.code, run.stderr) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == top_level("deneme-dergisi-2025-03")


def test_broken_yaml_names_the_file_and_the_line_where_the_bracket_opened(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("issue: Mart 2025", "issue: [Mart 2025"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 2: this is not valid YAML: expected ',' or ']', but got ':' on line 3, "
        "while parsing a flow sequence opened on this line\n"
        "  what to do: check the brackets, quotes and indentation on this line; "
        "a value holding ': ' or starting with a quote mark must be quoted whole",
    )


def test_broken_yaml_in_front_matter_counts_lines_from_the_top_of_the_file(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("    affiliation: Ankara Üniversitesi", "    affiliation: Ankara: Üniversitesi")
    )
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 5: this is not valid YAML: mapping values are not allowed here\n"
        "  what to do: check the brackets, quotes and indentation on this line; "
        "a value holding ': ' or starting with a quote mark must be quoted whole",
    )


def test_missing_title_is_named(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
    article.write_text("".join(line for line in lines if not line.startswith("title:")))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 2: the required key 'title' is missing\n"
        "  what to do: add a line 'title: …' (an article's front matter needs title)",
    )


def test_article_file_that_does_not_exist(minimal_manuscript: Path, tmp_path: Path) -> None:
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("01-deneme.md", "02-yok.md"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 5: the article 'articles/02-yok.md' does not exist\n"
        f"  what to do: create {minimal_manuscript / 'articles' / '02-yok.md'}, "
        "or correct the path (it is relative to issue.yaml)",
    )


def test_unknown_issue_key_names_the_nearest_known_one(minimal_manuscript: Path, tmp_path: Path) -> None:
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("date:", "dat:"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 3: unknown key 'dat'\n"
        "  what to do: did you mean 'date'? The keys of issue.yaml are: magazine, issue, date, "
        "articles, language, number, volume, issn, eissn, publisher, editors, licence, url, notes, cover, "
        "page_multiple, citation-style, doi-pattern, crossref",
    )


@pytest.mark.parametrize(
    ("typo", "nearest"), [("subtitel", "subtitle"), ("photocredit", "photo_credit"), ("keyword", "keywords")]
)
def test_unknown_article_key_names_the_nearest_known_one(
    minimal_manuscript: Path, tmp_path: Path, typo: str, nearest: str
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("authors:", f"{typo}: x\nauthors:"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 3: unknown key '{typo}'\n"
        f"  what to do: did you mean '{nearest}'? The keys of an article's front matter are: title, "
        "subtitle, authors, lang, section, keywords, abstract, photo_credit, note, notes_title, image, "
        "references, bibliography, title-en, abstract-en, keywords-en, title-tr, abstract-tr, keywords-tr, "
        "doi",
    )


def test_unknown_author_key(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("    affiliation:", "    afiliation:"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 5: unknown key 'afiliation'\n"
        "  what to do: did you mean 'affiliation'? An author has: name, affiliation, orcid, bio",
    )


def test_article_without_front_matter(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text("Başlıksız bir yazı.\n")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 1: the article does not start with YAML front matter\n"
        "  what to do: begin the file with a line '---', then 'title: …', then another '---'",
    )


def test_date_that_is_not_iso(minimal_manuscript: Path, tmp_path: Path) -> None:
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("2025-03-01", "1 Mart 2025"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 3: 'date' should be a date in ISO form\n"
        "  what to do: write it like this: date: 2025-04-01",
    )


def test_folder_without_issue_yaml(tmp_path: Path) -> None:
    run, out_dir = build_into_used_folder(tmp_path / "nowhere", tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{tmp_path / 'nowhere' / 'issue.yaml'}: there is no issue.yaml here\n"
        "  what to do: point --manuscript at the folder that holds issue.yaml, or create it "
        "(see README: 'The manuscript')",
    )


def test_bad_input_creates_no_output_folder(minimal_manuscript: Path, tmp_path: Path) -> None:
    (minimal_manuscript / "issue.yaml").write_text("magazine: [\n")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "fresh")
    assert run.code == 2
    assert not (tmp_path / "fresh").exists()


def test_failed_check_leaves_the_previous_outputs(
    minimal_manuscript: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that fails replaces nothing. Whatever the manuscript can say that EPUBCheck
    would refuse is refused at build time now (a link to a file, to no place), so the failure
    is EPUBCheck's own report, as it would read an invalid EPUB."""
    from dizgi import checks

    invalid = checks.EpubCheckReport(
        (
            checks.EpubCheckMessage(
                "ERROR", "RSC-012", "Fragment identifier is not defined.", "EPUB/a01.xhtml:12"
            ),
        )
    )
    monkeypatch.setattr(checks, "run_epubcheck", lambda path: invalid)
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / "deneme-dergisi-2025-03.pdf").write_bytes(b"earlier pdf")
    (out_dir / "deneme-dergisi-2025-03.epub").write_bytes(b"earlier epub")
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--check", "--quiet")
    assert run.code == 2
    assert run.stderr == (
        f"dizgi: error: {out_dir / 'deneme-dergisi-2025-03.epub'}: 1 check(s) failed:\n"
        "    deneme-dergisi-2025-03.epub: ERROR RSC-012 EPUB/a01.xhtml:12: "
        f"Fragment identifier is not defined. ({minimal_manuscript / 'articles' / '01-deneme.md'})\n"
        "  what to do: correct what each names, in the article and on the page given; "
        "the previous outputs were left as they were\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "deneme-dergisi-2025-03.epub",
        "deneme-dergisi-2025-03.pdf",
    ]
    assert (out_dir / "deneme-dergisi-2025-03.epub").read_bytes() == b"earlier epub"


def test_a_link_to_no_place_or_to_a_file_stops_the_build(minimal_manuscript: Path, tmp_path: Path) -> None:
    """Each passed the build and made an invalid EPUB (EPUBCheck RSC-012, RSC-007)."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    article.write_text(text + "\n[kırık bağlantı](#yok)\n", encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line {lines + 2}: the link '#yok' leads to no place in the issue: "
        "no element has the id 'yok'"
        "\n  what to do: give the place it should lead to that id ({#yok} after a heading, or [text]{#yok}), "
        "or correct the link",
    )
    article.write_text(text + "\n![Bir harita [taslak](../images/harita.png)\n", encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir)
    assert run.code == 2
    assert run.stderr == (
        f"dizgi: error: {article}, line {lines + 2}: the link '../images/harita.png' leads to a file, "
        "which neither the PDF nor the EPUB holds\n"
        "  what to do: a picture is written with '!' and what it shows in brackets: "
        "![Bakü’de bir tören](images/toren.jpg) (a ']' inside the brackets ends them early)\n"
    )


def test_a_file_refused_in_a_layout_worker_is_a_clear_error(
    minimal_manuscript: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The galleys are laid out in worker processes; a refusal there crosses back whole
    (file, problem, fix), not as a broken process pool. The layout's fetcher is the second
    wall behind ``sanitize`` and ``figures``, which would refuse this picture first: they
    are taken down here (the workers are forked from this process, so they see the same)."""
    from dizgi import figures, sanitize

    monkeypatch.setattr(sanitize, "_check_picture", lambda *arguments: None)
    monkeypatch.setattr(figures, "prepare_pictures", lambda ast, article, root: (ast, (), ()))
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![resim](/etc/passwd)\n")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    styles = Path(__file__).resolve().parents[1] / "styles"
    assert_failed_cleanly(
        run,
        out_dir,
        f"{styles / 'print.css'}: the layout asked for a file dizgi may not read: file:///etc/passwd\n"
        "  what to do: keep images and stylesheets inside the manuscript or styles folder, linked relatively",
    )


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2025-13-45", "a date in ISO form"),
        ("2200-01-01", "a date between 1900 and 2099"),
        ("1899-12-31", "a date between 1900 and 2099"),
        ("0001-01-01", "a date between 1900 and 2099"),
    ],
)
def test_a_date_that_cannot_be_is_named_with_its_line(
    minimal_manuscript: Path, tmp_path: Path, date: str, expected: str
) -> None:
    """2025-13-45 made YAML's own date constructor raise; a year past 2107 broke the EPUB's zip."""
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("2025-03-01", date))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 3: 'date' should be {expected}\n  what to do: write it like this: date: 2025-04-01",
    )


def test_an_issue_of_1900_builds_with_its_date(minimal_manuscript: Path, tmp_path: Path) -> None:
    """The fonts' stamp (OpenType counts from 1904) made it a traceback; now the PDF and the
    EPUB say 1900, and only the zip entries (1980) and fonts (1904) say the earliest they can."""
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("2025-03-01", "1900-01-01"))
    out_dir = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert (run.code, run.stderr) == (0, "")
    pdf = pypdf.PdfReader(out_dir / "deneme-dergisi-1900-01.pdf")
    assert pdf.metadata is not None and pdf.metadata["/CreationDate"] == "D:19000101000000Z"
    with zipfile.ZipFile(out_dir / "deneme-dergisi-1900-01.epub") as book:
        assert "<dc:date>1900-01-01</dc:date>" in book.read("EPUB/content.opf").decode()
        assert {info.date_time[0] for info in book.infolist()} == {1980}


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_in_yaml_is_named_with_its_line(
    minimal_manuscript: Path, tmp_path: Path, character: str
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("subtitle: Dizginin", f"subtitle: Diz{character}ginin"), encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 6: a control character (U+{ord(character):04X}) stands in the text; "
        "YAML does not allow it\n"
        "  what to do: delete it (it often comes with text pasted from another program)",
    )


NESTING_FIX = "flatten the nesting (a list inside a list inside a list is already hard to read)"


@pytest.mark.parametrize(
    ("nested", "levels"),
    [
        # 300 nested list levels ended in a RecursionError in the typography walk
        ("".join("    " * level + "- madde\n" for level in range(300)), "more than 30"),
        # 2,000 block quotes, in Python's JSON parser
        (">" * 2000 + " Derin alıntı.\n", "more than 30"),
        # divs: under the JSON limit, over the block limit
        ("".join(f"::: d{level}\n" for level in range(40)) + "İç.\n" + "::: \n" * 40, "40"),
    ],
    ids=["lists", "block-quotes", "divs"],
)
def test_nesting_past_the_limit_is_refused_with_its_line(
    minimal_manuscript: Path, tmp_path: Path, nested: str, levels: str
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    before = article.read_text(encoding="utf-8") + "\n"
    article.write_text(before + nested, encoding="utf-8")
    first = before.count("\n") + 1  # the line the nesting begins on
    line = first if nested.startswith(">") else first + 30  # the 31st level
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line {line}: the article nests lists or block quotes {levels} levels deep; "
        f"dizgi sets at most 30\n  what to do: {NESTING_FIX}",
    )


def test_brackets_nested_past_the_limit_are_refused_before_pandoc(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    """Spans nested 18 deep took Pandoc more than a minute and 13 GB."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    before = article.read_text(encoding="utf-8") + "\n"
    article.write_text(before + "[" * 18 + "iç" + "]{.x}" * 18 + " metin.\n", encoding="utf-8")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line {before.count(chr(10)) + 1}: brackets nest more than 6 deep here "
        "([ inside [ inside [ …); Pandoc would take minutes to read them\n"
        "  what to do: close the brackets that are open, or write a bracket that is text as \\[",
    )


def test_brackets_and_emphasis_as_deep_as_text_goes_build(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    deep = "[" * 6 + "iç" + "]{.x}" * 6 + " metin, `[[[[[[[[` kod ve \\[\\[\\[\\[\\[\\[\\[ düz."
    emphasis = "*" * 1000 + "vurgu" + "*" * 1000
    article.write_text(article.read_text(encoding="utf-8") + f"\n{deep}\n\n{emphasis}\n", encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    # Pandoc reads the unmatched marks as text: one run of 2,005 characters, broken at line ends
    # (its last lines stand alone on the article's second page, which is said too)
    long_word, *others = run.stderr.splitlines()
    assert run.code == 0
    assert long_word == (
        f"dizgi: warning: {article}, line 21: a word of 2,005 characters ('{'*' * 20}…') is longer than "
        "a line; it is broken where each line ends, without a hyphen: if it is more than one word, "
        "put the spaces in"
    )
    assert all(
        line.startswith(f"dizgi: warning: {article}: page ") and " sets only " in line for line in others
    )


def test_an_output_folder_that_is_a_file_is_refused_before_any_work(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "dist"
    blocker.write_text("not a folder")
    for out_dir, problem in (
        (blocker, "a file stands where the output folder should be"),
        (blocker / "new", f"{blocker} is a file, so no folder can be made in it"),
    ):
        run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir)
        assert (run.code, run.stderr) == (
            2,
            f"dizgi: error: {out_dir}: {problem}\n"
            "  what to do: give --out a folder you may write to (it is made when it does not exist)\n",
        )
        assert "load" not in run.stdout
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("notes", ["endnotes", "footnotes"])
def test_a_comment_in_the_text_never_splits_the_notes(
    minimal_manuscript: Path, tmp_path: Path, notes: str
) -> None:
    """The comment dizgi once used to cut Pandoc's HTML into body and notes, written in a
    manuscript, moved a paragraph into the notes (and with footnotes ended in a traceback)."""
    from dizgi import convert, manuscript

    issue_yaml = minimal_manuscript / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8") + f"notes: {notes}\n")
    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("## Bir Ara Başlık", "<!--dizgi:note-->\n\n## Bir Ara Başlık"))
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert (run.code, run.stderr) == (0, "")
    typeset = convert.typeset_article(
        (loaded := manuscript.load_issue(minimal_manuscript).articles[0]), convert.markdown_to_ast(loaded)
    )
    assert len(typeset.notes_html) == 1
    assert "Deneme Kaynağı" in typeset.notes_html[0]
    assert "Azerbaycan’ın ortaklığı" in typeset.body_html


def test_a_killed_build_leaves_debris_the_next_build_removes(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    debris = out_dir / ".deneme-dergisi-2025-03.4194303.tmp.pdf"  # a process id no Linux uses
    debris.write_bytes(b"half a PDF")
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert run.code == 0, run.stderr
    assert sorted(path.name for path in out_dir.iterdir()) == top_level("deneme-dergisi-2025-03")


def test_ctrl_c_stops_the_build_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    import os
    import signal

    from conftest import start_build

    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / "dis-bakis-deneme-2026-11.pdf").write_bytes(b"earlier pdf")
    build = start_build(out_dir)
    assert build.stdout is not None
    seen = []
    while not any(line.startswith("  convert") for line in seen):  # the layout has begun
        line = build.stdout.readline()
        assert line, f"the build ended before its convert stage: {seen}"
        seen.append(line)
    os.killpg(build.pid, signal.SIGINT)  # as a terminal sends it: to the build and its workers
    rest, stderr = build.communicate(timeout=120)
    assert (build.returncode, stderr) == (
        130,
        "dizgi: stopped; the previous outputs were left as they were\n",
    ), "".join(seen) + rest
    assert [path.name for path in out_dir.iterdir()] == ["dis-bakis-deneme-2026-11.pdf"]
    assert (out_dir / "dis-bakis-deneme-2026-11.pdf").read_bytes() == b"earlier pdf"


def test_a_print_page_may_begin_at_an_id_holding_a_quote_mark() -> None:
    """An id written in raw HTML (``<div id="a'b">``) once broke the XPath that finds where
    a print page begins in the EPUB."""
    from dizgi import epub

    xhtml = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="tr"><head><title>t</title></head>'
        '<body><div id="a\'b">metin</div></body></html>'
    )
    finished = epub._finish_xhtml(xhtml, "a01.xhtml", {"a'b": ["5"]}).decode()
    assert 'id="page-5" role="doc-pagebreak"' in finished
    assert finished.index('id="page-5"') < finished.index('id="a\'b"')


def test_a_bom_and_crlf_line_ends_build_the_same_as_plain_utf8(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    """What Windows editors save: the same outputs, byte for byte, as the plain file."""
    plain = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "plain", "--quiet", "--no-cache")
    assert plain.code == 0, plain.stderr
    for name in ("issue.yaml", "articles/01-deneme.md"):
        path = minimal_manuscript / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    windows = run_cli(
        "--manuscript", minimal_manuscript, "--out", tmp_path / "windows", "--quiet", "--no-cache"
    )
    assert windows.code == 0, windows.stderr
    for built in (tmp_path / "plain").rglob("*.*"):
        twin = tmp_path / "windows" / built.relative_to(tmp_path / "plain")
        assert twin.read_bytes() == built.read_bytes(), built.name


def test_decomposed_turkish_letters_come_out_composed(minimal_manuscript: Path, tmp_path: Path) -> None:
    import unicodedata
    import zipfile

    article = minimal_manuscript / "articles" / "01-deneme.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert run.code == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "out" / "deneme-dergisi-2025-03.epub") as book:
        xhtml = book.read("EPUB/a01.xhtml").decode()
    assert "Türkiye’nin ve Azerbaycan’ın ortaklığı" in xhtml
    assert "\u0308" not in xhtml and "\u0327" not in xhtml  # no combining diaeresis or cedilla


@pytest.mark.parametrize("how", ["relative", "absolute", "symlink"])
def test_an_article_outside_the_manuscript_folder_is_refused(
    minimal_manuscript: Path, tmp_path: Path, how: str
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text((minimal_manuscript / "articles" / "01-deneme.md").read_text(encoding="utf-8"))
    entry = {"relative": "../elsewhere.md", "absolute": str(outside), "symlink": "articles/link.md"}[how]
    if how == "symlink":
        (minimal_manuscript / "articles" / "link.md").symlink_to(outside)
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("articles/01-deneme.md", entry))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 5: the article '{entry}' lies outside the manuscript folder\n"
        "  what to do: copy it into the manuscript folder (e.g. articles/) "
        "and list it relative to issue.yaml",
    )


def test_a_key_given_twice_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    issue = minimal_manuscript / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "magazine: Başka Dergi\n")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{issue}, line 6: 'magazine' is given twice (first on line 1)\n"
        "  what to do: keep one of the two lines; YAML would silently take the last",
    )


def test_an_author_name_that_is_a_list_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    """It printed the Python list ``['Ali', 'Veli']`` in the byline."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("name: Ayşe Yılmaz", "name: [Ali, Veli]"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 4: an author's 'name' should be a single line of text\n"
        "  what to do: give each author an entry of its own: '- name: …'",
    )


ACTIVE = "remove it; dizgi publishes text, headings, lists, tables and links, nothing that runs"
ATTRIBUTE = "remove it; a passage in another language takes {lang=en}, nothing else is needed"
REFUSED = "the HTML element {} may not reach the PDF or the EPUB"
RUNS = "may not reach the PDF or the EPUB: it would run or load something in a reader"


@pytest.mark.parametrize(
    ("written", "problem", "fix"),
    [
        (
            "Metin <script>alert(1)</script>.",
            "the HTML element <script> may not reach the PDF or the EPUB",
            ACTIVE,
        ),
        (
            '<iframe src="http://x.invalid/"></iframe>',
            "the HTML element <iframe> may not reach the PDF or the EPUB",
            ACTIVE,
        ),
        (
            '<form action="x"><input></form>',
            "the HTML element <form> may not reach the PDF or the EPUB",
            ACTIVE,
        ),
        (
            '```{=html}\n<meta http-equiv="refresh" content="0">\n```',
            "the HTML element <meta> may not reach the PDF or the EPUB",
            ACTIVE,
        ),
        (
            "<style>@media screen { p { background: url(http://x.invalid/) } }</style>",
            "the HTML element <style> may not reach the PDF or the EPUB",
            ACTIVE,
        ),
        (
            '<span onclick="x()">tık</span>',
            f"the attribute 'onclick' {RUNS}",
            ATTRIBUTE,
        ),
        (
            '[yazı]{style="background: url(http://x.invalid/)"}',
            f"the attribute 'style' {RUNS}",
            ATTRIBUTE,
        ),
        (
            '<abbr title="x" onmouseover="y()">TSK</abbr>',
            "the attribute 'onmouseover' on <abbr> may not reach the PDF or the EPUB",
            "remove it; raw HTML may carry only id, class, lang, dir, title and a link's href",
        ),
        (
            "[bağ](javascript:alert(1))",
            "the link 'javascript:alert(1)' may not reach the PDF or the EPUB: "
            "javascript: is neither the web nor an e-mail address",
            "link to an https:// address, a mailto: address or a place in the issue, or remove the link",
        ),
        (
            '<a href="file:///etc/passwd">bak</a>',
            "the link 'file:///etc/passwd' may not reach the PDF or the EPUB: "
            "file: is neither the web nor an e-mail address",
            "link to an https:// address, a mailto: address or a place in the issue, or remove the link",
        ),
        (
            "![izleyici](http://iz.invalid/p.png)",
            "the picture 'http://iz.invalid/p.png' comes from outside the manuscript; "
            "the outputs may not fetch it",
            "put the picture's file in the manuscript folder and give its path, "
            "e.g. ![Bakü’de bir tören](images/toren.jpg)",
        ),
        (
            '<p><img src="x.png" alt="a"></p>',
            "the HTML element <img> may not reach the PDF or the EPUB",
            "write the picture in Markdown: ![what it shows](images/file.jpg)",
        ),
    ],
)
def test_active_content_and_remote_resources_are_refused_with_their_line(
    minimal_manuscript: Path, tmp_path: Path, written: str, problem: str, fix: str
) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + written + "\n", encoding="utf-8")
    line = len(article.read_text(encoding="utf-8").splitlines()) - written.count("\n")
    if written.startswith("```"):
        line += 1  # the fence's own line holds no HTML
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(run, out_dir, f"{article}, line {line}: {problem}\n  what to do: {fix}")


def test_plain_html_for_text_still_builds(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(
        article.read_text(encoding="utf-8")
        + '\n<abbr title="Türk Silahlı Kuvvetleri">TSK</abbr>, H<sub>2</sub>O, '
        '<a href="https://www.aa.com.tr/">AA</a> <!-- bir not -->\n',
        encoding="utf-8",
    )
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert (run.code, run.stderr) == (0, "")
