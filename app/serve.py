"""The app's server, warmed before it listens:

    python -m app.serve [streamlit run's options, e.g. --server.port 8501]

It imports the app, computes the landing page once (`app.warm`) and then runs Streamlit in
the same process, so the modules, the player's Vega runtime and XLA's compiled programs are
there when the first visitor comes. `streamlit run streamlit_app.py` works too, without the
warm-up (the first visitor then waits for it).
"""

from __future__ import annotations

import pathlib
import sys

from streamlit.web import cli

from app import warm
from app.compilation import keep_compiled_programs

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "streamlit_app.py"


def main(options: list[str]) -> None:
    keep_compiled_programs()
    warm.first_picture()
    sys.argv = ["streamlit", "run", str(SCRIPT), *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
