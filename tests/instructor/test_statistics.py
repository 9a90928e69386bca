"""Item statistics a teacher reads on the dashboard, checked against numbers worked by hand."""

import math

import pytest

from quizapp.instructor.statistics import (
    ChoiceCount,
    confusion_table,
    cronbach_alpha,
    discrimination_index,
    discriminative_efficiency,
    distractor_counts,
    facility,
    item_report,
    match_options,
)

# Four learners, three one-mark questions. The second learner left "c" blank and the
# fourth never reached "b": both count as 0.
#
#             a  b  c   total
#   learner1  1  1  1   3
#   learner2  1  1  -   2
#   learner3  0  1  0   1
#   learner4  0  -  1   1
FOUR_LEARNERS = [
    {"a": 1.0, "b": 1.0, "c": 1.0},
    {"a": 1.0, "b": 1.0, "c": None},
    {"a": 0.0, "b": 1.0, "c": 0.0},
    {"a": 0.0, "c": 1.0},
]
ONE_MARK_EACH = {"a": 1.0, "b": 1.0, "c": 1.0}


def report_by_question(report):
    return {item.question_id: item for item in report.items}


def test_facility_is_mean_mark_as_percentage_of_max():
    # (2 + 1 + 0) / 3 = 1 mark on average, out of 2 -> 50%.
    assert facility([2.0, 1.0, 0.0], 2.0) == pytest.approx(50.0)
    assert facility([], 1.0) is None
    assert facility([1.0], 0.0) is None


def test_item_that_the_stronger_learners_get_right_discriminates_well():
    # Question a: marks 1,1,0,0; rest (b + c) 2,1,1,1.
    # Means 0.5 and 1.25. Deviations: a +.5,+.5,-.5,-.5; rest +.75,-.25,-.25,-.25.
    # Sum of products .375 - .125 + .125 + .125 = .5; sums of squares 1 and .75.
    # r = .5 / sqrt(1 x .75) = 0.57735 -> DI 57.7.
    # Sorted: a 0,0,1,1 against rest 1,1,1,2 -> products .125+.125-.125+.375 = .5 = the
    # actual sum, so DE = 100: no ordering of these marks could discriminate better.
    item_marks, rest = [1, 1, 0, 0], [2, 1, 1, 1]
    assert discrimination_index(item_marks, rest) == pytest.approx(100 / math.sqrt(3))
    assert discriminative_efficiency(item_marks, rest) == pytest.approx(100.0)


def test_item_that_weaker_learners_get_right_has_negative_indices():
    # Question c: marks 1,0,0,1; rest (a + b) 2,2,1,0.
    # Means .5 and 1.25. Deviations c +.5,-.5,-.5,+.5; rest +.75,+.75,-.25,-1.25.
    # Sum of products .375 - .375 + .125 - .625 = -.5; sums of squares 1 and 2.75.
    # r = -.5 / sqrt(2.75) = -0.30151 -> DI -30.2.
    # Sorted: c 0,0,1,1 against rest 0,1,2,2 -> .625 + .125 + .375 + .375 = 1.5,
    # so DE = -.5 / 1.5 = -33.3.
    item_marks, rest = [1, 0, 0, 1], [2, 2, 1, 0]
    assert discrimination_index(item_marks, rest) == pytest.approx(-100 * 0.5 / math.sqrt(2.75))
    assert discriminative_efficiency(item_marks, rest) == pytest.approx(-100 / 3)


def test_indices_are_undefined_without_variance_or_with_one_attempt():
    assert discrimination_index([1, 1, 1], [0, 1, 2]) is None  # everyone got it right
    assert discrimination_index([0, 1, 1], [2, 2, 2]) is None  # the rest of the quiz tied
    assert discrimination_index([1], [2]) is None
    assert discriminative_efficiency([1, 1, 1], [0, 1, 2]) is None
    assert discriminative_efficiency([1], [2]) is None


def test_paired_marks_must_have_the_same_length():
    with pytest.raises(ValueError):
        discrimination_index([1, 0], [1, 2, 3])


def test_cronbach_alpha_of_a_small_matrix():
    # Items [1,1,0] (mean 2/3) and [1,0,0] (mean 1/3) each have sample variance
    # (1/9 + 1/9 + 4/9) / 2 = 1/3.
    # Totals 2,1,0: sample variance 1. alpha = 2/1 x (1 - (1/3 + 1/3) / 1) = 2/3.
    assert cronbach_alpha([[1, 1], [1, 0], [0, 0]]) == pytest.approx(2 / 3)


def test_cronbach_alpha_is_undefined_for_one_item_one_attempt_or_equal_totals():
    assert cronbach_alpha([[1], [0], [1]]) is None
    assert cronbach_alpha([[1, 0]]) is None
    assert cronbach_alpha([[1, 0], [0, 1]]) is None  # both totals are 1
    assert cronbach_alpha([]) is None


def test_item_report_on_four_learners():
    report = item_report(FOUR_LEARNERS, ONE_MARK_EACH, min_attempts=4)
    items = report_by_question(report)

    assert report.too_few_attempts is False
    assert report.attempts == 4
    assert report.max_total == 3.0
    # Totals 3, 2, 1, 1: mean 7/4, median (2 + 1) / 2.
    assert report.mean == pytest.approx(1.75)
    assert report.median == pytest.approx(1.5)
    # Deviations 1.25, .25, -.75, -.75: squares sum to 2.75, / 3 = 11/12.
    assert report.standard_deviation == pytest.approx(math.sqrt(11 / 12))
    # Item variances a 1/3, b .75/3 = 1/4, c 1/3 sum to 11/12 = the total variance,
    # so alpha = 3/2 x (1 - 1) = 0: these three questions do not measure one thing.
    assert report.cronbach_alpha == pytest.approx(0.0, abs=1e-9)

    assert [item.facility for item in report.items] == pytest.approx([50.0, 75.0, 50.0])
    assert items["a"].discrimination_index == pytest.approx(57.735, abs=1e-3)
    assert items["a"].needs_checking is False
    # b: marks 1,1,1,0 against rest 2,1,0,1: deviations .25,.25,.25,-.75 and 1,0,-1,0,
    # products sum to 0 -> DI 0, which is weak.
    assert items["b"].discrimination_index == pytest.approx(0.0, abs=1e-9)
    assert items["b"].discriminative_efficiency == pytest.approx(0.0, abs=1e-9)
    assert items["b"].needs_checking is True
    assert items["c"].discrimination_index == pytest.approx(-30.151, abs=1e-3)
    assert items["c"].needs_checking is True


def test_unanswered_questions_count_as_zero_but_not_as_answered():
    items = report_by_question(item_report(FOUR_LEARNERS, ONE_MARK_EACH, min_attempts=4))
    assert (items["a"].n, items["a"].answered) == (4, 4)
    assert (items["b"].n, items["b"].answered) == (4, 3)
    assert (items["c"].n, items["c"].answered) == (4, 3)


def test_too_few_attempts_hides_every_figure():
    report = item_report(FOUR_LEARNERS, ONE_MARK_EACH)  # default minimum is 5
    assert report.too_few_attempts is True
    assert report.attempts == 4
    assert (report.mean, report.median, report.standard_deviation, report.cronbach_alpha) == (
        None,
        None,
        None,
        None,
    )
    for item in report.items:
        assert (item.facility, item.discrimination_index, item.discriminative_efficiency) == (
            None,
            None,
            None,
        )
        assert item.needs_checking is False


def test_no_attempts_is_too_few_whatever_the_minimum():
    report = item_report([], ONE_MARK_EACH, min_attempts=0)
    assert report.too_few_attempts is True
    assert [item.question_id for item in report.items] == ["a", "b", "c"]


def test_single_attempt_has_facility_but_no_spread_figures():
    report = item_report([{"a": 1.0, "b": 0.5}], {"a": 1.0, "b": 1.0}, min_attempts=1)
    items = report_by_question(report)
    assert items["b"].facility == pytest.approx(50.0)
    assert items["b"].discrimination_index is None
    assert items["b"].discriminative_efficiency is None
    assert report.standard_deviation is None
    assert report.cronbach_alpha is None
    assert report.median == pytest.approx(1.5)


def test_everyone_scoring_the_same_leaves_indices_undefined_and_unflagged():
    rows = [{"a": 1.0, "b": 2.0}] * 6
    report = item_report(rows, {"a": 1.0, "b": 2.0})
    for item in report.items:
        assert item.facility == pytest.approx(100.0)
        assert item.discrimination_index is None
        assert item.discriminative_efficiency is None
        assert item.needs_checking is False
    assert report.cronbach_alpha is None


def test_marks_for_questions_no_longer_in_the_quiz_are_ignored():
    rows = [{"a": float(i % 2), "gone": 5.0} for i in range(6)]
    report = item_report(rows, {"a": 1.0})
    assert [item.question_id for item in report.items] == ["a"]
    assert report.mean == pytest.approx(0.5)


SINGLE_CHOICES = [
    {"text": "Gaza City", "correct": True},
    {"text": "Rafah", "correct": False},
    {"text": "Khan Younis", "correct": False},
]


def test_distractor_counts_for_single_answer_questions():
    responses = [{"choice": 0}, {"choice": 1}, {"choice": 1}, None, {"choice": 7}]
    assert distractor_counts(responses, SINGLE_CHOICES) == [
        ChoiceCount(0, "Gaza City", True, 1),
        ChoiceCount(1, "Rafah", False, 2),
        ChoiceCount(2, "Khan Younis", False, 0),
    ]


def test_distractor_counts_for_multiple_answer_questions_count_each_pick_once():
    responses = [{"choices": [0, 2]}, {"choices": [2, 2]}, {"choices": []}]
    counts = [choice.count for choice in distractor_counts(responses, SINGLE_CHOICES)]
    assert counts == [1, 0, 2]


MATCH = {
    "pairs": [
        {"left": "Called for a humanitarian pause", "right": "UN Secretary-General"},
        {"left": "Said the strike targeted a command centre", "right": "Israeli military"},
        {"left": "Reported the casualty figure", "right": "Gaza health ministry"},
        {"left": "Disputed the figure", "right": "Israeli military"},
    ],
    "distractors": ["Egyptian foreign ministry"],
}


def test_match_options_list_each_right_once_then_distractors():
    assert match_options(MATCH) == [
        "UN Secretary-General",
        "Israeli military",
        "Gaza health ministry",
        "Egyptian foreign ministry",
    ]


def test_confusion_table_shows_which_sources_learners_mix_up():
    responses = [
        # All correct.
        {"pairs": {"0": 0, "1": 1, "2": 2, "3": 1}},
        # Swapped the ministry and the military on the figure, fell for the distractor.
        {"pairs": {"0": 3, "1": 1, "2": 1, "3": 2}},
        # Left two unmatched; one out-of-range option is ignored.
        {"pairs": {"0": 0, "2": 9}},
        None,
    ]
    table = confusion_table(responses, MATCH)
    assert table.true_rights == ["UN Secretary-General", "Israeli military", "Gaza health ministry"]
    assert table.options == match_options(MATCH)
    assert table.counts["UN Secretary-General"] == {
        "UN Secretary-General": 2,
        "Israeli military": 0,
        "Gaza health ministry": 0,
        "Egyptian foreign ministry": 1,
    }
    # Two lefts belong to the military: three answers went right, one went to the ministry.
    assert table.counts["Israeli military"]["Israeli military"] == 3
    assert table.counts["Israeli military"]["Gaza health ministry"] == 1
    assert table.counts["Gaza health ministry"]["Israeli military"] == 1
    assert table.counts["Gaza health ministry"]["Gaza health ministry"] == 1
