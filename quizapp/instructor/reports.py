"""The figures behind the instructor's report pages, as plain data.

Each function takes a class (and filters) and returns dataclasses and numbers; the views
only render them, and the CSV exports reuse them. Totals are counted in SQL; only what
needs Python (medians, item analysis, the readable text of responses) pulls rows, and then
only the columns it needs.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean, median

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..classes import visible_quizzes
from ..extensions import db
from ..flashcards.scheduling import AGAIN, MATURE_INTERVAL, REVIEW
from ..models import (
    SUBMITTED,
    Answer,
    Attempt,
    Card,
    CardState,
    Classroom,
    Learner,
    Passage,
    Question,
    QuestionVersion,
    Quiz,
    QuizPassage,
    ReviewLog,
    utcnow,
)
from ..quiz.grading import describe_response
from . import statistics
from .charts import score_bins

SKILLS = ("fact", "attribution", "perspective", "evidence", "inference", "vocabulary")
WEEKS_OF_ACTIVITY = 8
LEARNERS_PER_PAGE = 100
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


# --- quiz report (item analysis) --------------------------------------------------------


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


def _choice_counts(given: list[Counted], choices: list[dict]) -> list[statistics.ChoiceCount]:
    """``statistics.distractor_counts`` over counted responses: each one's picks, times its count."""
    totals: Counter[int] = Counter()
    for response, count in given:
        for choice in statistics.distractor_counts([response], choices):
            totals[choice.index] += choice.count * count
    return [
        dataclasses.replace(choice, count=totals[choice.index]) for choice in statistics.distractor_counts([], choices)
    ]


def _confusion_table(given: list[Counted], definition: dict) -> statistics.ConfusionTable:
    """``statistics.confusion_table`` over counted responses: each one's cells, times its count."""
    table = statistics.confusion_table([], definition)
    for response, count in given:
        for true_right, row in statistics.confusion_table([response], definition).counts.items():
            for option, cell in row.items():
                table.counts[true_right][option] += cell * count
    return table


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


# --- perspectives: skills, passages, confusions -----------------------------------------


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


# --- one learner ------------------------------------------------------------------------


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
    conditions = [Attempt.learner_id == learner.id]
    if filters.quiz_id:
        conditions.append(Attempt.quiz_id == filters.quiz_id)
    if filters.start:
        conditions.append(Attempt.started_at >= filters.start)
    if filters.end:
        conditions.append(Attempt.started_at < filters.end)
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


# --- rows for the CSV exports -----------------------------------------------------------


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
