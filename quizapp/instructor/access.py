"""Ownership checks: every object an instructor touches is looked up through here."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Attempt, Classroom, Learner


def owned_classroom(classroom_id: int) -> Classroom:
    """The current instructor's class with this id, or 404 (never 403: ids reveal nothing)."""
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or classroom.instructor_id != current_user.id:
        abort(404)
    return classroom


def owned_learner(learner_id: int) -> Learner:
    learner = db.session.get(Learner, learner_id)
    if learner is None or learner.classroom.instructor_id != current_user.id:
        abort(404)
    return learner


def owned_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    owned_learner(attempt.learner_id)
    return attempt
