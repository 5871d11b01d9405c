"""Chunks of a large comparison worked on by several threads at once.

NumPy lets go of the interpreter lock while it gathers, compares and sorts arrays of
numbers, which is most of what comparing a chunk of pairs is (texts are compared on their
integer codes, ``keys.code_column``): a second core compares the next chunk while the first
one compares this one. Results come back in the chunks' order, so nothing depends on which
thread finished first.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Each thread holds one chunk's arrays: more threads, more memory for little more speed.
THREADS = max(1, min(os.cpu_count() or 1, 4))


def chunk_ranges(total: int, per_chunk: int) -> list[tuple[int, int]]:
    """(start, stop) of consecutive chunks of ``total`` items, ``per_chunk`` each at most."""
    return [(start, min(start + per_chunk, total)) for start in range(0, total, per_chunk)]


def in_threads(
    work: Callable[[Item], Result], items: Iterable[Item], threads: int = THREADS
) -> Iterator[Result]:
    """``work(item)`` for each item, in the items' order, with at most ``threads`` items
    worked on at once (and one result held by the caller)."""
    if threads <= 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="linkage") as pool:
        pending: deque[Future[Result]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
