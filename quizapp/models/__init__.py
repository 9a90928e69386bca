"""The database models, grouped by what they store."""

from .attempts import IN_PROGRESS, SUBMITTED, Answer, Attempt
from .content import Card, Passage, Question, QuestionVersion, Quiz, QuizPassage, Sentence
from .flashcards import CardState, ReviewLog
from .people import Classroom, ClassroomQuiz, Instructor, Learner, LoginThrottle
from .types import UTCDateTime, utcnow

__all__ = [
    "IN_PROGRESS",
    "SUBMITTED",
    "Answer",
    "Attempt",
    "Card",
    "CardState",
    "Classroom",
    "ClassroomQuiz",
    "Instructor",
    "Learner",
    "LoginThrottle",
    "Passage",
    "Question",
    "QuestionVersion",
    "Quiz",
    "QuizPassage",
    "ReviewLog",
    "Sentence",
    "UTCDateTime",
    "utcnow",
]
