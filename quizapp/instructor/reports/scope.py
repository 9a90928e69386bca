"""Which attempts and answers a report covers: the filters, and the queries that apply them."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ...classes import visible_quizzes
from ...extensions import db
from ...models import SUBMITTED, Answer, Attempt, Classroom, Learner, Quiz

SKILLS = ("fact", "attribution", "perspective", "evidence", "inference", "vocabulary")
# Rows fetched from the database at a time when streaming answers.
BATCH = 1000


class FilterInvalid(ValueError):
    """A filter the instructor typed cannot be used; the message says why."""


@dataclass(frozen=True)
class Filters:
    """Which attempts a report covers: a quiz, a date range, first attempts or all."""

    quiz_id: str | None = None
    since: date | None = None  # first UTC day included
    until: date | None = None  # last UTC day included
    all_attempts: bool = False  # False: each learner's first attempt at each quiz

    @property
    def start(self) -> datetime | None:
        return datetime.combine(self.since, time(0), tzinfo=UTC) if self.since else None

    @property
    def end(self) -> datetime | None:
        """The first moment after the range (midnight UTC after ``until``)."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time(0), tzinfo=UTC)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        args = {}
        if self.quiz_id:
            args["quiz"] = self.quiz_id
        if self.since:
            args["since"] = self.since.isoformat()
        if self.until:
            args["until"] = self.until.isoformat()
        if self.all_attempts:
            args["attempts"] = "all"
        return args


def parse_filters(
    quiz: str | None = None,
    since: str | None = None,
    until: str | None = None,
    attempts: str | None = None,
) -> Filters:
    """Filters from text (a query string or command-line options), or FilterInvalid."""
    quiz = (quiz or "").strip() or None
    if quiz is not None and db.session.get(Quiz, quiz) is None:
        raise FilterInvalid(f"No quiz has the id “{quiz[:80]}”. Pick one from the list.")
    first_day, last_day = _date(since, "From"), _date(until, "To")
    if first_day and last_day and first_day > last_day:
        raise FilterInvalid("The “from” date is after the “to” date; swap them or clear one.")
    attempts = (attempts or "first").strip().lower()
    if attempts not in ("first", "all"):
        raise FilterInvalid("Attempts must be “first” or “all”.")
    return Filters(quiz, first_day, last_day, attempts == "all")


def _date(text: str | None, label: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterInvalid(
            f"{label} date “{text[:40]}” is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01."
        ) from None


# --- which attempts and answers a report covers -------------------------------------------


def _attempt_conditions(classroom_id: int, filters: Filters, submitted_only: bool = True) -> list:
    """WHERE conditions on Attempt (joined to Learner) for a class and its filters.

    An attempt belongs to the range when it started in it; its answers come with it, so
    item analysis always sees whole attempts.
    """
    conditions = [Learner.classroom_id == classroom_id]
    if submitted_only:
        conditions.append(Attempt.state == SUBMITTED)
    if not filters.all_attempts:
        # Attempts are taken one after another, so number 1 is always the first.
        conditions.append(Attempt.number == 1)
    return conditions + _quiz_and_range_conditions(filters)


def _quiz_and_range_conditions(filters: Filters) -> list:
    """WHERE conditions on Attempt for the filters' quiz and date range."""
    conditions = []
    if filters.quiz_id:
        conditions.append(Attempt.quiz_id == filters.quiz_id)
    if filters.start:
        conditions.append(Attempt.started_at >= filters.start)
    if filters.end:
        conditions.append(Attempt.started_at < filters.end)
    return conditions


def _selected_attempts(classroom_id: int, filters: Filters, submitted_only: bool = True):
    return (
        sa.select(Attempt.id)
        .join(Learner, Learner.id == Attempt.learner_id)
        .where(*_attempt_conditions(classroom_id, filters, submitted_only))
    )


def _percent(part: float | None, whole: float | None) -> float | None:
    return 100 * part / whole if part is not None and whole else None


def class_quizzes(classroom: Classroom) -> list[Quiz]:
    """The quizzes the class sees, then any others its learners have attempts at."""
    quizzes = visible_quizzes(classroom)
    seen = {quiz.id for quiz in quizzes}
    # EXISTS per quiz stops at the first attempt found; a DISTINCT over the class's
    # attempts would read every one of them.
    attempted = db.session.scalars(
        sa.select(Quiz)
        .where(
            sa.exists()
            .where(Attempt.quiz_id == Quiz.id)
            .where(Attempt.learner_id == Learner.id, Learner.classroom_id == classroom.id)
        )
        .order_by(Quiz.position)
    )
    return quizzes + [quiz for quiz in attempted if quiz.id not in seen]


# A response as given, and how many times it was given.
Counted = tuple[dict | None, int]


def _responses(selected, version_ids: list[int]) -> dict[int, list[Counted]]:
    """Each distinct response to these question versions in the selected attempts, with its count.

    Learners give few distinct responses to a choice or match question, so they are
    counted in SQL; each is decoded and tallied once, however many learners gave it.
    """
    if not version_ids:
        return {}
    text = sa.cast(Answer.response, sa.Text)
    given: dict[int, list[Counted]] = defaultdict(list)
    for version_id, response, count in db.session.execute(
        sa.select(Answer.question_version_id, text, sa.func.count())
        .where(Answer.attempt_id.in_(selected), Answer.question_version_id.in_(version_ids))
        .group_by(Answer.question_version_id, text)
    ):
        given[version_id].append((json.loads(response) if response is not None else None, count))
    return given
