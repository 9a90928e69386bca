"""What a student does on the pages, written once for the journeys: by mouse or by keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

EVERY_TYPE_TITLE = "Every question type"
QUESTION_COUNT = 7

# The every-type quiz, answered as a careful reader would, except the true/false
# question, which the student gets wrong on purpose to see the feedback for a miss.
CHOICES = {
    "single": ["10 of 24"],
    "multiple": ["Yahya Sinwar", "Muhammad Deif"],
    "true_false": ["False"],
}
SHORT_ANSWER = "Rand"
ORDER = {"Oct. 7 attack": "1", "Offensive begins": "2", "Death toll reaches 20,000": "3"}
MATCHES = {
    "Michael Nagata": "Retired U.S. Army lieutenant general",
    "Raphael Cohen": "Rand Corp. political scientist",
}
HIGHLIGHT_SENTENCE = "The IDF says 134 of its troops have been killed"
EXPECTED_SCORE = "6 of 7"
EXPECTED_SKILLS = {
    "attribution": ("2", "2"),
    "fact": ("1", "2"),
    "vocabulary": ("1", "1"),
    "inference": ("1", "1"),
    "evidence": ("1", "1"),
}


def question_type(page: Page) -> str:
    """Which kind of question is on the page, as a student would tell from its inputs."""
    question = page.locator("#question")
    for kind, selector in [
        ("highlight", "fieldset.highlight"),
        ("match", "fieldset.match"),
        ("order", "fieldset.order"),
        ("short", "#short-answer"),
        ("true_false", "input[name=answer]"),
        ("multiple", "input[type=checkbox][name=choice]"),
        ("single", "input[type=radio][name=choice]"),
    ]:
        if question.locator(selector).count():
            return kind
    raise AssertionError(f"no question inputs on {page.url}")


# --- by mouse ---------------------------------------------------------------------------


def join_class(page: Page, join_code: str, name: str) -> str:
    """Join with the class code; returns the resume code the welcome page shows."""
    page.goto("/join")
    page.get_by_label("Class code").fill(join_code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {name}")
    return page.locator("#resume-code").inner_text().strip()


def open_every_type_quiz(page: Page) -> None:
    page.get_by_role("link", name="Go to my quizzes").click()
    page.get_by_role("link", name=EVERY_TYPE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVERY_TYPE_TITLE)


def answer_by_mouse(page: Page, kind: str) -> None:
    question = page.locator("#question")
    if kind in CHOICES:
        for text in CHOICES[kind]:
            question.get_by_label(text, exact=True).check()
    elif kind == "short":
        question.get_by_role("textbox").fill(SHORT_ANSWER)
    elif kind == "order":
        for text, place in ORDER.items():
            question.get_by_label(text, exact=True).select_option(place)
    elif kind == "match":
        for left, right in MATCHES.items():
            question.get_by_label(left, exact=True).select_option(label=right)
    elif kind == "highlight":
        question.get_by_role("link", name="Go to the passage to choose sentences").click()
        page.locator("label.sentence-pick", has_text=HIGHLIGHT_SENTENCE).locator("input").check()
    page.get_by_role("button", name="Save answer").click()


def expect_feedback(page: Page, kind: str) -> None:
    """The saved answer's verdict, and the evidence marked in the passage if there is any."""
    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    verdict = "Not right." if kind == "true_false" else "Right."
    expect(feedback.locator(".feedback-verdict"), f"feedback on the {kind} question").to_contain_text(verdict)
    if kind in ("single", "multiple", "true_false", "highlight"):
        expect(page.locator("#passage .evidence mark").first).to_be_visible()
        expect(feedback.get_by_role("link", name="Go to the sentence").first).to_be_visible()


def expect_results(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your results: {EVERY_TYPE_TITLE}")
    expect(page.locator("#score")).to_contain_text(EXPECTED_SCORE)
    rows = page.locator("#skills tbody tr")
    skills = {
        rows.nth(i).locator("th").inner_text(): tuple(rows.nth(i).locator("td").all_inner_texts())
        for i in range(rows.count())
    }
    assert skills == EXPECTED_SKILLS


def resume(page: Page, resume_code: str) -> None:
    page.goto("/resume")
    page.get_by_label("Resume code").fill(resume_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My quizzes")


def expect_attempt_kept(page: Page) -> None:
    """Back on the quiz page, the finished attempt and its score are there."""
    page.get_by_role("link", name=EVERY_TYPE_TITLE).click()
    expect(page.locator("main")).to_contain_text(re.compile(r"Attempt 1: " + EXPECTED_SCORE))


# --- by keyboard alone -------------------------------------------------------------------


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 400) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the CSS selector."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {key} on {page.url}")


def tab_to_text(page: Page, role_selector: str, text: str, backwards: bool = False, limit: int = 400) -> None:
    """Press Tab (or Shift+Tab) until a link or button with this visible text has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            "([s, t]) => { const a = document.activeElement;"
            " return !!a && a.matches(s) && a.textContent.trim() === t; }",
            [role_selector, text],
        ):
            return
    raise AssertionError(f"no {role_selector} reading {text!r} can be reached with {key} on {page.url}")


def activate(page: Page, role_selector: str, text: str, *, loads_page: bool = True, **options) -> None:
    """Tab to a link or button by its text and press Enter (waiting for any page it loads)."""
    tab_to_text(page, role_selector, text, **options)
    if loads_page:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def join_class_by_keyboard(page: Page, join_code: str, name: str) -> str:
    page.goto("/")
    activate(page, "a", "Join a class")
    tab_to(page, "#join_code")
    page.keyboard.type(join_code)
    page.keyboard.press("Tab")
    page.keyboard.type(name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {name}")
    return page.locator("#resume-code").inner_text().strip()


def _focused_label(page: Page) -> str:
    return page.evaluate(
        "() => { const a = document.activeElement;"
        " return a.labels && a.labels.length ? a.labels[0].textContent.trim() : ''; }"
    )


def _choose_in_select(page: Page, wanted: str) -> None:
    """On a focused select, press ArrowDown until the wanted option is selected."""
    for _ in range(20):
        if page.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()") == wanted:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {wanted!r} in the focused select on {page.url}")


def answer_by_keyboard(page: Page, kind: str) -> None:
    """Answer the question with Tab, Space, arrow keys and typing; save with Enter."""
    tab_to(page, "#question-heading, #question a, #question input, #question select, #question button")
    if kind in ("single", "true_false"):
        # A radio group is one Tab stop; the arrow keys move the choice within it.
        tab_to(page, "#question input[type=radio]")
        wanted = CHOICES[kind][0]
        for _ in range(10):
            if _focused_label(page) == wanted:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        assert _focused_label(page) == wanted
    elif kind == "multiple":
        for _ in range(10):
            tab_to(page, "#question input[type=checkbox]")
            if _focused_label(page) in CHOICES[kind]:
                page.keyboard.press("Space")
            if page.locator("#question input[type=checkbox]:checked").count() == len(CHOICES[kind]):
                break
    elif kind == "short":
        tab_to(page, "#short-answer")
        page.keyboard.type(SHORT_ANSWER)
    elif kind in ("order", "match"):
        wanted = ORDER if kind == "order" else MATCHES
        for _ in wanted:
            tab_to(page, "#question select")
            _choose_in_select(page, wanted[_focused_label(page)])
    elif kind == "highlight":
        activate(page, "a", "Go to the passage to choose sentences", loads_page=False)
        tab_to(page, "label.sentence-pick input")
        for _ in range(400):
            sentence = page.evaluate("() => document.activeElement.parentElement.textContent.replace(/\\s+/g, ' ')")
            if HIGHLIGHT_SENTENCE in sentence:
                break
            page.keyboard.press("Tab")
        else:
            raise AssertionError(f"no sentence reading {HIGHLIGHT_SENTENCE!r} can be reached with Tab")
        page.keyboard.press("Space")
    activate(page, "button", "Save answer")
