"""A student in a real browser: by mouse, by keyboard alone, and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser


def take_every_type_quiz(page, answer) -> None:
    """Answer all seven questions, checking each one's feedback, and go to the review page."""
    seen = set()
    for number in range(1, steps.QUESTION_COUNT + 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number} of {steps.QUESTION_COUNT}")
        kind = steps.question_type(page)
        seen.add(kind)
        answer(page, kind)
        steps.expect_feedback(page, kind)
        expect(page.locator("#question")).to_contain_text(f"{number} of {steps.QUESTION_COUNT} answered")
        onward = "Next question" if number < steps.QUESTION_COUNT else "Review and submit"
        follow(page, onward, by_keyboard=answer is steps.answer_by_keyboard)
    assert seen == {"single", "multiple", "true_false", "short", "order", "match", "highlight"}
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.locator("main")).to_contain_text("7 of 7 questions answered.")


def follow(page, text: str, by_keyboard: bool) -> None:
    if by_keyboard:
        steps.activate(page, "a, button", text)
    else:
        page.get_by_role("link", name=text).or_(page.get_by_role("button", name=text)).first.click()


def test_a_student_joins_reads_takes_every_kind_of_question_and_resumes_elsewhere(server, new_context):
    page = new_context().new_page()
    resume_code = steps.join_class(page, server.join_code, "Amira")
    assert len(resume_code.replace("-", "")) == 12

    # She reads the passage first.
    page.goto("/")
    first_passage = page.locator(".passage-card h2 a").first
    title = first_passage.inner_text()
    first_passage.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".passage-text .sentence").first).to_be_visible()

    page.goto("/welcome")
    steps.open_every_type_quiz(page)
    page.get_by_role("button", name="Start the quiz").click()
    take_every_type_quiz(page, steps.answer_by_mouse)
    page.get_by_role("button", name="Submit the quiz").click()
    steps.expect_results(page)
    # Every answer is reviewed with its feedback, and evidence links point into the passage.
    expect(page.locator(".answer-review > li")).to_have_count(steps.QUESTION_COUNT)
    evidence_link = page.get_by_role("link", name="Go to the sentence").first
    evidence_link.click()
    expect(page.locator(".passage-text .evidence mark").first).to_be_visible()

    page.go_back()
    page.get_by_role("button", name="Leave").click()
    expect(page.get_by_role("link", name="Join a class")).to_be_visible()

    elsewhere = new_context().new_page()
    steps.resume(elsewhere, resume_code)
    steps.expect_attempt_kept(elsewhere)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_student_takes_the_quiz_with_the_keyboard_alone(server, new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    name = "Kai" if javascript else "Noor"
    resume_code = steps.join_class_by_keyboard(page, server.join_code, name)

    steps.activate(page, "a", "Go to my quizzes")
    steps.activate(page, "a", steps.EVERY_TYPE_TITLE)
    steps.activate(page, "button", "Start the quiz")
    take_every_type_quiz(page, steps.answer_by_keyboard)
    steps.activate(page, "button", "Submit the quiz")
    steps.expect_results(page)

    steps.activate(page, "button", "Leave")
    expect(page.get_by_role("link", name="Join a class")).to_be_visible()
    steps.activate(page, "a", "Join a class")
    steps.activate(page, "a", "Continue with your resume code")
    steps.tab_to(page, "#resume_code")
    page.keyboard.type(resume_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My quizzes")
