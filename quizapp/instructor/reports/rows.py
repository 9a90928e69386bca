"""Rows for the CSV exports, streamed in batches so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...models import Answer, Attempt, Classroom, Learner, QuestionVersion
from ...quiz.grading import describe_response
from .by_skill import _versions
from .overview import QuizStatus, _quiz_statuses
from .scope import BATCH, SKILLS, Filters, _attempt_conditions, _percent


@dataclass(frozen=True)
class AnswerRecord:
    learner_id: int
    learner_name: str
    attempt_number: int
    attempt_state: str
    quiz_id: str
    question_id: str
    version: QuestionVersion
    response: dict
    correct: bool
    score: float
    max_score: float
    started_at: datetime
    answered_at: datetime
    seconds_spent: float | None

    @property
    def response_text(self) -> str:
        return describe_response(self.version.type, self.version.definition, self.response)


def iter_answers(classroom: Classroom, filters: Filters) -> Iterator[AnswerRecord]:
    """Every answer in the class and filters, attempts of any state, streamed in batches.

    Question versions are loaded once up front (a few hundred at most); the answers are
    pulled ``BATCH`` rows at a time, so memory stays flat however many there are.
    """
    every_attempt = Filters(filters.quiz_id, filters.since, filters.until, all_attempts=True)
    version_ids = (
        sa.select(Answer.question_version_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Learner, Learner.id == Attempt.learner_id)
        .where(*_attempt_conditions(classroom.id, every_attempt, submitted_only=False))
        .distinct()
    )
    versions = _versions(db.session.scalars(version_ids))
    rows = db.session.execute(
        sa.select(
            Learner.id,
            Learner.display_name,
            Attempt.number,
            Attempt.state,
            Attempt.quiz_id,
            Attempt.started_at,
            Answer.question_id,
            Answer.question_version_id,
            Answer.response,
            Answer.correct,
            Answer.score,
            Answer.max_score,
            Answer.answered_at,
            Answer.seconds_spent,
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Learner, Learner.id == Attempt.learner_id)
        .where(*_attempt_conditions(classroom.id, every_attempt, submitted_only=False))
        .order_by(Learner.display_name, Learner.id, Attempt.quiz_id, Attempt.number, Answer.id)
        .execution_options(yield_per=BATCH)
    )
    for row in rows:
        yield AnswerRecord(
            learner_id=row[0],
            learner_name=row[1],
            attempt_number=row[2],
            attempt_state=row[3],
            quiz_id=row[4],
            started_at=row[5],
            question_id=row[6],
            version=versions[row[7]],
            response=row[8],
            correct=row[9],
            score=row[10],
            max_score=row[11],
            answered_at=row[12],
            seconds_spent=row[13],
        )


@dataclass
class LearnerSummary:
    learner_id: int
    name: str
    joined_at: datetime
    best: dict[str, float | None]  # quiz id -> best percent over submitted attempts
    skills: dict[str, float | None]  # skill -> percent of points over submitted attempts


def iter_learner_summaries(classroom: Classroom, quiz_ids: list[str], filters: Filters) -> Iterator[LearnerSummary]:
    """One summary per learner: best score per quiz and share of points per skill.

    Learners are taken ``BATCH`` at a time (by name, then id); both aggregates are grouped
    in SQL for just that batch, so memory stays flat however large the class.
    """
    every_attempt = Filters(filters.quiz_id, filters.since, filters.until, all_attempts=True)
    after: tuple[str, int] | None = None
    while True:
        query = (
            sa.select(Learner.id, Learner.display_name, Learner.created_at)
            .where(Learner.classroom_id == classroom.id)
            .order_by(Learner.display_name, Learner.id)
            .limit(BATCH)
        )
        if after is not None:
            query = query.where(sa.tuple_(Learner.display_name, Learner.id) > sa.tuple_(*after))
        learners = db.session.execute(query).all()
        if not learners:
            return
        learner_ids = [learner_id for learner_id, _, _ in learners]
        statuses = _quiz_statuses(classroom.id, every_attempt, learner_ids)
        skill_totals = _skill_totals(classroom.id, every_attempt, learner_ids)
        for learner_id, name, joined_at in learners:
            yield LearnerSummary(
                learner_id,
                name,
                joined_at,
                {quiz_id: _best(statuses.get((learner_id, quiz_id))) for quiz_id in quiz_ids},
                {skill: skill_totals.get((learner_id, skill)) for skill in SKILLS},
            )
        after = (learners[-1][1], learners[-1][0])


def _skill_totals(classroom_id: int, filters: Filters, learner_ids: list[int]) -> dict[tuple[int, str], float | None]:
    """Percent of points per (learner, skill) over these learners' submitted attempts."""
    return {
        (learner_id, skill or "other"): _percent(score, max_score)
        for learner_id, skill, score, max_score in db.session.execute(
            sa.select(
                Attempt.learner_id,
                QuestionVersion.skill,
                sa.func.sum(Answer.score),
                sa.func.sum(Answer.max_score),
            )
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .join(Learner, Learner.id == Attempt.learner_id)
            .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
            .where(*_attempt_conditions(classroom_id, filters), Attempt.learner_id.in_(learner_ids))
            .group_by(Attempt.learner_id, QuestionVersion.skill)
        )
    }


def _best(status: QuizStatus | None) -> float | None:
    return status.best if status else None
