"""Load benchmark: whole classes take a quiz at once against gunicorn on loopback.

    .venv/bin/python tests/bench/load.py [--database sqlite,postgresql] [--database-url URL]
        [--students 50,200,500] [--paced-students 200] [--think 5,20] [--no-faults]
        [--write docs/performance.md]

For each database and each class size, that many virtual students (asyncio, raw HTTP/1.1)
join, start the every-type quiz, answer its 7 questions with no pauses (each after
fetching its page) and submit. It reports throughput, latency percentiles and errors,
checks that every answer the server acknowledged is in the database, and counts 5xx
responses. The same number of clients then posts to a bare Flask endpoint doing one
insert with the same server and database settings (tests/bench/baseline_app.py); the
ratio of answer throughput to that baseline is the headline figure. A paced class
follows: students arrive over 10 s and read each question for a random 5-20 s (real
pauses, not scaled) before answering. Unless --no-faults, longer versions of the kill -9
fault tests follow (a worker killed every fraction of a second; the whole server killed).

On PostgreSQL the benchmark starts a throwaway cluster with
`scripts/postgres-for-tests.sh --durable` (fsync and synchronous commits on, as SQLite's
synchronous=FULL) and stops it at the end, or uses --database-url; either way the app and
the baseline work in fresh schemas of their own, dropped at the end. Everything runs on
127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa  # noqa: E402

from tests.bench.harness import (  # noqa: E402
    PROJECT_DIR,
    Journal,
    Request,
    Server,
    Site,
    Tally,
    decode_response,
    drive,
    encode_request,
    prepare_site,
    remember_cookies,
    take_quiz,
)

REQUEST_TIMEOUT = 60
RESULTS_START = "<!-- results: written by tests/bench/load.py -->"
RESULTS_END = "<!-- end of results -->"


@dataclass
class Run:
    """What one class size saw."""

    label: str
    clients: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # journeys that stopped, and why
    answers: int = 0  # acknowledged
    missing: int = 0  # acknowledged but not in the database

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def per_second(self, count: int) -> float:
        return count / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def fetch(address, request: Request, cookies: dict[str, str]):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(*address), REQUEST_TIMEOUT)
    try:
        writer.write(encode_request(request, address, cookies))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)  # the server closes
    finally:
        writer.close()
    return decode_response(raw)


async def drive_async(
    journey, address, run: Run, think: Callable[[Request], float] | None = None
) -> None:
    """Run one journey without retries: a failure ends it and is counted.

    ``think(request)`` gives the seconds a student spends before sending ``request``
    (reading the question before answering it); that pause is not part of any latency.
    """
    cookies: dict[str, str] = {}
    request = next(journey)
    while True:
        if think and (pause := think(request)) > 0:
            await asyncio.sleep(pause)
        started = time.perf_counter()
        try:
            response = await fetch(address, request, cookies)
        except (TimeoutError, OSError) as error:
            run.failures.append(f"{request.method} {request.path}: {type(error).__name__}")
            return
        run.record(request.kind, response.status, time.perf_counter() - started)
        remember_cookies(cookies, response)
        try:
            request = journey.send(response)
        except StopIteration:
            return
        except AssertionError as error:
            run.failures.append(str(error)[:200])
            return


async def class_takes_quiz(site: Site, server: Server, students: int) -> tuple[Run, list[Journal]]:
    run = Run(f"{students} students", students)
    journals = [Journal(f"Student {students}-{n}") for n in range(students)]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            drive_async(take_quiz(journal, site.join_code), server.address, run)
            for journal in journals
        )
    )
    run.seconds = time.perf_counter() - started
    run.answers = sum(len(journal.acknowledged) for journal in journals)
    return run, journals


@dataclass
class Pacing:
    """How a paced class behaves: arrivals spread over ``arrival`` s, reading before each answer."""

    students: int
    think: tuple[float, float]  # seconds spent reading a question before answering it
    arrival: float = 10.0  # students open the join page at random moments within this time
    seed: int = 2023

    @property
    def time_limit(self) -> float:
        """Longer than the slowest student can take unless the server stalls."""
        return self.arrival + 7 * self.think[1] + 120


async def paced_class(site: Site, server: Server, pacing: Pacing) -> tuple[Run, list[Journal]]:
    """A class that reads: each answer follows a random pause on its question page."""
    low, high = pacing.think
    run = Run(f"{pacing.students} students, {low:g}-{high:g} s reading", pacing.students)
    journals = [Journal(f"Reader {n}") for n in range(pacing.students)]

    async def student(number: int, journal: Journal) -> None:
        chance = random.Random(pacing.seed * 100_000 + number)  # noqa: S311 (pauses, not secrets)
        await asyncio.sleep(chance.uniform(0, pacing.arrival))

        def think(request: Request) -> float:
            return chance.uniform(low, high) if request.kind == "answer" else 0.0

        await drive_async(take_quiz(journal, site.join_code), server.address, run, think)

    started = time.perf_counter()
    try:
        await asyncio.wait_for(
            asyncio.gather(*(student(n, journal) for n, journal in enumerate(journals))),
            pacing.time_limit,
        )
    except TimeoutError:
        run.failures.append(f"the class did not finish within {pacing.time_limit:.0f} s")
    run.seconds = time.perf_counter() - started
    run.answers = sum(len(journal.acknowledged) for journal in journals)
    run.failures += [
        f"{journal.name} did not finish" for journal in journals if not journal.submitted
    ][:5]
    return run, journals


async def baseline_inserts(server: Server, clients: int, per_client: int) -> Run:
    run = Run(f"baseline, {clients} clients", clients)

    async def client(number: int) -> None:
        for turn in range(per_client):
            request = Request(
                "POST", "/insert", {"body": f"client {number} insert {turn}"}, kind="insert"
            )
            started = time.perf_counter()
            try:
                response = await fetch(server.address, request, {})
            except (TimeoutError, OSError) as error:
                run.failures.append(type(error).__name__)
                return
            run.record("insert", response.status, time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(number) for number in range(clients)))
    run.seconds = time.perf_counter() - started
    run.answers = run.statuses.get(201, 0)
    return run


def missing_answers(site: Site, journals: list[Journal]) -> int:
    """Acknowledged answers whose form_key is not in the answer table (SQLite or PostgreSQL)."""
    engine = site.engine()
    try:
        with engine.connect() as connection:
            stored = set(connection.scalars(sa.text("SELECT idempotency_key FROM answer")))
    finally:
        engine.dispose()
    return sum(
        1 for journal in journals for key in journal.acknowledged.values() if key not in stored
    )


# --- long fault runs ----------------------------------------------------------------------------


def fault_run(site: Site, server: Server, label: str, students: int, fault) -> Run:
    """Students with retrying clients while ``fault(tally, journals, done)`` breaks the server."""
    run = Run(label, students)
    tally = Tally()
    journals = [Journal(f"{label} {n}") for n in range(students)]
    deadline = time.monotonic() + 240

    def student(journal: Journal) -> None:
        try:
            drive(take_quiz(journal, site.join_code), server.address, tally, deadline=deadline)
        except (AssertionError, TimeoutError) as error:
            run.failures.append(str(error)[:200])

    started = time.perf_counter()
    done = threading.Event()
    with ThreadPoolExecutor(students + 1) as pool:
        breaking = pool.submit(fault, tally, journals, done)
        for finished in [pool.submit(student, journal) for journal in journals]:
            finished.result()
        done.set()
        run.failures += breaking.result()
    run.seconds = time.perf_counter() - started
    run.statuses = dict(tally.statuses)
    run.statuses[0] = tally.dropped  # 0: connections cut off (retried)
    run.answers = sum(len(journal.acknowledged) for journal in journals)
    run.missing = missing_answers(site, journals)
    run.failures += [
        f"{journal.name} did not finish" for journal in journals if not journal.submitted
    ]
    return run


def faults(site: Site, server: Server, students: int) -> list[Run]:
    def kill_workers(tally: Tally, journals: list[Journal], done: threading.Event) -> list[str]:
        victims = server.kill_workers_under_load(tally, done, seed=11, answers_between=2)
        notes.append(f"worker kills: {len(victims)}")
        return []

    def kill_server(tally: Tally, journals: list[Journal], done: threading.Event) -> list[str]:
        for round_ in range(3):  # three crashes, each after the class made some progress
            goal = (round_ + 1) * students * 2
            while sum(len(journal.acknowledged) for journal in journals) < goal:
                if done.is_set():
                    return [f"the class finished before crash {round_ + 1}"]
                time.sleep(0.02)
            server.kill_everything()
            time.sleep(1)
            server.start()
        notes.append("whole-server kills: 3")
        return []

    notes: list[str] = []
    runs = [
        fault_run(site, server, "kill -9 a worker every 0.2-0.8 s", students, kill_workers),
        fault_run(site, server, "kill -9 the whole server 3 times", students, kill_server),
    ]
    engine = site.engine()
    with engine.connect() as connection:
        integrity = "ok"  # PostgreSQL checks its pages itself; SQLite is asked
        if engine.dialect.name == "sqlite":
            integrity = connection.scalar(sa.text("PRAGMA integrity_check"))
        duplicates = connection.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT 1 FROM answer GROUP BY attempt_id, question_id "
                "HAVING count(*) > 1) AS twice"
            )
        )
        disagreeing = connection.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT attempt.id FROM attempt "
                "JOIN answer ON answer.attempt_id = attempt.id "
                "WHERE attempt.state = 'submitted' GROUP BY attempt.id, attempt.score "
                "HAVING abs(attempt.score - sum(answer.score)) > 1e-9) AS wrong"
            )
        )
    engine.dispose()
    runs[-1].failures += [] if integrity == "ok" else [f"integrity_check: {integrity}"]
    runs[-1].failures += [f"{duplicates} duplicate answers"] if duplicates else []
    runs[-1].failures += (
        [f"{disagreeing} attempt scores disagree with their answers"] if disagreeing else []
    )
    for run, note in zip(runs, notes, strict=False):
        run.label += f" ({note})"
    return runs


# --- the databases ----------------------------------------------------------------------------

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
POSTGRES_SCRIPT = PROJECT_DIR / "scripts" / "postgres-for-tests.sh"


@dataclass
class Database:
    """Where one benchmark pass keeps its data: the app's site and the baseline's table."""

    name: str
    site: Site
    baseline_env: dict
    version: str


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A private cluster with fsync and synchronous commits on; its URL; stopped at the end."""
    folder = tempfile.mkdtemp(prefix="quizapp-bench-postgres-")
    try:
        started = subprocess.run(  # noqa: S603 (the project's own script)
            [str(POSTGRES_SCRIPT), "--durable", folder],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if started.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(  # noqa: S603
            [str(POSTGRES_SCRIPT), "--stop", folder], capture_output=True, timeout=120, check=False
        )
        shutil.rmtree(folder, ignore_errors=True)


def psycopg_url(url: str) -> sa.URL:
    """The URL with quizapp's driver: a plain postgresql:// would ask SQLAlchemy for psycopg2."""
    return sa.make_url(url).set(drivername="postgresql+psycopg")


@contextmanager
def fresh_schemas(url: str, count: int) -> Iterator[list[sa.URL]]:
    """``count`` new, empty schemas; URLs whose connections see only their schema; dropped at the end."""
    admin = sa.create_engine(psycopg_url(url), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    names = [f"bench_{secrets.token_hex(5)}" for _ in range(count)]
    made = []
    try:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"CREATE SCHEMA {name}")
                made.append(name)
        yield [
            psycopg_url(url).update_query_dict({"options": f"-csearch_path={name}"})
            for name in names
        ]
    finally:
        with admin.connect() as connection:
            for name in made:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.dispose()


@contextmanager
def database(kind: str, root: Path, url: str | None) -> Iterator[Database]:
    if kind == "sqlite":
        site = prepare_site(root / "site")
        baseline_database = root / "baseline.sqlite3"
        with sqlite3.connect(baseline_database) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("CREATE TABLE hit (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        env = {**site.env, "BASELINE_DATABASE": str(baseline_database)}
        yield Database(NAMES[kind], site, env, f"SQLite {sqlite3.sqlite_version}")
        return
    with throwaway_postgres() if url is None else _given(url) as server_url:
        with fresh_schemas(server_url, 2) as (app_url, baseline_url):
            site = prepare_site(root / "site", database_url=app_url.render_as_string(False))
            engine = sa.create_engine(baseline_url, poolclass=sa.NullPool)
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "CREATE TABLE hit (id bigserial PRIMARY KEY, body text NOT NULL)"
                )
                settings = dict(
                    connection.execute(
                        sa.text(
                            "SELECT name, setting FROM pg_settings WHERE name IN "
                            "('server_version', 'fsync', 'synchronous_commit', 'full_page_writes')"
                        )
                    ).all()
                )
            engine.dispose()
            libpq_url = baseline_url.set(drivername="postgresql").render_as_string(False)
            env = {**site.env, "BASELINE_DATABASE_URL": libpq_url}
            version = (
                f"PostgreSQL {settings['server_version']} (fsync {settings['fsync']}, "
                f"synchronous_commit {settings['synchronous_commit']}, "
                f"full_page_writes {settings['full_page_writes']})"
            )
            yield Database(NAMES[kind], site, env, version)


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


# --- one pass over one database ------------------------------------------------------------------


@dataclass
class Bench:
    """Everything measured on one database."""

    name: str
    version: str
    runs: list[tuple[Run, Run]] = field(default_factory=list)  # (class, baseline) per size
    paced: Run | None = None
    fault_runs: list[Run] = field(default_factory=list)
    tracebacks: int = 0
    load: list[float] = field(default_factory=list)  # 1-minute load average, every 10 s


@contextmanager
def sampling_load(into: list[float], every: float = 10.0) -> Iterator[None]:
    """Record the load average while the pass runs: other work on the machine skews it."""
    stop = threading.Event()

    def sample() -> None:
        while True:
            into.append(os.getloadavg()[0])
            if stop.wait(every):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield
    finally:
        stop.set()
        sampler.join()

    @property
    def problems(self) -> bool:
        load = [run for run, _ in self.runs] + ([self.paced] if self.paced else [])
        return any(run.server_errors or run.missing for run in load) or any(
            run.missing or run.failures for run in self.fault_runs
        )


def bench(database: Database, sizes: list[int], pacing: Pacing | None, options) -> Bench:
    result = Bench(database.name, database.version)
    with sampling_load(result.load):
        _measure(result, database, sizes, pacing, options)
    return result


def _measure(result: Bench, database: Database, sizes: list[int], pacing, options) -> None:
    site = database.site
    app = Server(site.env).start()
    baseline = Server(database.baseline_env, app="tests.bench.baseline_app:app").start()
    try:
        # Not measured: every worker opens its database connection and fills its caches first.
        asyncio.run(class_takes_quiz(site, app, 10))
        asyncio.run(baseline_inserts(baseline, 20, per_client=3))
        for size in sizes:
            print(f"{database.name}: {size} students take the quiz...", flush=True)
            run, journals = asyncio.run(class_takes_quiz(site, app, size))
            run.missing = missing_answers(site, journals)
            print(f"{database.name}:   baseline with {size} clients...", flush=True)
            result.runs.append((run, asyncio.run(baseline_inserts(baseline, size, per_client=7))))
        baseline.stop()
        if pacing:
            print(f"{database.name}: {pacing.students} students who read...", flush=True)
            result.paced, journals = asyncio.run(paced_class(site, app, pacing))
            result.paced.missing = missing_answers(site, journals)
        if not options.no_faults:
            print(f"{database.name}: fault runs...", flush=True)
            result.fault_runs = faults(site, app, options.fault_students)
    finally:
        baseline.stop()
        app.stop()
    result.tracebacks = app.log().count("Traceback")


# --- the report ---------------------------------------------------------------------------------


def machine(
    benches: list[Bench], load_before: tuple[float, float, float], started: datetime
) -> list[str]:
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    return [
        f"- Date: {started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} minutes",
        f"- Machine: {os.cpu_count()} cores (nproc), {memory_kib / 1024 / 1024:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, load average before the run "
        f"{' '.join(f'{value:.1f}' for value in load_before)}",
        f"- Python {platform.python_version()}; "
        + "; ".join(f"{bench.version}" for bench in benches),
        f"- Server: gunicorn with gunicorn.conf.py ({server_workers()} sync workers), on 127.0.0.1; "
        "the clients run on the same machine",
        f"- Command: `.venv/bin/python tests/bench/load.py{''.join(' ' + arg for arg in sys.argv[1:])}`",
    ]


def server_workers() -> int:
    return int(os.environ.get("QUIZAPP_WORKERS", (os.cpu_count() or 1) * 2 + 1))


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def spread(values: list[float]) -> str:
    """p50 / p95 / p99 in milliseconds."""
    return " / ".join(milliseconds(percentile(values, share)) for share in (0.5, 0.95, 0.99))


def every_latency(run: Run) -> list[float]:
    return [value for values in run.latencies.values() for value in values]


def ratio(run: Run, baseline: Run) -> float:
    return run.per_second(run.answers) / baseline.per_second(baseline.answers)


def load_table(runs: list[tuple[Run, Run]]) -> list[str]:
    lines = [
        "| students | requests | req/s | answers stored / acknowledged | answers/s | answer p50 / p95 / p99 ms "
        "| all requests p50 / p95 / p99 ms | 5xx | failed journeys | baseline inserts/s "
        "| answers/s ÷ baseline | req/s ÷ baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run, baseline in runs:
        inserts = baseline.per_second(baseline.answers)
        lines.append(
            f"| {run.clients} | {run.requests} | {run.per_second(run.requests):.0f} "
            f"| {run.answers - run.missing} / {run.answers} | {run.per_second(run.answers):.1f} "
            f"| {spread(run.latencies.get('answer', []))} | {spread(every_latency(run))} "
            f"| {run.server_errors} | {len(run.failures)} | {inserts:.1f} "
            f"| {ratio(run, baseline):.2f} | {run.per_second(run.requests) / inserts:.2f} |"
        )
    return lines


def paced_table(run: Run) -> list[str]:
    return [
        "| students | seconds | requests | answers/s | answers stored / acknowledged "
        "| answer p50 / p95 / p99 ms | all requests p50 / p95 / p99 ms | 5xx | failed journeys |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {run.clients} | {run.seconds:.0f} | {run.requests} | {run.per_second(run.answers):.1f} "
        f"| {run.answers - run.missing} / {run.answers} | {spread(run.latencies.get('answer', []))} "
        f"| {spread(every_latency(run))} | {run.server_errors} | {len(run.failures)} |",
    ]


def fault_table(runs: list[Run]) -> list[str]:
    lines = [
        "| fault | students | seconds | answers stored / acknowledged | connections cut (retried) | 503 (retried) "
        "| other 5xx | problems |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        other = sum(
            count for status, count in run.statuses.items() if status >= 500 and status != 503
        )
        lines.append(
            f"| {run.label} | {run.clients} | {run.seconds:.0f} | {run.answers - run.missing} / {run.answers} "
            f"| {run.statuses.get(0, 0)} | {run.statuses.get(503, 0)} | {other} "
            f"| {'; '.join(run.failures[:3]) or 'none'} |"
        )
    return lines


def side_by_side(benches: list[Bench]) -> list[str]:
    """One row per measure, one column per database, and the last ÷ the first where it helps."""
    two = len(benches) == 2
    head = "| class | measure | " + " | ".join(bench.name for bench in benches)
    head += f" | {benches[1].name} ÷ {benches[0].name} |" if two else " |"
    lines = [head, "|---|---|" + "---:|" * (len(benches) + two)]

    def row(scenario: str, measure: str, cells: list[str], values: list[float] | None = None):
        line = f"| {scenario} | {measure} | " + " | ".join(cells)
        if two:
            line += f" | {values[1] / values[0]:.2f} |" if values and values[0] else " |  |"
        else:
            line += " |"
        lines.append(line)

    for index, (first, _) in enumerate(benches[0].runs):
        pairs = [bench.runs[index] for bench in benches]
        scenario = f"{first.clients} students, no pauses"
        answers = [run.per_second(run.answers) for run, _ in pairs]
        row(scenario, "answers/s", [f"{value:.1f}" for value in answers], answers)
        row(
            "",
            "answer p50 / p95 / p99 ms",
            [spread(run.latencies.get("answer", [])) for run, _ in pairs],
        )
        inserts = [baseline.per_second(baseline.answers) for _, baseline in pairs]
        row("", "baseline inserts/s", [f"{value:.1f}" for value in inserts], inserts)
        ratios = [ratio(run, baseline) for run, baseline in pairs]
        row("", "answers/s ÷ baseline", [f"{value:.2f}" for value in ratios], ratios)
        row(
            "",
            "5xx; answers stored / acknowledged",
            [
                f"{run.server_errors}; {run.answers - run.missing} / {run.answers}"
                for run, _ in pairs
            ],
        )
    if all(bench.paced for bench in benches):
        paced = [bench.paced for bench in benches]
        scenario = paced[0].label
        row(
            scenario,
            "answer p50 / p95 / p99 ms",
            [spread(run.latencies.get("answer", [])) for run in paced],
        )
        row("", "all requests p50 / p95 / p99 ms", [spread(every_latency(run)) for run in paced])
        answers = [run.per_second(run.answers) for run in paced]
        row("", "answers/s", [f"{value:.1f}" for value in answers], answers)
        row(
            "",
            "5xx; answers stored / acknowledged",
            [f"{run.server_errors}; {run.answers - run.missing} / {run.answers}" for run in paced],
        )
    return lines


def targets(bench: Bench) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    load = [run for run, _ in bench.runs] + ([bench.paced] if bench.paced else [])
    stored = load + bench.fault_runs
    lines = [
        f"- Zero 5xx: {verdict(all(run.server_errors == 0 for run in load))} "
        f"({sum(run.server_errors for run in load)} in the load runs"
        + (", the paced class included)" if bench.paced else ")"),
        f"- Every acknowledged answer stored: {verdict(all(run.missing == 0 for run in stored))} "
        f"({sum(run.missing for run in stored)} missing of {sum(run.answers for run in stored)})",
    ]
    if bench.paced and bench.paced.clients == 200:
        p99 = percentile(bench.paced.latencies.get("answer", []), 0.99)
        lines.append(
            f"- Answer p99 < 250 ms at 200 students who read: {verdict(p99 < 0.25)} ({milliseconds(p99)} ms)"
        )
    closed = {run.clients: run for run, _ in bench.runs}
    if 200 in closed:
        p99 = percentile(closed[200].latencies.get("answer", []), 0.99)
        lines.append(
            f"- Answer p99 < 250 ms at 200 students with no pauses (saturation): "
            f"{verdict(p99 < 0.25)} ({milliseconds(p99)} ms)"
        )
    if bench.runs:
        ratios = [ratio(run, baseline) for run, baseline in bench.runs]
        lines.append(
            f"- Answer throughput >= half the baseline: {verdict(min(ratios) >= 0.5)} "
            f"(ratios {', '.join(f'{value:.2f}' for value in ratios)})"
        )
    return lines


def report(benches: list[Bench], header: list[str], pacing: Pacing | None) -> list[str]:
    lines = [*header]
    if len(benches) > 1:
        lines += ["", "### Side by side", "", *side_by_side(benches)]
    for bench in benches:
        lines += [
            "",
            f"### {bench.name}: whole classes taking the every-type quiz (7 questions), no pauses",
            "",
            *load_table(bench.runs),
        ]
        if bench.paced:
            lines += [
                "",
                f"### {bench.name}: a class that reads (arrivals over {pacing.arrival:g} s, "
                f"{pacing.think[0]:g}-{pacing.think[1]:g} s on each question before answering)",
                "",
                *paced_table(bench.paced),
            ]
        failures = [failure for run, _ in bench.runs for failure in run.failures]
        failures += bench.paced.failures if bench.paced else []
        lines += [
            "",
            f"Tracebacks in the server log: {bench.tracebacks}. Load average (1 min) during this "
            f"pass, sampled every 10 s: {min(bench.load):.1f}-{max(bench.load):.1f}.",
        ]
        if failures:
            lines += [
                "",
                "Journeys that stopped (first 5):",
                *(f"- {failure}" for failure in failures[:5]),
            ]
        if bench.fault_runs:
            lines += [
                "",
                f"### {bench.name}: long fault runs (clients retry with the same form_key)",
                "",
                *fault_table(bench.fault_runs),
            ]
        lines += ["", f"### {bench.name}: targets", "", *targets(bench)]
    return lines


def write_results(path: Path, lines: list[str]) -> None:
    block = "\n".join([RESULTS_START, *lines, RESULTS_END])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        text = before + block + rest.split(RESULTS_END, 1)[1]
    else:
        text = (text.rstrip() + "\n\n" if text else "# Performance\n\n") + block + "\n"
    path.write_text(text, encoding="utf-8")


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="sqlite",
        help="sqlite, postgresql or both (comma-separated), in order",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (schemas are made and dropped in it) instead of a "
        "throwaway cluster",
    )
    parser.add_argument("--students", default="50,200,500", help="class sizes, comma-separated")
    parser.add_argument(
        "--paced-students", type=int, default=200, help="students in the paced class (0: none)"
    )
    parser.add_argument(
        "--think", default="5,20", help="least and most seconds spent reading a question"
    )
    parser.add_argument("--fault-students", type=int, default=30, help="students in each fault run")
    parser.add_argument("--no-faults", action="store_true", help="skip the long kill -9 runs")
    parser.add_argument("--write", type=Path, help="put the results into this Markdown file")
    options = parser.parse_args()
    # A plain `kill` ends the run through the finally blocks, so no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    kinds = [kind.strip() for kind in options.database.split(",")]
    if unknown := set(kinds) - set(NAMES):
        parser.error(f"unknown database {', '.join(sorted(unknown))}: use sqlite or postgresql")
    sizes = [int(size) for size in options.students.split(",") if size]
    low, high = (float(value) for value in options.think.split(","))
    pacing = Pacing(options.paced_students, (low, high)) if options.paced_students else None
    load_before = os.getloadavg()
    started = datetime.now(UTC)

    benches = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as folder:
        for kind in kinds:
            with database(kind, Path(folder) / kind, options.database_url) as place:
                benches.append(bench(place, sizes, pacing, options))

    lines = report(benches, machine(benches, load_before, started), pacing)
    print("\n".join(lines))
    if options.write:
        write_results(
            PROJECT_DIR / options.write if not options.write.is_absolute() else options.write, lines
        )
    return 1 if any(bench.problems for bench in benches) else 0


if __name__ == "__main__":
    sys.exit(main())
