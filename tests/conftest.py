"""Fixtures shared by every test: a fresh app and database per test, and content factories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.content import load_content
from quizapp.extensions import db
from quizapp.publishing import publish
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


@pytest.fixture
def app(tmp_path, content_dir):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
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
