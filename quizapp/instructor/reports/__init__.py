"""The figures behind the instructor's report pages, as plain data."""

# Each function takes a class (and filters) and returns dataclasses and numbers; the views
# only render them, and the CSV exports reuse them. Totals are counted in SQL; only what
# needs Python (medians, item analysis, the readable text of responses) pulls rows, and then
# only the columns it needs.

from .by_skill import perspectives
from .item_analysis import quiz_report
from .learner import learner_report
from .overview import LEARNERS_PER_PAGE, class_overview, learner_progress
from .rows import iter_answers, iter_learner_summaries
from .scope import SKILLS, FilterInvalid, Filters, class_quizzes, parse_filters

__all__ = [
    "LEARNERS_PER_PAGE",
    "SKILLS",
    "FilterInvalid",
    "Filters",
    "class_overview",
    "class_quizzes",
    "iter_answers",
    "iter_learner_summaries",
    "learner_progress",
    "learner_report",
    "parse_filters",
    "perspectives",
    "quiz_report",
]
