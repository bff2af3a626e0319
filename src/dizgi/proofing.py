"""Turkish proofing, as a copy editor reads a manuscript: spelling against the Turkish
Hunspell dictionary (``styles/dictionaries/tr_TR.zip``, read by spylls) and the rules of
TDK's spelling guide (*Yazım Kılavuzu*) every editor checks, each finding with its file,
line, word and suggestion. For ``--check`` and ``python build.py proof-text``.

The rules, with ids as the typography rules have theirs:

- **Y1** spelling: a word the dictionary does not know (*yanlız* → *yalnız*).
- **Y2** the conjunction *de/da* follows the vowel of the word before it (*okul de* → *okul
  da*), and *ta/te* never stands alone (*saat te* → *saatte*).
- **Y3** the suffix *-ki* is written together (*evde ki* → *evdeki*), the conjunction *ki*
  apart (*dedimki* → *dedim ki*).
- **Y4** the question particle *mi* is written apart (*gelecekmi* → *gelecek mi*).
- **Y5** one word or two as the guide writes them: *birçok, birkaç, herhangi, hiçbir*;
  *her şey, bir şey, ya da, pek çok, her zaman*.
- **Y6** a proper noun's suffix stands after an apostrophe, in lower case (*Ankara’Da*,
  *Türkiyenin* → *Türkiye’nin*).

Only Turkish is read: passages marked with another language (``[…]{lang=en}``), code,
addresses, citations and words in other scripts are passed over. A word written with a
capital is a name to the spelling check (Y6 reads names); the issue's own words go in
``manuscript/sozluk.txt``, one to a line (``#`` begins a comment), and dizgi's additions to
the 2015 dictionary (words TDK lists that it lacks) in ``styles/dictionaries/tr_ek.txt``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dizgi import turkish
from dizgi.model import Article, Issue
from dizgi.pandoc_process import PANDOC_READER, run_pandoc

RULES = {
    "Y1": "not in the Turkish dictionary",
    "Y2": "the conjunction de/da follows the vowel before it; ta/te is a suffix",
    "Y3": "the suffix -ki is written together, the conjunction ki apart",
    "Y4": "the question particle mi is written apart",
    "Y5": "written as the spelling guide writes it",
    "Y6": "a proper noun's suffix goes after an apostrophe, in lower case",
}
WORD_LIST = "sozluk.txt"
_LETTERS = "A-Za-zÇĞİÖŞÜçğıöşüÂÎÛâîû"
_TOKEN = re.compile(rf"(?<![\w’'.])[{_LETTERS}]+(?:[’'][{_LETTERS}]+)?(?![\w’'])|¦")
#: letters Turkish does not write: a word holding one is another language's
_FOREIGN = re.compile(r"[qwxQWX]")
_BACK, _FRONT = set("aıouâû"), set("eiöüî")
_CIRCUMFLEX = str.maketrans("âîûÂÎÛ", "aiuAIU")
#: Y5: word pairs written as one, and single words written as two
_JOINED = {
    ("bir", "çok"): "birçok", ("bir", "kaç"): "birkaç", ("her", "hangi"): "herhangi",
    ("hiç", "bir"): "hiçbir", ("hiç", "biri"): "hiçbiri", ("birden", "bire"): "birdenbire",
}  # fmt: skip
_SPLIT = {
    "herşey": "her şey", "birşey": "bir şey", "hiçbirşey": "hiçbir şey", "pekçok": "pek çok",
    "herzaman": "her zaman", "hergün": "her gün", "birgün": "bir gün", "şuan": "şu an", "birsürü": "bir sürü",
    "birtek": "bir tek", "yada": "ya da", "herbiri": "her biri",
}  # fmt: skip
#: regular endings after a noun: plural, possessive, case, and the copula (*-lerini*, *-larındandır*)
_ENDINGS = re.compile(
    r"(?:l[ae]r)?(?:[ıiuü]?m|[ıiuü]?n|s?[ıiuü]|[ıiuü]m[ıiuü]z|[ıiuü]n[ıiuü]z|l[ae]r[ıiuü])?"
    r"(?:n?[ıiuü]|n?[ae]|n?[dt][ae](?:n|ki)?|n?[ıiuü]n|y?l[ae])?(?:[dt][ıiuü]r)?"
)
#: Y4: the question particle with its person endings
_QUESTION = re.compile(
    r"^(?P<stem>.+?)(?P<particle>m[ıiuü](?:y[ıiuü]m|s[ıiuü]n|y[ıiuü]z|s[ıiuü]n[ıiuü]z|d[ıiuü]r|yd[ıiuü]|ym[ıiuü]ş)?)$"
)
#: Y6: the case and plural endings a name takes after its apostrophe
_NAME_SUFFIX = re.compile(
    r"^(?:y?[ıiuü]|y?[ae]|n?[ıiuü]n|[dt][ae](?:n|ki)?|n[dt][ae](?:n|ki)?|y?l[ae]|l[ae]r\w*|n[ıiuü]|c[ıiuü]|ç[ıiuü]"
    r"|l[ıiuü]|s[ıiuü]|[ıiuü]nd[ae](?:n|ki)?)$"
)
#: words after which -ki is the suffix of time (*yarınki*), never the conjunction
_TIME_ENDINGS = "(?:dün|bugün|yarın|sabah|akşam|gece|öğle|yaz|kış|bahar|güz|önce|sonra)$"


@dataclass(frozen=True)
class Finding:
    """One thing a copy editor would mark: rule, file, line, the word and the suggestion."""

    rule: str
    path: Path
    line: int | None
    word: str
    suggestion: str
    #: how many times the same word stands in the article (reported once, at its first line)
    times: int = 1

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else str(self.path)
        better = f" → '{self.suggestion}'" if self.suggestion else ""
        again = f", {self.times} times" if self.times > 1 else ""
        return f"{where}: {self.rule} '{self.word}'{better} ({RULES[self.rule]}{again})"


@functools.cache
def dictionary(styles_dir: Path) -> Any:
    """The Turkish Hunspell dictionary, read once per process (some seconds: spylls reads
    the 370,000 stems with their suffix flags)."""
    from spylls.hunspell import Dictionary

    return Dictionary.from_zip(str(styles_dir / "dictionaries" / "tr_TR.zip"))


def proofread_issue(issue: Issue, styles_dir: Path) -> list[Finding]:
    """Every Turkish article of the issue, proofread."""
    words = issue_words(issue.root) | _word_list(styles_dir / "dictionaries" / "tr_ek.txt")
    found: list[Finding] = []
    for article in issue.articles:
        if article.meta.lang.split("-")[0] == "tr":
            found.extend(proofread(article, styles_dir, words))
    return found


def issue_words(root: Path) -> frozenset[str]:
    """The issue's own words (``sozluk.txt`` beside issue.yaml), in Turkish lower case."""
    return _word_list(root / WORD_LIST)


def _word_list(path: Path) -> frozenset[str]:
    """A word list's words, one to a line, ``#`` beginning a comment, in Turkish lower case."""
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        turkish.lower(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()
    )


def proofread(article: Article, styles_dir: Path, own_words: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings of one article's body, in the order of its text."""
    checker = _Checker(dictionary(styles_dir), own_words)
    ast = json.loads(run_pandoc(article.body, "--from", PANDOC_READER, "--to", "json")[0])
    found: dict[tuple[str, str], Finding] = {}
    times: Counter[tuple[str, str]] = Counter()
    for segment in _segments(ast["blocks"]):
        for rule, before, word, suggestion in checker.read(segment):
            key = (rule, f"{before} {word}" if before else word)
            times[key] += 1
            if key not in found:
                line = article.line_of(key[1])
                found[key] = Finding(rule, article.source, line or article.line_of(word), key[1], suggestion)
    return [
        dataclasses.replace(finding, times=times[key]) if times[key] > 1 else finding
        for key, finding in found.items()
    ]


def summary(found: list[Finding]) -> str:
    if not found:
        return "Turkish proofing: no finding"
    counts = Counter(finding.rule for finding in found)
    return (
        f"Turkish proofing: {len(found)} finding{'s' if len(found) != 1 else ''} ("
        + ", ".join(f"{rule} {counts[rule]}" for rule in sorted(counts))
        + ")"
    )


def _segments(blocks: list[Any]) -> Iterator[str]:
    """The Turkish text of each paragraph, heading, list item and note, with ``¦`` where
    something that is not Turkish text stood (another language, code, an address, a
    citation): no rule reads across it."""
    pending: list[Any] = [blocks]
    while pending:
        parts: list[str] = []
        _walk(pending.pop(0), parts, pending)
        for chunk in "".join(parts).split(" ¦ "):
            if chunk.strip():
                yield chunk


#: what stands in the text but is not Turkish prose to read
_NOT_TEXT = frozenset(("Code", "CodeBlock", "Math", "RawInline", "RawBlock", "Cite", "Image", "LineBreak"))


def _walk(node: Any, parts: list[str], notes: list[Any]) -> None:
    """Add ``node``'s text to ``parts``; its notes go to ``notes``, to be read apart."""
    if isinstance(node, list):
        for item in node:
            _walk(item, parts, notes)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("t")
    if kind == "Str":
        parts.append(node["c"])
    elif kind in ("Space", "SoftBreak"):
        parts.append(" ")
    elif kind == "Note":
        notes.append(node["c"])
        parts.append(" ¦ ")
    elif (
        kind in _NOT_TEXT
        or (kind == "Span" and dict(node["c"][0][2]).get("lang", "tr").split("-")[0] != "tr")
        or (kind == "Link" and {"uri", "email"} & set(node["c"][0][1]))
    ):
        parts.append(" ¦ ")
    elif kind in ("Para", "Plain", "Header"):
        parts.append(" ¦ ")
        _walk(node["c"], parts, notes)
        parts.append(" ¦ ")
    elif kind == "Link":
        _walk(node["c"][1], parts, notes)
    elif isinstance(node.get("c"), list):
        _walk(node["c"], parts, notes)


def _lower_word(word: str) -> bool:
    """A common word, also at a sentence's start (*Okul*), not a name in capitals (*AB*)."""
    return word[1:].islower() or word.islower()


class _Checker:
    """The rules over one segment's words."""

    def __init__(self, dictionary: Any, own_words: frozenset[str]):
        self.dictionary = dictionary
        self.own = own_words
        self._known: dict[str, bool] = {}

    def known(self, word: str) -> bool:
        if word not in self._known:
            self._known[word] = turkish.lower(word) in self.own or bool(self.dictionary.lookup(word))
        return self._known[word]

    def suggest(self, word: str) -> str:
        for suggestion in self.dictionary.suggest(word):
            return str(suggestion)
        return ""

    def read(self, segment: str) -> Iterator[tuple[str, str, str, str]]:
        """(rule, the word before, the word, the suggestion) of each finding."""
        tokens = _TOKEN.findall(segment)
        for index, word in enumerate(tokens):
            if word == "¦" or _FOREIGN.search(word):
                continue
            before = tokens[index - 1] if index and tokens[index - 1] != "¦" else ""
            after = tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1] != "¦" else ""
            yield from self._word(before, word, after)

    def _word(self, before: str, word: str, after: str) -> Iterator[tuple[str, str, str, str]]:
        lower = turkish.lower(word)
        if before and not _FOREIGN.search(before):
            pair = (turkish.lower(before), lower)
            if pair in _JOINED and not word[0].isupper():
                joined = _JOINED[pair]
                yield (
                    "Y5",
                    "",
                    f"{before} {word}",
                    joined[0].upper() + joined[1:] if before[0].isupper() else joined,
                )
                return
            if lower in ("de", "da") and _lower_word(before):
                vowel = next(
                    (
                        char
                        for char in reversed(turkish.lower(before.split("’")[-1]))
                        if char in _BACK | _FRONT
                    ),
                    "",
                )
                right = "da" if vowel in _BACK else "de" if vowel in _FRONT else lower
                if right != lower:
                    yield "Y2", before, word, f"{before} {right}"
                return
            if lower in ("ta", "te") and _lower_word(before):
                yield (
                    "Y2",
                    before,
                    word,
                    f"{before}{lower}" if self.known(before + lower) else f"{before} d{lower[1]}",
                )
                return
            if (
                lower == "ki"
                and re.search(r"[dt][ae]$", before)
                and _lower_word(before)
                and self.known(before + "ki")
            ):
                yield "Y3", before, word, f"{before}ki"
                return
        if "’" in word or "'" in word:
            name, _, suffix = re.split(r"([’'])", word, maxsplit=1)
            if name[:1].isupper() and suffix[:1].isupper() and not name.isupper():
                yield "Y6", "", word, f"{name}’{turkish.lower(suffix)}"
            return
        if lower in _SPLIT:
            split = _SPLIT[lower]
            yield "Y5", "", word, split[0].upper() + split[1:] if word[0].isupper() else split
            return
        if (
            len(word) < 2
            or word.isupper()
            or not any(char in _BACK | _FRONT for char in lower)
            or self.known(word)
        ):
            return  # a letter, an acronym, an abbreviation (km, bkz), or a known word
        if word[0].isupper():
            yield from self._name(word)
            return
        question = _QUESTION.match(lower)
        if question and (self.known(question.group("stem")) or self._regular(question.group("stem"))):
            yield "Y4", "", word, f"{question.group('stem')} {question.group('particle')}"
            return
        if self._regular(lower):
            return
        stem = lower[:-2]
        if lower.endswith("ki") and self.known(stem) and not re.search(r"[dt][ae]$|" + _TIME_ENDINGS, stem):
            yield "Y3", "", word, f"{stem} ki"
            return
        yield "Y1", "", word, self.suggest(word)

    def _regular(self, lower: str) -> bool:
        """A word the dictionary (2015) lacks but that is regular Turkish: written with a
        circumflex as the guide writes it (*hâlâ*, *askerî*), a verb whose vowel the
        present tense drops (*oynuyor* from *oynamak*), a verb with *-(y)abil-* (*genelleşebilmesi*),
        a word ending in *i* that takes the possessive *-i* (*sanayii*)."""
        plain = lower.translate(_CIRCUMFLEX)
        if plain != lower and self.known(plain):
            return True
        present = re.match(
            r"^(.{2,}?)[ıiuü]yor(?:[ıiuü]m|sun|[ıiuü]z|sunuz|lar|du[mnk]?|dunuz|lardı|muş|sa|ken|dur)?$",
            plain,
        )
        if present and any(
            self.known(present.group(1) + ending) for ending in ("mak", "mek", "amak", "emek")
        ):
            return True
        able = re.match(r"^(.{3,}?)y?[ae]bil(.+)$", plain)
        if able and self.known(able.group(1) + able.group(2)):
            return True
        if plain.endswith("ii") and self.known(plain[:-1]):
            return True
        return self._inflected(plain)

    def _inflected(self, plain: str) -> bool:
        """A known word with regular endings (plural, possessive, case, *-dir*) the
        dictionary does not list with it (*usullerini*), the endings' vowels in harmony
        with the word's last vowel (a word ending in *l* may take front endings: *usul*,
        *hal*)."""
        for cut in range(len(plain) - 1, 2, -1):
            stem, rest = plain[:cut], plain[cut:]
            if not _ENDINGS.fullmatch(rest) or not self.known(stem):
                continue
            last = next((char for char in reversed(stem) if char in _BACK | _FRONT), "")
            first = next((char for char in rest if char in _BACK | _FRONT), "")
            if not first or (last in _BACK) == (first in _BACK) or stem.endswith("l"):
                return True
        return False

    def _name(self, word: str) -> Iterator[tuple[str, str, str, str]]:
        """A name the dictionary knows, with a case ending and no apostrophe (Y6); other
        capitalised words are names the dictionary need not know."""
        for cut in range(len(word) - 1, 2, -1):
            name, suffix = word[:cut], word[cut:]
            if (
                suffix.islower()
                and _NAME_SUFFIX.match(suffix)
                and self.known(name)
                and not self.known(turkish.lower(name))
            ):
                yield "Y6", "", word, f"{name}’{suffix}"
                return
