"""A real quizapp server on loopback and virtual students who take a quiz through it.

Shared by the fault tests (tests/robustness/test_faults.py) and the load benchmark
(tests/bench/load.py). The server is gunicorn with the production settings
(gunicorn.conf.py), on its own SQLite file prepared by `quizapp setup`. A student's
journey is written once, as a generator of requests, and driven either by a plain
blocking client (fault tests) or by asyncio streams (benchmark). Traffic goes to
127.0.0.1 only. The benchmark may hand prepare_site a PostgreSQL URL instead.
"""

from __future__ import annotations

import html
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Generator
from contextlib import suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

from tests.helpers import EVERY_TYPE_QUIZ

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
DEMO_PASSWORD_FILE = PROJECT_DIR / "instance" / "demo-instructor.txt"
HOST = "127.0.0.1"
QUIZ_ID = "every-type"


# --- the site: content, database, accounts ----------------------------------------------------


@dataclass
class Site:
    root: Path
    env: dict
    database_path: Path | None  # None when the site runs on PostgreSQL
    join_code: str
    instructor_email: str
    instructor_password: str

    @property
    def database_url(self) -> str:
        return self.env["QUIZAPP_DATABASE_URL"]

    def connect(self) -> sqlite3.Connection:
        """A connection of our own to the server's SQLite file, as another process would open it."""
        connection = sqlite3.connect(self.database_path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        return connection

    def engine(self) -> sa.Engine:
        """An engine of our own on the server's database, whichever kind it is."""
        url = sa.make_url(self.database_url)
        arguments = {"timeout": 30} if url.get_backend_name() == "sqlite" else {}
        return sa.create_engine(url, poolclass=sa.NullPool, connect_args=arguments)


def prepare_site(root: Path, quizzes: dict[str, str] | None = None, database_url: str | None = None) -> Site:
    """Copy the seed passages and the quizzes into ``root`` and run `quizapp setup` there.

    The database is a new SQLite file in ``root`` unless ``database_url`` names an empty one.
    """
    content_dir = root / "content"
    shutil.copytree(PROJECT_DIR / "seeds", content_dir / "seeds")
    (content_dir / "questions").mkdir()
    for name, text in (quizzes or {f"{QUIZ_ID}.yaml": EVERY_TYPE_QUIZ}).items():
        (content_dir / "questions" / name).write_text(text, encoding="utf-8")
    database_path = None if database_url else root / "quizapp.sqlite3"
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": database_url or f"sqlite:///{database_path}",
        "QUIZAPP_CONTENT_DIR": str(content_dir),
        "QUIZAPP_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
    }
    # setup writes the demo password into the project's instance folder: keep the developer's own.
    saved = DEMO_PASSWORD_FILE.read_bytes() if DEMO_PASSWORD_FILE.exists() else None
    try:
        done = subprocess.run(  # noqa: S603 (our own venv script)
            [str(VENV_BIN / "quizapp"), "setup"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        if saved is not None:
            DEMO_PASSWORD_FILE.write_bytes(saved)
    if done.returncode != 0:
        raise RuntimeError(f"quizapp setup failed:\n{done.stdout}\n{done.stderr}")

    def printed(label: str) -> str:
        return re.search(rf"{label}:\s+(\S+)", done.stdout).group(1)

    return Site(
        root=root,
        env=env,
        database_path=database_path,
        join_code=printed("class code"),
        instructor_email=printed("email"),
        instructor_password=printed("password"),
    )


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _ignore_file_size_signal() -> None:
    # With SIGXFSZ ignored, a write past RLIMIT_FSIZE fails with EFBIG instead of killing
    # the process: the way a full disk looks to SQLite. The disposition survives exec.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class Server:
    """gunicorn with gunicorn.conf.py, in its own process group, its output collected."""

    def __init__(self, env: dict, app: str = "quizapp:create_app()", workers: int | None = None):
        self.env = env
        self.app = app
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []

    @property
    def address(self) -> tuple[str, int]:
        return HOST, self.port

    def start(self, timeout: float = 60) -> Server:
        command = [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"{HOST}:{self.port}",
            "--no-control-socket",  # one shared socket path would let two servers collide
        ]
        if self.workers:
            command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(  # noqa: S603 (our own venv script)
            [*command, self.app],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=subprocess.PIPE,  # a pipe, not a file: a file-size limit must not hit the log
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=_ignore_file_size_signal,  # noqa: PLW1509 (no threads touch the child)
        )
        self._collector = threading.Thread(target=self._collect, args=(self.process,), daemon=True)
        self._collector.start()
        self._wait_until_answering(timeout)
        return self

    def _collect(self, process: subprocess.Popen) -> None:
        with process.stdout:
            for line in process.stdout:
                self.output.append(line)

    def _reaped(self) -> None:
        self._collector.join(timeout=10)

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log())
            try:
                if request_once(self.address, Request("GET", "/"), timeout=5).status == 200:
                    if len(self.worker_pids()) >= (self.workers or 1):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout} s:\n" + self.log())

    def worker_pids(self) -> list[int]:
        """The worker processes: the master's children."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_ages(self) -> dict[int, float]:
        """Seconds since each worker was forked (a worker needs a second or two to boot)."""
        ticks = os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        ages = {}
        for pid in self.worker_pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            started = int(stat.rsplit(")", 1)[1].split()[19]) / ticks
            ages[pid] = uptime - started
        return ages

    def kill_workers_under_load(
        self,
        tally: Tally,
        stop: threading.Event,
        seed: int = 7,
        answers_between: int = 3,
        victims: list[int] | None = None,
    ) -> list[int]:
        """kill -9 a random booted worker every 0.2-0.8 s until ``stop``; return the victims.

        A kill waits until the students got ``answers_between`` more responses: on two
        cores a worker needs a second or more to boot, and killing faster than workers
        come back would test nothing but patience.
        """
        chance = random.Random(seed)  # noqa: S311 (chooses victims, not secrets)
        victims = [] if victims is None else victims  # a list the caller may watch grow
        served_at_last_kill = 0
        while not stop.wait(chance.uniform(0.2, 0.8)):
            served = tally.of(lambda _status: True)
            booted = [pid for pid, age in self.worker_ages().items() if age > 1.0]
            if served - served_at_last_kill < answers_between or not booted:
                continue
            victim = chance.choice(booted)
            with suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
                victims.append(victim)
                served_at_last_kill = served
        return victims

    def kill_everything(self) -> None:
        """kill -9 the master and every worker at once, as a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reaped()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self._reaped()

    def log(self) -> str:
        return "".join(self.output)


# --- requests and responses, without I/O ------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, str | list[str]] | None = None
    kind: str = "page"  # what the request is for, in the benchmark's tables


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    cookies: list[str] = field(default_factory=list)  # Set-Cookie headers

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


def encode_request(request: Request, host: tuple[str, int], cookies: dict[str, str]) -> bytes:
    body = urlencode(request.form or {}, doseq=True).encode() if request.method == "POST" else b""
    lines = [
        f"{request.method} {request.path} HTTP/1.1",
        f"Host: {host[0]}:{host[1]}",
        "Connection: close",
        "User-Agent: quizapp-virtual-student",
    ]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
    if request.method == "POST":
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def decode_response(raw: bytes) -> Response:
    """Parse a whole HTTP/1.1 response read until the server closed the connection."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ConnectionError("the connection closed before a whole response arrived")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    cookies = []
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            cookies.append(value.strip())
        headers[name.strip().lower()] = value.strip()
    length = headers.get("content-length")
    if length is not None and len(body) < int(length):
        raise ConnectionError("the connection closed in the middle of a response")
    return Response(int(status_line.split()[1]), headers, body.decode("utf-8", "replace"), cookies)


def remember_cookies(jar: dict[str, str], response: Response) -> None:
    for header in response.cookies:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            if morsel["max-age"] == "0" or (not morsel.value and morsel["expires"]):
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


def request_once(address: tuple[str, int], request: Request, cookies=None, timeout=30) -> Response:
    """One request over a fresh blocking connection (gunicorn's sync workers close each one)."""
    with socket.create_connection(address, timeout=timeout) as connection:
        connection.sendall(encode_request(request, address, cookies or {}))
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return decode_response(b"".join(chunks))


# --- reading pages ----------------------------------------------------------------------------

_TAG_ATTRIBUTES = re.compile(r'([\w-]+)="([^"]*)"')


def _tags(page: str, tag: str) -> list[dict[str, str]]:
    return [
        {name: html.unescape(value) for name, value in _TAG_ATTRIBUTES.findall(attributes)}
        for attributes in re.findall(rf"<{tag}\b([^>]*)>", page)
    ]


def hidden_fields(page: str) -> dict[str, str]:
    return {
        tag["name"]: tag.get("value", "")
        for tag in _tags(page, "input")
        if tag.get("type") == "hidden" and "name" in tag
    }


def some_answer(page: str) -> dict[str, str | list[str]]:
    """A valid answer to whichever question the page shows (right or wrong does not matter)."""
    inputs = _tags(page, "input")
    selects = [tag["name"] for tag in _tags(page, "select") if "name" in tag]
    names = {tag.get("name") for tag in inputs}
    if "choice" in names:
        kind = next(tag["type"] for tag in inputs if tag.get("name") == "choice")
        return {"choice": "0" if kind == "radio" else ["0", "1"]}
    if "answer" in names:
        return {"answer": "true"}
    if "text" in names:
        return {"text": "Rand"}
    if "sentence" in names:
        return {"sentence": next(tag["value"] for tag in inputs if tag.get("name") == "sentence")}
    positions = [name for name in selects if name.startswith("position-")]
    if positions:
        return {name: str(place) for place, name in enumerate(sorted(positions), start=1)}
    matches = [name for name in selects if name.startswith("match-")]
    if matches:
        return dict.fromkeys(matches, "0")
    raise AssertionError("no answer inputs on the question page")


def question_count(page: str, attempt_id: int) -> int:
    numbers = re.findall(rf"/attempts/{attempt_id}/questions/(\d+)", page)
    return max(int(number) for number in numbers)


# --- a student's journey ----------------------------------------------------------------------


@dataclass
class Journal:
    """What the server acknowledged to one student: the ground truth for 'nothing lost'."""

    name: str
    attempt_id: int | None = None
    acknowledged: dict[int, str] = field(default_factory=dict)  # question number -> idempotency key
    submitted: bool = False
    refused_submit: bool = False


class UnexpectedResponse(AssertionError):
    pass


def _expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise UnexpectedResponse(f"{what}: expected {status}, got {response.status}: {response.body[:500]}")
    return response


Journey = Generator[Request, Response, None]


def take_quiz(
    journal: Journal,
    join_code: str,
    quiz_id: str = QUIZ_ID,
    submit: bool = True,
    stop_after: int | None = None,
) -> Journey:
    """Join the class, start the quiz, answer every question in turn, submit.

    Answers are posted straight after their page arrives (no reading time). A driver may
    resend any request after a dropped connection or a 5xx: every step is safe to repeat
    (an answer carries its form_key; start resumes; submit is refused the second time).
    ``stop_after`` answers only that many questions and leaves the attempt open.
    """
    page = _expect((yield Request("GET", "/join")), 200, "join page")
    form = {
        "csrf_token": hidden_fields(page.body)["csrf_token"],
        "join_code": join_code,
        "display_name": journal.name,
    }
    _expect((yield Request("POST", "/join", form, kind="join")), 302, "join")
    yield from resume_and_answer(journal, quiz_id, submit=submit, stop_after=stop_after)


def resume_and_answer(
    journal: Journal, quiz_id: str = QUIZ_ID, submit: bool = True, stop_after: int | None = None
) -> Journey:
    """Start or resume the quiz and answer every question not yet acknowledged."""
    overview = _expect((yield Request("GET", f"/quizzes/{quiz_id}")), 200, "quiz overview")
    token = hidden_fields(overview.body)["csrf_token"]
    started = _expect(
        (yield Request("POST", f"/quizzes/{quiz_id}/start", {"csrf_token": token}, kind="start")),
        302,
        "start",
    )
    attempt_id = int(re.search(r"/attempts/(\d+)/", started.location).group(1))
    if journal.attempt_id not in (None, attempt_id):
        raise UnexpectedResponse(f"a new attempt {attempt_id} was started instead of resuming {journal.attempt_id}")
    journal.attempt_id = attempt_id
    number = int(started.location.rsplit("/", 1)[1])
    total = None
    while total is None or number <= total:
        if stop_after is not None and len(journal.acknowledged) >= stop_after:
            return
        url = f"/attempts/{attempt_id}/questions/{number}"
        page = _expect((yield Request("GET", url, kind="question")), 200, f"question {number}")
        total = question_count(page.body, attempt_id)
        if number in journal.acknowledged:
            number += 1
            continue
        fields = hidden_fields(page.body)
        form = {**fields, **some_answer(page.body)}
        saved = _expect((yield Request("POST", url, form, kind="answer")), 302, f"answer {number}")
        if not saved.location.startswith(url):
            raise UnexpectedResponse(f"answer {number} was not saved: sent to {saved.location}")
        journal.acknowledged[number] = f"{attempt_id}:{fields['form_key']}"
        number += 1
    if submit:
        review = _expect((yield Request("GET", f"/attempts/{attempt_id}/review")), 200, "review")
        form = {"csrf_token": hidden_fields(review.body)["csrf_token"]}
        _expect(
            (yield Request("POST", f"/attempts/{attempt_id}/submit", form, kind="submit")),
            302,
            "submit",
        )
        results = _expect((yield Request("GET", f"/attempts/{attempt_id}/results")), 200, "results")
        journal.submitted = True
        journal.refused_submit = "already submitted" in results.body


# --- a blocking driver that retries, for the fault tests -------------------------------------


@dataclass
class Tally:
    """What one driver saw, request by request."""

    statuses: dict[int, int] = field(default_factory=dict)
    dropped: int = 0  # connections refused, reset or closed without a whole response
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.dropped += 1
            else:
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def of(self, predicate: Callable[[int], bool]) -> int:
        return sum(count for status, count in self.statuses.items() if predicate(status))


def drive(
    journey: Journey,
    address: tuple[str, int],
    tally: Tally,
    cookies: dict[str, str] | None = None,
    deadline: float | None = None,
) -> dict[str, str]:
    """Run a journey with a blocking client, resending a request until it gets an answer.

    A dropped connection or a 503 is retried with the same request, as a browser's
    "send again" would; anything else goes back to the journey. Returns the cookies.
    """
    jar = {} if cookies is None else cookies
    deadline = deadline or time.monotonic() + 120
    try:
        request = next(journey)
        while True:
            pause = 0.05
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no answer to {request.method} {request.path} before the deadline")
                try:
                    response = request_once(address, request, jar, timeout=30)
                except OSError:
                    tally.count(None)
                else:
                    tally.count(response.status)
                    if response.status not in (502, 503, 504):
                        break
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            remember_cookies(jar, response)
            request = journey.send(response)
    except StopIteration:
        return jar
