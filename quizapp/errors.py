"""Error pages that say what went wrong and what to do next."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("This request could not be understood", "Go back, reload the page and try again."),
    403: ("You cannot do that here", "If you think you should, ask your instructor."),
    404: ("Page not found", "The address may be mistyped, or the page was removed."),
    405: ("That action is not available here", "Go back and use the buttons on the page."),
    413: ("That was too much to send", "Shorten what you typed and send it again."),
    429: ("Too many tries", "Wait a few minutes, then try again."),
    503: ("The app is busy", "Your work is kept on the page. Wait a few seconds and send it again."),
}


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

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError):
        # A lock held too long by another writer: tell the user to retry, never a 500.
        if "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower():
            from .extensions import db

            db.session.rollback()
            body, status = render_error(503)
            return body, status, {"Retry-After": "5"}
        raise error
