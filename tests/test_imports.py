"""The house is one-way (``DESIGN.md``, issue 27): ``cli → pipeline → stages → helpers →
model, turkish, errors``. A stage never imports another stage (what they share lives in a
helper, or the pipeline passes it on, as it passes the XML rules to ``checks``), and a
helper never imports a stage or the two modules above them. Read from the source's import
statements, including those inside functions."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from conftest import ROOT

SOURCE = ROOT / "src" / "dizgi"
#: the stages: each turns one thing the pipeline hands it into the next
STAGES = frozenset(
    ("manuscript", "convert", "pdf", "epub", "jats", "crossref", "checks", "importer", "proofing")
)
#: the modules above the stages: the command line, and the one place that knows the whole road
TOP = frozenset(("cli", "pipeline", "watching"))


def imported(source: str) -> Iterator[tuple[str, int]]:
    """The dizgi modules a module's source imports, with their lines."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "dizgi":
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dizgi."):
            yield node.module.split(".")[1], node.lineno
        elif isinstance(node, ast.Import):
            yield from (
                (a.name.split(".")[1], node.lineno) for a in node.names if a.name.startswith("dizgi.")
            )


def wrong_way(name: str, source: str) -> list[str]:
    """Each import of module ``name`` that points the wrong way."""
    found = []
    for other, line in imported(source):
        if other == name:
            continue
        if name in STAGES and other in STAGES:
            found.append(f"{name}.py:{line}: the stage {name} imports the stage {other}")
        elif name not in STAGES | TOP and other in STAGES | TOP:
            found.append(f"{name}.py:{line}: the helper {name} imports {other}, which stands above it")
    return found


def test_every_import_points_down() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    assert len(modules) > 40 and {path.stem for path in modules} >= STAGES | TOP
    found = [
        problem for path in modules for problem in wrong_way(path.stem, path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_rule_sees_an_import_the_wrong_way() -> None:
    """Broken on purpose: a lazy import inside a function counts as much as one at the top."""
    source = "from dizgi import pdf\n\ndef f():\n    from dizgi.jats import problems\n"
    assert wrong_way("checks", source) == [
        "checks.py:1: the stage checks imports the stage pdf",
        "checks.py:4: the stage checks imports the stage jats",
    ]
    assert wrong_way("scheduling", "def f():\n    from dizgi import pdf\n") == [
        "scheduling.py:2: the helper scheduling imports pdf, which stands above it"
    ]
    assert wrong_way("galleys", "from dizgi import fitting, layout\n") == []
