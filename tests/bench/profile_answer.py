"""Where an answer request spends its time: cProfile over the Flask test client.

    .venv/bin/python tests/bench/profile_answer.py [--students 30] [--top 25]

Virtual students (the benchmark's own journey, tests/bench/harness.py) take the
every-type quiz through the Flask test client on a fresh SQLite database made by
`quizapp setup`, with the production settings (WAL, synchronous FULL, BEGIN IMMEDIATE).
The first half of the students are timed without the profiler (wall time per request
kind); the second half run with cProfile switched on around each answer post only.
It prints the mean times, the profiled time by library (self time) and by step of the
request (cumulative time of named functions), and the top functions. No HTTP server
and no network: this is the app's own cost, one request at a time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from werkzeug.datastructures import MultiDict  # noqa: E402

from tests.bench.harness import Journal, Request, Response, prepare_site, take_quiz  # noqa: E402

# Steps of an answer request: (label, file fragment, function name), timed cumulatively.
STEPS = [
    ("whole request (Flask wsgi_app)", "flask/app.py", "wsgi_app"),
    ("session cookie: open (itsdangerous, JSON)", "flask/sessions.py", "open_session"),
    ("session cookie: save", "flask/sessions.py", "save_session"),
    ("CSRF check (Flask-WTF)", "flask_wtf/csrf.py", "protect"),
    ("learner loaded (Flask-Login user_loader)", "flask_login/login_manager.py", "_load_user"),
    ("attempt_questions() (3 SELECTs)", "quizapp/quiz/attempts.py", "attempt_questions"),
    ("parse_response()", "quizapp/quiz/responses.py", "parse_response"),
    (
        "record_answer() (its SELECT, grade, INSERT, COMMIT)",
        "quizapp/quiz/attempts.py",
        "record_answer",
    ),
    ("grade()", "quizapp/quiz/grading.py", "grade"),
    ("Session.commit (flush + COMMIT)", "sqlalchemy/orm/session.py", "commit"),
    ("sqlite3 COMMIT (the fsync)", "~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    ("sqlite3 execute (SQL in SQLite)", "~", "<method 'execute' of 'sqlite3.Cursor' objects>"),
    ("BEGIN IMMEDIATE (waits for the write lock)", "quizapp/database.py", "_on_begin"),
    ("url_for / redirect", "flask/helpers.py", "url_for"),
]

LIBRARIES = [
    "sqlalchemy",
    "flask_sqlalchemy",
    "flask_wtf",
    "wtforms",
    "flask_login",
    "flask",
    "werkzeug",
    "jinja2",
    "itsdangerous",
    "quizapp",
]


def library(filename: str, function: str) -> str:
    if filename == "~":
        if "sqlite3" in function:
            return "sqlite3 (C: SQL and commits)"
        return "Python built-ins"
    parts = Path(filename).parts
    for name in LIBRARIES:
        if name in parts:
            return name
    return "other Python (standard library, json, ...)"


def drive(client, journey, profiler: cProfile.Profile | None, timings: dict[str, list[float]]):
    """Run one harness journey through the test client; profile only the answer posts."""
    request: Request = next(journey)
    while True:
        data = MultiDict(
            [
                (name, item)
                for name, value in (request.form or {}).items()
                for item in (value if isinstance(value, list) else [value])
            ]
        )
        profiling = profiler is not None and request.kind == "answer"
        started = time.perf_counter()
        if profiling:
            profiler.enable()
        reply = client.open(request.path, method=request.method, data=data)
        if profiling:
            profiler.disable()
        timings[request.kind].append(time.perf_counter() - started)
        response = Response(
            reply.status_code,
            {name.lower(): value for name, value in reply.headers.items()},
            reply.text,
        )
        try:
            request = journey.send(response)
        except StopIteration:
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30, help="half timed, half profiled")
    parser.add_argument("--top", type=int, default=25, help="functions listed by cumulative time")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="quizapp-profile-") as folder:
        site = prepare_site(Path(folder) / "site")
        os.environ.update({key: site.env[key] for key in site.env if key.startswith("QUIZAPP_")})
        from quizapp import create_app

        app = create_app()
        timings: dict[str, list[float]] = defaultdict(list)
        profiled: dict[str, list[float]] = defaultdict(list)
        profiler = cProfile.Profile()
        timed = options.students // 2
        for number in range(options.students):
            with app.test_client() as client:
                journal = Journal(f"Profiled {number}")
                if number < timed:
                    drive(client, take_quiz(journal, site.join_code), None, timings)
                else:
                    drive(client, take_quiz(journal, site.join_code), profiler, profiled)

    print(
        f"Students: {timed} timed, {options.students - timed} profiled; every-type quiz on SQLite"
    )
    print("\nMean wall time per request, profiler off (ms):")
    for kind, values in sorted(timings.items()):
        print(f"  {kind:10} {statistics.mean(values) * 1000:7.1f}  (n={len(values)})")

    stats = pstats.Stats(profiler)
    answers = len(profiled["answer"])
    total = sum(value[2] for value in stats.stats.values())  # self times add up to the whole
    print(
        f"\nProfiled answer posts: {answers}, {total / answers * 1000:.1f} ms each under cProfile"
    )

    by_library: dict[str, float] = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, self_time, _cum, _callers) in stats.stats.items():
        by_library[library(filename, function)] += self_time
    print("\nSelf time by library (share of the profiled answer posts):")
    for name, seconds in sorted(by_library.items(), key=lambda item: -item[1]):
        print(f"  {seconds / total:6.1%}  {seconds / answers * 1000:6.2f} ms  {name}")

    print("\nSteps (cumulative time; steps nest, so shares do not add up):")
    for label, fragment, name in STEPS:
        matching = [
            value[3]
            for (filename, _line, function), value in stats.stats.items()
            if function == name and (fragment == filename or filename.endswith(fragment))
        ]
        seconds = max(matching, default=0.0)  # same-named functions nest: the outermost
        print(f"  {seconds / total:6.1%}  {seconds / answers * 1000:6.2f} ms  {label}")

    print(f"\nTop {options.top} functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(options.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
