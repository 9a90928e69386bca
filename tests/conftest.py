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


# --- factories ------------------------------------------------------------------------------

PASSWORD = "correct horse battery"

EVERY_TYPE_QUIZ = """
id: every-type
title: "Every question type"
passages: [nbc-offensive]
feedback: immediate
questions:
  - id: q-single
    type: single
    skill: attribution
    prompt: "According to the IDF, how many battalions were significantly damaged?"
    choices:
      - text: "10 of 24"
        correct: true
      - text: "Half of them"
        feedback: "That figure comes from a different article."
      - "All 24"
    explanation: "The IDF's own figure."
    evidence: ["“significantly damaged” 10 out of 24 1,000-strong battalions"]
  - id: q-multiple
    type: multiple
    skill: fact
    scoring: partial
    prompt: "Which of these does the article say remain alive?"
    choices:
      - text: "Yahya Sinwar"
        correct: true
      - text: "Muhammad Deif"
        correct: true
      - "Boris Dunavetski"
    explanation: "Both leaders remain alive and in charge."
    evidence: ["Yahya Sinwar, and its top military commander, Muhammad Deif, remain alive"]
  - id: q-true-false
    type: true_false
    skill: fact
    answer: true
    prompt: "The IDF says 134 of its troops have been killed in the Gaza offensive."
    explanation: "So the IDF says."
    evidence: ["The IDF says 134 of its troops have been killed"]
  - id: q-short
    type: short
    skill: vocabulary
    answers: ["Rand Corp.", "Rand"]
    prompt: "Which think tank does Raphael Cohen work for?"
    explanation: "He is a senior political scientist at the Rand Corp."
  - id: q-order
    type: order
    skill: inference
    scoring: partial
    prompt: "Put these in the order the article gives them."
    items: ["Oct. 7 attack", "Offensive begins", "Death toll reaches 20,000"]
    explanation: "The attack came first."
  - id: q-match
    type: match
    skill: attribution
    prompt: "Match each speaker to their description."
    pairs:
      - left: "Michael Nagata"
        right: "Retired U.S. Army lieutenant general"
      - left: "Raphael Cohen"
        right: "Rand Corp. political scientist"
    distractors: ["Israeli prime minister"]
    explanation: "As the article introduces them."
  - id: q-highlight
    type: highlight
    skill: evidence
    prompt: "Which sentence gives the IDF's count of its own dead?"
    evidence: ["The IDF says 134 of its troops have been killed in the Gaza offensive"]
    explanation: "That sentence attributes the count to the IDF."
cards:
  - id: card-nagata
    front: "Michael Nagata"
    back: "Retired U.S. Army lieutenant general"
    evidence: ["retired U.S. Army Lt. Gen. Michael Nagata"]
    reverse: true
"""


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


def log_in(client, email: str = "teacher@school.test", password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})


def join(client, join_code: str, name: str = "Amira"):
    page = client.get("/join")
    return client.post(
        "/join", data={"join_code": join_code, "display_name": name, "csrf_token": csrf_token(page)}
    )


def post_form(client, url: str, data: dict | None = None, page_url: str | None = None):
    """Post a form the way a browser would: fetch the page for its CSRF token first."""
    page = client.get(page_url or url)
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(page)})
