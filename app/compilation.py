"""XLA's compiled programs kept on disk (JAX's persistent compilation cache), so that a
restarted server does not compile again what the one before it did: the first 12-row basins
request of a process takes 13.4 s instead of 17.6 s here (`python -m bench.compile_cache`).
The rest of a cold request is tracing, which no cache keeps, and the computing itself."""

from __future__ import annotations

import os
import pathlib

import jax

CACHE = pathlib.Path(
    os.environ.get("LLL_COMPILE_CACHE", pathlib.Path.home() / ".cache" / "loss-landscape-lab")
)


def keep_compiled_programs(directory: pathlib.Path = CACHE) -> None:
    """Read and write compiled programs under `directory`, every one of them (ours take 0.1
    to 3 s each to compile, and take a few kB each on disk: 5 MB after tests/test_app.py). Call
    before the first compilation. `LLL_COMPILE_CACHE=off` keeps none."""
    if str(directory) == "off":
        return
    jax.config.update("jax_compilation_cache_dir", str(directory))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
