"""The floor for the load benchmark: a bare Flask endpoint that does one SQLite insert.

Same server (gunicorn.conf.py), same SQLite settings as quizapp (busy_timeout 5000 ms,
WAL, synchronous FULL, BEGIN IMMEDIATE for the write), nothing else: no templates, no
session, no ORM. Served as `tests.bench.baseline_app:app` with BASELINE_DATABASE set to
a file whose `hit` table tests/bench/load.py has created.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, request

app = Flask(__name__)
_connection: sqlite3.Connection | None = None


def connection() -> sqlite3.Connection:
    """One connection per worker process, opened on first use (after gunicorn's fork)."""
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(os.environ["BASELINE_DATABASE"], isolation_level=None)
        for pragma in (
            "busy_timeout = 5000",
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
        ):
            _connection.execute(f"PRAGMA {pragma}")
    return _connection


@app.get("/")
def ready():
    return "ok"


@app.post("/insert")
def insert():
    database = connection()
    database.execute("BEGIN IMMEDIATE")
    try:
        database.execute("INSERT INTO hit (body) VALUES (?)", (request.form.get("body", "")[:500],))
        database.execute("COMMIT")
    except BaseException:
        database.execute("ROLLBACK")
        raise
    return "stored", 201
