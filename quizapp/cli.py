"""The ``quizapp`` command: Flask's CLI plus content, setup and serving commands."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

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


def _demo_account_lines() -> list[str]:
    """Lines telling a new user how to get in; filled once accounts exist."""
    return []
