"""Spaced-repetition state per learner and card, and the log of every rating."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class CardState(db.Model):
    """One learner's FSRS schedule for one card, in the columns py-fsrs's Card has."""

    __table_args__ = (sa.Index("ix_card_state_learner_due", "learner_id", "due"),)

    learner_id: Mapped[int] = mapped_column(sa.ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[str] = mapped_column(sa.ForeignKey("card.id"), primary_key=True)
    state: Mapped[int] = mapped_column()  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column()
    stability: Mapped[float | None] = mapped_column()
    difficulty: Mapped[float | None] = mapped_column()
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    introduced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # first rating


class ReviewLog(db.Model):
    """One rating, with the schedule before and after it (so undo can restore it exactly)."""

    __table_args__ = (sa.Index("ix_review_log_learner_time", "learner_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(sa.ForeignKey("learner.id", ondelete="CASCADE"))
    card_id: Mapped[str] = mapped_column(sa.ForeignKey("card.id"), index=True)
    rating: Mapped[int] = mapped_column()  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_ms: Mapped[int | None] = mapped_column()
    # None in the before_* columns means the card was new before this rating.
    before_state: Mapped[int | None] = mapped_column()
    before_step: Mapped[int | None] = mapped_column()
    before_stability: Mapped[float | None] = mapped_column()
    before_difficulty: Mapped[float | None] = mapped_column()
    before_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    before_last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    after_state: Mapped[int] = mapped_column()
    after_step: Mapped[int | None] = mapped_column()
    after_stability: Mapped[float | None] = mapped_column()
    after_difficulty: Mapped[float | None] = mapped_column()
    after_due: Mapped[datetime] = mapped_column(UTCDateTime)
