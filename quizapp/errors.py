"""Error pages that say what went wrong and what to do next."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, current_app, g, render_template, render_template_string, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("This request could not be understood", "Go back, reload the page and try again."),
    403: ("You cannot do that here", "If you think you should, ask your instructor."),
    404: ("Page not found", "The address may be mistyped, or the page was removed."),
    405: ("That action is not available here", "Go back and use the buttons on the page."),
    413: ("That was too much to send", "Shorten what you typed and send it again."),
    429: ("Too many tries", "Wait a few minutes, then try again."),
    503: ("The app is busy", "Nothing was lost. Wait a few seconds, then try again."),
}


# What the database said -> what the person is told. Anything else is a bug: a 500.
BUSY = ("The app is busy", "Someone else's save took too long, so yours was not made yet.")
CANNOT_WRITE = (
    "Saving is not possible right now",
    "The server could not write to its storage, so nothing was saved. "
    "If this goes on for more than a minute, tell your teacher.",
)
UNAVAILABLE = {
    "locked": BUSY,
    "busy": BUSY,
    "disk is full": CANNOT_WRITE,
    "disk i/o error": CANNOT_WRITE,
}

# The 503 page after a POST carries the form that was sent, so one button sends exactly the
# same again (answers are idempotent by their form_key): nothing typed is lost with the page.
RESEND_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block nav_items %}{% endblock %}
{% block content %}
<section class="error-page">
  <h1>{{ title }}</h1>
  <p>{{ detail }}</p>
  {% if resend_fields is not none %}
  <form method="post" action="{{ resend_action }}">
    {% for name, value in resend_fields %}
    <input type="hidden" name="{{ name }}" value="{{ value }}">
    {% endfor %}
    <p>What you sent is kept here. Wait a few seconds, then send it again.</p>
    <button type="submit" class="button">Send it again</button>
  </form>
  {% else %}
  <p>{{ advice }}</p>
  {% endif %}
  <p><a href="{{ url_for('reading.index') }}">Back to the passages</a></p>
  <p class="muted">Error {{ status }}</p>
</section>
{% endblock %}"""


def _resendable_fields() -> list[tuple[str, str]] | None:
    """The posted fields, to send again; never a password, which must not sit in a page."""
    if request.method != "POST" or any("password" in name for name in request.form):
        return None
    return list(request.form.items(multi=True))


def _unavailable_page(title: str, detail: str):
    """The 503 page, rendered without touching the database that just failed.

    The page leaves out the account links, and an unloaded user stays unloaded:
    Flask-Login's template context would otherwise load it, wait for the same lock
    again and turn the 503 into a 500.
    """
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()
    advice = "Go back to the form and send it again in a few seconds."
    body = render_template_string(
        RESEND_PAGE,
        status=503,
        title=title,
        advice=advice,
        detail=detail,
        resend_fields=_resendable_fields(),
        resend_action=request.full_path.rstrip("?"),
    )
    return body, 503, {"Retry-After": "5"}


def render_error(status: int, detail: str | None = None):
    title, advice = MESSAGES.get(status, ("Something went wrong", "Go back and try again."))
    return render_template("error.html", status=status, title=title, advice=advice, detail=detail), status


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            "The form had expired or did not come from this site. Reload the page and send it again; "
            "nothing was saved from the old form.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        response = render_error(error.code or 500, None)
        if error.code == 503 or error.code == 429:
            retry_after = getattr(error, "retry_after", None) or 5
            return response[0], response[1], {"Retry-After": str(retry_after)}
        return response

    @app.errorhandler(OverflowError)
    def _id_out_of_range(error: OverflowError):
        # An id in the address beyond SQLite's 64-bit integers (/attempts/99999999999999999999):
        # no such row can exist. Any other overflow is a bug.
        if "sqlite integer" not in str(error).lower():
            raise error
        return render_error(404)

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError):
        # A lock held too long by another writer, or storage that cannot take a write:
        # tell the person to send it again, never a 500. Nothing was committed.
        reason = str(error.orig).lower()
        message = next((text for words, text in UNAVAILABLE.items() if words in reason), None)
        if message is None:
            raise error
        from .extensions import db

        with suppress(SQLAlchemyError):
            db.session.rollback()
        return _unavailable_page(*message)
