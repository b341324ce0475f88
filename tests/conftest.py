"""Shared fixtures. JAX runs on the CPU in float32, as in the app."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
