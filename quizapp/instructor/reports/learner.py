"""One learner's report: every attempt and answer as readable text, and a skill profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...extensions import db
from ...models import SUBMITTED, Answer, Attempt, Learner, QuestionVersion, Quiz
from ...quiz.grading import describe_response
from .by_skill import Tally, _versions
from .scope import SKILLS, Filters, _percent, _quiz_and_range_conditions


@dataclass
class AnswerLine:
    number: int
    question_id: str
    version: int
    type: str
    skill: str | None
    prompt: str
    response: str
    correct: bool
    score: float
    max_score: float
    answered_at: datetime
    seconds_spent: float | None


@dataclass
class AttemptLines:
    attempt_id: int
    quiz_id: str
    quiz_title: str
    number: int
    state: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    max_score: float | None
    answers: list[AnswerLine]

    @property
    def percent(self) -> float | None:
        return _percent(self.score, self.max_score)


@dataclass
class LearnerReport:
    learner: Learner
    attempts: list[AttemptLines]
    skills: list[Tally]


def learner_report(learner: Learner, filters: Filters) -> LearnerReport:
    """Every attempt of one learner with every answer as readable text, and a skill profile.

    Shows all attempts, submitted or not; the skill profile counts submitted ones only.
    """
    conditions = [Attempt.learner_id == learner.id, *_quiz_and_range_conditions(filters)]
    attempts = db.session.execute(
        sa.select(Attempt, Quiz.title)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(*conditions)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    answers = list(
        db.session.scalars(sa.select(Answer).where(Answer.attempt_id.in_([attempt.id for attempt, _ in attempts])))
    )
    versions = _versions({answer.question_version_id for answer in answers})
    by_attempt: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in answers:
        by_attempt[answer.attempt_id][answer.question_id] = answer
    skills = {skill: Tally(skill, key=skill) for skill in SKILLS}
    result = []
    for attempt, title in attempts:
        lines = []
        for number, question_id in enumerate(attempt.question_order, start=1):
            answer = by_attempt[attempt.id].get(question_id)
            if answer is None:
                continue
            version = versions[answer.question_version_id]
            lines.append(_answer_line(number, answer, version))
            if attempt.state == SUBMITTED:
                skill = version.skill or "other"
                skills.setdefault(skill, Tally(skill, key=skill)).add(
                    1, int(answer.correct), answer.score, answer.max_score
                )
        result.append(
            AttemptLines(
                attempt.id,
                attempt.quiz_id,
                title,
                attempt.number,
                attempt.state,
                attempt.started_at,
                attempt.submitted_at,
                attempt.score,
                attempt.max_score,
                lines,
            )
        )
    return LearnerReport(learner, result, list(skills.values()))


def _answer_line(number: int, answer: Answer, version: QuestionVersion) -> AnswerLine:
    return AnswerLine(
        number=number,
        question_id=answer.question_id,
        version=version.version,
        type=version.type,
        skill=version.skill,
        prompt=version.prompt,
        response=describe_response(version.type, version.definition, answer.response),
        correct=answer.correct,
        score=answer.score,
        max_score=answer.max_score,
        answered_at=answer.answered_at,
        seconds_spent=answer.seconds_spent,
    )
