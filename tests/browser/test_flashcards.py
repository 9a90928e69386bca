"""A flashcard study session in a real browser, by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_student_studies_the_cards_by_keyboard_reveals_rates_undoes_and_finishes(server, new_context):
    page = new_context().new_page()
    steps.join_class_by_keyboard(page, server.join_code, "Tomas")
    page.goto("/cards/study/quiz/every-type")
    expect(page.get_by_role("heading", level=1)).to_have_text("Study")
    first_front = page.locator("#card-front .card-text").inner_text()
    expect(page.locator("#card-back")).to_have_count(0)

    # The first card with Tab and Enter, as on any page.
    steps.tab_to(page, "#reveal")
    press_and_wait(page, "Enter")
    expect(page.locator("#card-back")).to_be_visible()
    expect(page.locator("#card-back")).to_be_focused()  # read next by a screen reader
    steps.tab_to(page, "button[name=rating][value='3']")
    press_and_wait(page, "Enter")
    expect(page.locator("#card-front .card-text")).not_to_have_text(first_front)

    # Second thoughts: undo brings the first card back to be rated again.
    steps.tab_to(page, "#undo")
    press_and_wait(page, "Enter")
    expect(page.locator("#card-front .card-text")).to_have_text(first_front)

    # The shortcuts the page announces: Space shows the answer, 4 rates it Easy.
    expect(page.locator("#shortcuts")).to_be_visible()
    for _ in range(2):
        press_and_wait(page, "Space")
        expect(page.locator("#card-back")).to_be_visible()
        press_and_wait(page, "4")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#card-front")).to_have_count(0)

    page.goto("/cards/")
    expect(page.locator("#learned-count")).to_have_text("2")
