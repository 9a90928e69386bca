"""An administrator exports a class from the command line and gets the same files as the page."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import log_in
from tests.instructor.test_dashboard import CHEN, FORMULA, ZOE, build_class


@pytest.fixture
def story(app, write_quiz, sync, make_instructor, make_classroom):
    """The class of test_dashboard.py, built through the quiz services."""
    return build_class(app, write_quiz, sync, make_instructor, make_classroom)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args])


def page_download(client, story, kind: str, query: str = "") -> bytes:
    log_in(client)
    return client.get(f"/teach/classes/{story.classroom_id}/exports/{kind}.csv{query}").get_data()


def test_each_export_prints_the_same_csv_as_the_page(app, client, story):
    for kind in ("answers", "learners", "items"):
        result = run(app, kind, "--class", str(story.classroom_id))
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == page_download(client, story, kind), kind


def test_filters_on_the_command_line_match_the_page(app, client, story):
    result = run(app, "items", "--class", str(story.classroom_id), "--quiz", "report-quiz", "--all-attempts")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == page_download(client, story, "items", "?quiz=report-quiz&attempts=all")
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert {row["attempts"] for row in rows} == {"6"}
    none = run(app, "answers", "--class", str(story.classroom_id), "--until", "2000-01-01")
    assert none.stdout_bytes.decode().count("\r\n") == 1  # the header alone


def test_output_to_a_file_for_excel(app, story, tmp_path):
    target = tmp_path / "answers.csv"
    result = run(app, "answers", "--class", str(story.classroom_id), "--bom", "--output", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\r\n" not in data  # line ends written as they are, not doubled
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 19
    names = {row["learner"] for row in rows}
    assert {ZOE, CHEN, "'" + FORMULA} <= names
    assert FORMULA not in names


def test_mistakes_are_reported_plainly(app, story):
    missing = run(app, "answers", "--class", "9999")
    assert missing.exit_code == 1
    assert "No class has the id 9999." in missing.output
    bad_date = run(app, "learners", "--class", str(story.classroom_id), "--since", "01/02/2024")
    assert bad_date.exit_code == 1
    assert "write it as YYYY-MM-DD" in bad_date.output
    bad_quiz = run(app, "items", "--class", str(story.classroom_id), "--quiz", "nope")
    assert bad_quiz.exit_code == 1
    assert "No quiz has the id" in bad_quiz.output
    no_class = run(app, "answers")
    assert no_class.exit_code == 2
    assert "--class" in no_class.output
