"""A student takes a quiz beside the passage; every answer is kept, once, on the version answered."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, QuestionVersion
from tests.helpers import EVERY_TYPE_QUIZ, csrf_token, join, post_form

# Right answers for EVERY_TYPE_QUIZ as a browser would post them. Order and match use the
# authored indices; the page shows items shuffled and options sorted, but values are indices.
RIGHT_ANSWERS = {
    "q-single": {"choice": "0"},
    "q-multiple": {"choice": ["0", "1"]},
    "q-true-false": {"answer": "true"},
    "q-short": {"text": "  the RAND corp.  "},
    "q-order": {"position-0": "1", "position-1": "2", "position-2": "3"},
    "q-match": {"match-0": "0", "match-1": "1"},
}


@pytest.fixture
def student(app, write_quiz, sync, make_instructor, make_classroom):
    """A student in a class that sees the every-type quiz, signed in on a browser."""

    def make(quiz_text: str = EVERY_TYPE_QUIZ, name: str = "Amira"):
        write_quiz(quiz_text)
        sync()
        _, code = make_classroom(make_instructor())
        browser = app.test_client()
        join(browser, code, name)
        return browser

    return make


def start(browser, quiz_id: str = "every-type") -> str:
    response = post_form(browser, f"/quizzes/{quiz_id}/start", page_url=f"/quizzes/{quiz_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def form_fields(page_html: str) -> dict:
    return {name: value for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page_html)}


def answer(browser, question_url: str, data: dict):
    page = browser.get(question_url)
    html = page.get_data(as_text=True)
    fields = form_fields(html)
    return browser.post(question_url, data={**fields, **data}), fields


def question_urls(first_url: str, count: int) -> list[str]:
    base = first_url.rsplit("/", 1)[0]
    return [f"{base}/{n}" for n in range(1, count + 1)]


def highlight_answer(app) -> dict:
    with app.app_context():
        version = db.session.scalar(sa.select(QuestionVersion).where(QuestionVersion.question_id == "q-highlight"))
        target = version.definition["targets"][0]
        return {"sentence": [f"{target['passage']}:{n}" for n in target["sentences"]]}


def test_every_question_type_answered_right_scores_full_marks(app, student):
    browser = student()
    first = start(browser)
    urls = question_urls(first, 7)
    answers = [*RIGHT_ANSWERS.values(), highlight_answer(app)]
    for url, data in zip(urls, answers, strict=True):
        response, _ = answer(browser, url, data)
        assert response.status_code == 302, response.get_data(as_text=True)
        feedback = browser.get(url).get_data(as_text=True)
        assert "Right." in feedback
    review = browser.get(first.replace("questions/1", "review"))
    assert "7 of 7 questions answered" in review.get_data(as_text=True)
    response = browser.post(first.replace("questions/1", "submit"), data={"csrf_token": csrf_token(review)})
    results = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Score: <strong>7 of 7</strong>" in results
    assert "<strong>Your answer:</strong> 10 of 24" in results
    for skill in ("attribution", "fact", "vocabulary", "inference", "evidence"):
        assert f'<th scope="row">{skill}</th>' in results


def test_feedback_shows_the_choice_feedback_the_explanation_and_highlights_the_evidence(app, student):
    browser = student()
    first = start(browser)
    answer(browser, first, {"choice": "1"})
    html = browser.get(first).get_data(as_text=True)
    assert "Not right." in html
    assert "That figure comes from a different article." in html
    assert "The IDF&#39;s own figure." in html
    highlighted = re.findall(r'<span class="sentence evidence" id="nbc-offensive-s(\d+)"><mark>', html)
    assert len(highlighted) == 1
    assert f'href="#nbc-offensive-s{highlighted[0]}"' in html


def test_partial_scoring_gives_partial_credit(app, student):
    browser = student()
    urls = question_urls(start(browser), 7)
    answer(browser, urls[1], {"choice": ["0", "2"]})  # one right, one wrong of two correct
    answer(browser, urls[4], {"position-0": "1", "position-1": "3", "position-2": "2"})
    with app.app_context():
        scores = dict(db.session.execute(sa.select(Answer.question_id, Answer.score)).all())
    assert scores == {"q-multiple": 0.0, "q-order": pytest.approx(1 / 3)}


def test_a_bad_form_value_gets_a_clear_message_and_stores_nothing(app, student):
    browser = student()
    urls = question_urls(start(browser), 7)
    response, _ = answer(browser, urls[0], {})
    assert response.status_code == 422
    assert "Choose an answer before saving." in response.get_data(as_text=True)
    response, _ = answer(browser, urls[4], {"position-0": "1", "position-1": "1", "position-2": "2"})
    assert "Give each item a different position." in response.get_data(as_text=True)
    assert 'value="1" selected' in response.get_data(as_text=True)  # what was chosen is kept on the page
    response, _ = answer(browser, urls[0], {"choice": "99"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_a_retried_answer_is_stored_once(app, student):
    browser = student()
    first = start(browser)
    response, fields = answer(browser, first, {"choice": "0"})
    replay = browser.post(first, data={**fields, "choice": "0"})
    assert replay.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1


def test_a_stale_page_is_detected_and_the_first_answer_stands(app, student):
    browser = student()
    first = start(browser)
    stale_fields = form_fields(browser.get(first).get_data(as_text=True))
    answer(browser, first, {"choice": "0"})
    response = browser.post(first, data={**stale_fields, "form_key": "another-tab-key-123456", "choice": "1"})
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "already answered this question" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Answer.response)) == {"choice": 0}


def test_a_double_submit_records_once_and_says_so(app, student):
    browser = student()
    first = start(browser)
    answer(browser, first, {"choice": "0"})
    review_url = first.replace("questions/1", "review")
    token = csrf_token(browser.get(review_url))
    submit_url = first.replace("questions/1", "submit")
    browser.post(submit_url, data={"csrf_token": token})
    second = browser.post(submit_url, data={"csrf_token": token})
    assert "already submitted" in browser.get(second.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert (attempt.state, attempt.score, attempt.max_score) == ("submitted", 1.0, 7.0)
    late = browser.post(
        question_urls(first, 2)[1],
        data={"csrf_token": token, "form_key": "late-key-0123456789", "choice": "0"},
    )
    assert late.status_code == 302 and late.headers["Location"].endswith("/results")
    assert "takes no more answers" in browser.get(late.headers["Location"]).get_data(as_text=True)


def test_answers_survive_a_new_browser_for_the_same_learner(app, student):
    browser = student()
    first = start(browser)
    answer(browser, first, {"choice": "0"})
    resume_code = re.search(r'class="resume-code">([^<]+)<', browser.get("/me").get_data(as_text=True)).group(1)
    laptop = app.test_client()
    post_form(laptop, "/resume", {"resume_code": resume_code})
    again = start(laptop)
    assert again.endswith("/questions/2")  # resumes at the first unanswered question
    assert "Your answer is saved." in laptop.get(first).get_data(as_text=True)


def test_the_attempt_limit_is_enforced_on_the_server(app, student):
    browser = student(EVERY_TYPE_QUIZ.replace("feedback: immediate", "feedback: immediate\nattempts: 1"))
    first = start(browser)
    submit_url = first.replace("questions/1", "submit")
    browser.post(submit_url, data={"csrf_token": csrf_token(browser.get(first.replace("questions/1", "review")))})
    response = post_form(browser, "/quizzes/every-type/start", page_url="/quizzes/every-type")
    assert "You have used all 1 attempt" in browser.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_a_learner_cannot_answer_into_someone_elses_attempt(app, student):
    browser = student()
    first = start(browser)
    with app.app_context():
        from quizapp.models import Classroom

        code = db.session.scalar(sa.select(Classroom.join_code))
    intruder = app.test_client()
    join(intruder, code, "Intruder")
    page = intruder.get("/my")
    response = intruder.post(first, data={"csrf_token": csrf_token(page), "form_key": "x" * 32, "choice": "0"})
    assert response.status_code == 404
    assert intruder.get(first).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_editing_a_question_keeps_old_answers_on_the_old_version(app, student, write_quiz, sync):
    browser = student()
    first = start(browser)
    answer(browser, first, {"choice": "0"})
    write_quiz(
        EVERY_TYPE_QUIZ.replace(
            '- text: "10 of 24"\n        correct: true', '- text: "10 of 24 battalions"\n        correct: true'
        )
    )
    sync()
    with app.app_context():
        versions = db.session.scalars(
            sa.select(QuestionVersion.version)
            .where(QuestionVersion.question_id == "q-single")
            .order_by(QuestionVersion.version)
        ).all()
        stored = db.session.scalar(sa.select(Answer))
        answered_version = db.session.get(QuestionVersion, stored.question_version_id)
    assert versions == [1, 2]
    assert answered_version.version == 1 and stored.score == 1.0
    assert "10 of 24</label>" in browser.get(first).get_data(as_text=True)  # shown as answered


def test_a_removed_question_is_hidden_but_its_answers_are_kept(app, student, write_quiz, sync):
    browser = student()
    answer(browser, start(browser), {"choice": "0"})
    without_single = re.sub(r"  - id: q-single.*?(?=  - id: q-multiple)", "", EVERY_TYPE_QUIZ, flags=re.S)
    write_quiz(without_single)
    sync()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1


def test_on_submit_feedback_waits_until_the_quiz_is_submitted(app, student):
    browser = student(EVERY_TYPE_QUIZ.replace("feedback: immediate", "feedback: on_submit"))
    first = start(browser)
    response, _ = answer(browser, first, {"choice": "1"})
    assert response.headers["Location"].endswith("/questions/2")
    html = browser.get(first).get_data(as_text=True)
    assert "Not right." not in html and "Answer saved." in html
    changed, _ = answer(browser, first, {"choice": "0"})  # may change the answer before submitting
    with app.app_context():
        assert db.session.scalar(sa.select(Answer.response)) == {"choice": 0}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1


def test_time_spent_per_question_is_recorded(app, student):
    browser = student()
    first = start(browser)
    fields = form_fields(browser.get(first).get_data(as_text=True))
    fields["shown_at"] = str(float(fields["shown_at"]) - 42)
    browser.post(first, data={**fields, "choice": "0"})
    with app.app_context():
        assert 41 <= db.session.scalar(sa.select(Answer.seconds_spent)) <= 50


def test_the_quiz_page_offers_its_flashcards_only_when_it_has_some(app, student, write_quiz):
    no_cards = EVERY_TYPE_QUIZ.split("cards:")[0].replace("id: every-type", "id: no-cards").replace("id: q-", "id: nc-")
    write_quiz(no_cards, "no-cards.yaml")
    browser = student()
    assert "Study these cards</a> (2 flashcards" in browser.get("/quizzes/every-type").get_data(as_text=True)
    assert "Study these cards" not in browser.get("/quizzes/no-cards").get_data(as_text=True)


def test_highlight_feedback_quotes_the_sentences_not_their_numbers(app, student):
    browser = student(EVERY_TYPE_QUIZ.replace("feedback: immediate", "feedback: on_submit"))
    urls = question_urls(start(browser), 7)
    answer(browser, urls[6], {"sentence": ["nbc-offensive:1"]})
    token = csrf_token(browser.get(urls[0].replace("questions/1", "review")))
    results = browser.post(urls[0].replace("questions/1", "submit"), data={"csrf_token": token})
    page = browser.get(results.headers["Location"]).get_data(as_text=True)
    assert "<strong>Your answer:</strong> “Israel’s military offensive in Gaza has inflicted" in page
    assert "The IDF says 134 of its troops have been killed in the Gaza offensive" in page
    assert "nbc-offensive, sentence" not in page
