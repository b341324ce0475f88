"""The Streamlit app: one Lab per session (`app.lab`), drawn by three views.

`app.main.run()` is the whole app; `streamlit_app.py` only calls it.
"""
