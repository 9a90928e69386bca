"""Instructors log in and out; students join with a class code and come back with a resume code."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Instructor, Learner, LoginThrottle
from tests.helpers import PASSWORD, csrf_token, join, log_in, post_form


def test_passwords_are_stored_as_argon2id_hashes(app, make_instructor):
    make_instructor()
    with app.app_context():
        stored = db.session.scalar(sa.select(Instructor.password_hash))
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_an_instructor_logs_in_reaches_their_classes_and_logs_out(app, client, make_instructor):
    make_instructor()
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/teach/")
    assert client.get("/teach/").status_code == 200
    home = client.get("/teach/")
    response = client.post("/logout", data={"csrf_token": csrf_token(home)})
    assert response.status_code == 302
    assert client.get("/teach/").status_code == 302  # back to the log-in page


def test_log_out_ends_the_session_on_the_server_too(app, client, make_instructor):
    make_instructor()
    log_in(client)
    stolen_cookie = client.get_cookie("quizapp_session").value
    home = client.get("/teach/")
    client.post("/logout", data={"csrf_token": csrf_token(home)})
    thief = app.test_client()
    thief.set_cookie("quizapp_session", stolen_cookie)
    response = thief.get("/teach/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_session_cookie_changes_at_log_in_and_is_httponly_and_lax(app, client, make_instructor):
    make_instructor()
    client.get("/login")
    before = client.get_cookie("quizapp_session").value
    response = log_in(client)
    after = client.get_cookie("quizapp_session").value
    assert before != after
    cookie_header = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, make_instructor):
    make_instructor()
    response = log_in(client, password="not the password")
    assert response.status_code == 200
    assert "That email and password do not match." in response.get_data(as_text=True)
    response = log_in(client, email="nobody@school.test")
    assert "That email and password do not match." in response.get_data(as_text=True)


def test_failed_logins_are_throttled_per_account_and_address_then_recover(app, client, make_instructor):
    make_instructor()
    for _ in range(4):
        assert log_in(client, password="wrong password").status_code == 200
    locked = log_in(client, password="wrong password")
    assert locked.status_code == 429
    assert "Wait 15 minutes" in locked.get_data(as_text=True)
    assert int(locked.headers["Retry-After"]) > 0
    # Even the right password waits while locked.
    assert log_in(client).status_code == 429
    # Another teacher at the same school address is not locked out.
    other = app.test_client()
    with app.app_context():
        from quizapp.auth.service import create_instructor

        create_instructor("colleague@school.test", PASSWORD)
    assert log_in(other, email="colleague@school.test").status_code == 302
    # When the lock runs out, the right password works again.
    with app.app_context():
        row = db.session.scalar(sa.select(LoginThrottle))
        from quizapp.models import utcnow

        row.locked_until = utcnow()
        db.session.commit()
    assert log_in(client).status_code == 302


def test_changing_the_password_signs_out_every_session(app, client, make_instructor):
    make_instructor()
    log_in(client)
    other_device = app.test_client()
    log_in(other_device)
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert other_device.get("/teach/").status_code == 302
    assert client.get("/teach/").status_code == 302
    assert log_in(client, password="a brand new passphrase").status_code == 302


def test_a_post_without_a_valid_csrf_token_is_refused(client, make_instructor):
    make_instructor()
    response = client.post("/login", data={"email": "teacher@school.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    log_in(client)
    assert client.post("/teach/classes", data={"name": "Sneaky", "csrf_token": "forged"}).status_code == 400


def test_next_redirects_only_to_this_site(client, make_instructor):
    make_instructor()
    for target, expected in [
        ("/teach/quizzes", "/teach/quizzes"),
        ("https://evil.test/", "/teach/"),
        ("//evil.test", "/teach/"),
    ]:
        page = client.get("/login")
        response = client.post(
            f"/login?next={target}",
            data={"email": "teacher@school.test", "password": PASSWORD, "csrf_token": csrf_token(page)},
        )
        assert response.headers["Location"] == expected


def test_idle_students_are_signed_out_after_a_school_day(app, client, make_instructor, make_classroom):
    _, code = make_classroom(make_instructor())
    join(client, code)
    assert client.get("/my").status_code == 200
    with client.session_transaction() as session:
        session["last_active"] -= 11 * 3600
    response = client.get("/my")
    assert response.status_code == 302 and response.headers["Location"] == "/join"
    assert "signed out after a long time" in client.get("/join").get_data(as_text=True)


def test_a_student_joins_with_a_code_and_resumes_on_another_device(app, client, make_instructor, make_classroom):
    _, code = make_classroom(make_instructor())
    response = join(client, code.lower().replace("-", " "), "Amira")
    assert response.status_code == 302
    welcome = client.get("/welcome").get_data(as_text=True)
    resume_code = re.search(r'id="resume-code">([^<]+)<', welcome).group(1)
    assert "Amira" in welcome
    fresh = app.test_client()
    response = post_form(fresh, "/resume", {"resume_code": resume_code})
    assert response.status_code == 302
    assert "Amira" in fresh.get("/me").get_data(as_text=True)


def test_two_students_with_the_same_name_are_different_learners(app, client, make_instructor, make_classroom):
    _, code = make_classroom(make_instructor())
    join(client, code, "Sam")
    join(app.test_client(), code, "Sam")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Learner)) == 2


def test_joining_is_refused_with_a_reason(app, client, make_instructor, make_classroom):
    classroom_id, code = make_classroom(make_instructor())
    page = join(client, "ZZZZ-ZZZZ", "Amira")
    assert "No class has that code" in page.get_data(as_text=True)
    with app.app_context():
        from quizapp.models import Classroom

        db.session.get(Classroom, classroom_id).joins_open = False
        db.session.commit()
    assert "closed to new students" in join(client, code, "Amira").get_data(as_text=True)
    too_long = join(client, code, "x" * 200)
    assert too_long.status_code == 200 and "Field cannot be longer than 60 characters" in too_long.get_data(
        as_text=True
    )


def test_requests_over_the_size_limit_get_a_clear_page(client):
    response = client.post("/join", data={"display_name": "x" * 300_000})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


def test_a_student_s_time_zone_comes_from_the_browser_and_can_be_changed(app, client, make_instructor, make_classroom):
    _, code = make_classroom(make_instructor())
    page = client.get("/join")
    assert 'id="timezone"' in page.get_data(as_text=True)
    client.post(
        "/join",
        data={"join_code": code, "display_name": "Lea", "timezone": "Asia/Tokyo", "csrf_token": csrf_token(page)},
    )
    assert "Asia/Tokyo" in client.get("/me").get_data(as_text=True)
    response = post_form(client, "/me/timezone", {"timezone": "Mars/Olympus"}, page_url="/me")
    assert "Choose a time zone from the list." in client.get(response.headers["Location"]).get_data(as_text=True)
    post_form(client, "/me/timezone", {"timezone": "Europe/Paris"}, page_url="/me")
    with app.app_context():
        assert db.session.scalar(sa.select(Learner.timezone)) == "Europe/Paris"


def test_a_nul_byte_in_any_field_is_refused_cleanly(client, make_instructor):
    make_instructor()
    page = client.get("/login")
    response = client.post(
        "/login", data={"email": "teacher\x00@school.test", "password": "x", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 400
    assert client.get("/passages/nbc\x00offensive").status_code in (400, 404)


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(app, make_instructor):
    from quizapp import create_app

    make_instructor()
    # Without a trusted proxy, a forged X-Forwarded-For does not buy more guesses.
    attacker = app.test_client()
    for n in range(5):
        log_in_from(attacker, f"198.51.100.{n}")
    assert log_in_from(attacker, "198.51.100.99").status_code == 429
    # Behind one trusted proxy, each school's address is counted on its own.
    proxied = create_app({**app.config, "QUIZAPP_TRUSTED_PROXIES": 1})
    try:
        school_a, school_b = proxied.test_client(), proxied.test_client()
        for _ in range(5):
            log_in_from(school_a, "203.0.113.1")
        assert log_in_from(school_a, "203.0.113.1").status_code == 429
        assert log_in_from(school_b, "203.0.113.2").status_code == 200
    finally:
        with proxied.app_context():
            db.engine.dispose()  # this second app's connections, closed rather than left to the collector


def log_in_from(client, address: str):
    page = client.get("/login", headers={"X-Forwarded-For": address})
    return client.post(
        "/login",
        data={"email": "teacher@school.test", "password": "wrong password", "csrf_token": csrf_token(page)},
        headers={"X-Forwarded-For": address},
    )
