"""Instructor dashboard pages and CSV exports (class overview, quiz report, perspectives, learner)."""

from __future__ import annotations

from .routes import blueprint  # noqa: F401  (routes below attach to the instructor blueprint)
