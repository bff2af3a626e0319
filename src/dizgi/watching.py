"""What ``--watch`` waits for: saves of the files a build reads.

``watchfiles`` reports changes in the manuscript folder and the styles (Rust's ``notify``
underneath: inotify on Linux). The outputs and the cache are left out, should they lie in
the manuscript folder, and so are the files editors and builds keep beside the real ones
(swap files, hidden temporary outputs).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dizgi.pipeline import BuildRequest

#: how long the watcher waits in Rust before it looks up (ms): the first wait ends the start
WAIT_MS = 200


def saves(request: BuildRequest) -> Iterator[set[Path]]:
    """An empty set as soon as the watch has begun (time for the first build), then each
    group of saves (the files changed), as soon as the editor is done writing them.

    The watch begins before the first build, so a save made while that build runs is
    reported after it (inotify queues it), not lost."""
    from watchfiles import Change, DefaultFilter, watch

    ignored = [request.out_dir.resolve()]
    if request.cache_dir is not None:
        ignored.append(request.cache_dir.resolve())

    class BuildInputs(DefaultFilter):
        def __call__(self, change: Change, path: str) -> bool:
            resolved = Path(path).resolve()
            if any(resolved == folder or folder in resolved.parents for folder in ignored):
                return False
            if resolved.name.startswith("."):
                return False  # hidden: a build's temporary output, an editor's lock file
            return bool(super().__call__(change, path))

    roots = [request.manuscript_dir, request.styles_dir]
    begun = False
    for changes in watch(
        *roots, watch_filter=BuildInputs(), raise_interrupt=True, rust_timeout=WAIT_MS, yield_on_timeout=True
    ):
        if changes or not begun:
            begun = True
            yield {Path(path) for _, path in changes}
