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

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import session
from optimizers import cost

SLOTS = max(1, (os.cpu_count() or 2) // 2)  # XLA spreads one batch over two cores
WAKE_SECONDS = 0.2  # a queued request looks this often whether its page is still there
_slots = threading.BoundedSemaphore(SLOTS)
_lock = threading.Lock()
_count = {"running": 0, "waiting": 0}


@contextlib.contextmanager
def heavy():
    """Hold one of the SLOTS while computing, interruptible between the parts of its sweeps;
    wait in turn when all are taken, and leave the queue when the page is gone."""
    with _lock:
        _count["waiting"] += 1
    try:
        while not _slots.acquire(timeout=WAKE_SECONDS):
            stop_if_asked()
    finally:
        with _lock:
            _count["waiting"] -= 1
    with _lock:
        _count["running"] += 1
    try:
        with cost.interruptible(stop_if_asked):
            yield
    finally:
        with _lock:
            _count["running"] -= 1
        _slots.release()


def stop_if_asked() -> None:
    """End this script run here if its page closed or its input changed: reading the session
    state is one of Streamlit's yield points, where a pending stop or rerun raises Streamlit's
    own control exception, and the run ends as it would at any st call (cached work is then
    not kept). Outside a script run (a test's thread) nothing asks."""
    if get_script_run_ctx() is not None:
        _ = session.KEY in st.session_state


def ahead() -> int:
    """How many heavy computations a new one would wait behind (0: it starts at once)."""
    with _lock:
        running, waiting = _count["running"], _count["waiting"]
    return max(0, running + waiting - SLOTS + 1) if running >= SLOTS else 0
