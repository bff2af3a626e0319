"""Synthetic volumes for the benchmark: the real article repeated, each copy with its own title.

A real issue of *Dış Bakış* has ten to twenty articles; we have one. Repeating it gives an
issue of realistic size whose text is real Turkish (hyphenation, loose lines and notes as in
the real thing), and an edit to one copy shows what a rebuild after one change costs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

#: the sentence an "edited" volume adds to the first paragraph of one article
EDIT = " Bu cümle, düzeltme turunda eklenmiştir."


def make_volume(source: Path, target: Path, articles: int) -> Path:
    """Write an issue of ``articles`` copies of ``source``'s first article into ``target``
    (replacing what was there) and return ``target``."""
    if target.exists():
        shutil.rmtree(target)
    (target / "articles").mkdir(parents=True)
    article = _first_article(source).read_text(encoding="utf-8")
    names = []
    for number in range(1, articles + 1):
        name = f"articles/{number:02d}-makale.md"
        retitled = re.sub(
            r'^title: "(.*)"$',
            lambda match, n=number: f'title: "{match.group(1)} ({n}. yazı)"',
            article,
            count=1,
            flags=re.MULTILINE,
        )
        (target / name).write_text(retitled, encoding="utf-8")
        names.append(name)
    issue = (source / "issue.yaml").read_text(encoding="utf-8")
    head = issue.split("\narticles:", 1)[0]
    listing = "".join(f"  - {name}\n" for name in names)
    (target / "issue.yaml").write_text(f"{head}\narticles:\n{listing}", encoding="utf-8")
    return target


def edit_one_article(volume: Path, number: int = 1) -> Path:
    """Add a sentence to the first paragraph of article ``number``: an editor's correction."""
    path = sorted((volume / "articles").glob("*.md"))[number - 1]
    text = path.read_text(encoding="utf-8")
    front, _, body = text.partition("\n---\n")
    first, _, rest = body.lstrip("\n").partition("\n\n")
    path.write_text(f"{front}\n---\n\n{first}{EDIT}\n\n{rest}", encoding="utf-8")
    return path


def _first_article(source: Path) -> Path:
    listed = re.search(r"^\s*-\s*(\S+\.md)\s*$", (source / "issue.yaml").read_text(encoding="utf-8"), re.M)
    if listed is None:
        raise ValueError(f"{source / 'issue.yaml'} lists no article")
    return source / listed.group(1)
