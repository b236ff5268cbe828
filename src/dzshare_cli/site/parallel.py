"""Rendering the site's heavy files (each unit's downloads) in worker processes while this one
renders the pages, in a fixed order and with only a few results waiting at a time."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: Results asked for ahead of the one being written, per worker: enough to keep the workers busy
#: while a page is rendered here, few enough that the site is never held in memory.
AHEAD_PER_WORKER = 2


@dataclass(frozen=True)
class Job:
    """Rendering that may run in another process: a module-level function and picklable arguments."""

    function: Callable[..., bytes]
    arguments: tuple[Any, ...]
    rows: int = 0  # how much work it is: the rows of the view it renders

    def __call__(self) -> bytes:
        return self.function(*self.arguments)


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def rendered_alongside(here: Iterable[tuple[str, Callable[[], bytes]]], away: list[tuple[str, Job]],
                       workers: int) -> Iterator[tuple[str, bytes]]:
    """Each of `here` rendered in this process and, after each, the next of `away` from a pool
    of `workers` processes (the rest of `away` at the end): the same order on every run."""
    from concurrent.futures import Future, ProcessPoolExecutor  # noqa: PLC0415 - only a big site needs it

    queue = iter(away)
    pending: deque[tuple[str, Future[bytes]]] = deque()
    with ProcessPoolExecutor(workers) as pool:
        def ask_ahead() -> None:
            while len(pending) < workers * AHEAD_PER_WORKER:
                path, job = next(queue, (None, None))
                if job is None:
                    return
                pending.append((path, pool.submit(job.function, *job.arguments)))

        def next_result() -> tuple[str, bytes]:
            path, future = pending.popleft()
            data = future.result()
            ask_ahead()
            return path, data

        try:
            ask_ahead()
            for path, render in here:
                yield path, render()
                if pending:
                    yield next_result()
            while pending:
                yield next_result()
        finally:  # the writer failed or stopped: render nothing more for it
            pool.shutdown(wait=True, cancel_futures=True)
