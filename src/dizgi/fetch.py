"""The only door to files for the renderers: the manuscript and styles folders, nothing else.

A stylesheet or a manuscript that points at ``file:///etc/passwd`` or a web address must not
make the build read it: WeasyPrint's default fetcher would. Anything else stops the build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serve ``file:`` URLs below the allowed folders and ``data:`` URLs; refuse the rest."""

    def __init__(self, allowed_roots: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)
        #: every URL refused, for the error message
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed_roots):
                return super().fetch(url, headers)
        self.refused.append(url)
        raise FatalURLFetchingError(
            f"{url} is outside the manuscript and styles folders; dizgi reads nothing else"
        )
