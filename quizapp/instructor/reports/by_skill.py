"""Perspectives on a class's answers: by skill, by passage, and who learners mistake for whom."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from ...extensions import db
from ...models import Answer, Classroom, Passage, Question, QuestionVersion, QuizPassage
from .. import statistics
from .item_analysis import _choice_counts
from .scope import SKILLS, Counted, Filters, _percent, _responses, _selected_attempts


@dataclass
class Tally:
    label: str
    answers: int = 0
    correct: int = 0
    score: float = 0.0
    max_score: float = 0.0
    key: str = ""

    @property
    def percent(self) -> float | None:
        return _percent(self.score, self.max_score)

    @property
    def correct_percent(self) -> float | None:
        return _percent(self.correct, self.answers)

    def add(self, answers: int, correct: int, score: float, max_score: float) -> None:
        self.answers += answers
        self.correct += correct
        self.score += score
        self.max_score += max_score


@dataclass
class Confusion:
    question_id: str
    version: int
    prompt: str
    kind: str  # "match" or "single"
    table: statistics.ConfusionTable
    answers: int


@dataclass
class Perspectives:
    skills: list[Tally]
    passages: list[Tally]
    confusions: list[Confusion] = field(default_factory=list)


def perspectives(classroom: Classroom, filters: Filters) -> Perspectives:
    """Results by skill and by passage, and who learners mistake for whom."""
    selected = _selected_attempts(classroom.id, filters)
    per_version = db.session.execute(
        sa.select(
            Answer.question_version_id,
            sa.func.count(),
            sa.func.sum(sa.case((Answer.correct, 1), else_=0)),
            sa.func.sum(Answer.score),
            sa.func.sum(Answer.max_score),
        )
        .where(Answer.attempt_id.in_(selected))
        .group_by(Answer.question_version_id)
    ).all()
    versions = _versions([row[0] for row in per_version])
    quiz_of = dict(
        db.session.execute(
            sa.select(Question.id, Question.quiz_id).where(Question.id.in_({v.question_id for v in versions.values()}))
        ).all()
    )
    quiz_passages: dict[str, list[str]] = defaultdict(list)
    for quiz_id, passage_id in db.session.execute(
        sa.select(QuizPassage.quiz_id, QuizPassage.passage_id).order_by(QuizPassage.position)
    ):
        quiz_passages[quiz_id].append(passage_id)
    passages = db.session.execute(sa.select(Passage.id, Passage.title).order_by(Passage.position)).all()

    skills = {skill: Tally(skill, key=skill) for skill in SKILLS}
    by_passage = {passage_id: Tally(title, key=passage_id) for passage_id, title in passages}
    for version_id, answers, correct, score, max_score in per_version:
        version = versions[version_id]
        skill = version.skill or "other"
        skills.setdefault(skill, Tally(skill, key=skill)).add(answers, correct, score, max_score)
        located = [place["passage"] for place in version.evidence_locations or [] if "passage" in place]
        for passage_id in dict.fromkeys(located or quiz_passages.get(quiz_of.get(version.question_id), [])):
            if passage_id in by_passage:
                by_passage[passage_id].add(answers, correct, score, max_score)

    confusable = [
        v for v in versions.values() if v.type == "match" or (v.type == "single" and v.skill == "attribution")
    ]
    return Perspectives(
        skills=list(skills.values()),
        passages=[tally for tally in by_passage.values() if tally.answers],
        confusions=_confusions(confusable, selected),
    )


def _versions(version_ids: Iterable[int]) -> dict[int, QuestionVersion]:
    return {
        version.id: version
        for version in db.session.scalars(sa.select(QuestionVersion).where(QuestionVersion.id.in_(list(version_ids))))
    }


def _confusions(confusable: list[QuestionVersion], selected) -> list[Confusion]:
    if not confusable:
        return []
    responses = _responses(selected, [v.id for v in confusable])
    positions = dict(
        db.session.execute(
            sa.select(Question.id, Question.position).where(Question.id.in_({v.question_id for v in confusable}))
        ).all()
    )
    confusions = []
    for version in sorted(confusable, key=lambda v: (positions.get(v.question_id, 0), v.question_id, v.version)):
        given = responses.get(version.id, [])
        if version.type == "match":
            table = _confusion_table(given, version.definition)
        else:
            table = _choice_confusion(given, version.definition)
        confusions.append(
            Confusion(
                version.question_id,
                version.version,
                version.prompt,
                version.type,
                table,
                sum(count for _, count in given),
            )
        )
    return confusions


def _confusion_table(given: list[Counted], definition: dict) -> statistics.ConfusionTable:
    """``statistics.confusion_table`` over counted responses: each one's cells, times its count."""
    table = statistics.confusion_table([], definition)
    for response, count in given:
        for true_right, row in statistics.confusion_table([response], definition).counts.items():
            for option, cell in row.items():
                table.counts[true_right][option] += cell * count
    return table


def _choice_confusion(given: list[Counted], definition: dict) -> statistics.ConfusionTable:
    """A one-row confusion table for a single-choice attribution question: whom learners named."""
    counts = _choice_counts(given, definition.get("choices", []))
    options = [count.text for count in counts]
    true_rights = [count.text for count in counts if count.correct]
    return statistics.ConfusionTable(
        true_rights=true_rights,
        options=options,
        counts={right: {count.text: count.count for count in counts} for right in true_rights},
    )
