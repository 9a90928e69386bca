"""Passages, quizzes, question versions and flashcards as loaded from the content files."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Passage(db.Model):
    """A cleaned seed article; its text lives in Sentence rows."""

    id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    source_file: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    outlet: Mapped[str | None] = mapped_column(sa.String(200))
    author: Mapped[str | None] = mapped_column(sa.String(200))
    published: Mapped[str | None] = mapped_column(sa.String(10))
    genre: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.Text)
    standfirst: Mapped[str | None] = mapped_column(sa.Text)
    pull_quotes: Mapped[list] = mapped_column(sa.JSON, default=list)
    word_count: Mapped[int] = mapped_column(default=0)
    reading_minutes: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="passage", order_by="Sentence.number", cascade="all, delete-orphan"
    )


class Sentence(db.Model):
    """One sentence of a passage: the unit that evidence, highlights and feedback point at."""

    passage_id: Mapped[str] = mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)  # 1-based across the whole passage
    paragraph: Mapped[int] = mapped_column()  # 1-based paragraph number
    text: Mapped[str] = mapped_column(sa.Text)

    passage: Mapped[Passage] = relationship(back_populates="sentences")


class Quiz(db.Model):
    """A quiz file: settings and the ordered passages it is read against."""

    id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    feedback: Mapped[str] = mapped_column(sa.String(20), default="on_submit")
    shuffle: Mapped[bool] = mapped_column(default=False)
    attempts_allowed: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    source_file: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)  # False once removed from the files

    passage_links: Mapped[list[QuizPassage]] = relationship(
        order_by="QuizPassage.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(back_populates="quiz", order_by="Question.position")

    @property
    def passage_ids(self) -> list[str]:
        return [link.passage_id for link in self.passage_links]


class QuizPassage(db.Model):
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True)
    passage_id: Mapped[str] = mapped_column(sa.ForeignKey("passage.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class Question(db.Model):
    """A question's stable identity; what it says lives in its versions."""

    id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quiz.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    current_version: Mapped[int] = mapped_column(default=1)  # the version learners get now

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(order_by="QuestionVersion.version")


class QuestionVersion(db.Model):
    """What a question said at one time. Answers point here, so edits never re-score old answers."""

    __table_args__ = (sa.UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(sa.ForeignKey("question.id"), index=True)
    version: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    type: Mapped[str] = mapped_column(sa.String(20))
    skill: Mapped[str | None] = mapped_column(sa.String(20))
    prompt: Mapped[str] = mapped_column(sa.Text)
    points: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    # Type-specific definition (choices, answer, answers, items, pairs, distractors, scoring),
    # stored as the checker produced it: a snapshot of authored content, not learner state.
    definition: Mapped[dict] = mapped_column(sa.JSON)
    evidence: Mapped[list] = mapped_column(sa.JSON, default=list)  # verbatim quotes
    # [{"passage": id, "sentences": [n, ...]}, ...]: where each quote sits, for highlighting.
    evidence_locations: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Card(db.Model):
    """One reviewable flashcard face: a basic card, the reverse of one, or one cloze gap."""

    id: Mapped[str] = mapped_column(sa.String(120), primary_key=True)  # e.g. card-x, card-x:reverse, card-x:c2
    source_id: Mapped[str] = mapped_column(sa.String(80), index=True)  # the id in the quiz file
    quiz_id: Mapped[str] = mapped_column(sa.ForeignKey("quiz.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # basic | reverse | cloze
    front: Mapped[str] = mapped_column(sa.Text)
    back: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[list] = mapped_column(sa.JSON, default=list)
    evidence_locations: Mapped[list] = mapped_column(sa.JSON, default=list)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
