"""The floor for the load benchmark: a bare Flask endpoint that does one insert per request.

Same server (gunicorn.conf.py) and the same database settings as quizapp, nothing else:
no templates, no session, no ORM. Served as `tests.bench.baseline_app:app` with either

- BASELINE_DATABASE set to a SQLite file: busy_timeout 5000 ms, WAL, synchronous FULL,
  BEGIN IMMEDIATE for the write, as quizapp sets them; or
- BASELINE_DATABASE_URL set to a PostgreSQL URL (libpq form, `postgresql://...`): one
  psycopg connection per worker, each insert its own transaction at READ COMMITTED with
  a synchronous commit, as quizapp runs on PostgreSQL.

tests/bench/load.py creates the `hit` table first.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, request

app = Flask(__name__)
_connection = None


def sqlite_connection() -> sqlite3.Connection:
    connection = sqlite3.connect(os.environ["BASELINE_DATABASE"], isolation_level=None)
    for pragma in (
        "busy_timeout = 5000",
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def postgresql_connection():
    import psycopg  # only the PostgreSQL variant needs the driver

    # autocommit: transaction() below then sends BEGIN and COMMIT itself, one pair per insert.
    connection = psycopg.connect(os.environ["BASELINE_DATABASE_URL"], autocommit=True)
    connection.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
    return connection


def connection():
    """One connection per worker process, opened on first use (after gunicorn's fork)."""
    global _connection
    if _connection is None:
        on_postgresql = "BASELINE_DATABASE_URL" in os.environ
        _connection = postgresql_connection() if on_postgresql else sqlite_connection()
    return _connection


@app.get("/")
def ready():
    return "ok"


@app.post("/insert")
def insert():
    body = request.form.get("body", "")[:500]
    database = connection()
    if isinstance(database, sqlite3.Connection):
        database.execute("BEGIN IMMEDIATE")
        try:
            database.execute("INSERT INTO hit (body) VALUES (?)", (body,))
            database.execute("COMMIT")
        except BaseException:
            database.execute("ROLLBACK")
            raise
    else:
        with database.transaction():  # BEGIN ... COMMIT, or ROLLBACK on an error
            database.execute("INSERT INTO hit (body) VALUES (%s)", (body,))
    return "stored", 201
