"""Processes that triage imports in parallel, kept from one import to the next (issue 16).

Triage is the import's cost (about nine tenths of its CPU): a large import sends its posts to
these processes in chunks and stores each chunk as it comes back. The pool belongs to one set of
services (one server, worker or command-line process): no process starts until an import first
needs them, the same processes then serve every later import (a worker imports the package and
loads the triage models once, not once an import), and :meth:`TriagePool.close` ends them (the
server at shutdown, the command line when it is done).

Processes are started with ``spawn``, not ``fork``: the server that owns the pool runs threads
(the request threads, the SLA sweeper) and holds database connections, neither of which a forked
child may safely inherit.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["TriagePool"]

T = TypeVar("T")
R = TypeVar("R")


def _warm_up() -> None:
    """Load the triage models when a worker starts, not in the first chunk it is sent."""
    import safereply

    safereply.triage("Thank you, the visit went well.", platform="google", rating=5)


class TriagePool:
    """Up to ``processes`` worker processes, started on first use and reused until closed.

    Thread-safe: imports running at the same time in one server share the processes.
    """

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a triage pool needs at least one process")
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        #: How many times processes were started (a test and the bench read it: reuse shows).
        self.starts = 0

    @property
    def started(self) -> bool:
        """Return True while the worker processes are running."""
        return self._executor is not None

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up,
                )
                self.starts += 1
            return self._executor

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Return ``fn(item)`` for every item, in order, computed in the worker processes.

        ``fn`` must be a module-level function (it is sent to the workers by name). Every item
        is submitted at once; results are yielded as soon as each one and those before it are
        done. If a worker dies, the pool is closed (the next call starts a fresh one) and
        ``BrokenProcessPool`` is raised.
        """
        executor = self._running()
        try:
            yield from executor.map(fn, items)
        except BrokenProcessPool:
            self._discard(executor)
            raise

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """End the worker processes (waiting for work in progress); a later call restarts."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> TriagePool:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()
