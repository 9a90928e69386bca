"""How quizapp talks to its database: settings on every connection that the app relies on.

SQLite is made durable and safe for concurrent writers; PostgreSQL runs every
transaction at READ COMMITTED, whatever the server's default.
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000
POSTGRESQL_ISOLATION_LEVEL = "READ COMMITTED"


def configure_database(engine: Engine) -> None:
    """Apply the settings for the engine's kind of database; other kinds are left as they are."""
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)


def _configure_postgresql(engine: Engine) -> None:
    """Run every PostgreSQL transaction at READ COMMITTED, even where the server defaults higher.

    The app's write paths are built for it: a second submit's compare-and-set UPDATE
    waits for the first and then matches no row, and a duplicate answer or attempt
    waits at the unique index and then fails with IntegrityError, which the app turns
    into "already done". At REPEATABLE READ or SERIALIZABLE both would instead fail
    with a serialization error, a 500 for the learner. Reads need no lock: PostgreSQL
    lets them run beside writers.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        engine.dialect.set_isolation_level(dbapi_connection, POSTGRESQL_ISOLATION_LEVEL)


def _configure_sqlite(engine: Engine) -> None:
    """Make every SQLite connection wait for locks, use WAL, fsync commits and check foreign keys.

    pysqlite's own transaction handling is switched off so that write transactions can
    begin with BEGIN IMMEDIATE: a deferred transaction that reads and then writes
    fails with "database is locked" under concurrent writers, whatever the timeout.
    Requests that only read (GET, HEAD) begin deferred, so WAL lets them run beside
    a writer; every other request, and every CLI command, takes the write lock first.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _read_only_request() else "BEGIN IMMEDIATE")


def _read_only_request() -> bool:
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
