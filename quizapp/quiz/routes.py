"""Taking quizzes: start, answer one question at a time beside the passage, submit, results."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.identity import is_instructor, is_learner
from ..classes import visible_quizzes
from ..extensions import db
from ..models import Attempt, Card, Quiz, utcnow
from .attempts import (
    AttemptRefused,
    StalePage,
    attempt_questions,
    attempts_left,
    open_attempt,
    record_answer,
    skill_breakdown,
    start_or_resume,
    submit,
)
from .presenting import feedback_visible, passages_for, question_view
from .responses import ResponseInvalid, parse_response

blueprint = Blueprint("quiz", __name__)


@blueprint.before_request
def require_learner():
    if is_learner():
        return None
    if is_instructor() and request.endpoint == "quiz.overview":
        return redirect(url_for("instructor.preview", quiz_id=request.view_args["quiz_id"]))
    flash("Join your class with its code to take quizzes.", "error")
    return redirect(url_for("student.join"))


def _visible_quiz(quiz_id: str) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz not in visible_quizzes(current_user.classroom):
        abort(404)
    return quiz


def _own_attempt(attempt_id: int) -> Attempt:
    """The signed-in learner's attempt, or 404: another learner's attempt is not revealed."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.learner_id != current_user.id:
        abort(404)
    return attempt


@blueprint.get("/quizzes/<quiz_id>")
def overview(quiz_id: str):
    quiz = _visible_quiz(quiz_id)
    attempts = list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.learner_id == current_user.id, Attempt.quiz_id == quiz.id)
            .order_by(Attempt.number)
        )
    )
    return render_template(
        "quiz/overview.html",
        quiz=quiz,
        passages=passages_for(quiz),
        attempts=attempts,
        open_attempt=open_attempt(current_user, quiz),
        attempts_left=attempts_left(current_user, quiz),
        card_count=db.session.scalar(sa.select(sa.func.count()).where(Card.quiz_id == quiz.id, Card.active)),
    )


@blueprint.post("/quizzes/<quiz_id>/start")
def start(quiz_id: str):
    quiz = _visible_quiz(quiz_id)
    try:
        attempt = start_or_resume(current_user, quiz)
    except AttemptRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("quiz.overview", quiz_id=quiz.id))
    first_unanswered = next((item.number for item in attempt_questions(attempt) if item.answer is None), 1)
    return redirect(url_for("quiz.question", attempt_id=attempt.id, number=first_unanswered))


def _item(attempt: Attempt, number: int):
    items = attempt_questions(attempt)
    if not 1 <= number <= len(items):
        abort(404)
    return items, items[number - 1]


@blueprint.get("/attempts/<int:attempt_id>/questions/<int:number>")
def question(attempt_id: int, number: int):
    attempt = _own_attempt(attempt_id)
    if attempt.state != "in_progress":
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    items, item = _item(attempt, number)
    return _render_question(attempt, items, item)


def _render_question(attempt, items, item, error=None, status=200, draft=None):
    quiz = db.session.get(Quiz, attempt.quiz_id)
    view = question_view(attempt, item, quiz, draft=draft)
    return (
        render_template(
            "quiz/question.html",
            quiz=quiz,
            attempt=attempt,
            items=items,
            item=item,
            view=view,
            passages=passages_for(quiz),
            error=error,
            form_key=uuid.uuid4().hex,
            shown_at=f"{utcnow().timestamp():.3f}",
        ),
        status,
    )


@blueprint.post("/attempts/<int:attempt_id>/questions/<int:number>")
def answer(attempt_id: int, number: int):
    attempt = _own_attempt(attempt_id)
    items, item = _item(attempt, number)
    quiz = db.session.get(Quiz, attempt.quiz_id)
    # Read before the commit expires them: reading them after would open a second transaction.
    feedback, last = quiz.feedback, number == len(items)
    key, seen, shown_at = _answer_form_fields()
    form = request.form.to_dict(flat=False)
    try:
        response = parse_response(
            item.version.type, item.version.definition, form, valid_sentences=_sentence_check(quiz)
        )
        record_answer(attempt, item, response, f"{attempt_id}:{key}", seen, shown_at, feedback)
    except ResponseInvalid as problem:
        return _render_question(attempt, items, item, error=str(problem), status=422, draft=form)
    except StalePage as stale:
        flash(str(stale), "error")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, number=number))
    except AttemptRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    if feedback == "immediate":
        return redirect(url_for("quiz.question", attempt_id=attempt_id, number=number, _anchor="feedback"))
    if request.form.get("go") == "review" or last:
        return redirect(url_for("quiz.review", attempt_id=attempt_id))
    return redirect(url_for("quiz.question", attempt_id=attempt_id, number=number + 1))


def _answer_form_fields() -> tuple[str, int | None, float | None]:
    """The answer form's hidden fields: its idempotency key, the answer it saw, when it was shown."""
    key = (request.form.get("form_key") or "")[:64]
    if len(key) < 16:
        abort(400)
    try:
        seen = int(request.form["seen_answer"]) if request.form.get("seen_answer") else None
        shown_at = float(request.form["shown_at"]) if request.form.get("shown_at") else None
    except ValueError:
        abort(400)
    return key, seen, shown_at


def _sentence_check(quiz: Quiz):
    from ..models import Sentence

    def valid(passage_id: str, number: int) -> bool:
        return passage_id in quiz.passage_ids and db.session.get(Sentence, (passage_id, number)) is not None

    return valid


@blueprint.get("/attempts/<int:attempt_id>/review")
def review(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.state != "in_progress":
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    return render_template("quiz/review.html", quiz=quiz, attempt=attempt, items=attempt_questions(attempt))


@blueprint.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    try:
        submit(attempt)
    except AttemptRefused as refusal:
        flash(str(refusal), "error")
    return redirect(url_for("quiz.results", attempt_id=attempt.id))


@blueprint.get("/attempts/<int:attempt_id>/results")
def results(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.state == "in_progress":
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    items = attempt_questions(attempt)
    return render_template(
        "quiz/results.html",
        quiz=quiz,
        attempt=attempt,
        items=items,
        views=[question_view(attempt, item, quiz) for item in items],
        skills=skill_breakdown(items),
        show_answers=feedback_visible(quiz, attempt),
        passages=passages_for(quiz),
        attempts_left=attempts_left(current_user, quiz),
    )
