"""The first heavy request of a process, with and without JAX's persistent compilation cache.

    python -m bench.compile_cache

The 12-row basins request of bench.budget (300 × 300, line search and a plateau schedule,
5,000 steps, the time budget shared) in three fresh processes: without the cache (the
baseline), with an empty cache (it writes the programs) and with the cache the second one
wrote (it reads them): how much of a cold request the cache saves after a restart.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

from bench.timing import report

REQUEST = """
import sys, time
from app.compilation import keep_compiled_programs
if sys.argv[1]:
    keep_compiled_programs(sys.argv[1])
import landscapes
from bench.budget import rows
from optimizers import cost, insight
surface, specs = landscapes.get("rosenbrock"), rows()
began = time.perf_counter()
for spec in specs:
    insight.basins(surface, spec, 5000, n=300, budget=cost.BUDGET_SECONDS / len(specs))
print(time.perf_counter() - began)
"""


def first_request(cache: str) -> float:
    """Seconds of the request in a new process (`cache`: a directory, or '' for none)."""
    out = subprocess.run(
        [sys.executable, "-c", REQUEST, cache], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        without = first_request("")
        writing = first_request(cache)
        reading = first_request(cache)
    report(
        [
            ("first request, no cache (baseline)", f"{without:.1f} s"),
            ("first request, empty cache (writes it)", f"{writing:.1f} s"),
            ("first request after a restart (reads it)", f"{reading:.1f} s"),
            ("ratio: after a restart / baseline", f"{reading / without:.2f}"),
        ]
    )


if __name__ == "__main__":
    main()
