"""Classes and their learners: creating, joining, resuming, choosing quizzes, deleting data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .auth.codes import hash_resume_code, new_join_code, new_resume_code, normalise_code
from .extensions import db
from .models import Classroom, ClassroomQuiz, Instructor, Learner, Quiz

MAX_NAME_LENGTH = 60
MAX_CLASS_NAME_LENGTH = 120


class JoinError(ValueError):
    """Why a student could not join or resume, in words for the student."""


@dataclass
class Joined:
    learner: Learner
    resume_code: str  # shown to the learner; only its hash is stored


def create_classroom(instructor: Instructor, name: str) -> Classroom:
    name = " ".join(name.split())
    if not name or len(name) > MAX_CLASS_NAME_LENGTH:
        raise ValueError(f"Give the class a name of 1 to {MAX_CLASS_NAME_LENGTH} characters.")
    for _ in range(10):
        classroom = Classroom(instructor_id=instructor.id, name=name, join_code=new_join_code())
        db.session.add(classroom)
        try:
            db.session.commit()
            return classroom
        except IntegrityError:  # a join code collision: astronomically rare, so just draw again
            db.session.rollback()
    raise RuntimeError("could not draw a unique join code")


def regenerate_join_code(classroom: Classroom) -> str:
    classroom.join_code = new_join_code()
    db.session.commit()
    return classroom.join_code


def set_joins_open(classroom: Classroom, is_open: bool) -> None:
    classroom.joins_open = is_open
    db.session.commit()


def choose_quizzes(classroom: Classroom, quiz_ids: list[str] | None) -> None:
    """Let the class see every quiz (None) or only the quizzes listed."""
    classroom.chosen_quizzes = []
    classroom.all_quizzes = quiz_ids is None
    if quiz_ids is not None:
        known = set(db.session.scalars(sa.select(Quiz.id).where(Quiz.id.in_(quiz_ids))))
        classroom.chosen_quizzes = [ClassroomQuiz(quiz_id=quiz_id) for quiz_id in quiz_ids if quiz_id in known]
    db.session.commit()


def visible_quizzes(classroom: Classroom) -> list[Quiz]:
    query = sa.select(Quiz).where(Quiz.active).order_by(Quiz.position)
    if not classroom.all_quizzes:
        query = query.join(ClassroomQuiz, ClassroomQuiz.quiz_id == Quiz.id).where(
            ClassroomQuiz.classroom_id == classroom.id
        )
    return list(db.session.scalars(query))


@cache
def timezone_names() -> list[str]:
    return sorted(available_timezones())


def known_timezone(name: str | None) -> bool:
    return bool(name) and name in timezone_names()


def set_timezone(learner: Learner, name: str) -> None:
    if not known_timezone(name):
        raise ValueError(f"unknown time zone {name!r}")
    learner.timezone = name
    db.session.commit()


def join_classroom(join_code: str, display_name: str, timezone: str | None = None) -> Joined:
    """Create a new learner in the class with this code; every join is a new learner."""
    name = " ".join(display_name.split())
    if not name:
        raise JoinError("Type the name your teacher will know you by.")
    if len(name) > MAX_NAME_LENGTH:
        raise JoinError(f"Use a name of at most {MAX_NAME_LENGTH} characters.")
    classroom = db.session.scalar(sa.select(Classroom).where(Classroom.join_code == normalise_code(join_code)))
    if classroom is None:
        raise JoinError("No class has that code. Check it with your teacher; letters and digits only.")
    if not classroom.joins_open:
        raise JoinError("This class is closed to new students. Ask your teacher to open it.")
    resume_code = new_resume_code()
    learner = Learner(
        classroom_id=classroom.id,
        display_name=name,
        resume_code_hash=hash_resume_code(resume_code),
        timezone=timezone if known_timezone(timezone) else "UTC",
    )
    db.session.add(learner)
    db.session.commit()
    return Joined(learner=learner, resume_code=resume_code)


def learner_by_resume_code(code: str) -> Learner:
    learner = db.session.scalar(sa.select(Learner).where(Learner.resume_code_hash == hash_resume_code(code)))
    if learner is None:
        raise JoinError("That resume code is not known. Check it letter by letter; it has 12 letters and digits.")
    return learner


def reissue_resume_code(learner: Learner) -> str:
    """Give a learner a new resume code (they lost theirs); the old code and their sessions stop working."""
    code = new_resume_code()
    learner.resume_code_hash = hash_resume_code(code)
    learner.session_version += 1
    db.session.commit()
    return code


def delete_learner(learner: Learner) -> None:
    """Remove a learner and everything recorded about them (attempts, answers, reviews)."""
    db.session.delete(learner)
    db.session.commit()
