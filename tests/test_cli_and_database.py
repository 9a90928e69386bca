"""The `quizapp` command, the database settings and the migrations, as an administrator meets them."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.config import load_or_create_secret_key
from quizapp.extensions import db
from quizapp.models import Answer, Attempt, Passage, QuestionVersion, Sentence, utcnow
from tests.helpers import EVERY_TYPE_QUIZ, csrf_token, join, post_form

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_quizapp_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "quizapp.cli", "--help"], capture_output=True, text=True, cwd=PROJECT_DIR
    )
    assert result.returncode == 0, result.stderr
    for command in ("content", "setup", "instructor", "class", "db", "run"):
        assert f"  {command} " in result.stdout


def test_content_check_passes_on_the_shipped_content(database_url):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "QUIZAPP_CONTENT_DIR": PROJECT_DIR}
    app = create_app({"SECRET_KEY": "x", **settings})
    result = run_cli(app, "content", "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 5 passages, ")
    assert len(result.output.strip().splitlines()) == 1


BROKEN_MANIFESTS = [
    ("    genre: news-analysis\n", "    genre: news-analysis\n    titel: oops\n", "unknown key 'titel'"),
    ("file: 000_0a98756ac3294237.txt", "file: 999_missing.txt", "file: '999_missing.txt' is not a file in seeds/"),
    ('- match: "Getty Images\\\\s*$"', '- match: "Getty (Images"', "is not a valid regular expression"),
    ("id: economist-truce", "id: nbc-offensive", "duplicate passage id 'nbc-offensive'"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN_MANIFESTS)
def test_content_check_reports_a_broken_manifest_with_file_and_line(app, content_dir, old, new, message):
    manifest = content_dir / "seeds" / "passages.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli(app, "content", "check")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("seeds/passages.yaml:")
    assert int(first.split(":")[1]) > 0
    assert message in result.output
    assert "nothing was loaded" in result.output


def test_content_sync_loads_everything_and_can_run_again(app, content_dir):
    (content_dir / "questions" / "every-type.yaml").write_text(EVERY_TYPE_QUIZ, encoding="utf-8")
    first = run_cli(app, "content", "sync")
    second = run_cli(app, "content", "sync")
    assert first.exit_code == 0 and second.exit_code == 0
    assert "7 new question versions" in first.output and "0 new question versions" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Passage)) == 5


def test_a_failed_sync_leaves_the_database_unchanged(app, content_dir):
    (content_dir / "questions" / "every-type.yaml").write_text(EVERY_TYPE_QUIZ, encoding="utf-8")
    assert run_cli(app, "content", "sync").exit_code == 0
    with app.app_context():
        before = db.session.execute(sa.select(Sentence.passage_id, Sentence.number, Sentence.text)).all()
    manifest = content_dir / "seeds" / "passages.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("- line: 1 ", "- line: 5 ", 1), encoding="utf-8")
    (content_dir / "questions" / "every-type.yaml").write_text(EVERY_TYPE_QUIZ + "\n  - id: broken\n    promt: x\n")
    result = run_cli(app, "content", "sync")
    assert result.exit_code == 1
    with app.app_context():
        after = db.session.execute(sa.select(Sentence.passage_id, Sentence.number, Sentence.text)).all()
    assert after == before


def test_instructor_and_class_commands(app):
    result = run_cli(
        app, "instructor", "create", "Head@School.test", "--password-stdin", input="a long enough password\n"
    )
    assert result.exit_code == 0 and "Created instructor head@school.test" in result.output
    assert "a long enough password" not in result.output
    result = run_cli(app, "class", "create", "Year 12", "--instructor", "head@school.test")
    assert result.exit_code == 0
    code = result.output.strip().rsplit(" ", 1)[-1]
    assert len(code) == 9 and code[4] == "-" and not set(code) & set("01OIl")
    assert run_cli(app, "class", "create", "X", "--instructor", "nobody@school.test").exit_code == 1
    listing = run_cli(app, "class", "list", "--instructor", "head@school.test")
    assert listing.exit_code == 0 and listing.output == f"1\tYear 12\thead@school.test\t{code}\t0 students\n"
    again = run_cli(
        app, "instructor", "create", "head@school.test", "--password-stdin", input="a long enough password\n"
    )
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.sqlite_only  # PRAGMAs are SQLite's; PostgreSQL's own setting is checked below
def test_every_connection_is_configured_for_durability_and_concurrency(app):
    with app.app_context():
        connection = db.session.connection()
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


@pytest.mark.sqlite_only  # BEGIN IMMEDIATE and the file lock are SQLite's; PostgreSQL locks rows
def test_write_transactions_take_the_write_lock_at_begin(app, tmp_path):
    """A second writer waits at BEGIN IMMEDIATE instead of failing later with 'database is locked'."""
    import sqlite3

    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # BEGIN IMMEDIATE outside a read-only request
        other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.rollback()
        other.execute("BEGIN IMMEDIATE")
        other.rollback()


def _wait_until_a_connection_waits_for_a_lock(engine: sa.Engine) -> None:
    with engine.connect() as watcher:
        for _ in range(200):
            waiting = watcher.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).scalar()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the request never waited for the other transaction's lock")


def _while_another_transaction_holds(app, statement, request):
    """Run `request` in a thread while another connection has run `statement` but not
    committed; commit once the request waits for it; return what the request returned."""
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.NullPool)
    result = {}
    with other.connect() as connection:
        connection.execute(statement)
        thread = threading.Thread(target=lambda: result.update(response=request()))
        thread.start()
        _wait_until_a_connection_waits_for_a_lock(other)
        connection.commit()
        thread.join(timeout=30)
    other.dispose()
    return result["response"]


@pytest.fixture
def attempt_in_progress(app, write_quiz, sync, make_instructor, make_classroom):
    """A learner's browser with an attempt at the every-type quiz open on its first question."""
    write_quiz(EVERY_TYPE_QUIZ)
    sync()
    _, code = make_classroom(make_instructor())
    browser = app.test_client()
    join(browser, code, "Amira")
    started = post_form(browser, "/quizzes/every-type/start", page_url="/quizzes/every-type")
    return browser, started.headers["Location"]


@pytest.mark.postgresql_only  # SQLite has no isolation levels to choose from: one writer at a time
def test_postgresql_transactions_run_at_read_committed_whatever_the_server_default(app):
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    stricter = url.update_query_dict(
        {"options": url.query["options"] + " -cdefault_transaction_isolation=serializable"}
    )
    stricter_url = stricter.render_as_string(hide_password=False)
    strict_app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": stricter_url})
    show = lambda setting: db.session.execute(sa.text(f"SHOW {setting}")).scalar()  # noqa: E731
    with strict_app.app_context():
        assert show("default_transaction_isolation") == "serializable"
        assert show("transaction_isolation") == "read committed"
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgresql_only  # on SQLite the second writer waits at BEGIN IMMEDIATE (tested above)
def test_an_answer_racing_another_tab_for_one_question_keeps_the_first(app, attempt_in_progress):
    browser, question_url = attempt_in_progress
    page = browser.get(question_url).get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        question_id = attempt.question_order[0]
        version_id = db.session.scalar(sa.select(QuestionVersion.id).where(QuestionVersion.question_id == question_id))
        other_tab = sa.insert(Answer).values(
            attempt_id=attempt.id, question_id=question_id, question_version_id=version_id,
            idempotency_key="the-other-tab-0123456789", response={"choice": 2},
            score=0.0, max_score=1.0, correct=False, answered_at=utcnow(),
        )  # fmt: skip
    response = _while_another_transaction_holds(
        app, other_tab, lambda: browser.post(question_url, data={**fields, "choice": "0"})
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Answer.response)).all() == [{"choice": 2}]


@pytest.mark.postgresql_only  # on SQLite the second writer waits at BEGIN IMMEDIATE (tested above)
def test_a_submit_racing_another_submit_of_one_attempt_is_refused(app, attempt_in_progress):
    browser, question_url = attempt_in_progress
    token = csrf_token(browser.get(question_url.replace("questions/1", "review")))
    submit_url = question_url.replace("questions/1", "submit")
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(Attempt.id))
    other_submit = (
        sa.update(Attempt)
        .where(Attempt.id == attempt_id)
        .values(state="submitted", submitted_at=utcnow(), score=0.0, max_score=7.0)
    )
    response = _while_another_transaction_holds(
        app, other_submit, lambda: browser.post(submit_url, data={"csrf_token": token})
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "already submitted" in browser.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        state = db.session.execute(sa.select(Attempt.state, Attempt.score)).one()
        assert state == ("submitted", 0.0)


def test_migrations_build_the_schema_the_models_declare(database_url):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade(directory=str(PROJECT_DIR / "migrations"))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_the_secret_key_is_made_once_and_readable_only_by_its_owner(tmp_path):
    first = load_or_create_secret_key(tmp_path)
    second = load_or_create_secret_key(tmp_path)
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("QUIZAPP_CONTENT_DIR", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("elsewhere.sqlite3")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["QUIZAPP_CONTENT_DIR"] == tmp_path
