"""Scheduling flashcards: FSRS replayed exactly, undo, labels, and the learner's own day."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizapp.flashcards.scheduling import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    RELEARNING,
    REVIEW,
    Schedule,
    format_interval,
    is_mature,
    learner_day_bounds,
    make_scheduler,
    new_cards_left,
    next_intervals,
    rate,
    review_calendar,
    true_retention,
)
from tests.flashcards.reference import reference_scheduler, utc

LOS_ANGELES = "America/Los_Angeles"
TOKYO = "Asia/Tokyo"


def review_card_with(due_in_days: int, reviewed: datetime) -> Schedule:
    return Schedule(
        state=REVIEW,
        step=None,
        stability=float(due_in_days),
        difficulty=5.0,
        due=reviewed + timedelta(days=due_in_days),
        last_review=reviewed,
    )


# Each step is (rating, when): a delay after the previous rating, or "due" for the moment
# the card falls due. The first rating is at 23:55 UTC, so the second crosses midnight.
START = utc(2024, 3, 9, 23, 55)
SEQUENCES = {
    "good, good, again on a review card, hard, easy, good": [
        (GOOD, timedelta(0)),
        (GOOD, timedelta(minutes=10)),
        (AGAIN, "due"),
        (HARD, timedelta(minutes=10)),
        (EASY, "due"),
        (GOOD, "due"),
    ],
    "again and hard while learning, then late reviews": [
        (AGAIN, timedelta(0)),
        (HARD, timedelta(minutes=1)),
        (GOOD, timedelta(minutes=6)),
        (GOOD, timedelta(minutes=10)),
        (GOOD, timedelta(days=5)),
        (HARD, timedelta(days=30)),
    ],
    "easy on a new card, then reviews on time": [
        (EASY, timedelta(0)),
        (GOOD, "due"),
        (AGAIN, "due"),
        (GOOD, timedelta(minutes=10)),
        (EASY, "due"),
    ],
}


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_rating_replays_exactly_what_fsrs_itself_schedules(steps):
    scheduler = make_scheduler(fuzz=False)
    reference = reference_scheduler()
    schedule: Schedule | None = None
    card = fsrs.Card(card_id=1, due=START)
    now = START

    for rating, when in steps:
        now = card.due if when == "due" else now + when
        schedule = rate(schedule, rating, now, scheduler)
        card, _ = reference.review_card(card, fsrs.Rating(rating), review_datetime=now)

        assert schedule == Schedule(
            state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )


def test_the_first_sequence_goes_through_every_state():
    scheduler = make_scheduler(fuzz=False)
    schedule = None
    now = START
    states = []
    for rating, when in SEQUENCES["good, good, again on a review card, hard, easy, good"]:
        now = schedule.due if when == "due" else now + when
        schedule = rate(schedule, rating, now, scheduler)
        states.append(schedule.state)

    assert states == [LEARNING, REVIEW, RELEARNING, RELEARNING, REVIEW, REVIEW]


def test_learning_steps_are_one_and_ten_minutes():
    scheduler = make_scheduler(fuzz=False)

    assert rate(None, AGAIN, START, scheduler).due == START + timedelta(minutes=1)
    assert rate(None, GOOD, START, scheduler).due == START + timedelta(minutes=10)
    assert scheduler.desired_retention == 0.9
    assert scheduler.parameters == fsrs.Scheduler().parameters


def test_the_app_fuzzes_and_tests_do_not():
    assert make_scheduler(fuzz=True).enable_fuzzing
    assert not make_scheduler(fuzz=False).enable_fuzzing


def test_fuzz_spreads_long_intervals():
    scheduler = make_scheduler(fuzz=True)
    schedule = review_card_with(due_in_days=30, reviewed=START)
    dues = {rate(schedule, GOOD, schedule.due, scheduler).due for _ in range(50)}

    assert len(dues) > 1


def test_undo_restores_the_schedule_from_the_review_log_and_rating_again_repeats_exactly():
    scheduler = make_scheduler(fuzz=False)
    learning = rate(None, GOOD, START, scheduler)
    learned = rate(learning, GOOD, START + timedelta(minutes=10), scheduler)
    mistaken_at = learned.due

    # The learner taps Again by mistake; the app logs the schedule before and after.
    mistaken = rate(learned, AGAIN, mistaken_at, scheduler)
    log = {f"before_{name}": value for name, value in asdict(learned).items()}
    log |= {f"after_{name}": value for name, value in asdict(mistaken).items()}

    restored = Schedule(**{name: log[f"before_{name}"] for name in asdict(learned)})
    assert restored == learned
    assert restored.state == REVIEW

    # Re-rating the restored schedule is the same as if the mistake never happened.
    redone = rate(restored, GOOD, mistaken_at, scheduler)
    assert redone == rate(learned, GOOD, mistaken_at, scheduler)
    assert rate(restored, AGAIN, mistaken_at, scheduler) == mistaken


def test_undoing_the_first_rating_makes_the_card_new_again():
    scheduler = make_scheduler(fuzz=False)
    before = None  # the ReviewLog's before columns are all empty for a new card

    first = rate(before, HARD, START, scheduler)

    assert rate(before, HARD, START, scheduler) == first
    assert rate(before, EASY, START, scheduler).state == REVIEW


def test_schedule_mirrors_the_card_state_columns():
    from quizapp.models.flashcards import CardState, ReviewLog

    names = {field.name for field in fields(Schedule)}
    assert names <= set(CardState.__table__.columns.keys())
    assert {f"before_{name}" for name in names} <= set(ReviewLog.__table__.columns.keys())


def test_naive_datetimes_are_refused():
    naive = datetime(2024, 3, 10, 12, 0)
    scheduler = make_scheduler(fuzz=False)

    with pytest.raises(ValueError, match="due"):
        Schedule(state=REVIEW, step=None, stability=3.0, difficulty=5.0, due=naive)
    with pytest.raises(ValueError, match="last_review"):
        Schedule(REVIEW, None, 3.0, 5.0, due=START, last_review=naive)
    with pytest.raises(ValueError, match="now"):
        rate(None, GOOD, naive, scheduler)
    with pytest.raises(ValueError, match="now"):
        learner_day_bounds(naive, TOKYO)


def test_aware_datetimes_in_other_zones_are_accepted_and_kept_in_utc():
    tokyo_evening = datetime(2024, 3, 10, 21, 0, tzinfo=ZoneInfo(TOKYO))

    schedule = rate(None, GOOD, tokyo_evening, make_scheduler(fuzz=False))

    assert schedule.last_review == utc(2024, 3, 10, 12, 0)
    assert schedule.due.tzinfo is UTC


def test_unknown_states_and_ratings_are_refused():
    with pytest.raises(ValueError):
        Schedule(state=0, step=None, stability=None, difficulty=None, due=START)
    with pytest.raises(ValueError):
        rate(None, 5, START, make_scheduler(fuzz=False))


def test_button_labels_for_a_new_card():
    intervals = next_intervals(None, START, make_scheduler(fuzz=False))

    assert list(intervals) == [AGAIN, HARD, GOOD, EASY]
    assert intervals[AGAIN] == timedelta(minutes=1)
    assert intervals[HARD] == timedelta(minutes=5, seconds=30)  # halfway between the two steps
    assert intervals[GOOD] == timedelta(minutes=10)
    assert intervals[EASY] >= timedelta(days=1)
    labels = [format_interval(interval) for interval in intervals.values()]
    assert labels[:3] == ["1 min", "6 min", "10 min"]


def test_button_labels_say_what_each_rating_would_schedule():
    scheduler = make_scheduler(fuzz=False)
    schedule = review_card_with(due_in_days=12, reviewed=START)
    now = schedule.due

    intervals = next_intervals(schedule, now, scheduler)

    for rating, interval in intervals.items():
        assert rate(schedule, rating, now, scheduler).due == now + interval
    assert intervals[AGAIN] < intervals[HARD] < intervals[GOOD] < intervals[EASY]


def test_button_labels_stay_put_when_the_app_fuzzes():
    fuzzing = make_scheduler(fuzz=True)
    schedule = review_card_with(due_in_days=40, reviewed=START)
    now = schedule.due
    steady = next_intervals(schedule, now, make_scheduler(fuzz=False))

    assert all(next_intervals(schedule, now, fuzzing) == steady for _ in range(20))
    assert fuzzing.enable_fuzzing  # the app's scheduler is left as it was

    good_label = steady[GOOD]
    for _ in range(20):
        actual = rate(schedule, GOOD, now, fuzzing).due - now
        assert abs(actual - good_label) <= good_label * 0.15 + timedelta(days=1)


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=20), "< 1 min"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=5, seconds=30), "6 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(minutes=59, seconds=50), "1 h"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3), "3 days"),
        (timedelta(days=29), "29 days"),
        (timedelta(days=30), "1 mo"),
        (timedelta(days=45), "1.5 mo"),
        (timedelta(days=60), "2 mo"),
        (timedelta(days=365), "1 yr"),
        (timedelta(days=438), "1.2 yr"),
    ],
)
def test_intervals_read_short_and_plain(interval, label):
    assert format_interval(interval) == label


def test_a_negative_interval_is_a_mistake():
    with pytest.raises(ValueError):
        format_interval(timedelta(minutes=-1))


@pytest.mark.parametrize(
    ("now", "tz_name", "start", "end"),
    [
        # Midnight UTC is mid-afternoon of the previous day in Los Angeles (UTC-8 in winter).
        (utc(2024, 1, 15, 0, 0), LOS_ANGELES, utc(2024, 1, 14, 8, 0), utc(2024, 1, 15, 8, 0)),
        (utc(2024, 1, 15, 7, 59), LOS_ANGELES, utc(2024, 1, 14, 8, 0), utc(2024, 1, 15, 8, 0)),
        (utc(2024, 1, 15, 8, 0), LOS_ANGELES, utc(2024, 1, 15, 8, 0), utc(2024, 1, 16, 8, 0)),
        # In Tokyo (UTC+9) the new day began nine hours before midnight UTC.
        (utc(2024, 1, 14, 23, 30), TOKYO, utc(2024, 1, 14, 15, 0), utc(2024, 1, 15, 15, 0)),
        (utc(2024, 1, 14, 14, 59), TOKYO, utc(2024, 1, 13, 15, 0), utc(2024, 1, 14, 15, 0)),
        (utc(2024, 1, 15, 0, 0), TOKYO, utc(2024, 1, 14, 15, 0), utc(2024, 1, 15, 15, 0)),
        # The day the clocks spring forward in Los Angeles has 23 hours.
        (utc(2024, 3, 10, 12, 0), LOS_ANGELES, utc(2024, 3, 10, 8, 0), utc(2024, 3, 11, 7, 0)),
        # An unknown zone counts days in UTC.
        (
            utc(2024, 1, 15, 0, 0),
            "Mars/Olympus_Mons",
            utc(2024, 1, 15, 0, 0),
            utc(2024, 1, 16, 0, 0),
        ),
        (utc(2024, 1, 15, 23, 59), "", utc(2024, 1, 15, 0, 0), utc(2024, 1, 16, 0, 0)),
    ],
)
def test_the_learners_day_follows_their_clock(now, tz_name, start, end):
    assert learner_day_bounds(now, tz_name) == (start, end)


def test_the_daily_new_card_limit_resets_at_the_learners_midnight_not_utcs():
    limit = 10
    # A learner in Los Angeles starts eight new cards on a winter evening, 20:00-23:30 local,
    # which is already the next morning in UTC.
    introduced_at = [utc(2024, 1, 15, 4, 0) + timedelta(minutes=30 * n) for n in range(8)]

    def left_at(now: datetime) -> int:
        start, end = learner_day_bounds(now, LOS_ANGELES)
        introduced_today = sum(start <= moment < end for moment in introduced_at)
        return new_cards_left(introduced_today, limit)

    assert left_at(utc(2024, 1, 15, 7, 45)) == 2  # 23:45 in Los Angeles
    assert left_at(utc(2024, 1, 15, 8, 0)) == 10  # midnight in Los Angeles, same UTC date


def test_new_cards_left_never_goes_below_zero():
    assert new_cards_left(0, 20) == 20
    assert new_cards_left(19, 20) == 1
    assert new_cards_left(20, 20) == 0
    assert new_cards_left(25, 20) == 0
    assert new_cards_left(0, 0) == 0
    with pytest.raises(ValueError):
        new_cards_left(-1, 20)


def test_a_card_is_mature_once_its_interval_reaches_21_days():
    assert is_mature(review_card_with(due_in_days=21, reviewed=START))
    assert is_mature(review_card_with(due_in_days=200, reviewed=START))
    assert not is_mature(review_card_with(due_in_days=20, reviewed=START))
    assert not is_mature(None)
    relearning = Schedule(
        state=RELEARNING,
        step=0,
        stability=30.0,
        difficulty=5.0,
        due=START + timedelta(days=30),
        last_review=START,
    )
    assert not is_mature(relearning)


def test_true_retention_counts_only_mature_cards_and_only_again_as_forgotten():
    reviews = [
        (True, GOOD),
        (True, AGAIN),
        (True, HARD),
        (True, EASY),
        (False, AGAIN),
        (False, AGAIN),
    ]

    assert true_retention(reviews) == 0.75
    assert true_retention(iter(reviews)) == 0.75
    assert true_retention([(False, GOOD)]) is None
    assert true_retention([]) is None


def test_review_calendar_counts_reviews_on_the_learners_dates():
    reviews = [
        utc(2024, 1, 15, 3, 0),  # 19:00 on 14 January in Los Angeles
        utc(2024, 1, 15, 9, 0),  # 01:00 on 15 January
        utc(2024, 1, 15, 20, 0),  # 12:00 on 15 January
        utc(2024, 1, 1, 12, 0),  # long before the window
    ]

    calendar = review_calendar(reviews, date(2024, 1, 15), LOS_ANGELES, days=3)

    assert calendar == [(date(2024, 1, 13), 0), (date(2024, 1, 14), 1), (date(2024, 1, 15), 2)]


def test_review_calendar_defaults_to_thirty_days_ending_today():
    calendar = review_calendar([], date(2024, 3, 31), TOKYO)

    assert len(calendar) == 30
    assert calendar[0] == (date(2024, 3, 2), 0)
    assert calendar[-1] == (date(2024, 3, 31), 0)
