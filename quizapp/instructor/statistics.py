"""Item analysis of a quiz's first attempts, as Moodle's quiz statistics report defines it.

Every function takes plain numbers and returns plain numbers; nothing here knows of
Flask or the database. Percentages are on a 0-100 scale, like Moodle's report.

Variances and covariances are *sample* ones (divided by n - 1), as in Moodle's
``core_question\\statistics\\questions\\calculator``. The discrimination index, the
discriminative efficiency and Cronbach's alpha are ratios of such figures, so the
divisor cancels out and they come out the same either way; it only shows in the
standard deviation of the total scores.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, median, stdev

from ..quiz.grading import match_options

# Moodle's guidance reads a discrimination index below about 25-30% as weak evidence
# that the question separates stronger from weaker learners; negative is worse still.
WEAK_DISCRIMINATION = 30.0

# Below this many first attempts the figures swing with every learner and mislead.
MIN_ATTEMPTS = 5


@dataclass(frozen=True)
class ItemStatistics:
    """One question's figures over the first attempts; None where a figure is undefined."""

    question_id: str
    max_mark: float
    n: int  # attempts counted; an unanswered question counts as a mark of 0
    answered: int  # attempts in which the learner gave this question an answer
    facility: float | None = None
    discrimination_index: float | None = None
    discriminative_efficiency: float | None = None
    needs_checking: bool = False


@dataclass(frozen=True)
class QuizStatistics:
    """The whole quiz's figures; every figure is None when ``too_few_attempts``."""

    attempts: int
    too_few_attempts: bool
    max_total: float
    items: list[ItemStatistics]
    mean: float | None = None  # of total marks, in marks
    median: float | None = None
    standard_deviation: float | None = None  # sample standard deviation of total marks
    # 0-1; Moodle shows it x100 as the "coefficient of internal consistency".
    cronbach_alpha: float | None = None


@dataclass(frozen=True)
class ChoiceCount:
    """How many learners picked one choice of a single- or multiple-answer question."""

    index: int
    text: str
    correct: bool
    count: int


@dataclass(frozen=True)
class ConfusionTable:
    """For a match question: how often each true right-hand side was answered with each option.

    ``counts[true_right][chosen_option]`` is a count, zero included, so a teacher can read
    the table row by row. The diagonal (true == chosen) holds the correct matches.
    """

    true_rights: list[str]
    options: list[str]
    counts: dict[str, dict[str, int]]


def facility(marks: Sequence[float], max_mark: float) -> float | None:
    """Mean mark as a percentage of the maximum mark; higher means easier."""
    if not marks or max_mark <= 0:
        return None
    return 100 * fmean(marks) / max_mark


def _sample_covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) != len(ys):
        raise ValueError(f"need paired values, got {len(xs)} and {len(ys)}")
    if len(xs) < 2:
        return None
    mean_x, mean_y = fmean(xs), fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def _is_zero(value: float | None) -> bool:
    # Sums of float deviations leave crumbs like 1e-17 where the exact answer is 0.
    return value is None or math.isclose(value, 0.0, abs_tol=1e-12)


def discrimination_index(item_marks: Sequence[float], rest_scores: Sequence[float]) -> float | None:
    """100 x Pearson correlation between the item's marks and the rest of each attempt's score.

    ``rest_scores[i]`` is attempt i's total minus its mark on this item, so the item does
    not correlate with itself. None when either side has no variance (or fewer than two
    attempts): the correlation is then undefined.
    """
    covariance = _sample_covariance(item_marks, rest_scores)
    item_variance = _sample_covariance(item_marks, item_marks)
    rest_variance = _sample_covariance(rest_scores, rest_scores)
    if covariance is None or _is_zero(item_variance) or _is_zero(rest_variance):
        return None
    return 100 * covariance / math.sqrt(item_variance * rest_variance)


def discriminative_efficiency(item_marks: Sequence[float], rest_scores: Sequence[float]) -> float | None:
    """100 x Cov(item, rest) / the largest covariance these same marks could have.

    The largest covariance is reached when the item marks are paired with the rest scores
    in the same order (both sorted), i.e. when the best learners on the rest of the quiz
    also did best on this item. None when that maximum is 0.
    """
    covariance = _sample_covariance(item_marks, rest_scores)
    largest = _sample_covariance(sorted(item_marks), sorted(rest_scores))
    if covariance is None or _is_zero(largest):
        return None
    return 100 * covariance / largest


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a score matrix (one row per attempt, one column per item).

    alpha = k/(k-1) x (1 - sum of item variances / variance of the totals). None for fewer
    than two items or two attempts, or when the totals do not vary.
    """
    if len(matrix) < 2:
        return None
    item_count = len(matrix[0])
    if item_count < 2:
        return None
    columns = list(zip(*matrix, strict=True))
    totals = [sum(row) for row in matrix]
    total_variance = _sample_covariance(totals, totals)
    if _is_zero(total_variance):
        return None
    item_variance_sum = sum(_sample_covariance(column, column) for column in columns)
    return item_count / (item_count - 1) * (1 - item_variance_sum / total_variance)


def item_report(
    rows: Sequence[Mapping[str, float | None]],
    max_marks: Mapping[str, float],
    min_attempts: int = MIN_ATTEMPTS,
) -> QuizStatistics:
    """Item analysis over first attempts.

    ``rows`` holds one mapping per attempt, question id -> mark; a question missing from a
    row, or mapped to None, was left unanswered and counts as 0. ``max_marks`` lists the
    quiz's questions in display order; marks for questions not in it are ignored. With
    fewer than ``min_attempts`` attempts every figure is None and ``too_few_attempts`` is
    set, so the page can say so instead of showing noise.
    """
    question_ids = list(max_marks)
    matrix = [[_mark(row, question_id) for question_id in question_ids] for row in rows]
    answered = Counter(question_id for row in rows for question_id, mark in row.items() if mark is not None)
    max_total = sum(max_marks.values())
    attempts = len(rows)

    if attempts < max(min_attempts, 1):
        items = [
            ItemStatistics(question_id, max_marks[question_id], attempts, answered[question_id])
            for question_id in question_ids
        ]
        return QuizStatistics(attempts, True, max_total, items)

    totals = [sum(row) for row in matrix]
    items = [
        _item_statistics(
            question_id, max_marks[question_id], [row[column] for row in matrix], totals, answered[question_id]
        )
        for column, question_id in enumerate(question_ids)
    ]
    return QuizStatistics(
        attempts=attempts,
        too_few_attempts=False,
        max_total=max_total,
        items=items,
        mean=fmean(totals),
        median=median(totals),
        standard_deviation=stdev(totals) if attempts > 1 else None,
        cronbach_alpha=cronbach_alpha(matrix),
    )


def question_statistics(
    rows: Sequence[Mapping[str, float | None]],
    max_marks: Mapping[str, float],
    question_id: str,
    min_attempts: int = MIN_ATTEMPTS,
) -> ItemStatistics:
    """What ``item_report(rows, max_marks)`` says of one question, without the others' figures."""
    max_mark = max_marks[question_id]
    answered = sum(1 for row in rows if row.get(question_id) is not None)
    if len(rows) < max(min_attempts, 1):
        return ItemStatistics(question_id, max_mark, len(rows), answered)
    item_marks = [_mark(row, question_id) for row in rows]
    totals = [sum(_mark(row, other) for other in max_marks) for row in rows]
    return _item_statistics(question_id, max_mark, item_marks, totals, answered)


def _item_statistics(
    question_id: str, max_mark: float, item_marks: list[float], totals: list[float], answered: int
) -> ItemStatistics:
    rest_scores = [total - mark for total, mark in zip(totals, item_marks, strict=True)]
    index = discrimination_index(item_marks, rest_scores)
    return ItemStatistics(
        question_id=question_id,
        max_mark=max_mark,
        n=len(item_marks),
        answered=answered,
        facility=facility(item_marks, max_mark),
        discrimination_index=index,
        discriminative_efficiency=discriminative_efficiency(item_marks, rest_scores),
        # An undefined index (everyone scored alike) says nothing bad about the question.
        needs_checking=index is not None and index < WEAK_DISCRIMINATION,
    )


def _mark(row: Mapping[str, float | None], question_id: str) -> float:
    mark = row.get(question_id)
    return 0.0 if mark is None else float(mark)


def distractor_counts(responses: Sequence[Mapping | None], choices: Sequence[Mapping]) -> list[ChoiceCount]:
    """How often each choice of a single or multiple question was picked.

    ``responses`` are canonical responses to one version of the question: ``{"choice": i}``
    or ``{"choices": [i, ...]}``; None stands for an unanswered question and is skipped.
    ``choices`` is the question's ``definition["choices"]`` (dicts with "text" and "correct").
    A choice picked twice in one response counts once; indexes outside the list are ignored.
    """
    picks: Counter[int] = Counter()
    for response in responses:
        if not response:
            continue
        picked = response["choices"] if "choices" in response else [response.get("choice")]
        picks.update({index for index in picked if isinstance(index, int)})
    return [
        ChoiceCount(index, choice.get("text", ""), bool(choice.get("correct")), picks[index])
        for index, choice in enumerate(choices)
    ]


def confusion_table(responses: Sequence[Mapping | None], definition: Mapping) -> ConfusionTable:
    """Count, for each true right-hand side, which option learners chose for its left side.

    ``responses`` are canonical match responses ``{"pairs": {"<left index>": option index}}``
    for one version of the question, with option indexes into ``match_options(definition)``.
    A left left unmatched, or an index out of range, is not counted.
    """
    options = match_options(definition)
    true_rights = list(dict.fromkeys(pair["right"] for pair in definition.get("pairs", [])))
    counts = {true_right: dict.fromkeys(options, 0) for true_right in true_rights}
    pairs = definition.get("pairs", [])
    for response in responses:
        if not response:
            continue
        for left_key, option_index in response.get("pairs", {}).items():
            left_index = int(left_key)
            if not (0 <= left_index < len(pairs)) or not isinstance(option_index, int):
                continue
            if 0 <= option_index < len(options):
                counts[pairs[left_index]["right"]][options[option_index]] += 1
    return ConfusionTable(true_rights=true_rights, options=options, counts=counts)
