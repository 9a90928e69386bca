"""Every page, for every kind of visitor, carries the security policy and never fails."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Attempt, Learner
from tests.helpers import EVERY_TYPE_QUIZ, join, log_in, post_form

SKIP_ENDPOINTS = {"static"}


def get_urls(app, values: dict) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or "GET" not in rule.methods:
            continue
        urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), str(rule)))
    return sorted(set(urls))


def test_every_get_route_answers_with_the_security_headers_and_no_500(
    app, write_quiz, sync, make_instructor, make_classroom
):
    write_quiz(EVERY_TYPE_QUIZ)
    sync()
    classroom_id, code = make_classroom(make_instructor())
    student = app.test_client()
    join(student, code, "Amira")
    first = post_form(student, "/quizzes/every-type/start", page_url="/quizzes/every-type").headers["Location"]
    with app.app_context():
        values = {
            "classroom_id": classroom_id,
            "learner_id": db.session.scalar(sa.select(Learner.id)),
            "attempt_id": db.session.scalar(sa.select(Attempt.id)),
            "quiz_id": "every-type",
            "passage_id": "nbc-offensive",
            "number": 1,
            "kind": "answers",
        }
    teacher = app.test_client()
    log_in(teacher)
    anonymous = app.test_client()
    checked = 0
    for visitor in (anonymous, student, teacher):
        for url in get_urls(app, values):
            response = visitor.get(url)
            assert response.status_code < 500, url
            policy = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"
            checked += 1
    assert checked > 30
    assert first.endswith("/questions/1")


def test_an_instructor_chooses_which_quizzes_a_class_sees(app, write_quiz, sync, make_instructor, make_classroom):
    write_quiz(EVERY_TYPE_QUIZ)
    write_quiz(
        EVERY_TYPE_QUIZ.replace("id: every-type", "id: second-quiz")
        .replace("id: q-", "id: q2-")
        .replace("id: card-", "id: card2-"),
        "second.yaml",
    )
    sync()
    classroom_id, code = make_classroom(make_instructor())
    student = app.test_client()
    join(student, code)
    assert "second-quiz" in student.get("/my").get_data(as_text=True)
    teacher = app.test_client()
    log_in(teacher)
    post_form(
        teacher,
        f"/teach/classes/{classroom_id}/quizzes",
        {"scope": "chosen", "quiz": ["every-type"]},
        page_url=f"/teach/classes/{classroom_id}",
    )
    home = student.get("/my").get_data(as_text=True)
    assert "every-type" in home and "second-quiz" not in home
    assert student.get("/quizzes/second-quiz").status_code == 404
    post_form(
        teacher, f"/teach/classes/{classroom_id}/quizzes", {"scope": "all"}, page_url=f"/teach/classes/{classroom_id}"
    )
    assert "second-quiz" in student.get("/my").get_data(as_text=True)


def test_a_regenerated_join_code_replaces_the_old_one(app, make_instructor, make_classroom):
    classroom_id, old_code = make_classroom(make_instructor())
    teacher = app.test_client()
    log_in(teacher)
    post_form(teacher, f"/teach/classes/{classroom_id}/code", page_url=f"/teach/classes/{classroom_id}")
    page = teacher.get(f"/teach/classes/{classroom_id}").get_data(as_text=True)
    new_code = re.search(r'id="join-code">([^<]+)<', page).group(1)
    assert new_code != old_code
    assert "No class has that code" in join(app.test_client(), old_code).get_data(as_text=True)
    assert join(app.test_client(), new_code).status_code == 302


def test_the_overview_charts_only_quizzes_with_scored_attempts(app, write_quiz, sync, make_instructor, make_classroom):
    write_quiz(EVERY_TYPE_QUIZ)
    second = EVERY_TYPE_QUIZ.replace("id: every-type", "id: untouched").replace(
        'title: "Every question type"', 'title: "Untouched quiz"'
    )
    write_quiz(second.replace("id: q-", "id: u-").replace("id: card-", "id: u-card-"), "untouched.yaml")
    sync()
    classroom_id, code = make_classroom(make_instructor())
    student = app.test_client()
    join(student, code)
    first = post_form(student, "/quizzes/every-type/start", page_url="/quizzes/every-type").headers["Location"]
    post_form(student, first.replace("questions/1", "submit"), page_url=first.replace("questions/1", "review"))
    teacher = app.test_client()
    log_in(teacher)
    page = teacher.get(f"/teach/classes/{classroom_id}/overview").get_data(as_text=True)
    assert "Score distribution: Every question type" in page
    assert "Score distribution: Untouched quiz" not in page
    assert "No scored attempts yet, so no score chart: Untouched quiz." in page
