"""Serving the app: one process for a desk, several behind nginx for a class."""
