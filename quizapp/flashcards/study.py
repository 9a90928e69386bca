"""Studying flashcards: what to show next, recording and undoing ratings, progress, export.

Plain functions over the database session; the time is always passed in, so a day boundary
or a card falling due can be replayed exactly. Scheduling itself is ``scheduling.rate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import fsrs
import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError

from ..classes import visible_quizzes
from ..extensions import db
from ..models import Card, CardState, Learner, Passage, Quiz, QuizPassage, ReviewLog
from .scheduling import (
    AGAIN,
    LEARNING,
    RATING_LABELS,
    RELEARNING,
    REVIEW,
    Schedule,
    format_interval,
    is_mature,
    learner_date,
    learner_day_bounds,
    learner_zone,
    new_cards_left,
    next_intervals,
    rate,
    review_calendar,
    true_retention,
)

# With nothing else to study, a card in its 1- or 10-minute learning step is shown this much
# early rather than sending the learner away (Anki's "learn ahead limit" does the same).
LEARN_AHEAD = timedelta(minutes=20)
# Only a recent rating can be undone: pressing U at the start of tomorrow's session must not
# quietly take back the last card of today's.
UNDO_WINDOW = timedelta(hours=1)
# A card left open longer than this was not being thought about; cap the logged duration.
MAX_DURATION = timedelta(minutes=30)

ALL, QUIZ, PASSAGE = "all", "quiz", "passage"


class RatingRefused(Exception):
    """Why a rating or undo was not recorded, in words for the learner. Nothing was changed."""


class StaleRating(RatingRefused):
    """The rating came from a page showing the card in a state it is no longer in."""


class NotVisible(LookupError):
    """The quiz, passage or card is not one the learner's class may study."""


@dataclass(frozen=True)
class Scope:
    """Which cards a session draws from: everything, one quiz's cards, or one passage's."""

    kind: str  # ALL, QUIZ or PASSAGE
    id: str | None
    title: str


@dataclass
class StudyQueue:
    """The cards a scheduled session may show now, and what waits for later."""

    due: list[tuple[Card, CardState]]  # due now, earliest first
    new: list[Card]  # never rated and within today's new-card limit, in course order
    new_left_today: int  # how many more new cards the learner may start today
    new_waiting: int  # new cards in the scope held back by the daily limit
    next_due: datetime | None  # when the next card of the scope falls due, if none is due now

    def next_card(self, preferred: str | None = None) -> tuple[Card, CardState | None] | None:
        """The card to show: the preferred one if it may be studied now, else the first."""
        candidates = [*self.due, *((card, None) for card in self.new)]
        for card, state in candidates:
            if card.id == preferred:
                return card, state
        return candidates[0] if candidates else None

    @property
    def size(self) -> int:
        return len(self.due) + len(self.new)


# --- scopes and cards ------------------------------------------------------------------------


def visible_quiz_list(learner: Learner) -> list[Quiz]:
    return visible_quizzes(learner.classroom)


def scope_for(learner: Learner, kind: str, ident: str | None) -> Scope:
    """The scope named in a URL, checked against what the learner's class may see."""
    if kind == ALL:
        return Scope(ALL, None, "All your flashcards")
    if kind == QUIZ:
        quiz = next((quiz for quiz in visible_quiz_list(learner) if quiz.id == ident), None)
        if quiz is None:
            raise NotVisible(ident)
        return Scope(QUIZ, quiz.id, quiz.title)
    if kind == PASSAGE:
        passage = db.session.get(Passage, ident) if ident else None
        if passage is None or not passage.active:
            raise NotVisible(ident)
        return Scope(PASSAGE, passage.id, passage.title)
    raise NotVisible(kind)


def scope_cards(learner: Learner, scope: Scope) -> list[Card]:
    """The active cards in the scope, from quizzes the learner's class sees, in course order.

    A passage's cards are those of quizzes read against it whose evidence lies in it (or
    that point at no sentence at all), so a paired quiz lends each passage only its own.
    """
    quizzes = visible_quiz_list(learner)
    if scope.kind == QUIZ:
        quizzes = [quiz for quiz in quizzes if quiz.id == scope.id]
    elif scope.kind == PASSAGE:
        linked = set(db.session.scalars(sa.select(QuizPassage.quiz_id).where(QuizPassage.passage_id == scope.id)))
        quizzes = [quiz for quiz in quizzes if quiz.id in linked]
    order = {quiz.id: position for position, quiz in enumerate(quizzes)}
    cards = db.session.scalars(sa.select(Card).where(Card.active, Card.quiz_id.in_(order)))
    if scope.kind == PASSAGE:
        cards = (card for card in cards if _card_in_passage(card, scope.id))
    return sorted(cards, key=lambda card: (order[card.quiz_id], card.position, card.id))


def _card_in_passage(card: Card, passage_id: str) -> bool:
    locations = card.evidence_locations or []
    return not locations or any(location.get("passage") == passage_id for location in locations)


def visible_passages(learner: Learner) -> list[Passage]:
    """The active passages read by the quizzes the learner's class sees, in reading order."""
    quiz_ids = [quiz.id for quiz in visible_quiz_list(learner)]
    read_by_visible_quizzes = sa.select(QuizPassage.passage_id).where(QuizPassage.quiz_id.in_(quiz_ids))
    query = (
        sa.select(Passage)
        .where(Passage.active, Passage.id.in_(read_by_visible_quizzes))
        .order_by(Passage.position, Passage.id)
    )
    return list(db.session.scalars(query))


def visible_card(learner: Learner, card_id: str) -> Card:
    """A card the learner may study, or NotVisible."""
    card = db.session.get(Card, card_id)
    if card is None or not card.active or card.quiz_id not in {quiz.id for quiz in visible_quiz_list(learner)}:
        raise NotVisible(card_id)
    return card


def _states(learner: Learner, card_ids: Iterable[str] | None = None) -> dict[str, CardState]:
    query = sa.select(CardState).where(CardState.learner_id == learner.id)
    if card_ids is not None:
        query = query.where(CardState.card_id.in_(list(card_ids)))
    return {state.card_id: state for state in db.session.scalars(query)}


def schedule_of(state: CardState | None) -> Schedule | None:
    if state is None:
        return None
    return Schedule(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def introduced_today(learner: Learner, now: datetime) -> int:
    """New cards the learner started on their local calendar day, across every session."""
    start, end = learner_day_bounds(now, learner.timezone)
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            CardState.learner_id == learner.id,
            CardState.introduced_at >= start,
            CardState.introduced_at < end,
        )
    )


def study_queue(learner: Learner, scope: Scope, now: datetime, new_per_day: int) -> StudyQueue:
    cards = scope_cards(learner, scope)
    states = _states(learner, (card.id for card in cards))
    due = sorted(
        ((card, states[card.id]) for card in cards if card.id in states and states[card.id].due <= now),
        key=lambda pair: (pair[1].due, pair[0].id),
    )
    unseen = [card for card in cards if card.id not in states]
    left = new_cards_left(introduced_today(learner, now), new_per_day)
    new = unseen[:left]
    if not due and not new:
        # Learn ahead: a card in a short learning step comes back now rather than in a minute.
        due = sorted(
            (
                (card, states[card.id])
                for card in cards
                if card.id in states
                and states[card.id].state in (LEARNING, RELEARNING)
                and states[card.id].due <= now + LEARN_AHEAD
            ),
            key=lambda pair: (pair[1].due, pair[0].id),
        )
    later = [state.due for state in states.values() if state.due > now]
    return StudyQueue(
        due=due,
        new=new,
        new_left_today=left,
        new_waiting=len(unseen) - len(new),
        next_due=min(later) if later else None,
    )


# --- one card on screen ----------------------------------------------------------------------


def showing_token(state: CardState | None) -> str:
    """What the page showing a card says about its state, so a second rating can be refused.

    Every rating sets last_review, so a page from before a rating carries an older token.
    """
    if state is None or state.last_review is None:
        return "new"
    return str(round(state.last_review.timestamp() * 1_000_000))


@dataclass
class RatingButton:
    rating: int
    label: str
    interval: str  # "10 min", "3 days"


def rating_buttons(state: CardState | None, now: datetime, scheduler: fsrs.Scheduler) -> list[RatingButton]:
    intervals = next_intervals(schedule_of(state), now, scheduler)
    return [RatingButton(rating, RATING_LABELS[rating], format_interval(intervals[rating])) for rating in RATING_LABELS]


def evidence_links(card: Card) -> list[dict]:
    """Where in the passages the card's evidence sits: passage id and sentence numbers."""
    links = []
    for location in card.evidence_locations or []:
        sentences = sorted({int(number) for number in location.get("sentences") or []})
        passage = db.session.get(Passage, location.get("passage"))
        if passage is not None and sentences:
            links.append({"passage": passage, "sentences": sentences})
    return links


# --- rating and undo -------------------------------------------------------------------------


def record_rating(
    learner: Learner,
    card_id: str,
    rating: int,
    token: str,
    now: datetime,
    scheduler: fsrs.Scheduler,
    new_per_day: int,
    duration: timedelta | None = None,
) -> ReviewLog:
    """Rate a card: store its new schedule and log the rating with the schedule before it.

    Raises StaleRating when the page's token no longer matches the card (a double click,
    a second tab, or a card already undone and rated again), and RatingRefused for a new
    card beyond today's limit. Commits.
    """
    if rating not in RATING_LABELS:
        raise RatingRefused("Choose Again, Hard, Good or Easy to rate the card.")
    card = visible_card(learner, card_id)
    # Locked, so a double click waits for the first rating and then sees its token change.
    state = db.session.get(CardState, (learner.id, card.id), with_for_update=True, populate_existing=True)
    if token != showing_token(state):
        raise StaleRating(
            "That card had already been rated (perhaps the button was pressed twice, or in "
            "another tab), so this rating was not counted again."
        )
    if state is None and new_cards_left(introduced_today(learner, now), new_per_day) == 0:
        raise RatingRefused(f"You have started all {new_per_day} new cards for today. More come tomorrow.")
    before = schedule_of(state)
    after = rate(before, rating, now, scheduler)
    if state is None:
        state = CardState(learner_id=learner.id, card_id=card.id, introduced_at=now)
        db.session.add(state)
    _store(state, after)
    log = ReviewLog(
        learner_id=learner.id,
        card_id=card.id,
        rating=rating,
        reviewed_at=now,
        duration_ms=_duration_ms(duration),
        **_columns("before", before),
        **_columns("after", after),
    )
    db.session.add(log)
    try:
        db.session.commit()
    except IntegrityError:  # two first ratings of a new card raced; the other one counted
        db.session.rollback()
        raise StaleRating("That card had already been rated, so this rating was not counted again.") from None
    return log


def _store(state: CardState, schedule: Schedule) -> None:
    state.state = schedule.state
    state.step = schedule.step
    state.stability = schedule.stability
    state.difficulty = schedule.difficulty
    state.due = schedule.due
    state.last_review = schedule.last_review


def _columns(prefix: str, schedule: Schedule | None) -> dict:
    names = ["state", "step", "stability", "difficulty", "due"] + (["last_review"] if prefix == "before" else [])
    return {f"{prefix}_{name}": getattr(schedule, name) if schedule else None for name in names}


def _duration_ms(duration: timedelta | None) -> int | None:
    if duration is None:
        return None
    return round(min(max(duration, timedelta(0)), MAX_DURATION).total_seconds() * 1000)


def last_undoable(learner: Learner, now: datetime) -> ReviewLog | None:
    """The learner's latest rating, if it is recent enough to undo."""
    log = db.session.scalar(
        sa.select(ReviewLog).where(ReviewLog.learner_id == learner.id).order_by(ReviewLog.id.desc()).limit(1)
    )
    if log is None or now - log.reviewed_at > UNDO_WINDOW:
        return None
    return log


def undo_rating(learner: Learner, log_id: int, now: datetime) -> str:
    """Take back the learner's latest rating, restoring the card's exact schedule before it.

    A card that was new before the rating becomes new again (its state is deleted, so it
    counts against today's new cards no more). The log row goes too: the rating never
    happened. ``log_id`` is the rating the page offered to undo, so a double-pressed Undo
    does not take back two. Returns the card id. Commits.
    """
    log = last_undoable(learner, now)
    if log is None or log.id != log_id:
        raise RatingRefused("There is no recent rating to undo; it may have been undone already.")
    state = db.session.get(CardState, (learner.id, log.card_id), with_for_update=True, populate_existing=True)
    if state is None or state.due != log.after_due or state.state != log.after_state:
        raise RatingRefused("That card has changed since; the rating cannot be undone.")
    if log.before_state is None:
        db.session.delete(state)
    else:
        _store(
            state,
            Schedule(
                state=log.before_state,
                step=log.before_step,
                stability=log.before_stability,
                difficulty=log.before_difficulty,
                due=log.before_due,
                last_review=log.before_last_review,
            ),
        )
    card_id = log.card_id
    db.session.delete(log)
    db.session.commit()
    return card_id


# --- practice (cram) -------------------------------------------------------------------------


def practice_queue(text: str | None, card_count: int) -> list[int]:
    """The practice round left to go, from the URL: card positions; all cards when absent."""
    if text is None:
        return list(range(card_count))
    positions = []
    for part in text.split(",")[: 4 * card_count + 1]:
        if part.isdigit() and int(part) < card_count:
            positions.append(int(part))
    return positions


def practice_after(queue: list[int], rating: int) -> list[int]:
    """The round after rating its first card: Again puts the card back at the end."""
    if not queue:
        return []
    return queue[1:] + ([queue[0]] if rating == AGAIN else [])


# --- progress --------------------------------------------------------------------------------


@dataclass
class ScopeCounts:
    cards: int = 0
    due: int = 0  # due by the end of the learner's day
    new: int = 0
    learned: int = 0  # in the review state


@dataclass
class Progress:
    counts: ScopeCounts
    by_quiz: list[tuple[Quiz, ScopeCounts]]
    new_left_today: int
    calendar: list[tuple[date, int]]
    reviews_30_days: int
    retention_review: float | None  # share of review-state cards recalled (not Again), 30 days
    retention_review_count: int
    retention_mature: float | None  # the same for mature cards (interval of 21 days or more)
    retention_mature_count: int
    next_due: datetime | None
    today: date  # on the learner's calendar


def progress(learner: Learner, now: datetime, new_per_day: int, days: int = 30) -> Progress:
    cards = scope_cards(learner, Scope(ALL, None, ""))
    states = _states(learner)
    _, day_end = learner_day_bounds(now, learner.timezone)
    per_quiz: dict[str, ScopeCounts] = {}
    total = ScopeCounts()
    for card in cards:
        state = states.get(card.id)
        for counts in (total, per_quiz.setdefault(card.quiz_id, ScopeCounts())):
            counts.cards += 1
            if state is None:
                counts.new += 1
            else:
                counts.due += state.due < day_end
                counts.learned += state.state == REVIEW
    today = learner_date(now, learner.timezone)
    window_start = learner_day_bounds(now - timedelta(days=days - 1), learner.timezone)[0]
    logs = list(
        db.session.scalars(
            sa.select(ReviewLog).where(ReviewLog.learner_id == learner.id, ReviewLog.reviewed_at >= window_start)
        )
    )
    review_logs = [log for log in logs if log.before_state == REVIEW]
    mature_pairs = [(is_mature(_before(log)), log.rating) for log in review_logs]
    visible_ids = {card.id for card in cards}
    upcoming = [state.due for state in states.values() if state.card_id in visible_ids and state.due > now]
    quizzes = visible_quiz_list(learner)
    return Progress(
        counts=total,
        by_quiz=[(quiz, per_quiz[quiz.id]) for quiz in quizzes if quiz.id in per_quiz],
        new_left_today=min(new_cards_left(introduced_today(learner, now), new_per_day), total.new),
        calendar=review_calendar((log.reviewed_at for log in logs), today, learner.timezone, days),
        reviews_30_days=len(logs),
        retention_review=true_retention((True, log.rating) for log in review_logs),
        retention_review_count=len(review_logs),
        retention_mature=true_retention(mature_pairs),
        retention_mature_count=sum(mature for mature, _ in mature_pairs),
        next_due=min(upcoming) if upcoming else None,
        today=today,
    )


def _before(log: ReviewLog) -> Schedule | None:
    if log.before_state is None:
        return None
    return Schedule(
        log.before_state,
        log.before_step,
        log.before_stability,
        log.before_difficulty,
        log.before_due,
        log.before_last_review,
    )


# --- words for the learner -------------------------------------------------------------------


def describe_moment(moment: datetime, now: datetime, tz_name: str | None) -> str:
    """When something happens, on the learner's clock: "today at 14:05 (in 25 min)"."""
    zone = learner_zone(tz_name)
    local = moment.astimezone(zone)
    day_gap = (local.date() - now.astimezone(zone).date()).days
    clock = local.strftime("%H:%M")
    if day_gap <= 0:
        when = f"today at {clock}"
    elif day_gap == 1:
        when = f"tomorrow at {clock}"
    else:
        when = f"on {local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"
    wait = format_interval(max(moment - now, timedelta(0)))
    return f"{when} ({'now' if wait == '< 1 min' else 'in ' + wait})"


def calendar_svg(calendar: list[tuple[date, int]], chart_id: str = "review-chart") -> Markup:
    """The review calendar as bars, one per day, for sighted readers; the page's table has the
    same numbers for everyone else. Presentation attributes only: the CSP forbids inline style.
    """
    width, height, left, bottom, top = 480, 150, 28, 22, 16
    plot_width, plot_height = width - left - 4, height - top - bottom
    largest = max((count for _, count in calendar), default=0)
    slot = plot_width / max(len(calendar), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart calendar-chart"'
        f' role="img" viewBox="0 0 {width} {height}" width="100%"'
        f' aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">Reviews per day over the last {len(calendar)} days: '
        f"{sum(count for _, count in calendar)} in all, at most {largest} on one day</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="currentColor"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="currentColor">{largest}</text>',
    ]
    for position, (day, count) in enumerate(calendar):
        bar = plot_height * count / largest if largest else 0
        x = left + position * slot
        label = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
        parts.append(
            f'<rect class="chart-bar" x="{x + 1:.1f}" y="{height - bottom - bar:.1f}" '
            f'width="{slot - 2:.1f}" height="{bar:.1f}" fill="#2b6cb0">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        if (len(calendar) - 1 - position) % 7 == 0:  # a label a week, counted back from today
            last = position == len(calendar) - 1
            tick, anchor, tick_x = ("today", "end", x + slot) if last else (label[4:], "middle", x + slot / 2)
            parts.append(
                f'<text x="{tick_x:.1f}" y="{height - 6}" text-anchor="{anchor}"'
                f' font-size="11" fill="currentColor">{escape(tick)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - the only text is escaped dates and numbers


# --- export ----------------------------------------------------------------------------------


def anki_cards(cards: Iterable[Card]) -> list[dict]:
    """Cards as ``anki.anki_text_export`` takes them, tagged by quiz, passage and kind."""
    rows = []
    for card in cards:
        passages = sorted(
            {location.get("passage") for location in card.evidence_locations or [] if location.get("passage")}
        )
        rows.append(
            {
                "id": card.id,
                "front": card.front,
                "back": card.back,
                "evidence": list(card.evidence or []),
                "tags": ["quizapp", card.quiz_id, *passages, card.kind],
            }
        )
    return rows


def quiz_cards(quiz: Quiz) -> list[Card]:
    """Every active card of one quiz, in file order (for the instructor's export)."""
    return list(
        db.session.scalars(sa.select(Card).where(Card.quiz_id == quiz.id, Card.active).order_by(Card.position, Card.id))
    )
