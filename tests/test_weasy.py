"""WeasyPrint's internals are read through one door, ``dizgi.weasy`` (issue 27): no other
module imports WeasyPrint's private modules or touches a page's private box tree, and the
door names the WeasyPrint release it was checked against, which is the one installed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import weasyprint

from conftest import ROOT
from dizgi import weasy

SOURCE = ROOT / "src" / "dizgi"
#: WeasyPrint's public modules: the package itself and its URL fetcher (``fetch.py``)
PUBLIC = frozenset(("weasyprint", "weasyprint.urls"))


def private_readings(name: str, source: str) -> Iterator[str]:
    """Each import of a private WeasyPrint module and each use of ``_page_box`` in ``source``."""
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        for module in modules:
            if module.split(".")[0] == "weasyprint" and module not in PUBLIC:
                yield f"{name}.py:{node.lineno}: imports {module}"
        if isinstance(node, ast.Attribute) and node.attr == "_page_box":
            yield f"{name}.py:{node.lineno}: reads _page_box"


def test_only_the_adapter_reads_weasyprint_internals() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    found = [
        problem
        for path in modules
        if path.stem != "weasy"
        for problem in private_readings(path.stem, path.read_text(encoding="utf-8"))
    ]
    assert found == []
    # and the adapter does read them: the rule is not vacuous
    assert len(list(private_readings("weasy", (SOURCE / "weasy.py").read_text(encoding="utf-8")))) >= 4


def test_the_rule_sees_a_private_reading() -> None:
    """Broken on purpose: a box class imported, a page's box tree read, lazily too."""
    source = (
        "from weasyprint.formatting_structure import boxes\n"
        "import weasyprint.layout\n"
        "def f(page):\n    from weasyprint.text.line_break import line_size\n    return page._page_box\n"
    )
    assert list(private_readings("floats", source)) == [
        "floats.py:1: imports weasyprint.formatting_structure",
        "floats.py:2: imports weasyprint.layout",
        "floats.py:4: imports weasyprint.text.line_break",
        "floats.py:5: reads _page_box",
    ]
    assert list(private_readings("fetch", "from weasyprint.urls import URLFetcher\n")) == []


def test_the_adapter_was_checked_against_the_installed_weasyprint() -> None:
    assert weasyprint.__version__ == weasy.CHECKED_WITH, (
        f"WeasyPrint {weasyprint.__version__} is installed; dizgi.weasy was checked against "
        f"{weasy.CHECKED_WITH}: check each reading in weasy.py, then its callers, and update CHECKED_WITH"
    )
