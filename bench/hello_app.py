"""The floor for bench/cold_start.py: Streamlit's own cost of a first page, one line of text."""

import streamlit as st

st.write("hello")
