"""The quiz report: item analysis of one quiz for a class."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median

import sqlalchemy as sa

from ...extensions import db
from ...models import Answer, Classroom, Question, QuestionVersion, Quiz
from .. import statistics
from .scope import BATCH, Counted, Filters, _percent, _responses, _selected_attempts


@dataclass
class VersionReport:
    """One version of a question as answered in the attempts covered."""

    version: int
    version_id: int
    prompt: str
    answers: int
    median_seconds: float | None
    stats: statistics.ItemStatistics | None  # over the attempts that answered this version
    choices: list[statistics.ChoiceCount] | None  # single and multiple only


@dataclass
class ItemReport:
    position: int
    question_id: str
    type: str
    skill: str | None
    prompt: str  # of the current version
    current_version: int
    stats: statistics.ItemStatistics
    median_seconds: float | None
    versions: list[VersionReport]

    @property
    def version_label(self) -> str:
        answered = [version.version for version in self.versions]
        return ", ".join(f"v{number}" for number in answered) or f"v{self.current_version}"


@dataclass
class QuizReport:
    quiz_id: str
    title: str
    filters: Filters
    summary: statistics.QuizStatistics
    items: list[ItemReport]
    min_attempts: int = statistics.MIN_ATTEMPTS

    @property
    def mean_percent(self) -> float | None:
        return _percent(self.summary.mean, self.summary.max_total)

    @property
    def median_percent(self) -> float | None:
        return _percent(self.summary.median, self.summary.max_total)


def quiz_report(classroom: Classroom, quiz: Quiz, filters: Filters) -> QuizReport:
    """Item analysis of a quiz for a class: facility, discrimination, distractors, time.

    Marks are scaled to the points of each question's current version, so an answer to an
    older version worth other points still counts as the same share of the item.
    """
    filters = Filters(quiz.id, filters.since, filters.until, filters.all_attempts)
    questions = list(
        db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz.id).order_by(Question.position))
    )
    versions = {
        version.id: version
        for version in db.session.scalars(
            sa.select(QuestionVersion).where(QuestionVersion.question_id.in_([q.id for q in questions]))
        )
    }
    current = {(version.question_id, version.version): version for version in versions.values()}
    selected = _selected_attempts(classroom.id, filters)
    attempt_ids = list(db.session.scalars(selected))
    marks: dict[int, dict[str, float]] = {attempt_id: {} for attempt_id in attempt_ids}
    version_of: dict[int, dict[str, int]] = {attempt_id: {} for attempt_id in attempt_ids}
    seconds: dict[int, list[float]] = defaultdict(list)
    answered_versions: set[int] = set()
    points = {
        q.id: current[(q.id, q.current_version)].points for q in questions if (q.id, q.current_version) in current
    }
    # Plain Core rows: the ORM's per-row bookkeeping costs more than the loop below.
    rows = db.session.connection().execute(
        sa.select(
            Answer.attempt_id,
            Answer.question_id,
            Answer.question_version_id,
            Answer.score,
            Answer.max_score,
            Answer.seconds_spent,
        )
        .where(Answer.attempt_id.in_(selected))
        .execution_options(yield_per=BATCH)
    )
    for attempt_id, question_id, version_id, score, max_score, spent in rows:
        if question_id not in points or attempt_id not in marks:
            continue
        marks[attempt_id][question_id] = score / max_score * points[question_id] if max_score else 0.0
        version_of[attempt_id][question_id] = version_id
        answered_versions.add(version_id)
        if spent is not None:
            seconds[version_id].append(spent)
    choice_versions = [
        version.id
        for version in versions.values()
        if version.type in ("single", "multiple") and version.question_id in points
    ]
    responses = _responses(selected, choice_versions)

    shown = [
        q
        for q in questions
        if q.id in points and (q.active or any(versions[v].question_id == q.id for v in answered_versions))
    ]
    max_marks = {q.id: points[q.id] for q in shown}
    attempt_rows = [marks[attempt_id] for attempt_id in attempt_ids]
    summary = statistics.item_report(attempt_rows, max_marks)
    by_question = {item.question_id: item for item in summary.items}

    items = []
    for position, question in enumerate(shown, start=1):
        latest = current[(question.id, question.current_version)]
        mine = sorted(
            (versions[v] for v in answered_versions if versions[v].question_id == question.id),
            key=lambda version: version.version,
        )
        version_reports = [
            _version_report(
                version,
                attempt_ids,
                marks,
                version_of,
                max_marks,
                responses,
                seconds,
                len(mine) > 1,
            )
            for version in mine
        ]
        all_seconds = [s for version in mine for s in seconds.get(version.id, [])]
        items.append(
            ItemReport(
                position=position,
                question_id=question.id,
                type=latest.type,
                skill=latest.skill,
                prompt=latest.prompt,
                current_version=question.current_version,
                stats=by_question[question.id],
                median_seconds=median(all_seconds) if all_seconds else None,
                versions=version_reports,
            )
        )
    return QuizReport(quiz.id, quiz.title, filters, summary, items)


def _choice_counts(given: list[Counted], choices: list[dict]) -> list[statistics.ChoiceCount]:
    """``statistics.distractor_counts`` over counted responses: each one's picks, times its count."""
    totals: Counter[int] = Counter()
    for response, count in given:
        for choice in statistics.distractor_counts([response], choices):
            totals[choice.index] += choice.count * count
    return [
        dataclasses.replace(choice, count=totals[choice.index]) for choice in statistics.distractor_counts([], choices)
    ]


def _version_report(
    version: QuestionVersion,
    attempt_ids: list[int],
    marks: Mapping[int, dict[str, float]],
    version_of: Mapping[int, dict[str, int]],
    max_marks: dict[str, float],
    responses: Mapping[int, list[Counted]],
    seconds: Mapping[int, list[float]],
    several_versions: bool,
) -> VersionReport:
    answering = [a for a in attempt_ids if version_of[a].get(version.question_id) == version.id]
    stats = None
    if several_versions:
        # The figures over just the attempts that met this version, the rest of the quiz as it was.
        stats = statistics.question_statistics([marks[a] for a in answering], max_marks, version.question_id)
    times = seconds.get(version.id, [])
    choices = None
    if version.type in ("single", "multiple"):
        choices = _choice_counts(responses.get(version.id, []), version.definition.get("choices", []))
    return VersionReport(
        version=version.version,
        version_id=version.id,
        prompt=version.prompt,
        answers=len(answering),
        median_seconds=median(times) if times else None,
        stats=stats,
        choices=choices,
    )
