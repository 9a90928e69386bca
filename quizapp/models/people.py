"""Instructors, their classes, and the learners who join them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Instructor(UserMixin, db.Model):
    role = "instructor"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(sa.String(200))  # Argon2id, PHC string
    # Bumped at log-out and password change; sessions carrying an older value are refused.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classrooms: Mapped[list[Classroom]] = relationship(back_populates="instructor", order_by="Classroom.id")


class LoginThrottle(db.Model):
    """Failed log-ins for one (account, address) pair; a whole school may share one address."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # sha256(email + address)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Classroom(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    instructor_id: Mapped[int] = mapped_column(sa.ForeignKey("instructor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    joins_open: Mapped[bool] = mapped_column(default=True)
    all_quizzes: Mapped[bool] = mapped_column(default=True)  # False: only ClassroomQuiz rows
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instructor: Mapped[Instructor] = relationship(back_populates="classrooms")
    learners: Mapped[list[Learner]] = relationship(
        back_populates="classroom", order_by="Learner.id", cascade="all, delete-orphan", passive_deletes=True
    )
    chosen_quizzes: Mapped[list[ClassroomQuiz]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class ClassroomQuiz(db.Model):
    """A quiz an instructor chose for a class that does not see all quizzes."""

    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classroom.id", ondelete="CASCADE"), primary_key=True)
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quiz.id"), primary_key=True)


class Learner(UserMixin, db.Model):
    """A student in one class: a display name and nothing that identifies them further."""

    role = "learner"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    resume_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the code
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="learners")


def session_id_of(user: Instructor | Learner) -> str:
    """What the session cookie names: role, id and session version (bumping it revokes the cookie)."""
    return f"{user.role}:{user.id}:{user.session_version}"


Instructor.get_id = session_id_of
Learner.get_id = session_id_of
