"""Studying flashcards through the service: ratings replayed against fsrs, undo, daily limits."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import fsrs
import pytest
import sqlalchemy as sa

from quizapp.classes import choose_quizzes, create_classroom, join_classroom
from quizapp.extensions import db
from quizapp.flashcards.scheduling import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    RELEARNING,
    REVIEW,
    make_scheduler,
)
from quizapp.flashcards.study import (
    ALL,
    PASSAGE,
    QUIZ,
    RatingRefused,
    StaleRating,
    anki_cards,
    last_undoable,
    practice_after,
    practice_queue,
    progress,
    record_rating,
    scope_cards,
    scope_for,
    showing_token,
    study_queue,
    undo_rating,
)
from quizapp.models import Card, CardState, Instructor, Learner, ReviewLog
from tests.flashcards.reference import reference_scheduler, utc
from tests.helpers import EVERY_TYPE_QUIZ

PROJECT_DIR = Path(__file__).resolve().parents[2]

NBC_QUIZ = "nbc-offensive-facts"


@pytest.fixture
def course(app, content_dir, write_quiz, sync, make_instructor):
    """Two quizzes with flashcards (the real NBC facts quiz and a small one), loaded."""
    shutil.copy(PROJECT_DIR / "questions" / f"{NBC_QUIZ}.yaml", content_dir / "questions")
    write_quiz(EVERY_TYPE_QUIZ, "every-type.yaml")
    sync()
    instructor_id = make_instructor()
    with app.app_context():
        yield db.session.get(Instructor, instructor_id)


def new_learner(instructor: Instructor, name: str = "Amira", timezone: str = "UTC", quizzes=None) -> Learner:
    classroom = create_classroom(instructor, f"Class of {name}")
    if quizzes is not None:
        choose_quizzes(classroom, quizzes)
    learner = join_classroom(classroom.join_code, name).learner
    learner.timezone = timezone
    db.session.commit()
    return learner


def rate_card(learner, card_id, rating, now, new_per_day=20, duration=None):
    state = db.session.get(CardState, (learner.id, card_id))
    return record_rating(
        learner,
        card_id,
        rating,
        showing_token(state),
        now,
        make_scheduler(fuzz=False),
        new_per_day,
        duration,
    )


def stored(learner, card_id) -> CardState | None:
    db.session.expire_all()
    return db.session.get(CardState, (learner.id, card_id))


def same_as_fsrs(state: CardState, card: fsrs.Card) -> bool:
    return (
        state.state == int(card.state)
        and state.step == card.step
        and state.stability == card.stability
        and state.difficulty == card.difficulty
        and state.due == card.due
        and state.last_review == card.last_review
    )


# Each step: (rating, when) with when a delay after the previous rating or "due". The first
# rating is late in the evening in UTC, so the first review falls on the next calendar day.
SEQUENCE = [
    (GOOD, timedelta(0)),
    (GOOD, timedelta(minutes=10)),
    (GOOD, "due"),
    (AGAIN, "due"),  # Again on a review card: it relearns
    (HARD, timedelta(minutes=10)),
    (EASY, "due"),
    (GOOD, timedelta(days=3)),  # reviewed early
]


def test_a_learners_ratings_give_exactly_the_schedule_fsrs_computes(course):
    learner = new_learner(course)
    card_id = "nbc-card-nagata"
    reference = reference_scheduler()
    expected = fsrs.Card(card_id=1, due=utc(2024, 3, 9, 23, 55))
    now = utc(2024, 3, 9, 23, 55)
    states = []

    for rating, when in SEQUENCE:
        now = expected.due if when == "due" else now + when
        before = stored(learner, card_id)
        before_columns = None if before is None else (before.state, before.due, before.last_review)
        log = rate_card(learner, card_id, rating, now, duration=timedelta(seconds=7))
        expected, _ = reference.review_card(expected, fsrs.Rating(rating), review_datetime=now)

        state = stored(learner, card_id)
        assert same_as_fsrs(state, expected)
        assert state.due.tzinfo is not None
        states.append(state.state)
        log = db.session.get(ReviewLog, log.id)
        assert (log.rating, log.reviewed_at, log.duration_ms) == (rating, now, 7000)
        assert (log.before_state, log.before_due, log.before_last_review) == (before_columns or (None, None, None))
        assert (log.after_state, log.after_due, log.after_stability) == (
            state.state,
            state.due,
            state.stability,
        )

    assert states == [LEARNING, REVIEW, REVIEW, RELEARNING, RELEARNING, REVIEW, REVIEW]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewLog)) == len(SEQUENCE)


def test_undo_puts_back_the_exact_schedule_and_rating_again_matches_fsrs(course):
    learner = new_learner(course)
    card_id = "nbc-card-cohen"
    start = utc(2024, 5, 1, 8)
    rate_card(learner, card_id, GOOD, start)
    rate_card(learner, card_id, GOOD, start + timedelta(minutes=10))
    learned = stored(learner, card_id)
    snapshot = (
        learned.state,
        learned.step,
        learned.stability,
        learned.difficulty,
        learned.due,
        learned.last_review,
    )
    mistake_at = learned.due

    log = rate_card(learner, card_id, AGAIN, mistake_at)  # a slip of the finger
    assert stored(learner, card_id).state == RELEARNING
    undone_card = undo_rating(learner, log.id, mistake_at + timedelta(seconds=5))

    restored = stored(learner, card_id)
    assert undone_card == card_id
    assert (
        restored.state,
        restored.step,
        restored.stability,
        restored.difficulty,
        restored.due,
        restored.last_review,
    ) == snapshot
    assert db.session.get(ReviewLog, log.id) is None

    # Rated again, the card gets what fsrs gives a card that never had the slip.
    reference = reference_scheduler()
    expected = fsrs.Card(card_id=1, due=start)
    expected, _ = reference.review_card(expected, fsrs.Rating.Good, review_datetime=start)
    expected, _ = reference.review_card(expected, fsrs.Rating.Good, review_datetime=start + timedelta(minutes=10))
    expected, _ = reference.review_card(expected, fsrs.Rating.Good, review_datetime=mistake_at + timedelta(seconds=9))
    rate_card(learner, card_id, GOOD, mistake_at + timedelta(seconds=9))
    assert same_as_fsrs(stored(learner, card_id), expected)


def test_undoing_the_first_rating_makes_the_card_new_again_and_gives_back_a_new_card_slot(course):
    learner = new_learner(course)
    now = utc(2024, 5, 1, 8)
    log = rate_card(learner, "nbc-card-sinwar", EASY, now, new_per_day=1)
    with pytest.raises(RatingRefused, match="new cards for today"):
        rate_card(learner, "nbc-card-deif", GOOD, now, new_per_day=1)

    undo_rating(learner, log.id, now + timedelta(seconds=3))

    assert stored(learner, "nbc-card-sinwar") is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewLog)) == 0
    rate_card(learner, "nbc-card-deif", GOOD, now + timedelta(seconds=4), new_per_day=1)


def test_undo_takes_back_one_rating_per_press_and_only_a_recent_one(course):
    learner = new_learner(course)
    now = utc(2024, 5, 1, 8)
    first = rate_card(learner, "nbc-card-sinwar", GOOD, now)
    second = rate_card(learner, "nbc-card-deif", GOOD, now + timedelta(seconds=20))

    with pytest.raises(RatingRefused):
        undo_rating(learner, first.id, now + timedelta(seconds=30))  # not the latest
    undo_rating(learner, second.id, now + timedelta(seconds=30))
    with pytest.raises(RatingRefused):
        undo_rating(learner, second.id, now + timedelta(seconds=31))  # pressed twice

    assert stored(learner, "nbc-card-sinwar") is not None
    assert last_undoable(learner, now + timedelta(hours=2)) is None


def test_a_second_rating_from_the_same_page_is_refused_and_changes_nothing(course):
    learner = new_learner(course)
    now = utc(2024, 5, 1, 8)
    scheduler = make_scheduler(fuzz=False)
    record_rating(learner, "nbc-card-sinwar", GOOD, "new", now, scheduler, 20)
    state = stored(learner, "nbc-card-sinwar")
    page_token = showing_token(state)
    due_after_first = state.due
    record_rating(learner, "nbc-card-sinwar", GOOD, page_token, due_after_first, scheduler, 20)
    due_after_second = stored(learner, "nbc-card-sinwar").due

    for stale in ("new", page_token):
        with pytest.raises(StaleRating, match="already been rated"):
            record_rating(learner, "nbc-card-sinwar", AGAIN, stale, due_after_second, scheduler, 20)

    assert stored(learner, "nbc-card-sinwar").due == due_after_second
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewLog)) == 2


def test_new_cards_are_limited_per_local_day_across_sessions_and_reset_at_local_midnight(course):
    # Los Angeles is UTC-7 in May: the learner's evening is already the next day in UTC.
    learner = new_learner(course, timezone="America/Los_Angeles")
    limit = 3
    morning = utc(2024, 5, 1, 16)  # 09:00 in Los Angeles
    quiz_scope = scope_for(learner, QUIZ, NBC_QUIZ)
    first_session = study_queue(learner, quiz_scope, morning, limit)
    assert [card.id for card in first_session.new] == [card.id for card in scope_cards(learner, quiz_scope)[:3]]
    for card in first_session.new[:2]:
        rate_card(learner, card.id, GOOD, morning, new_per_day=limit)

    evening = utc(2024, 5, 2, 3)  # 20:00 on the same local day, the next day in UTC
    everything = scope_for(learner, ALL, None)
    second_session = study_queue(learner, everything, evening, limit)
    assert len(second_session.new) == 1
    rate_card(learner, second_session.new[0].id, GOOD, evening, new_per_day=limit)

    late = utc(2024, 5, 2, 6, 59)  # 23:59 local
    done = study_queue(learner, everything, late, limit)
    assert done.new == [] and done.new_waiting == len(scope_cards(learner, everything)) - 3
    unseen = next(card for card in scope_cards(learner, everything) if stored(learner, card.id) is None)
    with pytest.raises(RatingRefused, match="all 3 new cards"):
        rate_card(learner, unseen.id, GOOD, late, new_per_day=limit)

    next_morning = utc(2024, 5, 2, 7, 1)  # 00:01 local on the next day
    assert len(study_queue(learner, everything, next_morning, limit).new) == 3


def test_due_cards_come_first_then_new_ones_and_learning_cards_come_back_early(course):
    learner = new_learner(course)
    scope = scope_for(learner, QUIZ, NBC_QUIZ)
    now = utc(2024, 5, 1, 8)
    cards = scope_cards(learner, scope)
    rate_card(learner, cards[3].id, AGAIN, now, new_per_day=2)  # due in 1 minute
    rate_card(learner, cards[4].id, GOOD, now, new_per_day=2)  # due in 10 minutes

    later = now + timedelta(minutes=2)
    queue = study_queue(learner, scope, later, 2)
    assert [card.id for card, _ in queue.due] == [cards[3].id]
    assert queue.new == []  # the two new cards for today are used
    assert queue.next_card()[0].id == cards[3].id

    rate_card(learner, cards[3].id, GOOD, later, new_per_day=2)  # now due in 10 minutes
    queue = study_queue(learner, scope, later, 2)
    # Nothing is due, but rather than stop, the learning cards come back a little early.
    assert [card.id for card, _ in queue.due] == [cards[4].id, cards[3].id]
    assert queue.next_due == now + timedelta(minutes=10)


def test_practice_rounds_repeat_cards_marked_again_and_never_touch_the_schedule(course):
    assert practice_queue(None, 4) == [0, 1, 2, 3]
    assert practice_queue("2,x,9,3,0", 4) == [2, 3, 0]
    assert practice_after([2, 3, 0], AGAIN) == [3, 0, 2]
    assert practice_after([3, 0, 2], GOOD) == [0, 2]
    assert practice_after([], GOOD) == []


def test_a_class_only_sees_the_cards_of_its_chosen_quizzes(course):
    limited = new_learner(course, "Ben", quizzes=["every-type"])
    everyone = new_learner(course, "Chloe")

    limited_cards = {card.id for card in scope_cards(limited, scope_for(limited, ALL, None))}
    assert limited_cards == {"card-nagata", "card-nagata:reverse"}
    with pytest.raises(LookupError):
        scope_for(limited, QUIZ, NBC_QUIZ)
    with pytest.raises(LookupError):
        rate_card(limited, "nbc-card-sinwar", GOOD, utc(2024, 5, 1, 8))
    all_cards = scope_cards(everyone, scope_for(everyone, ALL, None))
    assert len(all_cards) == db.session.scalar(sa.select(sa.func.count()).select_from(Card))


def test_one_learners_ratings_never_show_in_another_learners_session(course):
    amira, ben = new_learner(course, "Amira"), new_learner(course, "Ben")
    now = utc(2024, 5, 1, 8)
    rate_card(amira, "card-nagata", AGAIN, now)

    later = now + timedelta(minutes=5)
    ben_queue = study_queue(ben, scope_for(ben, ALL, None), later, 20)
    assert ben_queue.due == []
    assert "card-nagata" in {card.id for card in ben_queue.new}
    assert progress(ben, later, 20).reviews_30_days == 0
    assert last_undoable(ben, later) is None
    assert progress(amira, later, 20).reviews_30_days == 1


def test_a_passage_session_holds_the_cards_whose_evidence_is_in_that_passage(course):
    learner = new_learner(course)
    cards = scope_cards(learner, scope_for(learner, PASSAGE, "nbc-offensive"))
    assert {card.quiz_id for card in cards} == {NBC_QUIZ, "every-type"}
    assert all(
        any(location["passage"] == "nbc-offensive" for location in card.evidence_locations)
        for card in cards
        if card.evidence_locations
    )
    other = scope_cards(learner, scope_for(learner, PASSAGE, "ross-no-ceasefire"))
    assert other == []


def test_progress_counts_due_new_and_learned_cards_a_calendar_and_retention(course):
    learner = new_learner(course, timezone="Asia/Tokyo")
    start = utc(2024, 5, 1, 1)  # 10:00 in Tokyo
    rate_card(learner, "nbc-card-sinwar", EASY, start)  # straight to review
    rate_card(learner, "nbc-card-deif", GOOD, start)  # learning, due in 10 minutes
    sinwar = stored(learner, "nbc-card-sinwar")
    review_at = sinwar.due
    rate_card(learner, "nbc-card-sinwar", AGAIN, review_at)  # forgotten on review
    rate_card(learner, "nbc-card-deif", EASY, review_at)

    summary = progress(learner, review_at, 20)
    total = len(scope_cards(learner, scope_for(learner, ALL, None)))
    assert summary.counts.cards == total
    assert summary.counts.new == total - 2
    assert summary.counts.learned == 1  # deif; sinwar went back to relearning
    assert summary.counts.due == 1  # sinwar, in 10 minutes
    assert summary.retention_review == 0.0 and summary.retention_review_count == 1
    assert summary.retention_mature is None
    assert len(summary.calendar) == 30
    assert summary.calendar[-1] == (review_at.astimezone(learner_zone_tokyo()).date(), 2)
    assert sum(count for _, count in summary.calendar) == 4


def learner_zone_tokyo():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Tokyo")


def test_anki_rows_carry_each_card_with_its_evidence_and_tags(course):
    learner = new_learner(course)
    cards = scope_cards(learner, scope_for(learner, QUIZ, "every-type"))
    rows = anki_cards(cards)
    assert [row["id"] for row in rows] == ["card-nagata", "card-nagata:reverse"]
    assert rows[1]["front"] == "Retired U.S. Army lieutenant general"
    assert rows[0]["evidence"] == ["retired U.S. Army Lt. Gen. Michael Nagata"]
    assert rows[0]["tags"] == ["quizapp", "every-type", "nbc-offensive", "basic"]
