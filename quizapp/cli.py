"""The ``quizapp`` command: Flask's CLI plus content, setup and serving commands."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from .content import ContentInvalid, load_content


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """quizapp: reading-comprehension quizzes and flashcards."""


@click.group("content")
def content_group() -> None:
    """Check and load passages, quizzes and flashcards."""


def _load_or_report():
    content_dir = current_app.config["QUIZAPP_CONTENT_DIR"]
    try:
        return load_content(content_dir)
    except ContentInvalid as invalid:
        for error in invalid.errors:
            click.echo(str(error), err=True)
        noun = "error" if len(invalid.errors) == 1 else "errors"
        click.echo(f"{len(invalid.errors)} {noun} in {content_dir}; nothing was loaded.", err=True)
        sys.exit(1)


def _summary(content) -> str:
    questions = sum(len(quiz.questions) for quiz in content.quizzes)
    cards = sum(len(quiz.cards) for quiz in content.quizzes)
    return f"{len(content.passages)} passages, {len(content.quizzes)} quizzes, {questions} questions, {cards} cards"


@content_group.command("check")
@with_appcontext
def content_check() -> None:
    """Validate seeds/passages.yaml and questions/*.yaml; print every error as file:line: message."""
    content = _load_or_report()
    click.echo(f"OK: {_summary(content)}.")


@content_group.command("sync")
@with_appcontext
def content_sync() -> None:
    """Load the checked content into the database in one transaction (safe to run again)."""
    from .publishing import publish

    content = _load_or_report()
    report = publish(content)
    click.echo(f"Loaded {report.summary()}.")


@main.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create or upgrade the database, load the content, and make sure demo accounts exist."""
    from .publishing import publish

    upgrade(directory=current_app.extensions["migrate"].directory)
    content = _load_or_report()
    report = publish(content)
    click.echo(f"Database ready; loaded {report.summary()}.")
    for line in _demo_account_lines():
        click.echo(line)


DEMO_EMAIL = "teacher@example.org"
DEMO_CLASS = "Demo class"
DEMO_CREDENTIALS_FILE = "demo-instructor.txt"


def _demo_account_lines() -> list[str]:
    """Make sure a demo instructor and class exist, and say how to get in as either."""
    import secrets

    from .auth.service import create_instructor, find_instructor
    from .classes import create_classroom

    password_file = _demo_password_file()
    instructor = find_instructor(DEMO_EMAIL)
    if instructor is None:
        password = secrets.token_urlsafe(12)
        instructor = create_instructor(DEMO_EMAIL, password)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
    password = password_file.read_text(encoding="utf-8").strip() if password_file.exists() else None
    classroom = instructor.classrooms[0] if instructor.classrooms else create_classroom(instructor, DEMO_CLASS)
    return [
        "",
        "Instructor log-in: http://127.0.0.1:5000/login",
        f"  email:    {DEMO_EMAIL}",
        f"  password: {password or '(changed since setup; use your own)'}",
        "Student join:      http://127.0.0.1:5000/join",
        f"  class code: {classroom.join_code}  (class '{classroom.name}')",
    ]


def _demo_password_file() -> Path:
    """Where the demo password is kept: beside a SQLite database, else in the instance folder.

    Each database keeps its own, so setting up a second database never overwrites the
    password printed for the first.
    """
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / DEMO_CREDENTIALS_FILE
    name = hashlib.sha256(str(url).encode()).hexdigest()[:12]
    return Path(current_app.instance_path) / f"demo-instructor-{name}.txt"


@click.group("instructor")
def instructor_group() -> None:
    """Manage instructor accounts."""


@instructor_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@with_appcontext
def instructor_create(email: str, password_stdin: bool) -> None:
    """Create an instructor account; the password is prompted for and never echoed."""
    from .auth.service import AccountError, create_instructor

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        instructor = create_instructor(email, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created instructor {instructor.email}.")


@click.group("class")
def class_group() -> None:
    """Manage classes."""


@class_group.command("list")
@click.option("--instructor", "email", help="Only this instructor's classes.")
@with_appcontext
def class_list(email: str | None) -> None:
    """List classes with their ids (for `quizapp export`), owners, join codes and sizes."""
    import sqlalchemy as sa

    from .extensions import db
    from .models import Classroom, Instructor, Learner

    query = (
        sa.select(Classroom.id, Classroom.name, Instructor.email, Classroom.join_code, sa.func.count(Learner.id))
        .join(Instructor, Instructor.id == Classroom.instructor_id)
        .outerjoin(Learner, Learner.classroom_id == Classroom.id)
        .group_by(Classroom.id, Classroom.name, Instructor.email, Classroom.join_code)
        .order_by(Classroom.id)
    )
    if email:
        query = query.where(Instructor.email == email.strip().lower())
    rows = db.session.execute(query).all()
    if not rows:
        click.echo("No classes.")
    for class_id, name, owner, code, learners in rows:
        click.echo(f"{class_id}\t{name}\t{owner}\t{code}\t{learners} students")


@class_group.command("create")
@click.argument("name")
@click.option("--instructor", "email", required=True, help="Email of the instructor who owns the class.")
@with_appcontext
def class_create(name: str, email: str) -> None:
    """Create a class for an instructor and print its join code."""
    from .auth.service import find_instructor
    from .classes import create_classroom

    instructor = find_instructor(email)
    if instructor is None:
        raise click.ClickException(f"No instructor has the email {email}. Create one with 'quizapp instructor create'.")
    try:
        classroom = create_classroom(instructor, name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created class '{classroom.name}'. Join code: {classroom.join_code}")


@click.group("export")
def export_group() -> None:
    """Export a class's results as CSV (the same files as the dashboard's downloads)."""


def _export_options(command):
    options = [
        click.option("--class", "classroom_id", type=int, required=True, help="Id of the class."),
        click.option("--quiz", "quiz_id", help="Only this quiz (its id)."),
        click.option("--since", help="First day included, YYYY-MM-DD (UTC)."),
        click.option("--until", help="Last day included, YYYY-MM-DD (UTC)."),
        click.option("--all-attempts", is_flag=True, help="Items: count every attempt, not only first ones."),
        click.option("--bom", is_flag=True, help="Start with a UTF-8 byte order mark, for Excel."),
        click.option(
            "--output",
            type=click.Path(dir_okay=False, writable=True),
            help="Write to this file (default: standard output).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run_export(kind: str, classroom_id, quiz_id, since, until, all_attempts, bom, output) -> None:
    from .extensions import db
    from .instructor.exports import export_csv
    from .instructor.reports import FilterInvalid, parse_filters
    from .models import Classroom

    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None:
        raise click.ClickException(f"No class has the id {classroom_id}.")
    try:
        filters = parse_filters(quiz_id, since, until, "all" if all_attempts else "first")
    except FilterInvalid as problem:
        raise click.ClickException(str(problem)) from None
    result = export_csv(kind, classroom, filters, bom=bom)
    if output:
        # newline="" keeps the CSV's own CRLF line ends as they are.
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.writelines(result.chunks)
        click.echo(f"Wrote {output}.", err=True)
    else:
        # Bytes, so the export is UTF-8 whatever the terminal's encoding.
        stream = sys.stdout.buffer
        for chunk in result.chunks:
            stream.write(chunk.encode("utf-8"))
        stream.flush()


@export_group.command("answers")
@_export_options
@with_appcontext
def export_answers(**options) -> None:
    """One row per answer: learner, quiz, question version, response, score, times."""
    _run_export("answers", **options)


@export_group.command("learners")
@_export_options
@with_appcontext
def export_learners(**options) -> None:
    """One row per learner: best score per quiz and share of points per skill."""
    _run_export("learners", **options)


@export_group.command("items")
@_export_options
@with_appcontext
def export_items(**options) -> None:
    """Item analysis: facility, discrimination and choice counts per question."""
    _run_export("items", **options)


if __name__ == "__main__":
    main()
