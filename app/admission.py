"""At most a few heavy computations at once in a process, whoever asks: a class where five
students open 300 × 300 basins at the same moment shares the cores in turn, and the others'
ordinary changes (a few runs, never counted here) do not queue behind them.

Heavy means an insight view's sweep of thousands of runs (each already bounded in time by
`optimizers.cost`); the slots are taken only when the work is computed, not when a cached
result is read.
"""

from __future__ import annotations

import contextlib
import os
import threading

SLOTS = max(1, (os.cpu_count() or 2) // 2)  # XLA spreads one batch over two cores
_slots = threading.BoundedSemaphore(SLOTS)
_lock = threading.Lock()
_count = {"running": 0, "waiting": 0}


@contextlib.contextmanager
def heavy():
    """Hold one of the SLOTS while computing; wait in turn when all are taken."""
    with _lock:
        _count["waiting"] += 1
    _slots.acquire()
    with _lock:
        _count["waiting"] -= 1
        _count["running"] += 1
    try:
        yield
    finally:
        with _lock:
            _count["running"] -= 1
        _slots.release()


def ahead() -> int:
    """How many heavy computations a new one would wait behind (0: it starts at once)."""
    with _lock:
        running, waiting = _count["running"], _count["waiting"]
    return max(0, running + waiting - SLOTS + 1) if running >= SLOTS else 0
