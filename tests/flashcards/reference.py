"""The yardstick the flashcard tests measure the app's schedules against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def reference_scheduler() -> fsrs.Scheduler:
    """fsrs configured by hand from the product brief, independently of make_scheduler."""
    return fsrs.Scheduler(
        desired_retention=0.9,
        learning_steps=(timedelta(minutes=1), timedelta(minutes=10)),
        enable_fuzzing=False,
    )
