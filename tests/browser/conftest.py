"""A real quizapp server and a real Chromium, for tests that use the app as people do.

The server is gunicorn on a free loopback port, set up once per test session with
`quizapp setup` against its own SQLite file and a copy of the real content plus the
every-type quiz. Each browser context refuses requests to any other host and collects
console errors (a CSP violation is one), and the test fails if there were any.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.databases import on_postgresql, schema_url
from tests.helpers import EVERY_TYPE_QUIZ

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# Every run saves fresh screenshots here (ignored by git); the README shows copies of the
# best of them from docs/screenshots/.
SCREENSHOTS_DIR = Path(os.environ.get("QUIZAPP_SCREENSHOTS_DIR", PROJECT_DIR / "test-artifacts" / "screenshots"))


@dataclass
class Server:
    base_url: str
    database_url: str
    content_dir: Path
    instructor_email: str
    instructor_password: str
    join_code: str
    log_path: Path

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _content_with_every_type_quiz(folder: Path) -> Path:
    """The real passages and question bank, plus the quiz that has every question type."""
    shutil.copytree(PROJECT_DIR / "seeds", folder / "seeds")
    shutil.copytree(PROJECT_DIR / "questions", folder / "questions", ignore=shutil.ignore_patterns(".*", "*.md"))
    (folder / "questions" / "every-type.yaml").write_text(EVERY_TYPE_QUIZ, encoding="utf-8")
    return folder


def _run_setup(env: dict) -> str:
    """Run `quizapp setup` (its demo password file lands beside the test database)."""
    done = subprocess.run(  # noqa: S603 (our own venv scripts)
        [str(VENV_BIN / "quizapp"), "setup"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"quizapp setup failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL we built)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within 30 s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def server(request, tmp_path_factory) -> Server:
    root = tmp_path_factory.mktemp("server")
    content_dir = _content_with_every_type_quiz(root / "content")
    if on_postgresql():
        database_url = schema_url(request.getfixturevalue("postgres_schemas").new())
    else:
        database_url = f"sqlite:///{root / 'quizapp.sqlite3'}"
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": database_url,
        "QUIZAPP_CONTENT_DIR": str(content_dir),
        "QUIZAPP_SECRET_KEY": secrets.token_hex(32),
    }
    output = _run_setup(env)
    password = re.search(r"password:\s+(\S+)", output)
    email = re.search(r"email:\s+(\S+)", output)
    join_code = re.search(r"class code:\s+(\S+)", output)
    assert password and email and join_code, f"setup did not print the demo accounts:\n{output}"

    port = _free_port()
    log_path = root / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own venv scripts)
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "quizapp:create_app()",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(base_url + "/", process, log_path)
        yield Server(
            base_url=base_url,
            database_url=database_url,
            content_dir=content_dir,
            instructor_email=email.group(1),
            instructor_password=password.group(1),
            join_code=join_code.group(1),
            log_path=log_path,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log = log_path.read_text()
    assert "Traceback" not in log, f"the server logged an error while the browser tests ran:\n{log}"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a browser context did that a user would never want: outside requests, console errors."""

    app_origin: str
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"request to another host: {url}" for url in self.outside_requests] + [
            f"console error: {text}" for text in self.console_errors
        ]


@pytest.fixture
def new_context(browser, server):
    """Open browser contexts on the app; fail the test if a page reached out or logged an error."""
    opened = []
    watch = Watch(app_origin=urlsplit(server.base_url).netloc)

    def route(route_, request):
        if urlsplit(request.url).netloc == watch.app_origin or request.url.startswith("data:"):
            route_.continue_()
        else:
            watch.outside_requests.append(request.url)
            route_.abort()

    def on_console(message):
        # A page answering 4xx on purpose (a refused answer) is fine; its resources failing is not.
        if message.type == "error" and not (
            message.text.startswith("Failed to load resource") and message.location.get("url") in page_urls()
        ):
            watch.console_errors.append(f"{message.text} (on {message.location.get('url')})")

    def page_urls() -> set[str]:
        return {page.url for context in opened for page in context.pages}

    def open_context(viewport=LAPTOP, **options):
        context = browser.new_context(base_url=server.base_url, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        context.route("**/*", route)
        context.on("console", on_console)
        context.on("weberror", lambda error: watch.console_errors.append(str(error.error)))
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()
    assert not watch.problems(), "\n".join(watch.problems())


def widths(page) -> tuple[int, int]:
    """How wide the page's content is, and how wide the screen shows it."""
    return tuple(page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"))


def save_screenshot(page, name: str) -> None:
    """Keep a picture of a page for the README (PNG, the visible viewport only)."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"))
