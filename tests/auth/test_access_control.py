"""Results reach only the instructor who owns the class; students see only their own records."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, Classroom, Learner
from tests.helpers import EVERY_TYPE_QUIZ, join, log_in, post_form


def instructor_routes(app) -> list[str]:
    return sorted(
        str(rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("instructor.") and "GET" in rule.methods
    )


def concrete(rule: str, classroom_id: int, learner_id: int, attempt_id: int) -> str:
    """A real URL for a route rule, using this test's objects for every id in it."""
    values = {
        "classroom_id": classroom_id,
        "learner_id": learner_id,
        "attempt_id": attempt_id,
        "quiz_id": "every-type",
        "kind": "answers",
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)


def setup_two_instructors(app, write_quiz, sync, make_instructor, make_classroom):
    write_quiz(EVERY_TYPE_QUIZ)
    sync()
    teacher_a = make_instructor("a@school.test")
    teacher_b = make_instructor("b@school.test")
    class_a, code_a = make_classroom(teacher_a, "A's class")
    make_classroom(teacher_b, "B's class")
    student = app.test_client()
    join(student, code_a, "Noor")
    post_form(student, "/quizzes/every-type/start", page_url="/quizzes/every-type")
    with app.app_context():
        learner_id = db.session.scalar(sa.select(Learner.id))
        attempt_id = db.session.scalar(sa.select(Attempt.id))
    return class_a, learner_id, attempt_id, student


def test_a_student_cannot_reach_any_instructor_page(app, write_quiz, sync, make_instructor, make_classroom):
    class_a, learner_id, attempt_id, student = setup_two_instructors(
        app, write_quiz, sync, make_instructor, make_classroom
    )
    routes = instructor_routes(app)
    assert len(routes) >= 5
    for rule in routes:
        response = student.get(concrete(rule, class_a, learner_id, attempt_id))
        assert response.status_code == 404, rule


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    for rule in instructor_routes(app):
        response = client.get(concrete(rule, 1, 1, 1))
        assert response.status_code == 302 and "/login" in response.headers["Location"], rule


def test_instructor_b_sees_nothing_of_instructor_a_by_any_route(app, write_quiz, sync, make_instructor, make_classroom):
    class_a, learner_id, attempt_id, _ = setup_two_instructors(app, write_quiz, sync, make_instructor, make_classroom)
    teacher_b = app.test_client()
    log_in(teacher_b, "b@school.test")
    teacher_a = app.test_client()
    log_in(teacher_a, "a@school.test")
    checked = 0
    for rule in instructor_routes(app):
        if not any(part in rule for part in ("classroom_id", "learner_id", "attempt_id")):
            continue
        url = concrete(rule, class_a, learner_id, attempt_id)
        assert teacher_a.get(url).status_code == 200, rule
        response = teacher_b.get(url)
        assert response.status_code == 404, rule
        assert "Noor" not in response.get_data(as_text=True)
        checked += 1
    assert checked >= 2
    # ...nor change anything of it.
    for url in [
        f"/teach/classes/{class_a}/code",
        f"/teach/classes/{class_a}/joins",
        f"/teach/learners/{learner_id}/delete",
    ]:
        assert post_form(teacher_b, url, {"confirm": "y"}, page_url="/teach/").status_code == 404
    with app.app_context():
        assert db.session.get(Learner, learner_id) is not None
        assert db.session.get(Classroom, class_a).joins_open


def test_unknown_ids_answer_404_never_500(app, make_instructor, client):
    make_instructor()
    log_in(client)
    for url in [
        "/teach/classes/999",
        "/teach/learners/999/delete",
        "/teach/quizzes/nope/preview",
        "/teach/classes/abc",
    ]:
        assert client.get(url).status_code == 404, url


def test_deleting_a_learner_removes_their_rows_and_nothing_else(app, write_quiz, sync, make_instructor, make_classroom):
    class_a, learner_id, attempt_id, student = setup_two_instructors(
        app, write_quiz, sync, make_instructor, make_classroom
    )
    other = app.test_client()
    with app.app_context():
        code = db.session.get(Classroom, class_a).join_code
    join(other, code, "Kai")
    for client in (student, other):
        start = post_form(client, "/quizzes/every-type/start", page_url="/quizzes/every-type")
        page_url = start.headers["Location"]
        post_form(client, page_url, {"choice": "0", "form_key": "k" * 32}, page_url=page_url)
    teacher = app.test_client()
    log_in(teacher, "a@school.test")
    page = teacher.get(f"/teach/learners/{learner_id}/delete")
    assert "Delete Noor?" in page.get_data(as_text=True)
    unconfirmed = post_form(teacher, f"/teach/learners/{learner_id}/delete", {})
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    response = post_form(teacher, f"/teach/learners/{learner_id}/delete", {"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Learner, learner_id) is None
        assert db.session.scalar(sa.select(sa.func.count()).where(Attempt.learner_id == learner_id)) == 0
        remaining_answers = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
        assert remaining_answers == 1  # Kai's answer is untouched
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Learner)) == 1
    assert student.get("/my").status_code == 302  # the deleted learner's session no longer works


def test_an_instructor_gives_a_student_who_lost_their_code_a_new_one(
    app, write_quiz, sync, make_instructor, make_classroom
):
    class_a, learner_id, _, student = setup_two_instructors(app, write_quiz, sync, make_instructor, make_classroom)
    old_code = re.search(r'class="resume-code">([^<]+)<', student.get("/me").get_data(as_text=True)).group(1)
    teacher_b = app.test_client()
    log_in(teacher_b, "b@school.test")
    assert post_form(teacher_b, f"/teach/learners/{learner_id}/resume-code", page_url="/teach/").status_code == 404
    teacher_a = app.test_client()
    log_in(teacher_a, "a@school.test")
    response = post_form(teacher_a, f"/teach/learners/{learner_id}/resume-code", page_url=f"/teach/classes/{class_a}")
    page = teacher_a.get(response.headers["Location"]).get_data(as_text=True)
    new_code = re.search(r"New resume code for Noor: ([A-Z0-9-]+)\.", page).group(1)
    assert new_code != old_code
    assert student.get("/my").status_code == 302  # the old session was signed out
    assert "not known" in post_form(app.test_client(), "/resume", {"resume_code": old_code}).get_data(as_text=True)
    laptop = app.test_client()
    assert post_form(laptop, "/resume", {"resume_code": new_code}).status_code == 302
    assert "Noor" in laptop.get("/me").get_data(as_text=True)
