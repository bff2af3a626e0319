"""The worker processes: the layout workers at the build's own CPU priority, the background
workers (the EPUB's font subsets) at the lowest, so that they take only what the layouts
leave of a core."""

from __future__ import annotations

import os

from dizgi import scheduling


def test_background_workers_run_at_the_lowest_priority_and_layout_workers_at_the_builds() -> None:
    workers = scheduling.Workers()
    try:
        assert workers.background.submit(os.nice, 0).result() == 19
        assert workers.pool.submit(os.nice, 0).result() == os.nice(0)
        assert os.nice(0) < 19
    finally:
        workers.close()
