"""The print page's geometry, read from ``print.css``: its one home.

The text block's width (the measure, 130 mm) decides how wide a picture prints and so
whether its resolution is enough (``figures``); the benchmarks set XeLaTeX and Typst on
the same measure and the tests find the text block's edges on a page. All of them read it
here, from the stylesheet's first ``@page`` rule (``size`` and ``margin``), so a page
design changed in the CSS changes them too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import tinycss2

#: the stylesheet the shipped styles lay out print with
PRINT_CSS = Path(__file__).resolve().parents[2] / "styles" / "print.css"
#: the page sizes ``print.css`` may name, in mm (width, height)
SIZES = {"a4": (210.0, 297.0), "a5": (148.0, 210.0), "b5": (176.0, 250.0), "letter": (215.9, 279.4)}
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


@dataclass(frozen=True)
class PageGeometry:
    """A right-hand page, in mm: its size and margins (a left-hand page swaps the inner
    and outer ones)."""

    width: float
    height: float
    top: float
    outer: float
    bottom: float
    inner: float

    @property
    def measure(self) -> float:
        """The text block's width."""
        return self.width - self.inner - self.outer


@functools.cache
def print_geometry(stylesheet: Path = PRINT_CSS) -> PageGeometry:
    """The geometry the first ``@page`` rule of ``stylesheet`` gives (``size`` and ``margin``)."""
    rules = tinycss2.parse_stylesheet(stylesheet.read_text(encoding="utf-8"), skip_comments=True)
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and not _tokens(rule.prelude):
            declarations = {
                item.lower_name: _tokens(item.value)
                for item in tinycss2.parse_blocks_contents(rule.content or [])
                if item.type == "declaration"
            }
            width, height = SIZES[declarations["size"][0].lower_value]
            margins = [_mm(token) for token in declarations["margin"]]
            top, right, bottom, left = _four(margins)
            return PageGeometry(width, height, top, right, bottom, left)
    raise ValueError(f"{stylesheet} has no @page rule with a size and a margin")


def _tokens(tokens: list[tinycss2.ast.Node]) -> list[tinycss2.ast.Node]:
    return [token for token in tokens if token.type not in ("whitespace", "comment")]


def _mm(token: tinycss2.ast.Node) -> float:
    if token.type == "number" and token.value == 0:
        return 0.0
    return float(token.value) * _MM[token.lower_unit]


def _four(margins: list[float]) -> list[float]:
    """CSS's shorthand: top, right, bottom, left from one, two, three or four values."""
    if len(margins) == 1:
        return margins * 4
    if len(margins) == 2:
        return [margins[0], margins[1], margins[0], margins[1]]
    if len(margins) == 3:
        return [margins[0], margins[1], margins[2], margins[1]]
    return margins[:4]
