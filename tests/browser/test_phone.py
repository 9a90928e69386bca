"""The student journey on a phone-sized screen, and pictures of the main pages for the README."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import steps
from .conftest import LAPTOP, PHONE, save_screenshot, widths

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> None:
    """Nothing on the page makes the reader scroll sideways."""
    page.wait_for_load_state()
    scroll_width, client_width = widths(page)
    assert scroll_width <= client_width, f"{page.url} is {scroll_width} px wide on a {client_width} px screen"


def test_a_student_reads_and_takes_a_quiz_on_a_phone_without_scrolling_sideways(server, new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    steps.join_class(page, server.join_code, "Yusuf")
    fits_the_screen(page)

    page.goto("/")
    fits_the_screen(page)
    page.locator(".passage-card h2 a").first.click()
    fits_the_screen(page)
    save_screenshot(page, "phone-passage")

    page.goto("/welcome")
    steps.open_every_type_quiz(page)
    fits_the_screen(page)
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(1, steps.QUESTION_COUNT + 1):
        fits_the_screen(page)
        # On a phone the passage comes first; a link jumps to the question.
        page.get_by_role("link", name="Question", exact=True).click()
        kind = steps.question_type(page)
        steps.answer_by_mouse(page, kind)
        steps.expect_feedback(page, kind)
        fits_the_screen(page)
        if kind == "single":
            page.locator("#feedback").scroll_into_view_if_needed()
            save_screenshot(page, "phone-feedback")
        next_link = "Next question" if number < steps.QUESTION_COUNT else "Review and submit"
        page.get_by_role("link", name=next_link).click()
    fits_the_screen(page)
    page.get_by_role("button", name="Submit the quiz").click()
    steps.expect_results(page)
    fits_the_screen(page)
    save_screenshot(page, "phone-results")
    page.get_by_role("link", name="Back to my quizzes").click()
    fits_the_screen(page)


def test_the_main_pages_at_laptop_size(server, new_context):
    page = new_context(viewport=LAPTOP).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Read the news closely")
    save_screenshot(page, "laptop-passages")

    steps.join_class(page, server.join_code, "Ines")
    steps.open_every_type_quiz(page)
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(1, steps.QUESTION_COUNT + 1):
        kind = steps.question_type(page)
        steps.answer_by_mouse(page, kind)
        if kind == "single":
            # Passage and question side by side, the evidence marked in the passage.
            expect(page.locator("#passage .evidence mark").first).to_be_in_viewport()
            save_screenshot(page, "laptop-feedback")
        next_link = "Next question" if number < steps.QUESTION_COUNT else "Review and submit"
        page.get_by_role("link", name=next_link).click()
    page.get_by_role("button", name="Submit the quiz").click()
    steps.expect_results(page)
    save_screenshot(page, "laptop-results")
