"""Which database the tests run on, and throwaway PostgreSQL schemas for them."""

from __future__ import annotations

import os
import secrets

import sqlalchemy as sa

TEST_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL") or None


def on_postgresql() -> bool:
    if TEST_DATABASE_URL is None:
        return False
    return sa.make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql"


def schema_url(schema: str) -> str:
    """The test database's URL with `schema` as the only schema its connections see."""
    url = sa.make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def postgres_admin() -> sa.Engine:
    return sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


class PostgresSchemas:
    """Schemas made for one test session on the test PostgreSQL, dropped at its end."""

    def __init__(self):
        self.engine = postgres_admin()
        self.made: list[str] = []

    def new(self) -> str:
        name = f"test_{secrets.token_hex(6)}"
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {name}")
        self.made.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(name)
        self.engine.dispose()
