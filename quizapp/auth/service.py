"""Instructor accounts: creating them, checking passwords, changing them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Instructor, utcnow
from . import throttle
from .passwords import hash_password, password_problem, verify_password


class AccountError(ValueError):
    """A request about an account that cannot be carried out, phrased for the user."""


@dataclass
class LoginResult:
    instructor: Instructor | None = None
    locked_seconds: int = 0


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_instructor(email: str) -> Instructor | None:
    return db.session.scalar(sa.select(Instructor).where(Instructor.email == normalise_email(email)))


def create_instructor(email: str, password: str) -> Instructor:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"'{email}' is not an email address.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_instructor(email):
        raise AccountError(f"An instructor with the email {email} already exists.")
    instructor = Instructor(email=email, password_hash=hash_password(password))
    db.session.add(instructor)
    db.session.commit()
    return instructor


def attempt_login(email: str, password: str, address: str) -> LoginResult:
    """Check a password, counting failures per account and address; commits the count."""
    now = utcnow()
    throttle.lock_pair(email, address, now)
    locked = throttle.seconds_locked(email, address, now)
    if locked:
        return LoginResult(locked_seconds=locked)
    instructor = find_instructor(email)
    if instructor is None or not verify_password(instructor.password_hash, password):
        throttle.record_failure(email, address, now)
        db.session.commit()
        return LoginResult(locked_seconds=throttle.seconds_locked(email, address, now))
    throttle.clear(email, address)
    db.session.commit()
    return LoginResult(instructor=instructor)


def change_password(instructor: Instructor, current: str, new: str) -> None:
    """Set a new password and end every session of the instructor, this one included."""
    if not verify_password(instructor.password_hash, current):
        raise AccountError("The current password is not right.")
    instructor.password_hash = hash_password(new)
    instructor.session_version += 1
    db.session.commit()
