"""Taking quizzes: start, answer, submit, results."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("quiz", __name__, url_prefix="/quizzes")


@blueprint.get("/<quiz_id>")
def overview(quiz_id: str):
    return quiz_id
