"""Fixtures shared by every test: a fresh app and database per test, and content factories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.content import load_content
from quizapp.extensions import db
from quizapp.publishing import publish

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


def csrf_token(response) -> str:
    """The CSRF token of the first form on a page, as a browser would send it back."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no form with a CSRF token"
    return match.group(1)
