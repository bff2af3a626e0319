"""Note labels in an article's Markdown: each defined once, each call defined.

Pandoc is silent on both faults: a call with no definition (``[^yok]``) is printed as it
stands, and of two definitions with one label the first's text is lost. So the labels are
read from the Markdown itself, where the line each stands on is known: a label defined
twice stops the build (a note would be lost), a call with no definition is a warning
(the text still reads). Pandoc itself warns of a definition never called; ``convert``
passes that on with its line.
"""

from __future__ import annotations

import re

from dizgi.errors import ManuscriptError
from dizgi.model import Article

#: ``[^label]: text`` at the start of a line (up to three spaces in, as Markdown allows);
#: a label holds no space, ``^``, ``[`` or ``]`` (Pandoc's rule)
#: the most notes an article may define: about 15 ms of layout each, so 2,000 take some 30 s
#: (10,000 took 160 s); the longest law review articles have some 500
MAX_NOTES = 2000
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\s\^\[\]]+)\]:")
_CALL = re.compile(r"\[\^([^\s\^\[\]]+)\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")


def _labels(article: Article) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Every definition and every call, with its line in the file; code is skipped."""
    definitions: list[tuple[str, int]] = []
    calls: list[tuple[str, int]] = []
    fence: str | None = None
    for number, line in enumerate(article.body.split("\n"), start=article.body_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        text = _CODE_SPAN.sub("", line)
        definition = _DEFINITION.match(text)
        if definition:
            definitions.append((definition.group(1), number))
            text = text[definition.end() :]
        calls.extend((match.group(1), number) for match in _CALL.finditer(text))
    return definitions, calls


def check_note_labels(article: Article) -> None:
    """Stop at a note label defined twice: Pandoc would keep the last and drop the first;
    and at more notes than ``MAX_NOTES``."""
    definitions = _labels(article)[0]
    if len(definitions) > MAX_NOTES:
        raise ManuscriptError(
            f"the article has {len(definitions):,} notes, and dizgi sets at most {MAX_NOTES:,} in one "
            f"(the layout takes about 15 ms a note: {len(definitions):,} would take minutes); "
            f"this is note {MAX_NOTES + 1:,}",
            fix=f"split the article into parts of at most {MAX_NOTES:,} notes each",
            path=article.source,
            line=definitions[MAX_NOTES][1],
        )
    first: dict[str, int] = {}
    for label, line in definitions:
        if label in first:
            raise ManuscriptError(
                f"the note [^{label}] is defined twice (first on line {first[label]}); "
                "one of the two texts would be lost",
                fix=f"give one of them a label of its own (e.g. [^{label}b]) and call it where it belongs",
                path=article.source,
                line=line,
            )
        first[label] = line


def undefined_note_warnings(article: Article) -> tuple[str, ...]:
    """A warning for each call whose note is never defined (it would print as ``[^label]``)."""
    definitions, calls = _labels(article)
    defined = {label for label, _ in definitions}
    return tuple(
        f"{article.source}, line {line}: the note [^{label}] is called but never defined, "
        f"so '[^{label}]' is printed as it stands; add a line '[^{label}]: …' under the text"
        for label, line in calls
        if label not in defined
    )
