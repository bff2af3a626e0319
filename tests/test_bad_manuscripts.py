"""Bad input: exit 2, one message naming the file, the line and what to do; no traceback;
the output folder exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, run_cli


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
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "deneme-dergisi-2025-03.epub",
        "deneme-dergisi-2025-03.pdf",
    ]


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
        "articles, language, number, volume, issn, eissn, publisher, editors, licence, url, notes",
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
        "subtitle, authors, lang, section, keywords, abstract, photo_credit, note, notes_title",
    )


def test_unknown_author_key(minimal_manuscript: Path, tmp_path: Path) -> None:
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8").replace("    affiliation:", "    afiliation:"))
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{article}, line 5: unknown key 'afiliation'\n"
        "  what to do: did you mean 'affiliation'? An author has: name, affiliation, orcid",
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


def test_failed_check_leaves_the_previous_outputs(minimal_manuscript: Path, tmp_path: Path) -> None:
    """A link to a file the EPUB lacks passes the build but fails EPUBCheck: nothing is replaced."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8") + '\n<a href="yok.xhtml">kırık bağlantı</a>\n')
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / "deneme-dergisi-2025-03.pdf").write_bytes(b"earlier pdf")
    (out_dir / "deneme-dergisi-2025-03.epub").write_bytes(b"earlier epub")
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--check", "--quiet")
    assert run.code == 2
    assert run.stderr.startswith(
        f"dizgi: error: {out_dir / 'deneme-dergisi-2025-03.epub'}: EPUBCheck found problems:"
    )
    assert "yok.xhtml" in run.stderr
    assert run.stderr.endswith(
        "  what to do: correct the markup it names; the previous outputs were left as they were\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "deneme-dergisi-2025-03.epub",
        "deneme-dergisi-2025-03.pdf",
    ]
    assert (out_dir / "deneme-dergisi-2025-03.epub").read_bytes() == b"earlier epub"


def test_a_file_refused_in_a_layout_worker_is_a_clear_error(minimal_manuscript: Path, tmp_path: Path) -> None:
    """The galleys are laid out in worker processes; a refusal there crosses back whole
    (file, problem, fix), not as a broken process pool."""
    article = minimal_manuscript / "articles" / "01-deneme.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![resim](file:///etc/passwd)\n")
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    styles = Path(__file__).resolve().parents[1] / "styles"
    assert_failed_cleanly(
        run,
        out_dir,
        f"{styles / 'print.css'}: the layout asked for a file dizgi may not read: file:///etc/passwd\n"
        "  what to do: keep images and stylesheets inside the manuscript or styles folder, linked relatively",
    )
