"""The class overview (quizzes, weekly activity, flashcards) and the learners' progress table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean, median

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ...extensions import db
from ...flashcards.scheduling import AGAIN, MATURE_INTERVAL, REVIEW
from ...models import SUBMITTED, Answer, Attempt, Card, CardState, Classroom, Learner, Quiz, ReviewLog, utcnow
from ..charts import score_bins
from .scope import Filters, _attempt_conditions, class_quizzes

WEEKS_OF_ACTIVITY = 8
LEARNERS_PER_PAGE = 100


# --- class overview ---------------------------------------------------------------------


@dataclass
class QuizSummary:
    quiz_id: str
    title: str
    started: int  # learners with an attempt (any state) in the range
    finished: int  # learners with a submitted attempt in the range
    scored: int  # attempts behind the mean, median and distribution
    mean: float | None  # percent
    median: float | None  # percent
    bins: list[tuple[str, int]]


@dataclass
class Flashcards:
    reviews: int
    learners_reviewing: int
    cards_learned: int  # (learner, card) pairs now in the review state
    mature_reviews: int
    true_retention: float | None  # percent


@dataclass
class Overview:
    learners: int
    quizzes: list[QuizSummary]
    weeks: list[tuple[str, int]]  # (week label, answers given)
    flashcards: Flashcards


def class_overview(
    classroom: Classroom,
    filters: Filters,
    today: date | None = None,
    all_quizzes: list[Quiz] | None = None,
) -> Overview:
    """The overview's figures; ``all_quizzes`` is ``class_quizzes(classroom)`` if the caller has it."""
    learners = db.session.scalar(
        sa.select(sa.func.count()).select_from(Learner).where(Learner.classroom_id == classroom.id)
    )
    if all_quizzes is None:
        all_quizzes = class_quizzes(classroom)
    quizzes = [q for q in all_quizzes if not filters.quiz_id or q.id == filters.quiz_id]
    return Overview(
        learners=learners,
        quizzes=_quiz_summaries(classroom.id, quizzes, filters),
        weeks=answers_per_week(classroom.id, filters, today),
        flashcards=flashcard_summary(classroom.id, filters),
    )


def _quiz_summaries(classroom_id: int, quizzes: list[Quiz], filters: Filters) -> list[QuizSummary]:
    every_attempt = Filters(filters.quiz_id, filters.since, filters.until, all_attempts=True)
    progress = {
        quiz_id: (started, finished)
        for quiz_id, started, finished in db.session.execute(
            sa.select(
                Attempt.quiz_id,
                sa.func.count(sa.distinct(Attempt.learner_id)),
                sa.func.count(sa.distinct(sa.case((Attempt.state == SUBMITTED, Attempt.learner_id)))),
            )
            .join(Learner, Learner.id == Attempt.learner_id)
            .where(*_attempt_conditions(classroom_id, every_attempt, submitted_only=False))
            .group_by(Attempt.quiz_id)
        )
    }
    scores: dict[str, list[float]] = defaultdict(list)
    for quiz_id, score, max_score in db.session.execute(
        sa.select(Attempt.quiz_id, Attempt.score, Attempt.max_score)
        .join(Learner, Learner.id == Attempt.learner_id)
        .where(*_attempt_conditions(classroom_id, filters), Attempt.max_score > 0)
    ):
        scores[quiz_id].append(score / max_score)
    summaries = []
    for quiz in quizzes:
        fractions = scores.get(quiz.id, [])
        started, finished = progress.get(quiz.id, (0, 0))
        summaries.append(
            QuizSummary(
                quiz_id=quiz.id,
                title=quiz.title,
                started=started,
                finished=finished,
                scored=len(fractions),
                mean=100 * fmean(fractions) if fractions else None,
                median=100 * median(fractions) if fractions else None,
                bins=score_bins(fractions),
            )
        )
    return summaries


def answers_per_week(classroom_id: int, filters: Filters, today: date | None = None) -> list[tuple[str, int]]:
    """Answers given in each of the last weeks (ending with ``until``, or today), oldest first.

    Counted in one query: a CASE names each answer's week, so no database-specific date
    functions, and the weeks are tried oldest first, stopping at the first that fits.
    """
    last_day = filters.until or today or utcnow().date()
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=UTC)
    starts = [end - timedelta(weeks=weeks_back) for weeks_back in range(WEEKS_OF_ACTIVITY, 0, -1)]
    week = sa.case(
        *((Answer.answered_at < start, index - 1) for index, start in enumerate(starts[1:], start=1)),
        else_=len(starts) - 1,
    ).label("week")
    answers = (
        sa.select(week)
        .select_from(Learner)
        .join(Attempt, Attempt.learner_id == Learner.id)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(
            Learner.classroom_id == classroom_id,
            Answer.answered_at >= starts[0],
            Answer.answered_at < end,
        )
    )
    if filters.quiz_id:
        answers = answers.where(Attempt.quiz_id == filters.quiz_id)
    # Grouped outside, so the CASE and its parameters appear once (PostgreSQL insists).
    weeks = answers.subquery()
    query = sa.select(weeks.c.week, sa.func.count()).group_by(weeks.c.week)
    counts = dict(db.session.execute(query).all())
    return [(f"{start:%d %b}", counts.get(index, 0)) for index, start in enumerate(starts)]


def flashcard_summary(classroom_id: int, filters: Filters) -> Flashcards:
    """Reviews in the range, cards now in review, and true retention on mature cards.

    Counted in SQL, so the cost does not grow with reviews pulled into Python.
    """
    in_class = sa.select(Learner.id).where(Learner.classroom_id == classroom_id)
    conditions = [ReviewLog.learner_id.in_(in_class)]
    if filters.start:
        conditions.append(ReviewLog.reviewed_at >= filters.start)
    if filters.end:
        conditions.append(ReviewLog.reviewed_at < filters.end)
    if filters.quiz_id:
        conditions.append(ReviewLog.card_id.in_(sa.select(Card.id).where(Card.quiz_id == filters.quiz_id)))
    learned_query = (
        sa.select(sa.func.count())
        .select_from(CardState)
        .where(CardState.learner_id.in_(in_class), CardState.state == REVIEW)
    )
    if filters.quiz_id:
        learned_query = learned_query.where(
            CardState.card_id.in_(sa.select(Card.id).where(Card.quiz_id == filters.quiz_id))
        )
    # Anki's rule, as flashcards.scheduling.is_mature states it, counted in SQL: a card in
    # the review state whose interval (due minus last review) was at least 21 days.
    mature = sa.and_(
        ReviewLog.before_state == REVIEW,
        ReviewLog.before_last_review.is_not(None),
        ReviewLog.before_due.is_not(None),
        IntervalIsMature(ReviewLog.before_due, ReviewLog.before_last_review),
    )
    reviews, reviewers, mature_reviews, remembered = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.distinct(ReviewLog.learner_id)),
            sa.func.coalesce(sa.func.sum(sa.case((mature, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((sa.and_(mature, ReviewLog.rating != AGAIN), 1), else_=0)), 0),
        ).where(*conditions)
    ).one()
    return Flashcards(
        reviews=reviews,
        learners_reviewing=reviewers,
        cards_learned=db.session.scalar(learned_query),
        mature_reviews=mature_reviews,
        # The share of mature reviews not rated Again, as flashcards.scheduling.true_retention.
        true_retention=100 * remembered / mature_reviews if mature_reviews else None,
    )


class IntervalIsMature(FunctionElement):
    """``due - last_review >= MATURE_INTERVAL`` for two UTC datetime columns, exact on any database."""

    type = sa.Boolean()
    name = "interval_is_mature"
    inherit_cache = True


@compiles(IntervalIsMature)
def _interval_is_mature(element, compiler, **kw):
    due, last_review = element.clauses.clauses
    interval = sa.bindparam("mature_interval", MATURE_INTERVAL, type_=sa.Interval())
    return compiler.process((due - last_review) >= interval, **kw)


@compiles(IntervalIsMature, "sqlite")
def _interval_is_mature_sqlite(element, compiler, **kw):
    # SQLite stores these as "YYYY-MM-DD HH:MM:SS.ffffff", which sorts as time does. Moving
    # the last review on by whole seconds and putting its microseconds back keeps it exact,
    # where julianday() arithmetic would round an interval of exactly 21 days either way.
    due, last_review = (compiler.process(clause, **kw) for clause in element.clauses.clauses)
    seconds = int(MATURE_INTERVAL.total_seconds())
    return f"({due} >= strftime('%Y-%m-%d %H:%M:%S', {last_review}, '+{seconds} seconds') || substr({last_review}, 20))"


# --- learners' progress -----------------------------------------------------------------


@dataclass
class QuizStatus:
    attempts: int = 0
    finished: bool = False
    best: float | None = None  # percent, over submitted attempts


@dataclass
class LearnerProgress:
    learner_id: int
    name: str
    statuses: dict[str, QuizStatus]


def learner_progress(
    classroom: Classroom, quizzes: list[Quiz], filters: Filters, page: int = 1
) -> tuple[list[LearnerProgress], int]:
    """One page of learners (by name) with their status at each quiz, and the page count."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Learner).where(Learner.classroom_id == classroom.id)
    )
    pages = max(1, -(-total // LEARNERS_PER_PAGE))
    page = min(max(page, 1), pages)
    learners = db.session.execute(
        sa.select(Learner.id, Learner.display_name)
        .where(Learner.classroom_id == classroom.id)
        .order_by(Learner.display_name, Learner.id)
        .limit(LEARNERS_PER_PAGE)
        .offset((page - 1) * LEARNERS_PER_PAGE)
    ).all()
    every_attempt = Filters(filters.quiz_id, filters.since, filters.until, all_attempts=True)
    statuses = _quiz_statuses(classroom.id, every_attempt, [row.id for row in learners])
    quiz_ids = [quiz.id for quiz in quizzes]
    rows = [
        LearnerProgress(
            learner_id,
            name,
            {quiz_id: statuses.get((learner_id, quiz_id), QuizStatus()) for quiz_id in quiz_ids},
        )
        for learner_id, name in learners
    ]
    return rows, pages


def _quiz_statuses(
    classroom_id: int, filters: Filters, learner_ids: list[int] | None = None
) -> dict[tuple[int, str], QuizStatus]:
    submitted = Attempt.state == SUBMITTED
    query = (
        sa.select(
            Attempt.learner_id,
            Attempt.quiz_id,
            sa.func.count(),
            sa.func.max(sa.case((submitted, 1), else_=0)),
            sa.func.max(sa.case((sa.and_(submitted, Attempt.max_score > 0), Attempt.score / Attempt.max_score))),
        )
        .join(Learner, Learner.id == Attempt.learner_id)
        .where(*_attempt_conditions(classroom_id, filters, submitted_only=False))
        .group_by(Attempt.learner_id, Attempt.quiz_id)
    )
    if learner_ids is not None:
        query = query.where(Attempt.learner_id.in_(learner_ids))
    return {
        (learner_id, quiz_id): QuizStatus(count, bool(finished), 100 * best if best is not None else None)
        for learner_id, quiz_id, count, finished, best in db.session.execute(query)
    }
