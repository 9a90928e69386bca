"""Failed log-in throttling per account and address together.

A whole class may share one school address, so throttling by address alone would
lock out every instructor in the building; by account alone, anyone could lock an
instructor out. The pair is what is counted.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from ..extensions import db
from ..models import LoginThrottle

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def _key(email: str, address: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()


def seconds_locked(email: str, address: str, now: datetime) -> int:
    """How long this account+address pair must still wait; 0 if it may try."""
    row = db.session.get(LoginThrottle, _key(email, address))
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, int((row.locked_until - now).total_seconds()))


def lock_pair(email: str, address: str, now: datetime) -> None:
    """Make sure the pair's row exists and lock it, so parallel guesses are counted one by one."""
    key = _key(email, address)
    insert = _insert_for(db.session.get_bind().dialect.name)
    db.session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, window_started_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    db.session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)


def _insert_for(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def record_failure(email: str, address: str, now: datetime) -> None:
    key = _key(email, address)
    row = db.session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
        db.session.add(row)
    if now - row.window_started_at > WINDOW or (row.locked_until and row.locked_until <= now):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + LOCKOUT


def clear(email: str, address: str) -> None:
    row = db.session.get(LoginThrottle, _key(email, address))
    if row is not None:
        db.session.delete(row)
