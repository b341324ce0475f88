"""Loss Landscape Lab: watch optimizers descend 2-D loss surfaces, side by side.

`streamlit run streamlit_app.py` starts it; the app itself is the `app` package.
"""

from app.compilation import keep_compiled_programs
from app.main import run

keep_compiled_programs()
run()
