"""Time the instructor's report pages and CSV exports on a large class (see bigclass.py).

    .venv/bin/python tests/bench/bigclass.py --database instance/big.sqlite3
    .venv/bin/python tests/bench/dashboard.py --database instance/big.sqlite3

Pages (class overview, quiz report, perspectives, one learner) are fetched through the
Flask test client, logged in as the instructor who owns the classes, all in this one
process: one warm-up request, then the median of ``--runs`` timed requests, in wall-clock
milliseconds and in CPU milliseconds of this process (SQLite runs inside it, so that
includes the queries; on a busy machine it is the steadier figure). Each request's SQL
statements are counted with a ``before_cursor_execute`` listener.

Each CSV export (answers, learners, items) is read to the end, streamed, in a fresh
process of its own (so its peak RSS is its own), once for the big class and once for the
small one: rows per second, the tracemalloc peak while streaming (a second pass, since
tracing slows Python down) and how far the peak RSS (VmHWM on Linux, else getrusage's
ru_maxrss) rose over the process's size before the export. Flat memory across sizes is
the point: an export streams.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from statistics import median

PROJECT_DIR = Path(__file__).resolve().parents[2]
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.auth.identity import LAST_ACTIVE  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Attempt, Classroom, Instructor, Learner  # noqa: E402
from quizapp.models.people import session_id_of  # noqa: E402
from tests.bench.bigclass import INSTRUCTOR_EMAIL, INSTRUCTOR_PASSWORD  # noqa: E402
from tests.helpers import log_in  # noqa: E402

TARGET_MS = 500
EXPORTS = ("answers", "learners", "items")


class QueryCounter:
    """Counts the SQL statements the engine sends while it is switched on."""

    def __init__(self, engine: sa.Engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def make_app(database: Path):
    return create_app(
        {"SECRET_KEY": "bench-only", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "WTF_CSRF_ENABLED": True}
    )


def logged_in_client(app):
    client = app.test_client()
    response = log_in(client, INSTRUCTOR_EMAIL, INSTRUCTOR_PASSWORD)
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {INSTRUCTOR_EMAIL}; was the database built by bigclass.py?")
    return client


def signed_in_client(app):
    """A client whose session already names the instructor, as a log-in would leave it.

    For the export runs: checking the password costs Argon2's 19 MiB, which would set the
    process's peak RSS and hide the export's own.
    """
    with app.app_context():
        teacher = db.session.scalar(sa.select(Instructor).where(Instructor.email == INSTRUCTOR_EMAIL))
        session_id = session_id_of(teacher)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session[LAST_ACTIVE] = time.time()
    return client


def subjects(app) -> list[dict]:
    """Each class of the bench instructor, biggest first, with its busiest quiz and learner."""
    with app.app_context():
        teacher = db.session.scalar(sa.select(Instructor).where(Instructor.email == INSTRUCTOR_EMAIL))
        found = []
        for classroom in db.session.scalars(sa.select(Classroom).where(Classroom.instructor_id == teacher.id)):
            in_class = sa.select(Learner.id).where(Learner.classroom_id == classroom.id)
            learners = db.session.scalar(sa.select(sa.func.count()).select_from(in_class.subquery()))
            attempts_at = (
                sa.select(Attempt.quiz_id, sa.func.count().label("n"))
                .where(Attempt.learner_id.in_(in_class))
                .group_by(Attempt.quiz_id)
                .order_by(sa.text("n DESC"))
                .limit(1)
            )
            busiest = db.session.execute(attempts_at).first()
            keenest = db.session.execute(
                sa.select(Attempt.learner_id, sa.func.count().label("n"))
                .where(Attempt.learner_id.in_(in_class))
                .group_by(Attempt.learner_id)
                .order_by(sa.text("n DESC"))
                .limit(1)
            ).first()
            answers = db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM answer JOIN attempt ON attempt.id = answer.attempt_id "
                    "JOIN learner ON learner.id = attempt.learner_id WHERE learner.classroom_id = :c"
                ),
                {"c": classroom.id},
            )
            found.append(
                {
                    "id": classroom.id,
                    "name": classroom.name,
                    "learners": learners,
                    "answers": answers,
                    "quiz": busiest.quiz_id,
                    "learner": keenest.learner_id,
                }
            )
    return sorted(found, key=lambda subject: -subject["learners"])


def pages_of(subject: dict) -> list[tuple[str, str]]:
    classroom = subject["id"]
    return [
        ("class overview", f"/teach/classes/{classroom}/overview"),
        ("class overview, all attempts", f"/teach/classes/{classroom}/overview?attempts=all"),
        ("quiz report", f"/teach/classes/{classroom}/quizzes/{subject['quiz']}/report"),
        ("quiz report, all attempts", f"/teach/classes/{classroom}/quizzes/{subject['quiz']}/report?attempts=all"),
        ("perspectives", f"/teach/classes/{classroom}/perspectives"),
        ("learner view", f"/teach/learners/{subject['learner']}/report"),
    ]


def time_pages(database: Path, runs: int) -> list[dict]:
    app = make_app(database)
    client = logged_in_client(app)
    with app.app_context():
        counter = QueryCounter(db.engine)
    results = []
    for subject in subjects(app):
        for label, url in pages_of(subject):
            response = client.get(url)  # warm-up: caches, first compile of each statement
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            times, cpu_times, queries = [], [], []
            for _ in range(runs):
                counter.count = 0
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
                queries.append(counter.count)
            results.append(
                {
                    "class": subject["name"],
                    "learners": subject["learners"],
                    "answers": subject["answers"],
                    "page": label,
                    "median_ms": 1000 * median(times),
                    "max_ms": 1000 * max(times),
                    "cpu_ms": 1000 * median(cpu_times),
                    "queries": median(queries),
                    "bytes": len(response.get_data()),
                }
            )
            print(_page_line(results[-1]), flush=True)
    return results


def _page_line(result: dict) -> str:
    verdict = "ok" if result["median_ms"] < TARGET_MS else "SLOW"
    return (
        f"{result['learners']:>6} {result['page']:<30} {result['median_ms']:>8.0f} {result['max_ms']:>8.0f} "
        f"{result['cpu_ms']:>8.0f} {result['queries']:>7.0f} {result['bytes'] / 1024:>8.0f}  {verdict}"
    )


# --- exports, one process each -----------------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident size so far, in KiB.

    Linux's VmHWM belongs to the process image, so it starts afresh at exec; getrusage's
    ru_maxrss carries over the peak of the parent that forked us (the benchmark, already
    large), which would hide an export's growth. Elsewhere, ru_maxrss it is.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_export(database: Path, classroom_id: int, kind: str) -> dict:
    """Stream one export through the page twice: timed, then traced; report rows and memory."""
    app = make_app(database)
    client = signed_in_client(app)
    url = f"/teach/classes/{classroom_id}/exports/{kind}.csv"
    client.get(url + "?until=2000-01-01").get_data()  # warm-up: imports and statements, no rows
    before = peak_rss_kib()

    def stream() -> tuple[int, int]:
        response = client.get(url, buffered=False)
        chunks = size = 0
        for chunk in response.response:
            chunks += 1
            size += len(chunk)
        response.close()
        return chunks - 1, size  # one chunk per row, after the header

    started = time.perf_counter()
    rows, size = stream()
    seconds = time.perf_counter() - started
    after = peak_rss_kib()
    tracemalloc.start()
    stream()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "megabytes": size / 1e6,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else 0.0,
        "tracemalloc_peak_mb": peak / 1e6,
        "rss_before_mb": before / 1024,
        "rss_growth_mb": (after - before) / 1024,
    }


def time_exports(database: Path) -> list[dict]:
    app = make_app(database)
    results = []
    for subject in subjects(app):
        for kind in EXPORTS:
            command = [sys.executable, __file__, "--database", str(database), "--export", kind]
            done = subprocess.run(  # noqa: S603 (this script, in this interpreter)
                [*command, "--class", str(subject["id"])],
                capture_output=True,
                text=True,
                check=True,
                cwd=PROJECT_DIR,
            )
            result = {"learners": subject["learners"], "kind": kind, **json.loads(done.stdout.strip().splitlines()[-1])}
            results.append(result)
            print(_export_line(result), flush=True)
    return results


def _export_line(result: dict) -> str:
    return (
        f"{result['learners']:>6} {result['kind']:<9} {result['rows']:>8} {result['megabytes']:>7.1f} "
        f"{result['seconds']:>7.1f} {result['rows_per_second']:>9.0f} {result['tracemalloc_peak_mb']:>9.1f} "
        f"{result['rss_before_mb']:>8.0f} {result['rss_growth_mb']:>8.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True, help="a database built by bigclass.py")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--export", choices=EXPORTS, help=argparse.SUPPRESS)  # one export, in a child
    parser.add_argument("--class", dest="classroom", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    database = options.database.resolve()
    if not database.exists():
        parser.error(f"{database} does not exist; build it with tests/bench/bigclass.py")
    if options.export:
        print(json.dumps(measure_export(database, options.classroom, options.export)))
        return 0
    figures = {}
    if not options.skip_pages:
        print(f"Pages: median and slowest of {options.runs} requests after one warm-up (target {TARGET_MS} ms)")
        print(f"{'pupils':>6} {'page':<30} {'median':>8} {'max':>8} {'cpu':>8} {'queries':>7} {'KiB':>8}")
        figures["pages"] = time_pages(database, options.runs)
    if not options.skip_exports:
        print("\nCSV exports, each in a process of its own (MB = 10^6 bytes)")
        print(
            f"{'pupils':>6} {'export':<9} {'rows':>8} {'MB':>7} {'s':>7} {'rows/s':>9} "
            f"{'trace MB':>9} {'RSS MB':>8} {'RSS +MB':>8}"
        )
        figures["exports"] = time_exports(database)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
