"""Rendering the site's heavy files (each unit's downloads) in worker processes while this one
renders the pages, in a fixed order and with only a few results waiting at a time."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Results asked for ahead of the one being written, per worker: enough to keep the workers busy
#: while a page is rendered here, few enough that the site is never held in memory.
AHEAD_PER_WORKER = 2


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def rendered_alongside(here: Iterable[tuple[str, Callable[[], bytes]]],
                       away: list[tuple[tuple[str, ...], tuple[Any, ...]]],
                       render: Callable[..., tuple[bytes, ...]], shared: tuple[Any, ...],
                       workers: int) -> Iterator[tuple[str, bytes]]:
    """Each of `here` rendered in this process and, after each, the files of the next of `away`
    (paths, arguments) from a pool of `workers` processes, which run render(*shared,
    *arguments) (the rest of `away` at the end): the same order on every run. `shared` (the
    site's model) goes to each worker once, when it starts, not with every piece of work."""
    from concurrent.futures import Future, ProcessPoolExecutor  # noqa: PLC0415 - only a big site needs it

    queue = iter(away)
    pending: deque[tuple[tuple[str, ...], Future[tuple[bytes, ...]]]] = deque()
    with ProcessPoolExecutor(workers, initializer=_share, initargs=(render, shared)) as pool:
        def ask_ahead() -> None:
            while len(pending) < workers * AHEAD_PER_WORKER:
                paths, arguments = next(queue, ((), None))
                if arguments is None:
                    return
                pending.append((paths, pool.submit(_render, arguments)))

        def next_results() -> Iterator[tuple[str, bytes]]:
            paths, future = pending.popleft()
            found = future.result()
            ask_ahead()
            return zip(paths, found)

        try:
            ask_ahead()
            for path, render_here in here:
                yield path, render_here()
                if pending:
                    yield from next_results()
            while pending:
                yield from next_results()
        finally:  # the writer failed or stopped: render nothing more for it
            pool.shutdown(wait=True, cancel_futures=True)


#: In a worker process: what it renders with, set once when it starts.
_work: tuple[Callable[..., tuple[bytes, ...]], tuple[Any, ...]] | None = None


def _share(render: Callable[..., tuple[bytes, ...]], shared: tuple[Any, ...]) -> None:
    global _work  # noqa: PLW0603 - the worker's one piece of state, set by the pool's initializer
    _work = (render, shared)


def _render(arguments: tuple[Any, ...]) -> tuple[bytes, ...]:
    assert _work is not None, "a worker of rendered_alongside renders only after _share"
    render, shared = _work
    return render(*shared, *arguments)
