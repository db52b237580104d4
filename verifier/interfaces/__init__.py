"""Interfaces: the ``verify`` command line, the Python API, the pytest plugin and the plugin scaffold.

Rule: may import every other room; no room imports it (``verifier/__init__`` re-exports the API).
"""
