"""The corpus of bad manuscripts: each one a change to the minimal fixture, with the exact
message it gets, exit code 2 and the output folder exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import run_cli
from test_bad_manuscripts import assert_failed_cleanly, build_into_used_folder

ARTICLE = "articles/01-deneme.md"
TITLE = 'title: "İkinci Deneme: Kısa Bir Yazı"'
AUTHORS = "authors:\n  - name: Ayşe Yılmaz\n    affiliation: Ankara Üniversitesi"
FONT_FIX = (
    "remove it or write what it means in words; text in a script the fonts lack needs "
    "its font added to styles/fonts (see README: 'Fonts')"
)


@dataclass(frozen=True)
class Bad:
    """A bad manuscript: how it is made from the minimal one, which file the message names,
    on which line, and what it says."""

    change: Callable[[Path], None]
    file: str
    line: int | None
    problem: str
    fix: str


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def change(manuscript: Path) -> None:
        path = manuscript / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def append(text: str) -> Callable[[Path], None]:
    def change(manuscript: Path) -> None:
        path = manuscript / ARTICLE
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def write(file: str, content: bytes) -> Callable[[Path], None]:
    def change(manuscript: Path) -> None:
        (manuscript / file).write_bytes(content)

    return change


def folder_instead_of(file: str) -> Callable[[Path], None]:
    def change(manuscript: Path) -> None:
        (manuscript / file).unlink()
        (manuscript / file).mkdir()

    return change


def windows_1254(manuscript: Path) -> None:
    path = manuscript / ARTICLE
    path.write_bytes(path.read_text(encoding="utf-8").replace("’", "'").encode("cp1254"))


LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdef", "bcdefg", strict=True)
)

#: the minimal article has 17 lines; a line appended after a blank one is line 19
APPENDED = 19

CORPUS = {
    "front matter that is a list": Bad(
        write(ARTICLE, b"---\n- a\n- b\n---\n\nMetin.\n"),
        ARTICLE,
        2,
        "expected 'key: value' lines (a YAML mapping)",
        "write one 'key: value' per line, e.g. 'title: …'",
    ),
    "authors as text": Bad(
        replace(ARTICLE, AUTHORS, "authors: x"),
        ARTICLE,
        3,
        "'authors' should be a list",
        "write it like this: authors:\n    - name: Ad Soyad",
    ),
    "title as a list": Bad(
        replace(ARTICLE, TITLE, "title: [a]"),
        ARTICLE,
        2,
        "'title' should be a single line of text",
        "write it like this: title: …",
    ),
    "articles as text": Bad(
        replace("issue.yaml", "articles:\n  - articles/01-deneme.md", "articles: x"),
        "issue.yaml",
        4,
        "'articles' must be a list of article files",
        "list the articles in order, one per line: '  - articles/01-slug.md'",
    ),
    "an article listed twice": Bad(
        replace(
            "issue.yaml",
            "  - articles/01-deneme.md",
            "  - articles/01-deneme.md\n  - ./articles/01-deneme.md",
        ),
        "issue.yaml",
        6,
        "the article './articles/01-deneme.md' is listed twice (first on line 5)",
        "list each article once; an article printed twice would also link to itself",
    ),
    "a 5 MB article": Bad(
        lambda manuscript: (manuscript / ARTICLE).write_bytes(
            (manuscript / ARTICLE).read_bytes().ljust(5_000_000, b"a")
        ),
        ARTICLE,
        None,
        "the article is 5,000 KB; dizgi sets at most 400 KB (some 60,000 words) in one article",
        "split it into articles of their own (01a-…, 01b-…) and list each in issue.yaml",
    ),
    "an empty article": Bad(
        write(ARTICLE, b""),
        ARTICLE,
        1,
        "the article does not start with YAML front matter",
        "begin the file with a line '---', then 'title: …', then another '---'",
    ),
    "a Windows-1254 file": Bad(
        windows_1254,
        ARTICLE,
        2,
        "the file is not UTF-8 text (byte 13 cannot be read); it looks like Windows-1254 (Turkish)",
        "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
    ),
    "a YAML tag that would run code": Bad(
        replace(ARTICLE, "section: Deneme", "section: !!python/object/apply:os.system [ls]"),
        ARTICLE,
        7,
        "a YAML tag (!!python/object/apply:os.system) stands here; dizgi takes none",
        "remove the tag and write the value as plain text",
    ),
    "a billion laughs": Bad(
        replace(
            "issue.yaml", "magazine: Deneme Dergisi\n", "magazine: Deneme Dergisi\na: &a [x, x]\n" + LAUGHS
        ),
        "issue.yaml",
        3,
        "a YAML alias (*name) stands here; dizgi takes none",
        "write the value out in full where it is needed",
    ),
    "a folder where the article should be": Bad(
        folder_instead_of(ARTICLE),
        "issue.yaml",
        5,
        "the article 'articles/01-deneme.md' is a folder, not a file",
        "list the article's Markdown file (e.g. articles/01-slug.md), not its folder",
    ),
    "a folder where issue.yaml should be": Bad(
        folder_instead_of("issue.yaml"),
        "issue.yaml",
        None,
        "issue.yaml here is a folder, not a file",
        "replace the folder with the issue's issue.yaml file (see README: 'The manuscript')",
    ),
    "a NUL in the text": Bad(
        append("\nBir\x00cümle.\n"),
        ARTICLE,
        APPENDED,
        "a control character (U+0000) stands in the text",
        "delete it (it often comes with text pasted from another program)",
    ),
    "a title of 100,000 characters": Bad(
        replace(ARTICLE, TITLE, f"title: {'Başlık ' * 14286}"),
        ARTICLE,
        2,
        "'title' is 100,001 characters long; dizgi takes at most 300 here",
        "shorten it (this is a line or two); the article's text belongs under the front matter",
    ),
    "an abstract of 6,000 characters": Bad(
        replace(ARTICLE, "abstract: Bu öz", f"abstract: {'öz ' * 2000}Bu öz"),
        ARTICLE,
        8,
        "'abstract' is 6,080 characters long; dizgi takes at most 5,000 here",
        "shorten it (an abstract or a note is a paragraph); "
        "the article's text belongs under the front matter",
    ),
    "a note defined twice": Bad(
        append("\n[^1]: İkinci bir tanım.\n"),
        ARTICLE,
        APPENDED,
        "the note [^1] is defined twice (first on line 17); one of the two texts would be lost",
        "give one of them a label of its own (e.g. [^1b]) and call it where it belongs",
    ),
    "an id dizgi makes itself": Bad(
        append("\n::: {#a01-p2}\nBir bölüm.\n:::\n"),
        ARTICLE,
        APPENDED,
        "the id 'a01-p2' is one dizgi gives its own elements",
        "choose another id (ids like a01-p1, a01-note-1 and page-3 are dizgi's), "
        "e.g. one that names what it marks: {#harita}",
    ),
    "an id given twice": Bad(
        append('\n[bir]{#harita} ve <span id="harita">iki</span>\n'),
        ARTICLE,
        APPENDED,
        "the id 'harita' is given twice in this article",
        "give each marked place an id of its own",
    ),
    "raw HTML left open": Bad(
        append("\n<span>açık <b>kalın</span> metin\n"),
        ARTICLE,
        APPENDED,
        "raw HTML in the article is not well-formed: Opening and ending tag mismatch: b and span",
        "close every tag you open (<span>…</span>), quote attribute values, and write & as &amp;; "
        "or write it in Markdown instead",
    ),
    "a picture that is not there": Bad(
        append("\n![Bakü’de bir tören](images/toren.png)\n"),
        ARTICLE,
        APPENDED,
        "the picture 'images/toren.png' is not there (looked for {folder}/articles/images/toren.png, "
        "{folder}/images/images/toren.png and {folder}/images/toren.png)",
        "put the picture's file there, or correct the path: it is relative to 01-deneme.md",
    ),
    "a picture outside the manuscript": Bad(
        append("\n![parola](../../../../../../../../../etc/hostname)\n"),
        ARTICLE,
        APPENDED,
        "the picture '../../../../../../../../../etc/hostname' lies outside the manuscript folder; "
        "the outputs may not fetch it",
        "copy the picture into the manuscript folder (e.g. images/) and give its path from the article",
    ),
    "a lead image without alt text": Bad(
        replace(ARTICLE, "section: Deneme", "section: Deneme\nimage:\n  file: images/toren.jpg"),
        ARTICLE,
        8,
        "the picture 'image' has no 'alt'",
        "give the picture's file and what it shows, indented under 'image:': "
        "'file: images/toren.jpg' and 'alt: Bakü’de bir tören'",
    ),
    "a lead image that is not there": Bad(
        replace(ARTICLE, "section: Deneme", "section: Deneme\nimage: {file: toren.jpg, alt: Tören}"),
        ARTICLE,
        8,
        "the picture 'toren.jpg' is not there (looked for {folder}/articles/toren.jpg, "
        "{folder}/images/toren.jpg and {folder}/toren.jpg)",
        "put the picture's file there, or correct the path: it is relative to 01-deneme.md",
    ),
    "an ORCID that is none": Bad(
        replace(
            ARTICLE,
            "    affiliation: Ankara Üniversitesi",
            "    affiliation: Ankara Üniversitesi\n    orcid: 1234",
        ),
        ARTICLE,
        4,
        "'1234' is not an ORCID iD",
        "write the sixteen-digit iD in four groups: 'orcid: 0000-0002-1825-0097'",
    ),
    "an emoji": Bad(
        append("\nGülümse 😀 lütfen.\n"),
        ARTICLE,
        APPENDED,
        "the character '😀' (U+1F600 GRINNING FACE) is in none of the shipped fonts; "
        "it would be drawn from another font of this machine, or as an empty box",
        FONT_FIX,
    ),
    "Chinese in a title": Bad(
        replace(ARTICLE, TITLE, 'title: "Deneme 中文"'),
        ARTICLE,
        2,
        "the character '中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) is in none of the shipped fonts; "
        "it would be drawn from another font of this machine, or as an empty box",
        FONT_FIX,
    ),
    "10,000 notes": Bad(  # the layout took 160 s; at most 2,000 (about 30 s)
        append(
            "\n"
            + " ".join(f"Cümle[^n{number}]." for number in range(10_000))
            + "\n\n"
            + "\n".join(f"[^n{number}]: Kaynak {number}." for number in range(10_000))
            + "\n"
        ),
        ARTICLE,
        APPENDED + 2 + 1999,  # the minimal article's own note is the first
        "the article has 10,001 notes, and dizgi sets at most 2,000 in one (the layout takes about "
        "15 ms a note: 10,001 would take minutes); this is note 2,001",
        "split the article into parts of at most 2,000 notes each",
    ),
}


@pytest.mark.parametrize("name", CORPUS)
def test_a_bad_manuscript_gets_its_message(minimal_manuscript: Path, tmp_path: Path, name: str) -> None:
    bad = CORPUS[name]
    bad.change(minimal_manuscript)
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    path = minimal_manuscript / bad.file
    where = f"{path}, line {bad.line}" if bad.line is not None else str(path)
    problem = bad.problem.replace("{folder}", str(minimal_manuscript))
    assert_failed_cleanly(run, out_dir, f"{where}: {problem}\n  what to do: {bad.fix}")


def test_an_id_given_in_two_articles_is_refused(minimal_manuscript: Path, tmp_path: Path) -> None:
    first = minimal_manuscript / ARTICLE
    second = minimal_manuscript / "articles" / "02-ikinci.md"
    second.write_text(
        '---\ntitle: İkinci\n---\n\nBir harita: <span id="harita">burada</span>.\n', encoding="utf-8"
    )
    append("\n[Harita]{#harita} burada.\n")(minimal_manuscript)
    replace(
        "issue.yaml", "  - articles/01-deneme.md", "  - articles/01-deneme.md\n  - articles/02-ikinci.md"
    )(minimal_manuscript)
    run, out_dir = build_into_used_folder(minimal_manuscript, tmp_path)
    assert_failed_cleanly(
        run,
        out_dir,
        f"{second}, line 5: the id 'harita' is given in {first} too\n"
        "  what to do: give each marked place an id of its own in the whole issue (the PDF is one document)",
    )


def warnings_of(stderr: str) -> list[str]:
    return [line.removeprefix("dizgi: warning: ") for line in stderr.splitlines()]


def test_notes_called_but_never_defined_or_defined_but_never_called_are_warned_with_their_lines(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    append("\nBir cümle.[^yok]\n\n[^boş]: Kimsenin çağırmadığı not.\n")(minimal_manuscript)
    article = minimal_manuscript / ARTICLE
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet")
    assert run.code == 0
    assert warnings_of(run.stderr) == [
        f"{article}, line {APPENDED}: the note [^yok] is called but never defined, so '[^yok]' is "
        "printed as it stands; add a line '[^yok]: …' under the text",
        f"{article}, line {APPENDED + 2}: Pandoc: Note with key 'boş' defined at line {APPENDED + 2} "
        "column 1 but not used",
    ]


def test_strict_turns_warnings_into_errors_and_publishes_nothing(
    minimal_manuscript: Path, tmp_path: Path
) -> None:
    append("\nBir cümle.[^yok]\n")(minimal_manuscript)
    article = minimal_manuscript / ARTICLE
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    (out_dir / "deneme-dergisi-2025-03.pdf").write_bytes(b"earlier pdf")
    (out_dir / "deneme-dergisi-2025-03.epub").write_bytes(b"earlier epub")
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--strict")
    assert_failed_cleanly(
        run,
        out_dir,
        "--strict: 1 warning stops this build, and nothing was published:\n"
        f"  {article}, line {APPENDED}: the note [^yok] is called but never defined, so '[^yok]' is "
        "printed as it stands; add a line '[^yok]: …' under the text\n"
        "  what to do: correct what each warning names, or build without --strict for a proof",
    )
    without = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert without.code == 0


def test_raw_html_written_as_html_not_xhtml_builds(minimal_manuscript: Path, tmp_path: Path) -> None:
    """``<br>`` and ``&nbsp;`` are what word processors paste; the EPUB gets them as XHTML."""
    append("\nBir satır<br>ikinci satır ve 5&nbsp;km.\n\n<pre>&nbsp;</pre>\n")(minimal_manuscript)
    out_dir = tmp_path / "out"
    run = run_cli("--manuscript", minimal_manuscript, "--out", out_dir, "--quiet")
    assert (run.code, run.stderr) == (0, "")
    import zipfile

    with zipfile.ZipFile(out_dir / "deneme-dergisi-2025-03.epub") as book:
        xhtml = book.read("EPUB/a01.xhtml").decode()
    assert 'Bir satır<br/>ikinci satır ve <span class="nohyphen">5\u00a0km.</span>' in xhtml
    assert "<pre>\u00a0</pre>" in xhtml


def test_a_word_of_50000_letters_finishes(minimal_manuscript: Path, tmp_path: Path) -> None:
    append("\n" + "a" * 50_000 + "\n")(minimal_manuscript)
    run = run_cli("--manuscript", minimal_manuscript, "--out", tmp_path / "out", "--quiet", "--no-cache")
    assert run.code == 0, run.stderr
