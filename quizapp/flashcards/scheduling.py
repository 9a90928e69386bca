"""When a flashcard is due next: FSRS scheduling over plain data, with no Flask and no database.

A learner's schedule for one card is a ``Schedule`` (the columns of ``CardState``); ``None``
stands for a card the learner has never rated. ``rate`` is a pure function, so the app can
store the schedule before a rating in the ReviewLog and undo by putting it back.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_LABELS = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

LEARNING, REVIEW, RELEARNING = 1, 2, 3  # the values of fsrs.State, as stored in CardState.state

DESIRED_RETENTION = 0.9
LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
# Spelled out rather than left to the library, so an fsrs upgrade cannot change it silently.
RELEARNING_STEPS = (timedelta(minutes=10),)

# Anki calls a card mature once its interval reaches 21 days; statistics use the same line.
MATURE_INTERVAL = timedelta(days=21)

# fsrs keys cards by an integer id it never uses for scheduling; ours are strings.
_UNUSED_CARD_ID = 0


@dataclass(frozen=True)
class Schedule:
    """One learner's FSRS state for one card, mirroring the CardState columns.

    Datetimes must be timezone-aware; they are stored converted to UTC.
    """

    state: int  # LEARNING, REVIEW or RELEARNING
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None = None

    def __post_init__(self) -> None:
        fsrs.State(self.state)  # raises ValueError for anything but 1, 2 or 3
        object.__setattr__(self, "due", _as_utc(self.due, "due"))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", _as_utc(self.last_review, "last_review"))


def _as_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")
    # fsrs insists on exactly timezone.utc (datetime.UTC), not merely a zero offset.
    return moment.astimezone(UTC)


def make_scheduler(fuzz: bool) -> fsrs.Scheduler:
    """The app's FSRS scheduler: default parameters, 90% retention, steps of 1 and 10 minutes.

    Fuzz spreads review intervals a little so cards learned together do not stay due
    together; the app turns it on, tests turn it off to get repeatable dates.
    """
    return fsrs.Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=fuzz,
    )


def to_fsrs_card(schedule: Schedule) -> fsrs.Card:
    """The schedule as the fsrs card it mirrors (the card id plays no part in scheduling)."""
    return fsrs.Card(
        card_id=_UNUSED_CARD_ID,
        state=fsrs.State(schedule.state),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=schedule.due,
        last_review=schedule.last_review,
    )


def from_fsrs_card(card: fsrs.Card) -> Schedule:
    """The schedule an fsrs card holds, ready to store in CardState."""
    return Schedule(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def rate(schedule: Schedule | None, rating: int, now: datetime, scheduler: fsrs.Scheduler) -> Schedule:
    """The schedule after rating a card at ``now`` (1 Again, 2 Hard, 3 Good, 4 Easy).

    ``schedule`` is None for a card never rated before. The result depends only on the
    arguments (and on chance, if the scheduler fuzzes), so re-rating a restored schedule
    with a fuzz-free scheduler gives the same answer.
    """
    now = _as_utc(now, "now")
    if schedule is None:
        card = fsrs.Card(card_id=_UNUSED_CARD_ID, due=now)
    else:
        card = to_fsrs_card(schedule)
    reviewed, _ = scheduler.review_card(card, fsrs.Rating(rating), review_datetime=now)
    return from_fsrs_card(reviewed)


def next_intervals(schedule: Schedule | None, now: datetime, scheduler: fsrs.Scheduler) -> dict[int, timedelta]:
    """How long until the card is due again after each rating, for the labels on the buttons.

    Computed without fuzz even when the scheduler fuzzes: fuzz is a fresh random draw on
    every call, so a fuzzed label would change on each page load and still not be the draw
    made when the button is pressed. The unfuzzed interval is the centre of the range the
    real one lands in: fuzz leaves intervals under three days alone and moves longer ones
    by a day or two, or by 5-15% once they reach weeks, so the label stays honest at the
    precision it is shown in ("3 days", "2 mo").
    """
    if scheduler.enable_fuzzing:
        scheduler = dataclasses.replace(scheduler, enable_fuzzing=False)
    now = _as_utc(now, "now")
    return {rating: rate(schedule, rating, now, scheduler).due - now for rating in RATING_LABELS}


def format_interval(interval: timedelta) -> str:
    """A short label for an interval: "1 min", "10 min", "3 h", "1 day", "2 mo", "1.2 yr"."""
    seconds = interval.total_seconds()
    if seconds < 0:
        raise ValueError(f"an interval cannot be negative, got {interval}")
    minutes = round(seconds / 60)
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"{hours} h"
    days = round(seconds / 86400)
    if days < 30:
        return "1 day" if days == 1 else f"{days} days"
    # Anki's convention: a month is 30 days and a year 365.
    if days < 365:
        return f"{_one_decimal(days / 30)} mo"
    return f"{_one_decimal(days / 365)} yr"


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def learner_zone(tz_name: str | None) -> ZoneInfo:
    """The learner's time zone; UTC when the name is missing or unknown."""
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        # A stale or mistyped setting must not lock a learner out of reviewing.
        return ZoneInfo("UTC")


def learner_date(moment: datetime, tz_name: str | None) -> date:
    """The calendar date on the learner's clock at ``moment``."""
    return _as_utc(moment, "moment").astimezone(learner_zone(tz_name)).date()


def learner_day_bounds(now: datetime, tz_name: str | None) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of the learner's local day containing ``now``, in UTC.

    A day is 23 or 25 hours long when the clocks change; a midnight skipped by a clock
    change starts the day at the first moment that exists.
    """
    zone = learner_zone(tz_name)
    today = _as_utc(now, "now").astimezone(zone).date()
    start = datetime.combine(today, time(0), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def new_cards_left(introduced_today: int, limit: int) -> int:
    """How many more never-seen cards the learner may start today."""
    if introduced_today < 0 or limit < 0:
        raise ValueError(f"counts cannot be negative: introduced {introduced_today}, limit {limit}")
    return max(limit - introduced_today, 0)


def is_mature(schedule_before: Schedule | None) -> bool:
    """Whether a card was mature when rated, judged on its schedule just before the rating.

    The rule is Anki's: a card in the review state whose scheduled interval (due minus last
    review, fuzz included) is at least 21 days. New, learning and relearning cards are not.
    """
    if schedule_before is None or schedule_before.state != REVIEW:
        return False
    if schedule_before.last_review is None:
        return False
    return schedule_before.due - schedule_before.last_review >= MATURE_INTERVAL


def true_retention(reviews: Iterable[tuple[bool, int]]) -> float | None:
    """The share of reviews of mature cards not rated Again; None when there are none.

    ``reviews`` holds (was the card mature before the rating, rating) pairs.
    """
    mature_ratings = [rating for was_mature, rating in reviews if was_mature]
    if not mature_ratings:
        return None
    return sum(rating != AGAIN for rating in mature_ratings) / len(mature_ratings)


def review_calendar(
    review_times: Iterable[datetime], today_local: date, tz_name: str | None, days: int = 30
) -> list[tuple[date, int]]:
    """Reviews per day on the learner's calendar: the ``days`` days ending today, oldest first.

    Days without reviews are listed with 0; reviews outside the window are left out.
    """
    if days < 1:
        raise ValueError(f"the calendar needs at least one day, got {days}")
    per_day = Counter(learner_date(moment, tz_name) for moment in review_times)
    first_day = today_local - timedelta(days=days - 1)
    calendar_days = (first_day + timedelta(days=offset) for offset in range(days))
    return [(day, per_day[day]) for day in calendar_days]
