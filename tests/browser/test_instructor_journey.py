"""An instructor in a real browser: a new class, its first results, and the CSV downloads."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from . import steps
from .conftest import save_screenshot

pytestmark = pytest.mark.browser


def log_in(page, server) -> None:
    page.goto("/")
    page.get_by_role("link", name="Instructor log in").click()
    page.get_by_label("Email").fill(server.instructor_email)
    page.get_by_label("Password").fill(server.instructor_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My classes")


def download_csv(page, link) -> tuple[str, list[dict]]:
    with page.expect_download() as download:
        link.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    return download.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def test_an_instructor_creates_a_class_and_reads_its_results_and_csvs(server, new_context):
    teacher = new_context().new_page()
    log_in(teacher, server)
    teacher.get_by_label("Class name").fill("Year 11 Media Literacy")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Year 11 Media Literacy")
    join_code = teacher.locator("#join-code").inner_text()

    # A student joins the new class and takes the every-type quiz.
    student = new_context().new_page()
    steps.join_class(student, join_code, "Lena")
    steps.open_every_type_quiz(student)
    student.get_by_role("button", name="Start the quiz").click()
    for number in range(1, steps.QUESTION_COUNT + 1):
        steps.answer_by_mouse(student, steps.question_type(student))
        next_link = "Next question" if number < steps.QUESTION_COUNT else "Review and submit"
        student.get_by_role("link", name=next_link).click()
    student.get_by_role("button", name="Submit the quiz").click()
    steps.expect_results(student)

    teacher.reload()
    expect(teacher.get_by_role("link", name="Lena", exact=True)).to_be_visible()
    teacher.get_by_role("link", name="Results at a glance").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Results at a glance: Year 11 Media Literacy")
    expect(teacher.locator("#learner-count")).to_contain_text("1 student in the class")
    save_screenshot(teacher, "laptop-class-overview")
    summary = teacher.locator("#quiz-summary tr", has_text=steps.EVERY_TYPE_TITLE)
    expect(summary.locator("td").nth(1)).to_have_text("1")  # finished
    expect(summary.locator("td").nth(3)).to_have_text("85.7%")  # mean: 6 of 7

    downloads = teacher.locator(".export-links li > a:first-child")
    expect(downloads).to_have_count(3)
    tables = {}
    for index in range(downloads.count()):
        filename, rows = download_csv(teacher, downloads.nth(index))
        assert filename.endswith(".csv")
        tables[downloads.nth(index).inner_text()] = rows
    assert set(tables) == {"Answers (CSV)", "Learners (CSV)", "Items (CSV)"}
    answers = [row for row in tables["Answers (CSV)"] if row["quiz"] == "every-type"]
    assert len(answers) == steps.QUESTION_COUNT
    assert {row["learner"] for row in answers} == {"Lena"}
    assert [row["learner"] for row in tables["Learners (CSV)"]] == ["Lena"]
    items = [row for row in tables["Items (CSV)"] if row["quiz"] == "every-type"]
    assert len(items) == steps.QUESTION_COUNT

    summary.get_by_role("link", name=steps.EVERY_TYPE_TITLE).click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(f"Quiz report: {steps.EVERY_TYPE_TITLE}")
    filename, item_rows = download_csv(teacher, teacher.get_by_role("link", name="Download this item analysis (CSV)"))
    assert {row["quiz"] for row in item_rows} == {"every-type"}
    assert len(item_rows) == steps.QUESTION_COUNT
