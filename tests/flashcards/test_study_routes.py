"""A student studies flashcards in the browser, without JavaScript: reveal, rate, undo, practise."""

from __future__ import annotations

import html
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import fsrs
import pytest
import sqlalchemy as sa

import quizapp.flashcards.routes as flashcard_routes
from quizapp.extensions import db
from quizapp.models import Card, CardState, Classroom, Learner, ReviewLog
from tests.flashcards.reference import utc
from tests.helpers import EVERY_TYPE_QUIZ, csrf_token, join, log_in

PROJECT_DIR = Path(__file__).resolve().parents[2]
NBC_QUIZ = "nbc-offensive-facts"
SMALL_QUIZ = "every-type"


class Clock:
    """The time the flashcard pages see; tests move it to replay days and due dates."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(utc(2024, 3, 9, 23, 55))
    monkeypatch.setattr(flashcard_routes, "utcnow", clock)
    return clock


@pytest.fixture
def course(app, content_dir, write_quiz, sync, make_instructor, make_classroom):
    """The NBC facts quiz and a small quiz with two card faces, and a class that sees both."""
    shutil.copy(PROJECT_DIR / "questions" / f"{NBC_QUIZ}.yaml", content_dir / "questions")
    write_quiz(EVERY_TYPE_QUIZ, "every-type.yaml")
    sync()
    instructor_id = make_instructor()
    _, code = make_classroom(instructor_id)
    return {"instructor": instructor_id, "code": code}


@pytest.fixture
def student(app, course):
    """A student signed in on their own browser."""

    def make(name: str = "Amira", code: str | None = None, timezone: str = "UTC"):
        browser = app.test_client()
        join(browser, code or course["code"], name)
        with app.app_context():
            learner = db.session.scalar(sa.select(Learner).where(Learner.display_name == name))
            learner.timezone = timezone
            db.session.commit()
            browser.learner_id = learner.id
        return browser

    return make


# --- reading the pages like a browser -------------------------------------------------------


def text_of(response) -> str:
    return response.get_data(as_text=True)


def element_text(page: str, element_id: str) -> str | None:
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    if match is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def form_fields(page: str, form_class: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*class="{form_class}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no {form_class} on the page"
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1))
    }


def form_action(page: str, form_class: str) -> str:
    return html.unescape(re.search(rf'<form[^>]*action="([^"]+)"[^>]*class="{form_class}"', page).group(1))


def shown_card(page: str) -> str:
    return form_fields(page, "reveal-form")["card"]


def reveal(browser, url: str) -> str:
    """Open the study page and press "Show answer" (a plain GET form)."""
    page = text_of(browser.get(url))
    assert element_text(page, "card-back") is None, "the back is hidden until revealed"
    revealed = text_of(browser.get(form_action(page, "reveal-form"), query_string=form_fields(page, "reveal-form")))
    assert element_text(revealed, "card-back")
    return revealed


def rate(browser, url: str, rating: int, revealed: str | None = None):
    """Reveal the next card (unless already revealed) and press a rating button."""
    revealed = revealed or reveal(browser, url)
    data = {**form_fields(revealed, "rating-form"), "rating": str(rating)}
    return browser.post("/cards/rate", data=data, follow_redirects=True)


def state_of(app, browser, card_id: str) -> CardState | None:
    with app.app_context():
        state = db.session.get(CardState, (browser.learner_id, card_id))
        if state is not None:
            db.session.expunge(state)
        return state


def review_count(app, browser=None) -> int:
    with app.app_context():
        query = sa.select(sa.func.count()).select_from(ReviewLog)
        if browser is not None:
            query = query.where(ReviewLog.learner_id == browser.learner_id)
        return db.session.scalar(query)


def matches_fsrs(state: CardState, card: fsrs.Card) -> bool:
    return (
        state.state,
        state.step,
        state.stability,
        state.difficulty,
        state.due,
        state.last_review,
    ) == (
        int(card.state),
        card.step,
        card.stability,
        card.difficulty,
        card.due,
        card.last_review,
    )


# --- studying -------------------------------------------------------------------------------


def test_a_student_sees_the_front_reveals_the_back_and_each_button_says_when_the_card_returns(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    assert f'href="{url}">Study these cards</a>' in text_of(browser.get(f"/quizzes/{SMALL_QUIZ}"))
    page = text_of(browser.get(url))

    assert element_text(page, "card-front") == "Front Michael Nagata"
    assert 'id="reveal"' in page and 'id="card-back"' not in page
    assert "<script>" not in page and "style=" not in page

    revealed = reveal(browser, url)
    assert "Retired U.S. Army lieutenant general" in element_text(revealed, "card-back")
    buttons = dict(re.findall(r'name="rating" value="(\d)".*?class="rate-interval">([^<]+)<', revealed, re.S))
    assert buttons["1"] == "1 min" and buttons["3"] == "10 min"
    assert buttons["4"].endswith("days")
    assert 'name="csrf_token"' in revealed
    # The evidence is one click away, highlighted in the passage.
    link = html.unescape(re.search(r'href="(/passages/nbc-offensive\?mark=[^"]+)"', revealed).group(1))
    assert 'class="sentence evidence"' in text_of(browser.get(link))


def test_ratings_through_the_pages_give_the_schedule_fsrs_computes_across_midnight(app, student, clock):
    app.config["QUIZAPP_NEW_CARDS_PER_DAY"] = 1  # one card in play per day keeps the replay plain
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    reference = fsrs.Scheduler(
        desired_retention=0.9,
        learning_steps=(timedelta(minutes=1), timedelta(minutes=10)),
        enable_fuzzing=False,
    )
    expected = fsrs.Card(card_id=1, due=clock.now)
    steps = [
        (fsrs.Rating.Good, timedelta(0)),  # 23:55: learning
        (fsrs.Rating.Good, timedelta(minutes=10)),  # 00:05 the next day: learned
        (fsrs.Rating.Again, "due"),  # a review card forgotten: relearning
        (fsrs.Rating.Good, timedelta(minutes=10)),
        (fsrs.Rating.Hard, "due"),
        (fsrs.Rating.Easy, "due"),
    ]
    states = []
    for rating, when in steps:
        clock.now = expected.due if when == "due" else clock.now + when
        page = text_of(browser.get(url))
        assert shown_card(page) == "card-nagata"
        rate(browser, url, int(rating))
        expected, _ = reference.review_card(expected, rating, review_datetime=clock.now)
        state = state_of(app, browser, "card-nagata")
        assert matches_fsrs(state, expected)
        states.append(state.state)

    assert states == [1, 2, 3, 2, 2, 2]
    assert review_count(app) == len(steps)


def test_pressing_a_rating_twice_counts_once_and_says_so(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    revealed = reveal(browser, url)

    first = rate(browser, url, 3, revealed)
    second = rate(browser, url, 1, revealed)  # the same page submitted again

    assert "you will see that card again in 10 min" in text_of(first)
    assert "already been rated" in text_of(second)
    assert review_count(app) == 1
    assert state_of(app, browser, "card-nagata").due == clock.now + timedelta(minutes=10)


def test_undo_restores_the_card_and_shows_it_again(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    rate(browser, url, 4)  # Easy: straight to review
    clock.now = state_of(app, browser, "card-nagata").due
    before = state_of(app, browser, "card-nagata")
    after_slip = rate(browser, url, 1)  # Again by mistake
    assert state_of(app, browser, "card-nagata").state == 3

    page = text_of(after_slip)
    assert 'id="undo"' in page
    undone = browser.post("/cards/undo", data=form_fields(page, "undo-form"), follow_redirects=True)

    restored = state_of(app, browser, "card-nagata")
    assert (
        restored.state,
        restored.stability,
        restored.difficulty,
        restored.due,
        restored.last_review,
    ) == (
        before.state,
        before.stability,
        before.difficulty,
        before.due,
        before.last_review,
    )
    assert shown_card(text_of(undone)) == "card-nagata"
    assert review_count(app) == 1
    again = browser.post("/cards/undo", data=form_fields(page, "undo-form"), follow_redirects=True)
    assert "no recent rating to undo" in text_of(again)
    assert state_of(app, browser, "card-nagata").due == before.due


def test_undoing_a_new_cards_first_rating_makes_it_new_again(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    page = text_of(rate(browser, url, 3))
    browser.post("/cards/undo", data=form_fields(page, "undo-form"))

    assert state_of(app, browser, "card-nagata") is None
    assert review_count(app) == 0


def test_new_cards_are_limited_per_local_day_across_sessions(app, student, clock):
    app.config["QUIZAPP_NEW_CARDS_PER_DAY"] = 2
    browser = student(timezone="America/Los_Angeles")
    clock.now = utc(2024, 5, 1, 16)  # 09:00 in Los Angeles
    rate(browser, f"/cards/study/quiz/{SMALL_QUIZ}", 4)  # first session: one new card

    clock.now = utc(2024, 5, 2, 3)  # 20:00 the same local day, already May 2 in UTC
    rate(browser, "/cards/study", 4)  # second session: the second and last new card
    done = text_of(browser.get("/cards/study"))
    assert 'id="done"' in done
    assert "Done for today" in done
    assert "new cards wait for tomorrow" in done
    assert re.search(r"The next card is due <strong>on \w+ \d+ May at \d\d:\d\d \(in \d+ days\)", done)
    assert review_count(app) == 2

    clock.now = utc(2024, 5, 2, 7, 1)  # 00:01 on the next local day
    page = text_of(browser.get("/cards/study"))
    assert 'id="card-front"' in page
    assert element_text(page, "study-counts") == "Due now: 0 · New for today: 2"


def test_practice_goes_through_every_card_and_changes_nothing(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    rate(browser, url, 4)  # card-nagata now has a schedule
    before = state_of(app, browser, "card-nagata")

    page = text_of(browser.get(url, query_string={"mode": "practice"}))
    seen = []
    for _ in range(5):
        if 'id="done"' in page:
            break
        fields = form_fields(page, "reveal-form")
        seen.append(re.search(r'class="card-text">([^<]+)<', page).group(1))
        revealed = text_of(browser.get(url, query_string=fields))
        rating = "1" if len(seen) == 1 else "3"  # Again on the first: it comes back
        assert f'name="rating" value="{rating}"' in revealed
        page = text_of(
            browser.get(
                url,
                query_string={**form_fields(revealed, "rating-form"), "rating": rating},
                follow_redirects=True,
            )
        )

    assert 'id="done"' in page and "Your schedule has not changed" in page
    assert seen == ["Michael Nagata", "Retired U.S. Army lieutenant general", "Michael Nagata"]
    assert review_count(app) == 1
    after = state_of(app, browser, "card-nagata")
    assert (after.due, after.stability, after.last_review) == (
        before.due,
        before.stability,
        before.last_review,
    )
    assert state_of(app, browser, "card-nagata:reverse") is None


def test_another_learner_never_sees_cards_outside_their_class_or_anyone_elses_progress(
    app, course, student, make_classroom, clock
):
    amira = student("Amira")
    classroom_id, code = make_classroom(course["instructor"], "Year 12")
    with app.app_context():
        from quizapp.classes import choose_quizzes

        choose_quizzes(db.session.get(Classroom, classroom_id), [SMALL_QUIZ])
    ben = student("Ben", code=code)
    rate(amira, f"/cards/study/quiz/{NBC_QUIZ}", 1)
    rate(amira, f"/cards/study/quiz/{SMALL_QUIZ}", 1)

    assert ben.get(f"/cards/study/quiz/{NBC_QUIZ}").status_code == 404
    assert ben.get(f"/cards/anki.txt?quiz={NBC_QUIZ}").status_code == 404
    page = text_of(ben.get("/cards/study"))
    refused = ben.post(
        "/cards/rate",
        data={
            "csrf_token": csrf_token(ben.get("/cards/")),
            "card": "nbc-card-nagata",
            "token": "new",
            "rating": "3",
        },
    )
    assert refused.status_code == 404
    shown = set()
    for _ in range(3):
        if 'id="card-front"' not in page:
            break
        shown.add(shown_card(page))
        page = text_of(rate(ben, "/cards/study", 4))
    assert shown == {"card-nagata", "card-nagata:reverse"}  # both new for Ben, whatever Amira did
    assert 'id="undo"' in page  # Ben's own rating, not Amira's
    progress = text_of(ben.get("/cards/"))
    assert element_text(progress, "due-count") == "0"
    assert state_of(app, amira, "card-nagata").state == 1  # Amira's schedule untouched by Ben
    assert review_count(app, ben) == 2 and review_count(app, amira) == 2


def test_the_progress_page_shows_due_new_learned_a_calendar_and_retention(app, student, clock):
    browser = student()
    url = f"/cards/study/quiz/{SMALL_QUIZ}"
    rate(browser, url, 4)
    clock.now = state_of(app, browser, "card-nagata").due
    rate(browser, url, 3)  # a learned card remembered on review

    page = text_of(browser.get("/cards/"))
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Card))
    assert element_text(page, "due-count") == "0"
    assert element_text(page, "new-count") == str(total - 1)
    assert element_text(page, "learned-count") == "1"
    assert "You remembered 100%" in element_text(page, "retention")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</td></tr>", page)
    assert len(rows) == 30
    assert sum(int(re.search(r'class="num">(\d+)', row).group(1)) for row in rows) == 2
    assert 'role="img"' in page  # the chart, with the table above as its text alternative
    assert "Flashcards</a>" in text_of(browser.get("/my"))


# --- Anki export ----------------------------------------------------------------------------


def parse_anki(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Read an Anki text file as the manual describes: #key:value headers, then tab-separated
    notes; a field in double quotes may hold tabs, with "" for a quote."""
    headers, notes = {}, []
    lines = text.split("\n")
    assert lines.pop() == ""
    for line in lines:
        if not notes and line.startswith("#") and ":" in line:
            key, value = line[1:].split(":", 1)
            headers[key] = value
            continue
        fields, field, quoted, i = [], "", False, 0
        while i < len(line):
            char = line[i]
            if quoted:
                if line.startswith('""', i):
                    field, i = field + '"', i + 2
                    continue
                if char == '"':
                    quoted = False
                else:
                    field += char
            elif char == '"' and field == "":
                quoted = True
            elif char == "\t":
                fields.append(field)
                field = ""
            else:
                field += char
            i += 1
        fields.append(field)
        notes.append(dict(zip(headers["columns"].split("\t"), fields, strict=True)))
    return headers, notes


def test_a_student_downloads_their_whole_deck_for_anki(app, student, clock):
    browser = student()
    response = browser.get("/cards/anki.txt")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    headers, notes = parse_anki(text_of(response))
    assert headers["separator"] == "tab"
    with app.app_context():
        cards = {card.id: card for card in db.session.scalars(sa.select(Card))}
    assert sorted(note["GUID"] for note in notes) == sorted(cards)
    for note in notes:
        card = cards[note["GUID"]]
        assert note["Front"] == " ".join(card.front.split())
        assert note["Back"] == " ".join(card.back.split())

    _, one_quiz = parse_anki(text_of(browser.get(f"/cards/anki.txt?quiz={SMALL_QUIZ}")))
    assert [note["GUID"] for note in one_quiz] == ["card-nagata", "card-nagata:reverse"]
    assert one_quiz[0]["Deck"] == "quizapp::Every question type"


def test_an_instructor_downloads_a_quizs_cards_and_students_cannot(app, course, student):
    teacher = app.test_client()
    log_in(teacher)
    response = teacher.get(f"/teach/quizzes/{NBC_QUIZ}/anki.txt")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="quizapp-{NBC_QUIZ}.txt"'
    _, notes = parse_anki(text_of(response))
    with app.app_context():
        expected = set(db.session.scalars(sa.select(Card.id).where(Card.quiz_id == NBC_QUIZ)))
    assert {note["GUID"] for note in notes} == expected and len(notes) == len(expected)
    assert teacher.get("/teach/quizzes/no-such-quiz/anki.txt").status_code == 404
    assert student().get(f"/teach/quizzes/{NBC_QUIZ}/anki.txt").status_code == 404


def test_flashcards_ask_visitors_to_join_a_class_first(app, course):
    response = app.test_client().get("/cards/study")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/join")
