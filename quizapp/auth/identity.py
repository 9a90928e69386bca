"""Loading the signed-in user from the session, revoking old sessions, and idle expiry."""

from __future__ import annotations

from flask import Flask, current_app, flash, session
from flask_login import current_user, login_user, logout_user

from ..extensions import db, login_manager
from ..models import Instructor, Learner, utcnow

LAST_ACTIVE = "last_active"


def load_user(session_id: str) -> Instructor | Learner | None:
    """Return the user a session names, or None if it was revoked or is malformed."""
    try:
        role, user_id, version = session_id.split(":")
        model = {"instructor": Instructor, "learner": Learner}[role]
        user = db.session.get(model, int(user_id))
    except (ValueError, KeyError):
        return None
    if user is None or str(user.session_version) != version:
        return None
    return user


def sign_in(user: Instructor | Learner) -> None:
    """Start a fresh session for the user (a new cookie, so a planted session id is useless)."""
    session.clear()
    session.permanent = True
    login_user(user)
    session[LAST_ACTIVE] = utcnow().timestamp()


def sign_out_everywhere(user: Instructor | Learner) -> None:
    """End this session and every other session of the user."""
    user.session_version += 1
    db.session.commit()
    logout_user()
    session.clear()


def _idle_limit(user) -> float:
    key = "QUIZAPP_INSTRUCTOR_IDLE" if user.role == "instructor" else "QUIZAPP_STUDENT_IDLE"
    return current_app.config[key].total_seconds()


def expire_idle_session() -> None:
    """Sign out a user idle for longer than their role allows; otherwise note the activity."""
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    last = session.get(LAST_ACTIVE, 0)
    if now - last > _idle_limit(current_user):
        logout_user()
        session.clear()
        flash("You were signed out after a long time without activity. Sign in again to go on.", "error")
        return
    if now - last > 60:  # avoid rewriting the cookie on every request
        session[LAST_ACTIVE] = now


def init_identity(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in as an instructor to see that page."
    login_manager.login_message_category = "error"
    app.before_request(expire_idle_session)


def is_instructor() -> bool:
    return current_user.is_authenticated and current_user.role == "instructor"


def is_learner() -> bool:
    return current_user.is_authenticated and current_user.role == "learner"
