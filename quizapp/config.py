"""Configuration from environment variables, with defaults that are safe on a laptop."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, creating it once (owner-only) if it does not exist."""
    path = instance_path / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: if two workers race, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def settings_from_environment(instance_path: Path) -> dict:
    """Build the app's settings from QUIZAPP_* variables."""
    database_url = os.environ.get("QUIZAPP_DATABASE_URL") or f"sqlite:///{instance_path / 'quizapp.sqlite3'}"
    if database_url.startswith(("postgresql://", "postgres://")):
        # The driver quizapp installs is psycopg 3; a plain URL would ask for psycopg2.
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    secret_key = os.environ.get("QUIZAPP_SECRET_KEY") or None
    content_dir = Path(os.environ.get("QUIZAPP_CONTENT_DIR") or PROJECT_DIR).resolve()
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secret_key,
        "QUIZAPP_CONTENT_DIR": content_dir,
        # How many reverse proxies in front of the app to believe about the client's address
        # and scheme (X-Forwarded-For/-Proto/-Host). 0 trusts none, so nobody can forge them.
        "QUIZAPP_TRUSTED_PROXIES": int(os.environ.get("QUIZAPP_TRUSTED_PROXIES") or 0),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "quizapp_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session; expiry mid-quiz loses work
        "QUIZAPP_STUDENT_IDLE": timedelta(hours=10),
        "QUIZAPP_INSTRUCTOR_IDLE": timedelta(hours=12),
        "QUIZAPP_FSRS_FUZZ": True,
        "QUIZAPP_NEW_CARDS_PER_DAY": 20,
    }
