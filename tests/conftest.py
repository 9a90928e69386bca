"""Fixtures shared by every test: a fresh app and database per test, and content factories.

Tests run on SQLite (a file per test) unless QUIZAPP_TEST_DATABASE_URL names a
PostgreSQL database, e.g. postgresql+psycopg://quizapp@127.0.0.1:5432/quizapp
(scripts/postgres-for-tests.sh starts a throwaway one and prints its URL).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from quizapp import create_app
from quizapp.content import load_content
from quizapp.extensions import db
from quizapp.publishing import publish
from tests.databases import TEST_DATABASE_URL, PostgresSchemas, on_postgresql, schema_url
from tests.helpers import EVERY_TYPE_QUIZ, PASSWORD, csrf_token, join, log_in, post_form  # noqa: F401  (re-exported)

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A content folder holding the real seed passages and no quizzes yet."""
    folder = tmp_path / "content"
    shutil.copytree(SEEDS_DIR, folder / "seeds")
    (folder / "questions").mkdir()
    return folder


if TEST_DATABASE_URL is not None and not on_postgresql():
    raise pytest.UsageError(f"QUIZAPP_TEST_DATABASE_URL must name a PostgreSQL database, not {TEST_DATABASE_URL!r}")


def pytest_collection_modifyitems(config, items):
    """Deselect the tests that are about the other database: on PostgreSQL, those marked
    sqlite_only; on SQLite, those marked postgresql_only."""
    if on_postgresql():
        unwanted = [item for item in items if "sqlite_only" in item.keywords]
    else:
        unwanted = [item for item in items if "postgresql_only" in item.keywords]
    if unwanted:
        config.hook.pytest_deselected(items=unwanted)
        items[:] = [item for item in items if item not in unwanted]


@pytest.fixture(scope="session")
def postgres_schemas():
    schemas = PostgresSchemas()
    yield schemas
    schemas.drop_all()


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """An empty database of the kind under test: a SQLite file, or a new PostgreSQL schema."""
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schemas = request.getfixturevalue("postgres_schemas")
    name = schemas.new()
    yield schema_url(name)
    schemas.drop(name)


@pytest.fixture(scope="session")
def _postgres_tables(postgres_schemas) -> str:
    """One schema holding every table, made once; each test empties it (see `_clean_database_url`).

    Emptying fifteen tables takes a third of the time of building them in a new schema,
    which over the whole suite is the difference between one and two minutes.
    """
    url = schema_url(postgres_schemas.new())
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    db.metadata.create_all(engine)
    engine.dispose()
    return url


def _clean_database_url(request, tmp_path) -> str:
    """A database with every table and no rows, as if just created: a new SQLite file, or the
    session's PostgreSQL schema with every table truncated and every id sequence restarted."""
    if not on_postgresql():
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url = request.getfixturevalue("_postgres_tables")
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()
    return url


@pytest.fixture
def app(request, tmp_path, content_dir):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "SQLALCHEMY_DATABASE_URI": _clean_database_url(request, tmp_path),
            "QUIZAPP_CONTENT_DIR": content_dir,
            "QUIZAPP_FSRS_FUZZ": False,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def published(app, content_dir):
    """The app with the content folder loaded into its database."""
    with app.app_context():
        publish(load_content(content_dir))
    return app


@pytest.fixture
def write_quiz(content_dir):
    """Write a quiz file into the test content folder."""

    def write(text: str, name: str = "quiz.yaml") -> Path:
        path = content_dir / "questions" / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def sync(app, content_dir):
    """Load the content folder into the database, as `quizapp content sync` does."""

    def run():
        with app.app_context():
            return publish(load_content(content_dir))

    return run


@pytest.fixture
def make_instructor(app):
    def make(email: str = "teacher@school.test", password: str = PASSWORD):
        from quizapp.auth.service import create_instructor

        with app.app_context():
            return create_instructor(email, password).id

    return make


@pytest.fixture
def make_classroom(app):
    """Create a class for an instructor (by id); returns (classroom id, join code)."""

    def make(instructor_id: int, name: str = "Year 11"):
        from quizapp.classes import create_classroom
        from quizapp.models import Instructor

        with app.app_context():
            classroom = create_classroom(db.session.get(Instructor, instructor_id), name)
            return classroom.id, classroom.join_code

    return make


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's test-wide request context: each request gets its own, as in production.

    A context shared by every request of a test would share the database session and
    the signed-in user between what should be separate browsers.
    """
    yield


@pytest.fixture
def client(app):
    """A browser-like test client that keeps no request context between requests.

    (pytest-flask's own client preserves the last context, which a second client in
    the same test would then share: its `g`, its CSRF token, its database session.)
    """
    return app.test_client()
