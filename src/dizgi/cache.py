"""Content-hash keys for dizgi's inputs, and a folder of results stored under them.

A key is the SHA-256 of everything a result depends on: for an article's Pandoc run, the
article (its Markdown, front matter, key and language) and dizgi's code and pinned
dependencies; for its paragraphs' fitting, its print HTML and the styles (stylesheets,
templates, fonts, hyphenation patterns); for the outputs, the whole issue and the build's
options. Nothing is keyed by a file's time or path, so a result is reused exactly when it
would come out the same. A cache that cannot be read, is corrupt or cannot be written is
ignored with one warning: it costs time, never a wrong output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from dizgi import __version__

#: what a kept entry holds (``BuildCache.kept``)
Value = TypeVar("Value")

#: the layout of the cache folder; a folder written by another layout is not read
CACHE_FORMAT = f"dizgi-cache 1, dizgi {__version__}"
#: the packages whose versions change what dizgi makes (the rest of requirements.lock
#: is what these need)
PINNED = (
    "weasyprint", "pydyf", "pypandoc_binary", "ebooklib", "pyphen", "pyyaml", "jinja2", "lxml",
    "fonttools", "pillow", "pypdfium2", "tinycss2", "cssselect2", "tinyhtml5",
)  # fmt: skip
SOURCE_DIR = Path(__file__).resolve().parent


def key(*parts: str | bytes) -> str:
    """One hex key for ``parts``, each length-prefixed so no two sequences collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """dizgi's version and source, and the versions of the pinned packages."""
    sources = [path.read_bytes() for path in sorted(SOURCE_DIR.rglob("*.py"))]
    versions = []
    for package in PINNED:
        try:
            versions.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return key(CACHE_FORMAT, __version__, *sources, *versions)


def folder_fingerprint(folder: Path, skip: frozenset[Path] = frozenset()) -> str:
    """Every file below ``folder`` (names and bytes), but hidden ones and those in or under
    ``skip``: the styles, templates, fonts and patterns; or the files beside a manuscript
    that a layout may read (images), without the articles, whose own keys cover them."""
    skipped = {path.resolve() for path in skip}
    parts: list[str | bytes] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        resolved = path.resolve()
        if resolved in skipped or any(parent in skipped for parent in resolved.parents):
            continue
        parts += [relative.as_posix(), path.read_bytes()]
    return key(*parts)


@dataclass
class BuildCache:
    """Results by kind and key, as pickles under ``folder`` (``None``: no cache at all).

    Only dizgi writes this folder, with its own frozen dataclasses; an entry is written to
    a temporary name and renamed, so a build cut short leaves no half entry behind.
    """

    folder: Path | None
    #: what went wrong with the cache, one line each (the build goes on without it)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.folder is None:
            return
        marker = self.folder / "FORMAT"
        try:
            if marker.exists() and marker.read_text(encoding="utf-8").strip() != CACHE_FORMAT:
                # Its entries are keyed by another version's code: none of them can match.
                self._warn(
                    f"the cache in {self.folder} was written by another version of dizgi; "
                    "its entries are ignored and new ones written"
                )
            self.folder.mkdir(parents=True, exist_ok=True)
            if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != CACHE_FORMAT:
                _write_atomically(marker, f"{CACHE_FORMAT}\n".encode())
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not a dizgi cache"
            self._warn(f"the cache folder {self.folder} cannot be used ({reason}); building without it")
            self.folder = None

    def get(self, kind: str, entry: str) -> Any | None:
        if self.folder is None:
            return None
        path = self._path(kind, entry)
        try:
            with path.open("rb") as stream:
                return pickle.load(stream)
        except FileNotFoundError:
            return None
        except Exception as error:  # a corrupt entry of any kind: rebuild what it held
            self._warn(
                f"the cache in {self.folder} held an entry that could not be read "
                f"({type(error).__name__}); what it held was built anew"
            )
            path.unlink(missing_ok=True)
            return None

    def put(self, kind: str, entry: str, value: Any) -> None:
        if self.folder is None:
            return
        try:
            path = self._path(kind, entry)
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as error:
            self._warn(
                f"the cache folder {self.folder} cannot be written ({error.strerror}); building without it"
            )
            self.folder = None

    def kept(self, kind: str, entry: str, expected: type[Value], make: Callable[[], Value]) -> Value:
        """What the cache holds for ``entry`` when it is an ``expected``; else ``make()``,
        kept for the next build."""
        known = self.get(kind, entry)
        if isinstance(known, expected):
            return known
        made = make()
        self.put(kind, entry, made)
        return made

    def _path(self, kind: str, entry: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / entry[:2] / f"{entry}.pickle"

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
