"""A learner answers; grading gives the score the content format's scoring table promises."""

from __future__ import annotations

import pytest

from quizapp.quiz.grading import (
    Grade,
    correct_response_text,
    describe_response,
    grade,
    match_options,
    normalise_short_answer,
)


def choices(*texts_and_correct: tuple[str, bool]) -> list[dict]:
    return [{"text": text, "correct": correct, "feedback": None} for text, correct in texts_and_correct]


WHEN = {
    "choices": choices(("Monday", False), ("Tuesday", True), ("Friday", False)),
    "scoring": "all_or_nothing",
}
CLAIMS = choices(
    ("The storm came at night", True),
    ("The wall failed", True),
    ("The mayor resigned", False),
    ("1,200 people moved", True),
)
SEQUENCE = ["Storm arrives", "People moved", "Mayor speaks", "Wall inspected"]
SOURCES = {
    "pairs": [
        {"left": "Serious but manageable", "right": "The mayor"},
        {"left": "The wall failed", "right": "Fishermen"},
        {"left": "1,200 moved", "right": "Officials"},
    ],
    "distractors": ["The coast guard"],
}
WALL_TARGETS = [
    {"passage": "harbour-report", "sentences": [4]},
    {"passage": "harbour-opinion", "sentences": [1, 2]},
]


def multiple(scoring: str) -> dict:
    return {"choices": CLAIMS, "scoring": scoring}


def order(scoring: str, items: list[str] = SEQUENCE) -> dict:
    return {"items": items, "scoring": scoring}


def match(scoring: str) -> dict:
    return {**SOURCES, "scoring": scoring}


def highlight(scoring: str) -> dict:
    return {"targets": WALL_TARGETS, "scoring": scoring}


# --- single --------------------------------------------------------------------------------


def test_the_correct_single_choice_earns_the_points():
    result = grade("single", WHEN, 2.0, {"choice": 1})

    assert result == Grade(score=2.0, max_score=2.0, correct=True, right=frozenset({1}))


def test_a_wrong_single_choice_earns_nothing_and_shows_the_right_one():
    result = grade("single", WHEN, 2.0, {"choice": 0})

    assert (result.score, result.correct) == (0.0, False)
    assert (result.wrong, result.missed) == ({0}, {1})


@pytest.mark.parametrize("response", [{}, {"choice": None}, {"choice": 7}, {"choice": True}, {"choice": "1"}])
def test_a_single_response_that_does_not_fit_is_wrong_not_an_error(response):
    assert grade("single", WHEN, 1.0, response).score == 0.0


# --- multiple ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ([0, 1, 3], 1.0),
        ([3, 1, 0], 1.0),
        ([0, 1], 0.0),
        ([0, 1, 2, 3], 0.0),
        ([], 0.0),
    ],
)
def test_all_or_nothing_multiple_needs_exactly_the_correct_set(picked, expected):
    assert grade("multiple", multiple("all_or_nothing"), 1.0, {"choices": picked}).score == expected


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ([0, 1, 3], 3.0),  # all three right
        ([0, 1], 2.0),  # two of three, nothing wrong
        ([0, 1, 2], 1.0),  # (2 right - 1 wrong) / 3
        ([0, 1, 2, 3], 2.0),  # (3 - 1) / 3
        ([0, 2], 0.0),  # (1 - 1) / 3
        ([2], 0.0),  # (0 - 1) / 3 is floored at 0, never negative
        ([], 0.0),
    ],
)
def test_partial_multiple_gives_right_minus_wrong_over_correct_count_floored_at_zero(picked, expected):
    result = grade("multiple", multiple("partial"), 3.0, {"choices": picked})

    assert result.score == pytest.approx(expected)
    assert result.max_score == 3.0
    assert result.correct == (expected == 3.0)


def test_partial_multiple_says_which_picks_were_right_wrong_and_missed():
    result = grade("multiple", multiple("partial"), 1.0, {"choices": [0, 2]})

    assert (result.right, result.wrong, result.missed) == ({0}, {2}, {1, 3})


def test_picking_the_same_choice_twice_counts_once():
    result = grade("multiple", multiple("partial"), 3.0, {"choices": [0, 0, 0]})

    assert result.score == pytest.approx(1.0)


# --- true / false --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "response", "expected"),
    [
        (True, {"answer": True}, 1.0),
        (False, {"answer": False}, 1.0),
        (True, {"answer": False}, 0.0),
        (False, {"answer": True}, 0.0),
        (False, {}, 0.0),
        (False, {"answer": 0}, 0.0),
    ],
)
def test_true_false_matches_the_answer(answer, response, expected):
    assert grade("true_false", {"answer": answer}, 1.0, response).score == expected


# --- short ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1,200",
        "1200",
        " 1200 ",
        "1200.",
        "1,200 people",
    ],
)
def test_a_typed_number_matches_with_or_without_digit_grouping(typed):
    result = grade("short", {"answers": ["1,200", "1,200 people"]}, 1.0, {"text": typed})

    assert result.correct


@pytest.mark.parametrize(
    "typed",
    [
        "the Kerem Shalom crossing",
        "KEREM   SHALOM CROSSING",
        "Kerem Shalom crossing.",
        "“Kerem Shalom crossing”",
        "The kerem shalom crossing!",
    ],
)
def test_a_typed_name_ignores_case_space_quotes_a_leading_the_and_end_punctuation(typed):
    result = grade("short", {"answers": ["Kerem Shalom crossing"]}, 1.0, {"text": typed})

    assert result.correct


def test_curly_and_straight_apostrophes_are_the_same():
    assert grade("short", {"answers": ["Iran’s axis"]}, 1.0, {"text": "iran's axis"}).correct


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "1,20",
        "12,00",
        "Kerem",
        "Kerem Shalom crossings",
        "theKerem Shalom crossing",
        "other Kerem Shalom crossing",
    ],
)
def test_a_different_short_answer_is_wrong(typed):
    result = grade("short", {"answers": ["Kerem Shalom crossing", "1,200"]}, 1.0, {"text": typed})

    assert not result.correct
    assert result.score == 0.0


def test_inner_punctuation_still_counts():
    assert normalise_short_answer("U.S.") == "u.s"
    assert normalise_short_answer("US") == "us"
    assert normalise_short_answer("1.2") != normalise_short_answer("12")


def test_long_numbers_lose_every_group_separator():
    assert normalise_short_answer("1,000,000") == "1000000"


def test_a_missing_short_answer_is_wrong():
    assert grade("short", {"answers": ["Hamas"]}, 1.0, {}).score == 0.0


# --- order ---------------------------------------------------------------------------------


def test_the_exact_order_earns_the_points():
    result = grade("order", order("all_or_nothing"), 2.0, {"order": [0, 1, 2, 3]})

    assert (result.score, result.correct, result.right) == (2.0, True, {0, 1, 2, 3})


def test_one_swap_loses_everything_without_partial_scoring():
    result = grade("order", order("all_or_nothing"), 2.0, {"order": [1, 0, 2, 3]})

    assert (result.score, result.correct) == (0.0, False)
    assert (result.right, result.wrong) == ({2, 3}, {0, 1})


@pytest.mark.parametrize(
    ("learner_order", "expected"),
    [
        ([0, 1, 2, 3], 1.0),
        ([1, 0, 2, 3], 0.5),
        ([3, 0, 1, 2], 0.0),
        ([0, 2, 1, 3], 0.5),
        ([0, 1, 3, 2], 0.5),
        ([0, 3, 2, 1], 0.5),
        ([0, 1], 0.5),  # a truncated order: two items in place, two missing
    ],
)
def test_partial_order_credits_each_item_in_its_place(learner_order, expected):
    result = grade("order", order("partial"), 1.0, {"order": learner_order})

    assert result.score == pytest.approx(expected)


def test_identical_items_may_swap_places():
    items = ["Rocket fire", "Airstrike", "Rocket fire"]

    assert grade("order", order("all_or_nothing", items), 1.0, {"order": [2, 1, 0]}).correct


def test_an_order_response_that_does_not_fit_is_wrong_not_an_error():
    result = grade("order", order("partial"), 1.0, {"order": [9, "x", None, -1]})

    assert result.score == 0.0


# --- match ---------------------------------------------------------------------------------


def test_all_pairs_right_earns_the_points():
    result = grade("match", match("all_or_nothing"), 3.0, {"pairs": {"0": 0, "1": 1, "2": 2}})

    assert (result.score, result.correct) == (3.0, True)


def test_a_distractor_is_a_wrong_match():
    result = grade("match", match("all_or_nothing"), 3.0, {"pairs": {"0": 0, "1": 1, "2": 3}})

    assert (result.score, result.correct) == (0.0, False)
    assert (result.right, result.wrong) == ({0, 1}, {2})


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({"0": 0, "1": 1, "2": 2}, 3.0),
        ({"0": 0, "1": 1, "2": 3}, 2.0),
        ({"0": 1, "1": 0, "2": 2}, 1.0),
        ({"0": 3, "1": 3, "2": 3}, 0.0),
        ({"0": 0}, 1.0),
    ],
)
def test_partial_match_credits_each_pair(pairs, expected):
    result = grade("match", match("partial"), 3.0, {"pairs": pairs})

    assert result.score == pytest.approx(expected)


def test_unanswered_lefts_are_missed():
    result = grade("match", match("partial"), 3.0, {"pairs": {"1": 1}})

    assert (result.right, result.wrong, result.missed) == ({1}, set(), {0, 2})


def test_two_lefts_sharing_a_right_are_offered_it_once():
    definition = {
        "pairs": [
            {"left": "Called the damage manageable", "right": "The mayor"},
            {"left": "Promised repairs", "right": "The mayor"},
        ],
        "distractors": ["The governor", "The mayor"],
        "scoring": "all_or_nothing",
    }

    assert match_options(definition) == ["The mayor", "The governor"]
    assert grade("match", definition, 1.0, {"pairs": {"0": 0, "1": 0}}).correct
    assert not grade("match", definition, 1.0, {"pairs": {"0": 0, "1": 1}}).correct


def test_a_match_response_that_does_not_fit_is_wrong_not_an_error():
    result = grade("match", match("partial"), 1.0, {"pairs": {"0": 99, "x": 1, "5": 0, "1": "a"}})

    assert result.score == 0.0


# --- highlight -----------------------------------------------------------------------------


def test_selecting_exactly_the_target_sentences_earns_the_points():
    picked = [["harbour-opinion", 2], ["harbour-report", 4], ["harbour-opinion", 1]]

    result = grade("highlight", highlight("all_or_nothing"), 1.0, {"sentences": picked})

    assert result.correct


@pytest.mark.parametrize(
    "picked",
    [
        [["harbour-report", 4], ["harbour-opinion", 1]],
        [
            ["harbour-report", 4],
            ["harbour-opinion", 1],
            ["harbour-opinion", 2],
            ["harbour-report", 1],
        ],
        [["harbour-opinion", 4], ["harbour-report", 1], ["harbour-report", 2]],
        [],
    ],
)
def test_all_or_nothing_highlight_wants_the_exact_set(picked):
    assert not grade("highlight", highlight("all_or_nothing"), 1.0, {"sentences": picked}).correct


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ([["harbour-report", 4], ["harbour-opinion", 1], ["harbour-opinion", 2]], 3.0),
        ([["harbour-report", 4], ["harbour-opinion", 1]], 2.0),
        ([["harbour-report", 4], ["harbour-opinion", 1], ["harbour-report", 1]], 1.0),
        ([["harbour-report", 4], ["harbour-report", 1], ["harbour-report", 2]], 0.0),
        # the same number in the other passage is not a target
        ([["harbour-opinion", 4]], 0.0),
    ],
)
def test_partial_highlight_gives_right_minus_wrong_over_targets_floored_at_zero(picked, expected):
    result = grade("highlight", highlight("partial"), 3.0, {"sentences": picked})

    assert result.score == pytest.approx(expected)


def test_highlight_says_which_sentences_were_right_wrong_and_missed():
    picked = [["harbour-report", 4], ["harbour-report", 1]]

    result = grade("highlight", highlight("partial"), 1.0, {"sentences": picked})

    assert result.right == {("harbour-report", 4)}
    assert result.wrong == {("harbour-report", 1)}
    assert result.missed == {("harbour-opinion", 1), ("harbour-opinion", 2)}


# --- points and the unknown ----------------------------------------------------------------


def test_fractional_points_scale_the_score():
    result = grade("multiple", multiple("partial"), 0.5, {"choices": [0]})

    assert result.score == pytest.approx(0.5 / 3)
    assert result.fraction == pytest.approx(1 / 3)


def test_an_unknown_question_type_is_a_programming_error():
    with pytest.raises(ValueError, match="essay"):
        grade("essay", {}, 1.0, {})


# --- readable text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_type", "definition", "response", "expected"),
    [
        ("single", WHEN, {"choice": 1}, "Tuesday"),
        ("single", WHEN, {}, "(no answer)"),
        (
            "multiple",
            multiple("partial"),
            {"choices": [3, 0]},
            "The storm came at night; 1,200 people moved",
        ),
        ("true_false", {"answer": True}, {"answer": False}, "False"),
        ("short", {"answers": ["Hamas"]}, {"text": "  hamas "}, "hamas"),
        ("short", {"answers": ["Hamas"]}, {"text": ""}, "(no answer)"),
        (
            "order",
            order("partial"),
            {"order": [1, 0, 2, 3]},
            "1. People moved; 2. Storm arrives; 3. Mayor speaks; 4. Wall inspected",
        ),
        (
            "match",
            match("partial"),
            {"pairs": {"1": 3, "0": 0}},
            "Serious but manageable → The mayor; The wall failed → The coast guard",
        ),
        (
            "highlight",
            highlight("partial"),
            {"sentences": [["harbour-report", 4], ["harbour-opinion", 2]]},
            "harbour-opinion, sentence 2; harbour-report, sentence 4",
        ),
        ("highlight", highlight("partial"), {"sentences": []}, "(no answer)"),
    ],
)
def test_a_response_reads_as_words_for_exports(question_type, definition, response, expected):
    assert describe_response(question_type, definition, response) == expected


@pytest.mark.parametrize(
    ("question_type", "definition", "expected"),
    [
        ("single", WHEN, "Tuesday"),
        (
            "multiple",
            multiple("partial"),
            "The storm came at night; The wall failed; 1,200 people moved",
        ),
        ("true_false", {"answer": False}, "False"),
        ("short", {"answers": ["1,200"]}, "1,200"),
        ("short", {"answers": ["1,200", "1,200 people"]}, "1,200 (also accepted: 1,200 people)"),
        ("order", order("all_or_nothing", SEQUENCE[:2]), "1. Storm arrives; 2. People moved"),
        (
            "match",
            match("partial"),
            "Serious but manageable → The mayor; The wall failed → Fishermen; 1,200 moved → Officials",
        ),
        (
            "highlight",
            highlight("partial"),
            "harbour-opinion, sentence 1; harbour-opinion, sentence 2; harbour-report, sentence 4",
        ),
    ],
)
def test_the_right_answer_reads_as_words_for_feedback(question_type, definition, expected):
    assert correct_response_text(question_type, definition) == expected
