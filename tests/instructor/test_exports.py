"""A teacher downloads the class's answers, learner summary and item analysis as CSV.

The class is the one described in test_dashboard.py: five first attempts with marks
worked out by hand, a second attempt by Chen Wei, and Dana's unsubmitted attempt.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.instructor.csv_export import FORMULA_TRIGGERS
from quizapp.models import Attempt
from tests.helpers import log_in
from tests.instructor.test_dashboard import CHEN, FORMULA, ZOE, build_class

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def story(app, write_quiz, sync, make_instructor, make_classroom):
    """The class of test_dashboard.py, built through the quiz services."""
    return build_class(app, write_quiz, sync, make_instructor, make_classroom)


def download(client, story, kind: str, query: str = ""):
    return client.get(f"/teach/classes/{story.classroom_id}/exports/{kind}.csv{query}")


def parse(response) -> list[dict[str, str]]:
    """The CSV as a spreadsheet import would read it: a dict per row, keyed by header."""
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_no_formula_cells(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for cell in row.values():
            if cell.startswith(FORMULA_TRIGGERS):
                assert PLAIN_NUMBER.fullmatch(cell), f"{cell!r} would run as a formula"


def by_learner(rows, name):
    return [row for row in rows if row["learner"] == name]


# --- answers ------------------------------------------------------------------------------


def test_answers_export_has_a_row_per_answer_in_readable_text(client, story):
    log_in(client)
    response = download(client, story, "answers")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert re.fullmatch(
        r'attachment; filename="class-\d+-answers-\d{8}\.csv"',
        response.headers["Content-Disposition"],
    )
    rows = parse(response)
    # 5 students x 3 questions, Chen's second attempt (3) and Dana's one answer.
    assert len(rows) == 19
    amira = {row["question"]: row for row in by_learner(rows, "Amira")}
    assert amira["q-one"]["response"] == "10 of 24"
    assert amira["q-one"]["correct"] == "True"
    assert amira["q-one"]["score"] == "1.0" and amira["q-one"]["max_score"] == "1.0"
    assert amira["q-one"]["seconds_spent"] == "30.0"
    assert amira["q-tf"]["response"] == "False"
    assert amira["q-pairs"]["response"] == (
        "Michael Nagata → Rand Corp. political scientist; Raphael Cohen → Retired U.S. Army lieutenant general"
    )
    assert amira["q-pairs"]["correct"] == "False" and amira["q-pairs"]["score"] == "0.0"
    first = amira["q-one"]
    assert (first["class"], first["quiz"], first["attempt"], first["attempt_state"]) == (
        "Year 11 Media",
        "report-quiz",
        "1",
        "submitted",
    )
    assert (first["version"], first["type"], first["skill"]) == ("1", "single", "attribution")
    assert ISO_UTC.fullmatch(first["started_at"]) and ISO_UTC.fullmatch(first["answered_at"])
    assert [row["attempt"] for row in by_learner(rows, CHEN)] == ["1"] * 3 + ["2"] * 3
    assert [row["attempt_state"] for row in by_learner(rows, "Dana")] == ["in_progress"]


def test_names_round_trip_and_a_formula_name_stays_text(client, story):
    log_in(client)
    rows = parse(download(client, story, "answers"))
    assert len(by_learner(rows, ZOE)) == 3  # accents and quotes come back exactly
    assert len(by_learner(rows, CHEN)) == 6
    assert len(by_learner(rows, "'" + FORMULA)) == 3  # readable, but marked as text
    assert not by_learner(rows, FORMULA)
    assert_no_formula_cells(rows)


def test_excel_download_starts_with_a_byte_order_mark(client, story):
    log_in(client)
    plain = download(client, story, "answers").get_data()
    excel = download(client, story, "answers", "?bom=1").get_data()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel[3:] == plain
    assert "Zoë".encode() in plain  # UTF-8, not a legacy code page
    assert plain.split(b"\n")[0].endswith(b"\r")  # RFC 4180 line ends


def test_answers_export_follows_the_date_range(app, client, story):
    with app.app_context():
        db.session.execute(
            sa.update(Attempt)
            .where(Attempt.learner_id == story.learner_ids["Amira"])
            .values(started_at=datetime(2024, 1, 10, 9, 0, tzinfo=UTC))
        )
        db.session.commit()
    log_in(client)
    january = parse(download(client, story, "answers", "?since=2024-01-01&until=2024-01-31"))
    assert {row["learner"] for row in january} == {"Amira"}
    assert january[0]["started_at"] == "2024-01-10T09:00:00Z"
    later = parse(download(client, story, "answers", "?since=2024-02-01"))
    assert "Amira" not in {row["learner"] for row in later}
    assert len(later) == 16


def test_a_bad_filter_is_explained_and_nothing_is_downloaded(client, story):
    log_in(client)
    response = download(client, story, "answers", "?until=yesterday")
    assert response.status_code == 400
    assert "is not a date" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    response = download(client, story, "items", "?quiz=not-a-quiz")
    assert response.status_code == 400
    assert "No quiz has the id" in response.get_data(as_text=True)


def test_an_unknown_export_is_not_found(client, story):
    log_in(client)
    assert download(client, story, "passwords").status_code == 404


# --- learners -----------------------------------------------------------------------------


def test_learner_summary_has_best_score_per_quiz_and_points_per_skill(client, story):
    log_in(client)
    rows = parse(download(client, story, "learners"))
    header = list(rows[0])
    assert header[:5] == ["learner_id", "learner", "class", "joined_at", "best:report-quiz"]
    assert header[5:] == [
        "skill:fact",
        "skill:attribution",
        "skill:perspective",
        "skill:evidence",
        "skill:inference",
        "skill:vocabulary",
    ]
    summary = {row["learner"]: row for row in rows}
    assert len(summary) == 6
    assert summary[ZOE]["best:report-quiz"] == "66.67"
    # Chen: 1 of 3 first, then 3 of 3 -> best 100%; attribution 0 + 2 of 2 + 2 = 2 of 4 points.
    assert summary[CHEN]["best:report-quiz"] == "100.0"
    assert summary[CHEN]["skill:attribution"] == "50.0"
    assert summary[CHEN]["skill:fact"] == "100.0"
    assert summary["Amira"]["skill:fact"] == "0.0"
    assert summary["Amira"]["skill:perspective"] == ""  # no question of that skill answered
    assert summary["Dana"]["best:report-quiz"] == ""  # never submitted
    assert "'" + FORMULA in summary
    assert_no_formula_cells(rows)


# --- items --------------------------------------------------------------------------------


def test_item_analysis_export_has_the_hand_worked_figures(client, story):
    log_in(client)
    rows = parse(download(client, story, "items", "?quiz=report-quiz"))
    items = {row["question"]: row for row in rows}
    assert [row["question"] for row in rows] == ["q-one", "q-tf", "q-pairs"]
    one, tf, pairs = items["q-one"], items["q-tf"], items["q-pairs"]
    assert (one["facility"], one["discrimination_index"], one["needs_checking"]) == (
        "60.0",
        "0.0",
        "True",
    )
    assert (tf["discrimination_index"], tf["discriminative_efficiency"]) == ("-45.64", "-50.0")
    assert (
        pairs["facility"],
        pairs["discrimination_index"],
        pairs["discriminative_efficiency"],
    ) == (
        "40.0",
        "61.24",
        "100.0",
    )
    assert pairs["needs_checking"] == "False"
    assert one["median_seconds"] == "30.0"
    assert one["choice_counts"] == "10 of 24 (correct): 3; Half of them: 1; All 24: 1"
    assert one["version"] == "v1" and one["row"] == "question"
    quiz_figures = {(row["quiz_attempts"], row["quiz_mean_percent"], row["quiz_median_percent"]) for row in rows}
    assert quiz_figures == {("5", "53.33", "33.33")}
    assert {row["cronbach_alpha"] for row in rows} == {"-0.1875"}
    assert_no_formula_cells(rows)


def test_item_analysis_over_all_attempts_counts_the_second_try(client, story):
    log_in(client)
    rows = parse(download(client, story, "items", "?attempts=all"))
    assert {row["attempts"] for row in rows} == {"6"}
    # q-one: right for three students, then for Chen on the second try: 4 of 6.
    assert rows[0]["facility"] == "66.67"
