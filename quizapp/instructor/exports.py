"""The three CSV exports (answers, learners, items): one function each, for page and CLI alike.

Each ``*_table`` returns a header and a lazy iterator of rows; ``export_csv`` turns one into
streamed CSV text through ``csv_export.stream_csv``, which neutralises every cell. The
columns are documented in docs/exports.md; change both together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..extensions import db
from ..models import Classroom, Quiz, utcnow
from . import reports
from .csv_export import stream_csv
from .reports import Filters

EXPORTS = ("answers", "learners", "items")

ANSWER_COLUMNS = [
    "learner_id",
    "learner",
    "class",
    "quiz",
    "attempt",
    "attempt_state",
    "question",
    "version",
    "type",
    "skill",
    "response",
    "correct",
    "score",
    "max_score",
    "started_at",
    "answered_at",
    "seconds_spent",
]

ITEM_COLUMNS = [
    "quiz",
    "quiz_title",
    "position",
    "question",
    "row",
    "version",
    "type",
    "skill",
    "prompt",
    "attempts",
    "answered",
    "facility",
    "discrimination_index",
    "discriminative_efficiency",
    "needs_checking",
    "median_seconds",
    "choice_counts",
    "quiz_attempts",
    "quiz_mean_percent",
    "quiz_median_percent",
    "cronbach_alpha",
    "too_few_attempts",
]


@dataclass
class Export:
    filename: str
    chunks: Iterator[str]


def export_csv(kind: str, classroom: Classroom, filters: Filters, bom: bool = False) -> Export:
    """A named export of a class as streamed CSV text, with a file name that says what it holds."""
    tables = {"answers": answers_table, "learners": learners_table, "items": items_table}
    if kind not in tables:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(EXPORTS)}")
    header, rows = tables[kind](classroom, filters)
    parts = [f"class-{classroom.id}", kind]
    if filters.quiz_id:
        parts.append(filters.quiz_id)
    parts.append(utcnow().strftime("%Y%m%d"))
    return Export("-".join(parts) + ".csv", stream_csv(header, rows, bom=bom))


def _number(value: float | None, places: int = 4) -> float | None:
    """Rounded, so a spreadsheet shows 66.6667 rather than 66.66666666666667."""
    return None if value is None else round(value, places)


def answers_table(classroom: Classroom, filters: Filters) -> tuple[list[str], Iterator[list]]:
    """One row per answer, in attempts of any state."""

    def rows():
        for record in reports.iter_answers(classroom, filters):
            yield [
                record.learner_id,
                record.learner_name,
                classroom.name,
                record.quiz_id,
                record.attempt_number,
                record.attempt_state,
                record.question_id,
                record.version.version,
                record.version.type,
                record.version.skill,
                record.response_text,
                record.correct,
                _number(record.score),
                _number(record.max_score),
                record.started_at,
                record.answered_at,
                record.seconds_spent,
            ]

    return ANSWER_COLUMNS, rows()


def learners_table(classroom: Classroom, filters: Filters) -> tuple[list[str], Iterator[list]]:
    """One row per learner: best score per quiz, share of points per skill."""
    quizzes = [quiz for quiz in reports.class_quizzes(classroom) if not filters.quiz_id or quiz.id == filters.quiz_id]
    quiz_ids = [quiz.id for quiz in quizzes]
    header = ["learner_id", "learner", "class", "joined_at"]
    header += [f"best:{quiz_id}" for quiz_id in quiz_ids]
    header += [f"skill:{skill}" for skill in reports.SKILLS]

    def rows():
        for summary in reports.iter_learner_summaries(classroom, quiz_ids, filters):
            yield [
                summary.learner_id,
                summary.name,
                classroom.name,
                summary.joined_at,
                *(_number(summary.best[quiz_id], 2) for quiz_id in quiz_ids),
                *(_number(summary.skills[skill], 2) for skill in reports.SKILLS),
            ]

    return header, rows()


def items_table(classroom: Classroom, filters: Filters) -> tuple[list[str], Iterator[list]]:
    """The item analysis: a row per question, then a row per version when several were answered."""
    if filters.quiz_id:
        quizzes = [db.session.get(Quiz, filters.quiz_id)]
    else:
        quizzes = reports.class_quizzes(classroom)

    def rows():
        for quiz in quizzes:
            report = reports.quiz_report(classroom, quiz, filters)
            summary = report.summary
            quiz_cells = [
                summary.attempts,
                _number(report.mean_percent, 2),
                _number(report.median_percent, 2),
                _number(summary.cronbach_alpha),
                summary.too_few_attempts,
            ]
            for item in report.items:
                only = item.versions[0] if len(item.versions) == 1 else None
                yield [
                    quiz.id,
                    quiz.title,
                    item.position,
                    item.question_id,
                    "question",
                    item.version_label,
                    item.type,
                    item.skill,
                    item.prompt,
                    *_stat_cells(item.stats),
                    _number(item.median_seconds, 1),
                    _choice_cells(only.choices) if only else "",
                    *quiz_cells,
                ]
                if len(item.versions) < 2:
                    continue
                for version in item.versions:
                    yield [
                        quiz.id,
                        quiz.title,
                        item.position,
                        item.question_id,
                        "version",
                        f"v{version.version}",
                        item.type,
                        item.skill,
                        version.prompt,
                        *_stat_cells(version.stats),
                        _number(version.median_seconds, 1),
                        _choice_cells(version.choices),
                        *quiz_cells,
                    ]

    return ITEM_COLUMNS, rows()


def _stat_cells(stats) -> list:
    return [
        stats.n,
        stats.answered,
        _number(stats.facility, 2),
        _number(stats.discrimination_index, 2),
        _number(stats.discriminative_efficiency, 2),
        stats.needs_checking,
    ]


def _choice_cells(choices) -> str:
    """Counts per choice in one cell: "10 of 24 (correct): 3; Half of them: 1"."""
    if not choices:
        return ""
    return "; ".join(f"{choice.text}{' (correct)' if choice.correct else ''}: {choice.count}" for choice in choices)
