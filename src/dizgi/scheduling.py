"""The pool of worker processes.

The machine has two cores (or more); WeasyPrint and fontTools are Python, so work that does
not depend on other work runs in worker processes: the galleys and trial documents of
paragraph fitting (``fit.jobs``), the EPUB's font subsets. Used by the pipeline only.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

#: ``prctl`` option: the signal a process gets when its parent ends (linux/prctl.h)
_PR_SET_PDEATHSIG = 1
#: ``nice`` of a background worker: the lowest priority on Linux
_LOWEST_PRIORITY = 19


def worker_count() -> int:
    """The cores this process may use (all of them: the machine has two)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Workers:
    """Two pools of worker processes, the layouts' (``pool``) and the background's, each
    started at its first job (a build with nothing to lay out starts none). Forked: the
    workers begin with this process's imports and patterns, before it has laid anything
    out. The modules of ``preload`` are imported at once, in a thread of their own while the
    build reads and converts the manuscript, and a pool waits for them before it forks:
    WeasyPrint takes most of a second to import, which each worker would pay again (and an
    edit build waits for), and which this process pays anyway to stitch the issue. A pool
    forks all its workers at its first job, before its own manager thread starts; the other
    pool's threads, if it runs, only wait on its pipes and hold nothing a worker takes."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.count = worker_count()
        self._pool: ProcessPoolExecutor | None = None
        self._background: ProcessPoolExecutor | None = None
        self._preloading: threading.Thread | None = None
        if preload:
            self._preloading = threading.Thread(target=_import_quietly, args=(preload,), daemon=True)
            self._preloading.start()

    @property
    def pool(self) -> Executor:
        if self._pool is None:
            self._pool = self._fork(_leave_interrupts_to_the_parent)
        return self._pool

    @property
    def background(self) -> Executor:
        """Workers for work that can wait (the EPUB's font subsets), at the lowest CPU
        priority: they take only the time the layouts leave to a core (one galley of a
        one-article issue leaves the other core idle), and the whole of it once the
        layouts are done."""
        if self._background is None:
            self._background = self._fork(_in_the_background)
        return self._background

    def close(self) -> None:
        if self._preloading is not None:
            self._preloading.join()  # not cut off mid-import when the build ends early
        for pool in (self._pool, self._background):
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _fork(self, initializer: Callable[[], None]) -> ProcessPoolExecutor:
        if self._preloading is not None:
            self._preloading.join()  # no thread may be importing when the workers fork
        return ProcessPoolExecutor(self.count, mp_context=get_context("fork"), initializer=initializer)


def _import_quietly(modules: tuple[str, ...]) -> None:
    """Import ``modules``; a module that fails to import fails again, with its message,
    where the build itself imports it."""
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:
            return


def _in_the_background() -> None:
    """In a background worker: as any worker, and at the lowest CPU priority (this process
    only: ``nice`` is a process's own)."""
    _leave_interrupts_to_the_parent()
    os.nice(_LOWEST_PRIORITY)


def _leave_interrupts_to_the_parent() -> None:
    """In a worker: Ctrl-C reaches the whole process group; the build (the parent) answers it
    and stops the pool, so a worker does not print a traceback of its own. SIGTERM is the
    default again (the parent's handler raises an exception meant for the parent only). And
    a worker ends when the build does, even one killed with SIGKILL: without this, a worker
    goes on laying out a document nobody waits for (Linux's ``PR_SET_PDEATHSIG``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends with its job
        return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)
