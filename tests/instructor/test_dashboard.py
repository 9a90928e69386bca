"""A teacher reads a class's results: overview, item analysis, perspectives, one student.

The class below is built through the quiz services, so every figure on the pages comes
from real attempts. Five students took "Report quiz" once; their marks were chosen so the
item statistics can be worked out by hand (see the quiz report test below).

                       q-one  q-tf  q-pairs  total  seconds on q-one
    Zoë "Z" Ångström     1     0      1        2        10
    =HYPERLINK(...)      1     1      1        3        20
    Amira                1     0      0        1        30
    Ben                  0     1      0        1        40
    Chen Wei 陈          0     1      0        1        50

Chen Wei then took the quiz a second time and got everything right; Dana started and
answered one question but never submitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Attempt, CardState, Classroom, Learner, Quiz, ReviewLog, utcnow
from tests.helpers import join, log_in

REPORT_QUIZ = """
id: report-quiz
title: "Report quiz"
passages: [nbc-offensive]
questions:
  - id: q-one
    type: single
    skill: attribution
    prompt: "According to the IDF, how many battalions were significantly damaged?"
    choices:
      - text: "10 of 24"
        correct: true
      - "Half of them"
      - "All 24"
    explanation: "The IDF's own figure."
    evidence: ["“significantly damaged” 10 out of 24 1,000-strong battalions"]
  - id: q-tf
    type: true_false
    skill: fact
    answer: true
    prompt: "The IDF says 134 of its troops have been killed in the Gaza offensive."
    explanation: "So the IDF says."
    evidence: ["The IDF says 134 of its troops have been killed"]
  - id: q-pairs
    type: match
    skill: attribution
    prompt: "Match each speaker to their description."
    pairs:
      - left: "Michael Nagata"
        right: "Retired U.S. Army lieutenant general"
      - left: "Raphael Cohen"
        right: "Rand Corp. political scientist"
    distractors: ["Israeli prime minister"]
    explanation: "As the article introduces them."
cards:
  - id: card-nagata
    front: "Michael Nagata"
    back: "Retired U.S. Army lieutenant general"
    evidence: ["retired U.S. Army Lt. Gen. Michael Nagata"]
    reverse: true
"""

ZOE = 'Zoë "Z" Ångström'
FORMULA = '=HYPERLINK("http://x","y")'
CHEN = "Chen Wei 陈"

RIGHT_PAIRS = {"0": 0, "1": 1}
SWAPPED_PAIRS = {"0": 1, "1": 0}
# (name, q-one choice, q-tf answer, q-pairs response, seconds on q-one)
FIRST_ATTEMPTS = [
    (ZOE, 0, False, RIGHT_PAIRS, 10),
    (FORMULA, 0, True, RIGHT_PAIRS, 20),
    ("Amira", 0, False, SWAPPED_PAIRS, 30),
    ("Ben", 1, True, {"0": 2, "1": 1}, 40),
    (CHEN, 2, True, {"0": 2, "1": 0}, 50),
]
OTHER_EMAIL = "other@school.test"


@dataclass
class ClassStory:
    classroom_id: int
    learner_ids: dict[str, int]
    other_classroom_id: int


def answer_quiz(learner, quiz, responses: dict, seconds: dict | None = None, finish: bool = True):
    """A learner answers through the attempt service, as the quiz pages do."""
    from quizapp.quiz.attempts import attempt_questions, record_answer, start_or_resume, submit

    attempt = start_or_resume(learner, quiz)
    for item in attempt_questions(attempt):
        if item.question.id not in responses:
            continue
        shown_at = utcnow().timestamp() - (seconds or {}).get(item.question.id, 5)
        key = f"{attempt.id}:{item.question.id}:{attempt.number}"
        record_answer(attempt, item, responses[item.question.id], key, None, shown_at, quiz.feedback)
    if finish:
        submit(attempt)
    return attempt


def build_class(app, write_quiz, sync, make_instructor, make_classroom) -> ClassStory:
    """The class described in the module docstring, with some flashcard reviews."""
    from quizapp.classes import join_classroom

    write_quiz(REPORT_QUIZ)
    sync()
    teacher = make_instructor()
    classroom_id, code = make_classroom(teacher, "Year 11 Media")
    other_teacher = make_instructor(OTHER_EMAIL)
    other_classroom_id, _ = make_classroom(other_teacher, "Someone else's class")
    ids = {}
    with app.app_context():
        quiz = db.session.get(Quiz, "report-quiz")
        for name, choice, true_false, pairs, seconds in FIRST_ATTEMPTS:
            learner = join_classroom(code, name).learner
            ids[name] = learner.id
            answer_quiz(
                learner,
                quiz,
                {
                    "q-one": {"choice": choice},
                    "q-tf": {"answer": true_false},
                    "q-pairs": {"pairs": pairs},
                },
                {"q-one": seconds},
            )
        chen = db.session.get(Learner, ids[CHEN])
        answer_quiz(
            chen,
            quiz,
            {"q-one": {"choice": 0}, "q-tf": {"answer": True}, "q-pairs": {"pairs": RIGHT_PAIRS}},
        )
        dana = join_classroom(code, "Dana").learner
        ids["Dana"] = dana.id
        answer_quiz(dana, quiz, {"q-one": {"choice": 0}}, finish=False)
        add_reviews(ids)
    return ClassStory(classroom_id, ids, other_classroom_id)


def add_reviews(ids: dict[str, int]) -> None:
    """Flashcard history: three reviews of mature cards (one Again), one young, one new."""
    now = utcnow()
    month_ago, week_ago = now - timedelta(days=30), now - timedelta(days=5)

    def log(learner, rating, before_state, last_review, after_state=2):
        db.session.add(
            ReviewLog(
                learner_id=ids[learner],
                card_id="card-nagata",
                rating=rating,
                reviewed_at=now,
                before_state=before_state,
                before_due=now if before_state else None,
                before_last_review=last_review,
                after_state=after_state,
                after_due=now + timedelta(days=40),
            )
        )

    log(ZOE, 3, 2, month_ago)  # mature, remembered
    log(ZOE, 1, 2, month_ago, after_state=3)  # mature, forgotten
    log(FORMULA, 4, 2, month_ago)  # mature, remembered
    log(FORMULA, 1, 2, week_ago)  # a 5-day interval: not mature, not counted
    log("Amira", 3, None, None, after_state=1)  # a new card
    for learner, state in ((ZOE, 2), (FORMULA, 2), ("Amira", 1)):
        db.session.add(CardState(learner_id=ids[learner], card_id="card-nagata", state=state, due=now))
    db.session.commit()


@pytest.fixture
def story(app, write_quiz, sync, make_instructor, make_classroom) -> ClassStory:
    return build_class(app, write_quiz, sync, make_instructor, make_classroom)


@pytest.fixture
def teacher(client, story):
    log_in(client)
    return client


def text_of(response) -> str:
    return response.get_data(as_text=True)


def row(html: str, row_id: str) -> list[str]:
    """The cell texts of the table row with this id, tags stripped."""
    match = re.search(rf'<tr[^>]*id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, flags=re.S)
    assert match, f"no row {row_id}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{re.escape(table_id)}"[^>]*>.*?</table>', html, flags=re.S)
    assert match, f"no table {table_id}"
    return match.group(0)


def table_rows(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]


# --- the class overview ------------------------------------------------------------------


def test_the_class_page_links_to_the_reports(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}"))
    assert f'href="/teach/classes/{story.classroom_id}/overview"' in html
    assert f'href="/teach/classes/{story.classroom_id}/perspectives"' in html
    assert f'href="/teach/learners/{story.learner_ids["Amira"]}/report"' in html


def test_overview_shows_who_started_and_finished_and_the_scores(teacher, story):
    response = teacher.get(f"/teach/classes/{story.classroom_id}/overview")
    assert response.status_code == 200
    html = text_of(response)
    assert "6 students in the class" in html
    # Six started (Dana too), five finished; first attempts: 2/3, 1, 1/3, 1/3, 1/3 of the marks.
    summary = table_rows(table(html, "quiz-summary"))
    assert summary[1] == ["Report quiz", "6", "5", "5", "53.3%", "33.3%"]


def test_overview_draws_the_score_distribution_with_its_numbers_beside_it(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview"))
    chart = re.search(r'<svg[^>]*id="scores-1".*?</svg>', html, flags=re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "Scores in Report quiz" in chart
    # The same bands as a table: three at 33%, one at 67%, one at 100%.
    bands = table_rows(html.split('id="scores-1"')[1].split("</table>")[0])
    assert bands[1:] == [
        ["0–20%", "0"],
        ["20–40%", "3"],
        ["40–60%", "0"],
        ["60–80%", "1"],
        ["80–100%", "1"],
    ]
    assert 'style="' not in html  # the CSP forbids inline styles


def test_overview_counts_this_weeks_answers_and_flashcard_work(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview"))
    weeks = table_rows(table(html, "activity-table"))[1:]
    assert len(weeks) == 8
    # 5 x 3 first answers, 3 in Chen's second attempt, 1 from Dana: all this week.
    assert weeks[-1][1] == "19"
    assert all(count == "0" for _, count in weeks[:-1])
    assert 'id="activity"' in html  # the bar chart
    cards = dict(table_rows(table(html, "flashcards")))
    assert cards["Reviews done"] == "5"
    assert cards["Students reviewing"] == "3"
    assert cards["Cards learned (now in review)"] == "2"
    assert cards["Reviews of mature cards"] == "3"
    assert cards["True retention"] == "66.7%"  # 2 of 3 mature reviews not rated Again


def test_overview_lists_each_students_progress(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview"))
    progress = {cells[0]: cells[1] for cells in table_rows(table(html, "progress"))[1:]}
    assert progress["Dana"] == "Started"
    assert progress["Chen Wei 陈"] == "Finished, best 100.0%"
    assert progress["Amira"] == "Finished, best 33.3%"
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in html or "=HYPERLINK(&quot;" in html


def test_overview_with_all_attempts_counts_the_second_try(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview?attempts=all"))
    summary = table_rows(table(html, "quiz-summary"))
    # Six scores now: 2/3, 1, 1/3, 1/3, 1/3, 1 -> mean 61.1%, median (1/3 + 2/3) / 2 = 50%.
    assert summary[1] == ["Report quiz", "6", "5", "6", "61.1%", "50.0%"]


def test_a_date_range_narrows_the_overview(app, teacher, story):
    with app.app_context():
        db.session.execute(
            sa.update(Attempt)
            .where(Attempt.learner_id == story.learner_ids["Amira"])
            .values(started_at=datetime(2024, 1, 10, 9, 0, tzinfo=UTC))
        )
        db.session.commit()
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview?since=2024-01-01&until=2024-01-31"))
    summary = table_rows(table(html, "quiz-summary"))
    assert summary[1] == ["Report quiz", "1", "1", "1", "33.3%", "33.3%"]
    assert 'value="2024-01-01"' in html  # the form keeps the filter


def test_a_mistyped_date_is_explained_not_a_crash(teacher, story):
    response = teacher.get(f"/teach/classes/{story.classroom_id}/overview?since=31/01/2024")
    assert response.status_code == 400
    assert "is not a date; write it as YYYY-MM-DD" in text_of(response)
    response = teacher.get(f"/teach/classes/{story.classroom_id}/overview?since=2024-02-01&until=2024-01-01")
    assert "after the “to” date" in text_of(response)
    response = teacher.get(f"/teach/classes/{story.classroom_id}/overview?quiz=no-such-quiz")
    assert response.status_code == 400
    assert "No quiz has the id" in text_of(response)


def test_a_new_class_has_empty_reports_not_errors(client, app, make_instructor, make_classroom):
    teacher = make_instructor()
    classroom_id, _ = make_classroom(teacher, "Fresh class")
    log_in(client)
    overview = client.get(f"/teach/classes/{classroom_id}/overview?page=-3")
    assert overview.status_code == 200
    assert "0 students in the class" in text_of(overview)
    assert "No students yet." in text_of(overview)
    perspectives = client.get(f"/teach/classes/{classroom_id}/perspectives")
    assert "No matching or attribution questions answered yet." in text_of(perspectives)
    for kind in ("answers", "learners", "items"):
        response = client.get(f"/teach/classes/{classroom_id}/exports/{kind}.csv")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("\r\n") == 1  # the header row only


def test_a_long_class_list_is_split_into_pages(app, teacher, story):
    from quizapp.classes import join_classroom
    from quizapp.instructor.reports import LEARNERS_PER_PAGE

    with app.app_context():
        code = db.session.get(Classroom, story.classroom_id).join_code
        for number in range(LEARNERS_PER_PAGE):
            join_classroom(code, f"Student {number:03}")
    first = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview"))
    assert "Page 1 of 2." in first and "Next page" in first
    second = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/overview?page=2"))
    assert "Page 2 of 2." in second
    assert len(table_rows(table(first, "progress"))) - 1 == LEARNERS_PER_PAGE
    assert len(table_rows(table(second, "progress"))) - 1 == 6
    assert "Zoë" in second  # sorted by name: Z comes last


# --- the quiz report ---------------------------------------------------------------------


def test_the_quiz_report_matches_the_hand_worked_figures(teacher, story):
    """First attempts only. Marks per question (rows = the five students):

    q-one  [1,1,1,0,0]  facility 60%; rest scores [1,2,0,1,1]: Cov = 0, so DI = 0% -> needs checking
    q-tf   [0,1,0,1,1]  facility 60%; rest [2,2,1,0,0], Cov = -0.25, Var = 0.3 and 1:
                        DI = -0.25 / sqrt(0.3) = -45.6% -> needs checking;
                        sorted pairing [0,0,1,1,1] with [0,0,1,2,2] gives Cov 0.5: DE = -50%
    q-pairs[1,1,0,0,0]  facility 40%; rest [1,2,1,1,1], Cov = 0.15, Var = 0.3 and 0.2:
                        DI = 0.15 / sqrt(0.06) = 61.2%; sorted pairing also gives Cov 0.15: DE 100%
    totals [2,3,1,1,1]  mean 1.6 of 3 = 53.3%, median 1 = 33.3%, Var 0.8;
                        alpha = 3/2 x (1 - 0.9/0.8) = -0.19
    """
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/quizzes/report-quiz/report"))
    figures = dict(table_rows(table(html, "quiz-figures")))
    assert figures["First attempts (submitted)"] == "5"
    assert figures["Mean score"] == "53.3%"
    assert figures["Median score"] == "33.3%"
    assert figures["Cronbach's alpha"] == "-0.19"

    one = row(html, "item-q-one")
    assert one[2:] == [
        "v1",
        "attribution",
        "5",
        "60.0%",
        "0.0%",
        "0.0%",
        "Needs checking",
        "30.0 s",
    ]
    assert row(html, "item-q-tf")[5:9] == ["60.0%", "-45.6%", "-50.0%", "Needs checking"]
    assert row(html, "item-q-pairs")[5:9] == ["40.0%", "61.2%", "100.0%", ""]


def test_the_quiz_report_counts_each_choice(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/quizzes/report-quiz/report"))
    choices = table_rows(table(html, "choices-q-one-v1"))[1:]
    assert choices == [
        ["10 of 24", "Correct", "3"],
        ["Half of them", "Distractor", "1"],
        ["All 24", "Distractor", "1"],
    ]


def test_the_quiz_report_says_too_few_attempts_instead_of_noise(app, teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/quizzes/report-quiz/report?until=2000-01-01"))
    assert "Too few attempts" in html
    assert "Needs checking" not in html
    assert row(html, "item-q-one")[4:6] == ["0", "Too few attempts"]


def test_the_quiz_report_shows_each_version_answered(app, teacher, story, write_quiz, sync):
    """The teacher rewords q-one after five answers; a new student answers the new wording."""
    from quizapp.classes import join_classroom

    write_quiz(REPORT_QUIZ.replace("how many battalions were", "how many of its battalions were"))
    sync()
    with app.app_context():
        code = db.session.get(Classroom, story.classroom_id).join_code
        learner = join_classroom(code, "Eli").learner
        answer_quiz(
            learner,
            db.session.get(Quiz, "report-quiz"),
            {"q-one": {"choice": 1}, "q-tf": {"answer": True}},
        )
        eli = learner.id
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/quizzes/report-quiz/report"))
    assert row(html, "item-q-one")[2] == "v1, v2"
    assert row(html, "item-q-one-v1")[:4] == [
        "",
        "Version 1: According to the IDF, how many battalions were significantly damaged?",
        "v1",
        "",
    ]
    assert row(html, "item-q-one-v1")[4] == "5"
    assert row(html, "item-q-one-v2")[4:6] == ["1", "Too few attempts"]
    v2_choices = table_rows(table(html, "choices-q-one-v2"))[1:]
    assert [cells[2] for cells in v2_choices] == ["0", "1", "0"]
    learner_html = text_of(teacher.get(f"/teach/learners/{eli}/report"))
    assert row(learner_html, f"answer-{_attempt_of(app, eli)}-q-one")[2] == "v2"


def _attempt_of(app, learner_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Attempt.id).where(Attempt.learner_id == learner_id))


def test_an_unknown_quiz_report_is_not_found(teacher, story):
    assert teacher.get(f"/teach/classes/{story.classroom_id}/quizzes/nope/report").status_code == 404


# --- perspectives ------------------------------------------------------------------------


def test_perspectives_give_results_by_skill_and_passage(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/perspectives"))
    # Attribution: q-one (3 of 5 right) and q-pairs (2 of 5) -> 5 of 10 answers right.
    assert row(html, "skills-attribution") == ["attribution", "10", "50.0%", "50.0%"]
    assert row(html, "skills-fact") == ["fact", "5", "60.0%", "60.0%"]
    assert row(html, "skills-inference") == ["inference", "0", "—", "—"]
    # Every question reads the NBC passage: 8 of 15 answers right.
    assert row(html, "passages-nbc-offensive")[1:] == ["15", "53.3%", "53.3%"]


def test_perspectives_show_which_speakers_are_confused(teacher, story):
    html = text_of(teacher.get(f"/teach/classes/{story.classroom_id}/perspectives"))
    pairs = table_rows(table(html, "confusion-q-pairs-v1"))
    assert pairs[0] == [
        "Right answer",
        "Retired U.S. Army lieutenant general",
        "Rand Corp. political scientist",
        "Israeli prime minister",
    ]
    # Nagata's true description was given by Zoë and the formula-named student, Amira gave
    # Cohen's, Ben and Chen the distractor; Cohen's was mistaken for Nagata's twice.
    assert pairs[1] == ["Retired U.S. Army lieutenant general", "2", "1", "2"]
    assert pairs[2] == ["Rand Corp. political scientist", "2", "3", "0"]
    named = table_rows(table(html, "confusion-q-one-v1"))
    assert named[1] == ["10 of 24", "3", "1", "1"]


# --- one learner -------------------------------------------------------------------------


def test_the_learner_view_shows_every_answer_as_text(app, teacher, story):
    amira = story.learner_ids["Amira"]
    html = text_of(teacher.get(f"/teach/learners/{amira}/report"))
    attempt = _attempt_of(app, amira)
    assert row(html, f"answer-{attempt}-q-one")[2:] == ["v1", "10 of 24", "Right", "1 / 1"]
    assert row(html, f"answer-{attempt}-q-tf")[3:5] == ["False", "Wrong"]
    assert row(html, f"answer-{attempt}-q-pairs")[3] == (
        "Michael Nagata → Rand Corp. political scientist; Raphael Cohen → Retired U.S. Army lieutenant general"
    )
    assert row(html, "skills-attribution") == ["attribution", "2", "50.0%", "50.0%"]
    assert row(html, "skills-fact") == ["fact", "1", "0.0%", "0.0%"]
    assert "score 1 of 3 (33.3%)" in html


def test_the_learner_view_shows_an_unsubmitted_attempt(teacher, story):
    html = text_of(teacher.get(f"/teach/learners/{story.learner_ids['Dana']}/report"))
    assert "Not submitted yet." in html
    assert row(html, "skills-attribution")[1] == "0"  # unsubmitted answers stay out of the profile


# --- only the owner ----------------------------------------------------------------------


def report_urls(story: ClassStory) -> list[str]:
    classroom, learner = story.classroom_id, story.learner_ids["Amira"]
    return [
        f"/teach/classes/{classroom}/overview",
        f"/teach/classes/{classroom}/quizzes/report-quiz/report",
        f"/teach/classes/{classroom}/perspectives",
        f"/teach/learners/{learner}/report",
        f"/teach/classes/{classroom}/exports/answers.csv",
        f"/teach/classes/{classroom}/exports/learners.csv",
        f"/teach/classes/{classroom}/exports/items.csv",
    ]


def test_the_owner_can_open_every_report(teacher, story):
    for url in report_urls(story):
        assert teacher.get(url).status_code == 200, url


def test_another_instructor_gets_not_found_on_every_report_and_export(client, story):
    log_in(client, OTHER_EMAIL)
    for url in report_urls(story):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Amira" not in text_of(response)
    # ...while their own class works.
    assert client.get(f"/teach/classes/{story.other_classroom_id}/overview").status_code == 200


def test_students_and_strangers_cannot_open_reports(app, client, story):
    for url in report_urls(story):
        assert client.get(url).status_code == 302, url  # to the log-in page
    with app.app_context():
        code = db.session.get(Classroom, story.classroom_id).join_code
    join(client, code, "Curious")
    for url in report_urls(story):
        assert client.get(url).status_code == 404, url
