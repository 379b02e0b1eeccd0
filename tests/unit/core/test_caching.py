"""shared_cache: threads that miss at once compute a key once, and the others wait."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tempdata.core.caching import shared_cache


def test_threads_compute_a_key_once() -> None:
    calls: list[int] = []
    entered = threading.Event()

    @shared_cache()
    def slow(key: int) -> int:
        calls.append(key)
        entered.set()
        time.sleep(0.05)  # long enough for the other threads to arrive while it runs
        return key * 2

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(slow, [7, 7, 7, 7]))
    assert results == [14, 14, 14, 14]
    assert calls == [7]
    assert entered.is_set()


def test_maxsize_evicts_and_clear_empties() -> None:
    calls: list[int] = []

    @shared_cache(maxsize=2)
    def double(key: int) -> int:
        calls.append(key)
        return key * 2

    for key in (1, 2, 1, 3, 1, 2):
        double(key)
    assert calls == [1, 2, 3, 2]  # 2 was the least recently used when 3 came
    double.cache_clear()  # type: ignore[attr-defined]
    double(1)
    assert calls[-1] == 1


def test_reentrant_calls_do_not_deadlock() -> None:
    @shared_cache()
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    assert fib(30) == 832040
