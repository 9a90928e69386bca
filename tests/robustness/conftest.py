"""Robustness tests: hostile input, and a real server that is broken on purpose."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "faults: runs a real gunicorn server and breaks it (kill -9, a held lock, a full disk)",
    )
