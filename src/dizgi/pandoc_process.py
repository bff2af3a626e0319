"""Running the Pandoc that ``pypandoc-binary`` ships: every stage that needs Pandoc (the
convert stage, the JATS, the Word import, proofing, citations) runs it through here, with
its warnings kept for dizgi to place in the manuscript's files."""

from __future__ import annotations

import re
import subprocess

import pypandoc

#: Pandoc's smart punctuation is off: its quotes and dashes ignore the language, and
#: ``typography`` applies the Turkish rules itself, counting each change. Fancy lists are
#: off too: with them a paragraph opening with "s. 5" (sayfa) became a list item "s.".
#: An address typed bare in the text (``https://…`` in a note) becomes a link, as one
#: written ``<https://…>`` does: printed as plain text it would be a PDF/UA finding.
PANDOC_READER = "markdown-smart-fancy_lists+autolink_bare_uris"


def run_pandoc(source: str, *arguments: str) -> tuple[str, list[str]]:
    """Run the Pandoc of ``pypandoc-binary``: its output and its warnings, which pypandoc
    would print to the terminal as they are (with lines counted from the body, not the file)."""
    process = subprocess.run(
        [pypandoc.get_pandoc_path(), *arguments], input=source.encode(), capture_output=True, check=False
    )
    messages = process.stderr.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(messages.strip() or f"Pandoc stopped with exit code {process.returncode}")
    warnings: list[str] = []
    for line in messages.splitlines():
        if line.startswith("["):
            warnings.append(re.sub(r"^\[\w+\]\s*", "", line))
        elif line.strip() and warnings:
            warnings[-1] += " " + line.strip()
    return process.stdout.decode(), warnings
