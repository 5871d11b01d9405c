"""Chunks worked on in threads come back in their order, a few at a time."""

from __future__ import annotations

import threading
import time

from participants.linkage.chunks import chunk_ranges, in_threads


def test_chunk_ranges_cover_every_item_once():
    assert chunk_ranges(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_ranges(0, 4) == []


def test_results_come_in_the_items_order_with_at_most_that_many_at_once():
    running, most = 0, 0
    lock = threading.Lock()

    def work(item: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        # Early items take longest: finishing order is the reverse of the items' order.
        time.sleep(0.02 * (6 - item))
        with lock:
            running -= 1
        return item * item

    assert list(in_threads(work, range(6), threads=2)) == [0, 1, 4, 9, 16, 25]
    assert most == 2
    assert list(in_threads(work, range(3), threads=1)) == [0, 1, 4]
