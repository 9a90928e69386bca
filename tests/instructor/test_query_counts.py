"""A teacher's report pages cost the same number of database queries for a big class as a small one.

A page that ran a query per student (an "N+1") would be quick with the three students a
test usually has and crawl with a school year of thousands. So: build a class of 3
students who took a quiz (one of them twice, one left an attempt open) and reviewed
flashcards, count the queries behind each report page, then let 27 more students do the
same and count again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from quizapp.extensions import db
from quizapp.models import Classroom, ReviewLog, utcnow
from tests.helpers import log_in
from tests.instructor.test_dashboard import REPORT_QUIZ, answer_quiz

RIGHT = {"q-one": {"choice": 0}, "q-tf": {"answer": True}, "q-pairs": {"pairs": {"0": 0, "1": 1}}}
WRONG = {"q-one": {"choice": 2}, "q-tf": {"answer": False}, "q-pairs": {"pairs": {"0": 1, "1": 0}}}


def add_students(app, classroom_id: int, first: int, count: int) -> list[int]:
    """Students ``first`` to ``first + count - 1`` join, take the quiz and review a card."""
    from quizapp.classes import join_classroom
    from quizapp.models import Quiz

    ids = []
    with app.app_context():
        code = db.session.get(Classroom, classroom_id).join_code
        quiz = db.session.get(Quiz, "report-quiz")
        now = utcnow()
        for number in range(first, first + count):
            learner = join_classroom(code, f"Student {number:02}").learner
            ids.append(learner.id)
            answer_quiz(learner, quiz, RIGHT if number % 2 else WRONG)
            if number % 3 == 0:
                answer_quiz(learner, quiz, RIGHT)  # a second try
            if number % 5 == 0:
                answer_quiz(learner, quiz, {"q-one": {"choice": 1}}, finish=False)  # left open
            db.session.add(
                ReviewLog(
                    learner_id=learner.id,
                    card_id="card-nagata",
                    rating=3,
                    reviewed_at=now,
                    before_state=2,
                    before_due=now,
                    before_last_review=now - timedelta(days=30),
                    after_state=2,
                    after_due=now + timedelta(days=40),
                )
            )
        db.session.commit()
    return ids


@pytest.fixture
def school(app, client, write_quiz, sync, make_instructor, make_classroom):
    write_quiz(REPORT_QUIZ)
    sync()
    teacher = make_instructor()
    make_classroom(make_instructor("other@school.test"), "Someone else's class")
    classroom_id, _ = make_classroom(teacher, "Year 11")
    log_in(client)
    return classroom_id


def queries_per_page(app, client, classroom_id: int, learner_id: int) -> dict[str, int]:
    pages = {
        "overview": f"/teach/classes/{classroom_id}/overview",
        "overview, all attempts": f"/teach/classes/{classroom_id}/overview?attempts=all",
        "quiz report": f"/teach/classes/{classroom_id}/quizzes/report-quiz/report",
        "quiz report, all attempts": f"/teach/classes/{classroom_id}/quizzes/report-quiz/report?attempts=all",
        "perspectives": f"/teach/classes/{classroom_id}/perspectives",
        "learner view": f"/teach/learners/{learner_id}/report",
    }
    counted = {}
    with app.app_context():
        engine = db.engine
    for name, url in pages.items():
        statements = []

        def seen(_connection, _cursor, statement, *_args, log=statements):
            log.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            response = client.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert response.status_code == 200, url
        counted[name] = len(statements)
    return counted


def test_report_pages_ask_the_database_as_often_for_30_students_as_for_3(app, client, school):
    first_three = add_students(app, school, 1, 3)
    small = queries_per_page(app, client, school, first_three[0])
    add_students(app, school, 4, 27)
    large = queries_per_page(app, client, school, first_three[0])

    assert large == small
    # And the counts are small: a page that loops over students would need dozens.
    assert max(large.values()) <= 20, large


def test_the_bigger_class_really_is_on_the_pages(app, client, school):
    """The counts above compare pages that show every student's work, not empty ones."""
    add_students(app, school, 1, 30)
    overview = client.get(f"/teach/classes/{school}/overview").get_data(as_text=True)
    assert "30 students in the class" in overview
    assert "Student 30" in overview
