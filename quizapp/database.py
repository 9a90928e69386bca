"""How quizapp talks to SQLite: durable, concurrent-safe settings on every connection."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000


def configure_sqlite(engine: Engine) -> None:
    """Make every SQLite connection wait for locks, use WAL, fsync commits and check foreign keys.

    pysqlite's own transaction handling is switched off so that write transactions can
    begin with BEGIN IMMEDIATE: a deferred transaction that reads and then writes
    fails with "database is locked" under concurrent writers, whatever the timeout.
    Requests that only read (GET, HEAD) begin deferred, so WAL lets them run beside
    a writer; every other request, and every CLI command, takes the write lock first.
    """
    if engine.dialect.name != "sqlite":
        return

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
