"""Writing a one-shot stream of chunk frames: one chunk encoded while the next is made.

Every file sink encodes chunk by chunk with Polars' in-memory writers and appends the
bytes itself. Polars' streaming sinks (``sink_parquet``, ``sink_csv``) were measured
to grow with the row count (sales to CSV: 80 MiB of peak growth at 1M rows, 108 MiB
at 10M), this does not: at most two chunks are alive, the one being written and the
one being generated.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

import polars as pl

__all__ = ["pipeline"]

_END = object()


def pipeline(chunks: Iterator[pl.DataFrame], consume: Callable[[pl.DataFrame], None]) -> int:
    """Call ``consume`` on each chunk in a second thread, in order, while the caller's
    thread makes the next chunk; returns the number of chunks.

    The caller hands a chunk over only when the previous one is consumed, so memory
    holds two chunks at most. An error on either side stops both and is raised here.
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=1)
    errors: list[BaseException] = []

    def work() -> None:
        while True:
            item = handoff.get()
            try:
                if item is _END:
                    return
                if not errors:  # after a failure, only drain
                    assert isinstance(item, pl.DataFrame)
                    consume(item)
            except BaseException as exc:
                errors.append(exc)
            finally:
                del item
                handoff.task_done()

    worker = threading.Thread(target=work, name="tempdata-writer", daemon=True)
    worker.start()
    count = 0
    try:
        for chunk in chunks:
            handoff.join()  # the previous chunk is written
            if errors:
                break
            handoff.put(chunk)
            count += 1
    finally:
        handoff.put(_END)
        worker.join()
    if errors:
        raise errors[0]
    return count
