"""The instructor's view of a quiz: every question with its answer, explanation and evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Question, QuestionVersion, Quiz
from .grading import correct_response_text


@dataclass
class PreviewQuestion:
    number: int
    question_id: str
    version: QuestionVersion
    right_answer: str
    choices: list[dict]


def preview_questions(quiz: Quiz) -> tuple[list[PreviewQuestion], dict[str, set[int]]]:
    """The quiz's active questions at their current versions, and every evidence sentence per passage."""
    rows = db.session.execute(
        sa.select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            sa.and_(QuestionVersion.question_id == Question.id, QuestionVersion.version == Question.current_version),
        )
        .where(Question.quiz_id == quiz.id, Question.active)
        .order_by(Question.position)
    ).all()
    highlighted: dict[str, set[int]] = defaultdict(set)
    questions = []
    for number, (question, version) in enumerate(rows, start=1):
        for location in version.evidence_locations:
            highlighted[location["passage"]].update(location["sentences"])
        questions.append(
            PreviewQuestion(
                number=number,
                question_id=question.id,
                version=version,
                right_answer=correct_response_text(version.type, version.definition),
                choices=version.definition.get("choices", []),
            )
        )
    return questions, dict(highlighted)
