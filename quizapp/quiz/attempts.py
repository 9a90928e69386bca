"""Attempts as server-side state: start, answer, submit. No answer is lost or stored twice."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import IN_PROGRESS, SUBMITTED, Answer, Attempt, Learner, Question, QuestionVersion, Quiz, utcnow
from .grading import grade

MAX_SECONDS_PER_QUESTION = 3600  # longer means the page was left open, not read


class AttemptRefused(Exception):
    """Why an attempt action was not carried out, in words for the learner. Nothing was changed."""


class StalePage(AttemptRefused):
    """The page was out of date: the question was answered elsewhere after it was shown."""


@dataclass
class AttemptQuestion:
    number: int  # 1-based position in this attempt
    question: Question
    version: QuestionVersion  # the version answered, or the current one if unanswered
    answer: Answer | None


def attempts_used(learner: Learner, quiz: Quiz) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Attempt.learner_id == learner.id, Attempt.quiz_id == quiz.id)
    )


def attempts_left(learner: Learner, quiz: Quiz) -> int | None:
    """None means unlimited."""
    if not quiz.attempts_allowed:
        return None
    return max(0, quiz.attempts_allowed - attempts_used(learner, quiz))


def open_attempt(learner: Learner, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt).where(
            Attempt.learner_id == learner.id, Attempt.quiz_id == quiz.id, Attempt.state == IN_PROGRESS
        )
    )


def start_or_resume(learner: Learner, quiz: Quiz) -> Attempt:
    """Return the learner's open attempt, or start a new one if the attempt limit allows."""
    attempt = open_attempt(learner, quiz)
    if attempt is not None:
        return attempt
    used = attempts_used(learner, quiz)
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise AttemptRefused(
            f"You have used all {quiz.attempts_allowed} attempt{'s' if quiz.attempts_allowed != 1 else ''} "
            "at this quiz. Your results are kept below."
        )
    order = [question.id for question in quiz.questions if question.active]
    if not order:
        raise AttemptRefused("This quiz has no questions yet.")
    if quiz.shuffle:
        random.shuffle(order)
    attempt = Attempt(learner_id=learner.id, quiz_id=quiz.id, number=used + 1, question_order=order)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # a double-clicked Start: the other request created it
        db.session.rollback()
        attempt = open_attempt(learner, quiz)
        if attempt is None:
            raise
    return attempt


def attempt_questions(attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's questions in its order, each with the version that applies and its answer."""
    order = attempt.question_order
    questions = {q.id: q for q in db.session.scalars(sa.select(Question).where(Question.id.in_(order)))}
    answers = {a.question_id: a for a in db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id))}
    versions = list(db.session.scalars(sa.select(QuestionVersion).where(QuestionVersion.question_id.in_(order))))
    by_id = {version.id: version for version in versions}
    current_by_question = {
        version.question_id: version
        for version in versions
        if version.version == questions[version.question_id].current_version
    }
    result = []
    for number, question_id in enumerate(attempt.question_order, start=1):
        answer = answers.get(question_id)
        version = by_id[answer.question_version_id] if answer else current_by_question[question_id]
        result.append(AttemptQuestion(number, questions[question_id], version, answer))
    return result


def _seconds_between(shown_at: float | None, now: datetime) -> float | None:
    if shown_at is None:
        return None
    seconds = now.timestamp() - shown_at
    return round(min(max(seconds, 0.0), MAX_SECONDS_PER_QUESTION), 1)


def record_answer(
    attempt: Attempt,
    item: AttemptQuestion,
    response: dict,
    idempotency_key: str,
    seen_answer_id: int | None,
    shown_at: float | None,
    feedback_mode: str,
) -> Answer:
    """Save one answer the moment it is given.

    A retry with the same idempotency key returns the stored answer and stores
    nothing; an answer from a page that did not see the latest answer is refused
    as stale; after submitting, nothing more is accepted.
    """
    _lock(attempt)
    replay = db.session.scalar(sa.select(Answer).where(Answer.idempotency_key == idempotency_key))
    if replay is not None:
        if replay.attempt_id != attempt.id:
            raise AttemptRefused("That answer belongs to a different attempt; nothing was saved.")
        return replay
    if attempt.state != IN_PROGRESS:
        raise AttemptRefused("This attempt was already submitted, so it takes no more answers. Your answers are kept.")
    existing = item.answer
    if existing is not None:
        if feedback_mode == "immediate":
            raise StalePage(
                "You had already answered this question (perhaps in another tab); your first answer stands."
            )
        if existing.id != seen_answer_id:
            raise StalePage(
                "This page was out of date: the question was answered again in another tab or window. "
                "The latest answer is shown; change it here if you want to."
            )
    elif seen_answer_id is not None:
        raise StalePage("This page was out of date; the question is shown as it is now.")
    version = item.version  # the answered version if there is an answer, else the current one
    result = grade(version.type, version.definition, version.points, response)
    now = utcnow()
    if existing is None:
        answer = Answer(attempt_id=attempt.id, question_id=item.question.id)
        db.session.add(answer)
    else:
        answer = existing
    answer.question_version_id = version.id
    answer.idempotency_key = idempotency_key
    answer.response = response
    answer.score = result.score
    answer.max_score = result.max_score
    answer.correct = result.correct
    answer.answered_at = now
    spent = _seconds_between(shown_at, now)
    answer.seconds_spent = (existing.seconds_spent or 0) + (spent or 0) if existing else spent
    try:
        db.session.commit()
    except IntegrityError:
        # Two requests raced on the same question: the first one won; report it as a replay.
        db.session.rollback()
        stored = db.session.scalar(
            sa.select(Answer).where(Answer.attempt_id == attempt.id, Answer.question_id == item.question.id)
        )
        if stored is None:
            raise
        return stored
    return answer


def _lock(attempt: Attempt) -> None:
    """Lock the attempt row, so an answer and a submit never interleave.

    SQLite needs nothing more: its write transactions begin with BEGIN IMMEDIATE and so
    already run one at a time. Elsewhere the row is re-read FOR UPDATE.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.refresh(attempt, with_for_update=True)


def submit(attempt: Attempt) -> None:
    """Close the attempt and fix its score from the answer rows; a second submit is refused."""
    _lock(attempt)
    items = attempt_questions(attempt)
    score = sum(item.answer.score for item in items if item.answer)
    max_score = sum(item.version.points for item in items)
    updated = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == IN_PROGRESS)
        .values(state=SUBMITTED, submitted_at=utcnow(), score=score, max_score=max_score)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(attempt)
    if updated.rowcount != 1:
        raise AttemptRefused("This attempt was already submitted; it was not submitted twice.")


def skill_breakdown(items: list[AttemptQuestion]) -> list[tuple[str, float, float]]:
    """(skill, score, max) per skill, in a stable order."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in items:
        skill = item.version.skill or "other"
        totals[skill][0] += item.answer.score if item.answer else 0.0
        totals[skill][1] += item.version.points
    return [(skill, score, maximum) for skill, (score, maximum) in sorted(totals.items())]
