"""Load benchmark: whole classes take a quiz at once against gunicorn on loopback.

    .venv/bin/python tests/bench/load.py [--students 50,200,500] [--no-faults] [--write docs/performance.md]

For each class size, that many virtual students (asyncio, raw HTTP/1.1) join, start the
every-type quiz, answer its 7 questions with no pauses (each after fetching its page) and
submit. It reports throughput, latency percentiles and errors, checks that every answer
the server acknowledged is in the database, and counts 5xx responses. The same number of
clients then posts to a bare Flask endpoint doing one SQLite insert with the same server
and SQLite settings (tests/bench/baseline_app.py); the ratio of answer throughput to that
baseline is the headline figure. Unless --no-faults, longer versions of the kill -9 fault
tests follow (a worker killed every fraction of a second; the whole server killed).
Everything runs on 127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

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


async def drive_async(journey, address, run: Run) -> None:
    """Run one journey without retries: a failure ends it and is counted."""
    cookies: dict[str, str] = {}
    request = next(journey)
    while True:
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
    with site.connect() as connection:
        stored = {key for (key,) in connection.execute("SELECT idempotency_key FROM answer")}
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
    with site.connect() as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        duplicates = connection.execute(
            "SELECT count(*) FROM (SELECT 1 FROM answer GROUP BY attempt_id, question_id HAVING count(*) > 1)"
        ).fetchone()[0]
        disagreeing = connection.execute(
            "SELECT count(*) FROM (SELECT attempt.id FROM attempt JOIN answer ON answer.attempt_id = attempt.id "
            "WHERE attempt.state = 'submitted' GROUP BY attempt.id "
            "HAVING abs(attempt.score - sum(answer.score)) > 1e-9)"
        ).fetchone()[0]
    runs[-1].failures += [] if integrity == "ok" else [f"integrity_check: {integrity}"]
    runs[-1].failures += [f"{duplicates} duplicate answers"] if duplicates else []
    runs[-1].failures += (
        [f"{disagreeing} attempt scores disagree with their answers"] if disagreeing else []
    )
    for run, note in zip(runs, notes, strict=False):
        run.label += f" ({note})"
    return runs


# --- the report ---------------------------------------------------------------------------------


def machine() -> list[str]:
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores (nproc), {memory_kib / 1024 / 1024:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, load average before the run "
        f"{' '.join(f'{value:.1f}' for value in os.getloadavg())}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- Server: gunicorn with gunicorn.conf.py ({server_workers()} sync workers), on 127.0.0.1; "
        "the clients run on the same machine",
        f"- Command: `.venv/bin/python tests/bench/load.py{''.join(' ' + arg for arg in sys.argv[1:])}`",
    ]


def server_workers() -> int:
    return int(os.environ.get("QUIZAPP_WORKERS", (os.cpu_count() or 1) * 2 + 1))


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def load_table(runs: list[tuple[Run, Run]]) -> list[str]:
    lines = [
        "| students | requests | req/s | answers stored / acknowledged | answers/s | answer p50 / p95 / p99 ms "
        "| all requests p50 / p95 / p99 ms | 5xx | failed journeys | baseline inserts/s "
        "| answers/s ÷ baseline | req/s ÷ baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run, baseline in runs:
        answer = run.latencies.get("answer", [])
        every = [value for values in run.latencies.values() for value in values]
        ratio = run.per_second(run.answers) / baseline.per_second(baseline.answers)
        lines.append(
            f"| {run.clients} | {run.requests} | {run.per_second(run.requests):.0f} "
            f"| {run.answers - run.missing} / {run.answers} | {run.per_second(run.answers):.1f} "
            f"| {' / '.join(milliseconds(percentile(answer, p)) for p in (0.5, 0.95, 0.99))} "
            f"| {' / '.join(milliseconds(percentile(every, p)) for p in (0.5, 0.95, 0.99))} "
            f"| {run.server_errors} | {len(run.failures)} | {baseline.per_second(baseline.answers):.1f} "
            f"| {ratio:.2f} | {run.per_second(run.requests) / baseline.per_second(baseline.answers):.2f} |"
        )
    return lines


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


def targets(runs: list[tuple[Run, Run]]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    by_size = {run.clients: (run, baseline) for run, baseline in runs}
    lines = [
        f"- Zero 5xx: {verdict(all(run.server_errors == 0 for run, _ in runs))} "
        f"({sum(run.server_errors for run, _ in runs)} in all)",
        f"- Every acknowledged answer stored: {verdict(all(run.missing == 0 for run, _ in runs))} "
        f"({sum(run.missing for run, _ in runs)} missing of {sum(run.answers for run, _ in runs)})",
    ]
    if 200 in by_size:
        p99 = percentile(by_size[200][0].latencies.get("answer", []), 0.99)
        lines.append(
            f"- Answer p99 < 250 ms at 200 students: {verdict(p99 < 0.25)} ({milliseconds(p99)} ms)"
        )
    ratios = [
        run.per_second(run.answers) / baseline.per_second(baseline.answers)
        for run, baseline in runs
    ]
    lines.append(
        f"- Answer throughput >= half the baseline: {verdict(min(ratios) >= 0.5)} "
        f"(ratios {', '.join(f'{ratio:.2f}' for ratio in ratios)})"
    )
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
    parser.add_argument("--students", default="50,200,500", help="class sizes, comma-separated")
    parser.add_argument("--fault-students", type=int, default=30, help="students in each fault run")
    parser.add_argument("--no-faults", action="store_true", help="skip the long kill -9 runs")
    parser.add_argument("--write", type=Path, help="put the results into this Markdown file")
    options = parser.parse_args()
    # A plain `kill` ends the run through the finally blocks, so no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sizes = [int(size) for size in options.students.split(",")]
    header = machine()

    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as folder:
        root = Path(folder)
        site = prepare_site(root / "site")
        baseline_database = root / "baseline.sqlite3"
        with sqlite3.connect(baseline_database) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("CREATE TABLE hit (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        baseline_env = {**site.env, "BASELINE_DATABASE": str(baseline_database)}

        runs: list[tuple[Run, Run]] = []
        app = Server(site.env).start()
        baseline = Server(baseline_env, app="tests.bench.baseline_app:app").start()
        try:
            for size in sizes:
                print(f"{size} students take the quiz...", flush=True)
                run, journals = asyncio.run(class_takes_quiz(site, app, size))
                run.missing = missing_answers(site, journals)
                print(f"  baseline with {size} clients...", flush=True)
                runs.append((run, asyncio.run(baseline_inserts(baseline, size, per_client=7))))
            baseline.stop()
            fault_runs = [] if options.no_faults else faults(site, app, options.fault_students)
        finally:
            baseline.stop()
            app.stop()
        server_errors_logged = app.log().count("Traceback")

    lines = [
        *header,
        "",
        "### Whole classes taking the every-type quiz (7 questions), no pauses",
        "",
        *load_table(runs),
        "",
        f"Tracebacks in the server log: {server_errors_logged}.",
    ]
    failures = [failure for run, _ in runs for failure in run.failures]
    if failures:
        lines += [
            "",
            "Journeys that stopped (first 5):",
            *(f"- {failure}" for failure in failures[:5]),
        ]
    if fault_runs:
        lines += [
            "",
            "### Long fault runs (clients retry with the same form_key)",
            "",
            *fault_table(fault_runs),
        ]
    lines += ["", "### Targets", "", *targets(runs)]
    print("\n".join(lines))
    if options.write:
        write_results(
            PROJECT_DIR / options.write if not options.write.is_absolute() else options.write, lines
        )
    problems = any(run.server_errors or run.missing for run, _ in runs) or any(
        run.missing or run.failures for run in fault_runs
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
