"""The app's server, warmed before it listens:

    python -m app.serve [streamlit run's options, e.g. --server.port 8501]

It imports the app, computes the landing page once (`app.warm`) and then runs Streamlit in
the same process, so the modules, the player's Vega runtime and XLA's compiled programs are
there when the first visitor comes. `streamlit run streamlit_app.py` works too, without the
warm-up (the first visitor then waits for it).
"""

from __future__ import annotations

import contextlib
import logging
import pathlib
import sys

from streamlit.web import cli

from app.compilation import keep_compiled_programs

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "streamlit_app.py"


# what Streamlit says when the app's cached functions are made and called before its runtime
# exists (their caches then live in memory, where the runtime finds them)
NO_RUNTIME_LOGGERS = (
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.scriptrunner_utils.script_run_context",
)


@contextlib.contextmanager
def quiet():
    """Streamlit's no-runtime warnings silenced inside (they are expected there)."""
    loggers = [logging.getLogger(name) for name in NO_RUNTIME_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def warm_up() -> None:
    """Import the app (`app.warm` imports every view) and compute its landing page, quietly."""
    with quiet():
        from app import warm  # here, not on top: importing the app makes its caches

        warm.first_picture()


def main(options: list[str]) -> None:
    keep_compiled_programs()
    warm_up()
    sys.argv = ["streamlit", "run", str(SCRIPT), *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
