"""Quiz attempts and the answers recorded in them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"


class Attempt(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("learner_id", "quiz_id", "number"),
        sa.Index("ix_attempt_quiz_state", "quiz_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(sa.ForeignKey("learner.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quiz.id"))
    number: Mapped[int] = mapped_column()  # 1 for a learner's first attempt at this quiz
    state: Mapped[str] = mapped_column(sa.String(20), default=IN_PROGRESS)
    question_order: Mapped[list] = mapped_column(sa.JSON)  # question ids, fixed at start
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filled once, at submit, from the answer rows.
    score: Mapped[float | None] = mapped_column()
    max_score: Mapped[float | None] = mapped_column()

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    """One learner's response to one question version, graded when given."""

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id"),
        # Answers per week on the class overview read only these two columns.
        sa.Index("ix_answer_attempt_answered", "attempt_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(sa.ForeignKey("question.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_version.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    response: Mapped[dict] = mapped_column(sa.JSON)
    score: Mapped[float] = mapped_column()
    max_score: Mapped[float] = mapped_column()
    correct: Mapped[bool] = mapped_column()
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seconds_spent: Mapped[float | None] = mapped_column()

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
