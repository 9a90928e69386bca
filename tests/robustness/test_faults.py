"""A class takes a quiz while the server is broken under it: workers and the whole server
killed with -9, the database locked by another process, the disk full, a double submit.

Whatever happens, every answer the server acknowledged is in the database once, scores
agree with the answer rows, SQLite's integrity check passes, and nobody sees a 500.
The server is gunicorn with the production settings on a free loopback port. Longer
runs of the kill tests are part of the benchmark (tests/bench/load.py --faults).
"""

from __future__ import annotations

import html
import json
import re
import resource
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from tests.bench.harness import (
    QUIZ_ID,
    Journal,
    Request,
    Server,
    Tally,
    drive,
    hidden_fields,
    prepare_site,
    remember_cookies,
    request_once,
    resume_and_answer,
    take_quiz,
)

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return prepare_site(tmp_path_factory.mktemp("faults"))


@pytest.fixture
def server(site):
    running = Server(site.env, workers=3).start()
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()


def check_database(site, journals: list[Journal]) -> None:
    """Every acknowledged answer stored once; attempts resumed, not doubled; scores agree."""
    with closing(site.connect()) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for journal in journals:
            stored = dict(
                connection.execute(
                    "SELECT idempotency_key, attempt_id FROM answer WHERE attempt_id = ?",
                    (journal.attempt_id,),
                ).fetchall()
            )
            assert set(journal.acknowledged.values()) <= set(stored), journal
            if journal.submitted:
                assert len(stored) == len(journal.acknowledged), journal
        duplicates = connection.execute(
            "SELECT attempt_id, question_id FROM answer GROUP BY attempt_id, question_id HAVING count(*) > 1"
        ).fetchall()
        assert duplicates == []
        doubled = connection.execute(
            "SELECT learner_id FROM attempt GROUP BY learner_id, quiz_id HAVING count(*) > 1"
        ).fetchall()
        assert doubled == [], "a retried start created a second attempt"
        disagreeing = connection.execute(
            "SELECT attempt.id, attempt.score, sum(answer.score) FROM attempt "
            "JOIN answer ON answer.attempt_id = attempt.id WHERE attempt.state = 'submitted' "
            "GROUP BY attempt.id HAVING abs(attempt.score - sum(answer.score)) > 1e-9"
        ).fetchall()
        assert disagreeing == []


def run_class(site, server, journals: list[Journal], deadline: float, tally=None) -> Tally:
    """Each student joins, answers every question and submits, all at once, retrying as needed."""
    tally = tally or Tally()

    def student(journal: Journal) -> None:
        journey = take_quiz(journal, site.join_code)
        drive(journey, server.address, tally, deadline=deadline)

    with ThreadPoolExecutor(len(journals)) as pool:
        for done in [pool.submit(student, journal) for journal in journals]:
            done.result()
    return tally


def test_workers_killed_every_fraction_of_a_second_lose_no_acknowledged_answer(site, server):
    # Classes of 12 take the quiz one after another until 8 workers have been killed, so
    # the test means the same on a fast, quiet machine as on a busy one.
    journals: list[Journal] = []
    tally = Tally()
    stop = threading.Event()
    kills: list[int] = []
    deadline = time.monotonic() + 150
    with ThreadPoolExecutor(1) as killer:
        killing = killer.submit(server.kill_workers_under_load, tally, stop, answers_between=2, victims=kills)
        try:
            while len(kills) < 8 and time.monotonic() < deadline - 30:
                wave = [Journal(f"Killed-worker student {len(journals) + n}") for n in range(12)]
                run_class(site, server, wave, deadline=deadline, tally=tally)
                journals += wave
        finally:
            stop.set()
    killing.result()

    assert len(kills) >= 8, "the test did not kill enough workers to mean anything"
    assert tally.dropped > 0, "no request was ever cut off: the kills missed the load"
    assert tally.of(lambda status: status >= 500 and status != 503) == 0, tally.statuses
    assert all(journal.submitted and len(journal.acknowledged) == 7 for journal in journals)
    check_database(site, journals)


def test_after_the_whole_server_is_killed_attempts_resume_with_their_answers(site, server):
    # One student answered three questions before the crash and waits it out.
    waiting = Journal("Waiting student")
    waiting_tally = Tally()
    cookies = drive(take_quiz(waiting, site.join_code, stop_after=3), server.address, waiting_tally)
    assert len(waiting.acknowledged) == 3

    journals = [Journal(f"Crash student {n}") for n in range(8)]

    def crash_and_restart() -> None:
        while sum(len(journal.acknowledged) for journal in journals) < 10:
            time.sleep(0.02)
        server.kill_everything()
        time.sleep(1)
        server.start()  # on the same port: the students keep retrying until it is back

    crash = threading.Thread(target=crash_and_restart)
    crash.start()
    tally = run_class(site, server, journals, deadline=time.monotonic() + 90)
    crash.join()

    assert tally.dropped > 0, "no request met the dead server"
    assert tally.of(lambda status: status >= 500 and status != 503) == 0, tally.statuses
    assert all(journal.submitted for journal in journals)

    # The waiting student comes back: the quiz resumes at question 4 with three answers kept.
    overview = request_once(server.address, Request("GET", f"/quizzes/{QUIZ_ID}"), cookies)
    assert overview.status == 200
    token = hidden_fields(overview.body)["csrf_token"]
    resumed = request_once(server.address, Request("POST", f"/quizzes/{QUIZ_ID}/start", {"csrf_token": token}), cookies)
    assert resumed.location == f"/attempts/{waiting.attempt_id}/questions/4"
    drive(resume_and_answer(waiting), server.address, waiting_tally, cookies)
    assert waiting.submitted and len(waiting.acknowledged) == 7
    check_database(site, [*journals, waiting])


def _student_at_question(site, server, number: int) -> tuple[dict, Journal, dict]:
    """A student with an open attempt, looking at question ``number``; returns cookies and form."""
    journal = Journal(f"Student at question {number}")
    cookies = drive(take_quiz(journal, site.join_code, stop_after=number - 1), server.address, Tally())
    url = f"/attempts/{journal.attempt_id}/questions/{number}"
    page = request_once(server.address, Request("GET", url), cookies)
    remember_cookies(cookies, page)
    return cookies, journal, {**hidden_fields(page.body), "url": url}


def _resend_form(page: str) -> tuple[str, dict[str, list[str]]]:
    """The 'send it again' form on a 503 page: where it posts and what it carries."""
    action, form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S).groups()
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(html.unescape(name), []).append(html.unescape(value))
    return action, fields


def test_an_answer_sent_while_another_process_holds_the_write_lock_gets_a_try_again_page(site, server):
    cookies, journal, form = _student_at_question(site, server, 4)  # the short-answer question
    url = form.pop("url")
    typed = 'Rand Corp. & "friends" <i think>'
    answer = Request("POST", url, {**form, "text": typed})

    with closing(site.connect()) as holder:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        reading = request_once(server.address, Request("GET", url), cookies)
        read_seconds = time.monotonic() - started
        refused = request_once(server.address, answer, cookies)
        held = time.monotonic() - started
        time.sleep(max(0.0, 8 - held))  # hold it about 8 s in all, beyond the 5 s busy timeout
        holder.execute("ROLLBACK")

    assert reading.status == 200 and read_seconds < 2, "reading must not wait for the writer"
    assert refused.status == 503, refused.body[:2000]
    assert int(refused.headers["retry-after"]) > 0
    assert "send it again" in refused.body
    action, fields = _resend_form(refused.body)
    assert action == url
    assert fields["text"] == [typed], "the page lost what the student typed"
    assert fields["form_key"] == [form["form_key"]]

    resent = request_once(server.address, Request("POST", action, fields), cookies)
    assert resent.status == 302, resent.body[:2000]
    with closing(site.connect()) as connection:
        stored = connection.execute(
            "SELECT response FROM answer WHERE idempotency_key = ?",
            (f"{journal.attempt_id}:{form['form_key']}",),
        ).fetchone()
    assert stored is not None and json.loads(stored[0]) == {"text": typed}


def _limit_file_size(server, limit: int) -> None:
    for pid in [server.process.pid, *server.worker_pids()]:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))


def test_a_full_disk_gives_a_clear_error_loses_nothing_acknowledged_and_passes(site, server):
    cookies, journal, form = _student_at_question(site, server, 2)  # question 1 acknowledged
    url = form.pop("url")
    answer = Request("POST", url, {**form, "choice": ["0", "1"]})

    _limit_file_size(server, 1)  # no file can grow: every write of a page fails
    try:
        refused = request_once(server.address, answer, cookies)
        reading = request_once(server.address, Request("GET", url), cookies)
    finally:
        _limit_file_size(server, resource.RLIM_INFINITY)

    assert refused.status == 503, refused.body[:2000]
    assert "could not write" in refused.body
    assert reading.status == 200, "reading works on a full disk"
    action, fields = _resend_form(refused.body)
    assert fields["choice"] == ["0", "1"]

    resent = request_once(server.address, Request("POST", action, fields), cookies)
    assert resent.status == 302, resent.body[:2000]
    journal.acknowledged[2] = f"{journal.attempt_id}:{form['form_key']}"
    drive(resume_and_answer(journal), server.address, Tally(), cookies)
    assert journal.submitted
    check_database(site, [journal])


def test_two_submits_of_one_attempt_at_once_submit_it_once(site, server):
    journal = Journal("Double clicker")
    cookies = drive(take_quiz(journal, site.join_code, submit=False), server.address, Tally())
    review = request_once(server.address, Request("GET", f"/attempts/{journal.attempt_id}/review"), cookies)
    submit = Request(
        "POST",
        f"/attempts/{journal.attempt_id}/submit",
        {"csrf_token": hidden_fields(review.body)["csrf_token"]},
    )
    start_together = threading.Barrier(2)

    def click() -> str:
        tab = dict(cookies)  # two tabs of one browser, each keeping what the server sets
        start_together.wait()
        sent = request_once(server.address, submit, tab)
        assert sent.status == 302
        remember_cookies(tab, sent)
        return request_once(server.address, Request("GET", sent.location), tab).body

    with ThreadPoolExecutor(2) as pool:
        pages = list(pool.map(lambda _: click(), range(2)))

    told_already = [page for page in pages if "already submitted" in page]
    assert len(told_already) == 1, "exactly one of the two clicks is told it was already submitted"
    journal.submitted = True
    check_database(site, [journal])
    with closing(site.connect()) as connection:
        assert connection.execute(
            "SELECT count(*) FROM attempt WHERE id = ? AND state = 'submitted'",
            (journal.attempt_id,),
        ).fetchone() == (1,)
