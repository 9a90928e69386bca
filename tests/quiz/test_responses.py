"""A learner submits an answer form; it becomes a response grading can read, or a clear refusal."""

from __future__ import annotations

import pytest

from quizapp.quiz.grading import grade
from quizapp.quiz.responses import MAX_TEXT_LENGTH, ResponseInvalid, parse_response

CHOICES = {
    "choices": [
        {"text": "Monday", "correct": False, "feedback": None},
        {"text": "Tuesday", "correct": True, "feedback": None},
        {"text": "Friday", "correct": True, "feedback": None},
    ],
    "scoring": "partial",
}
ORDER = {"items": ["Storm arrives", "People moved", "Mayor speaks"], "scoring": "all_or_nothing"}
MATCH = {
    "pairs": [
        {"left": "Serious but manageable", "right": "The mayor"},
        {"left": "The wall failed", "right": "Fishermen"},
    ],
    "distractors": ["The coast guard"],
    "scoring": "partial",
}
HIGHLIGHT = {
    "targets": [{"passage": "harbour-report", "sentences": [4]}],
    "scoring": "all_or_nothing",
}
PASSAGE_LENGTHS = {"harbour-report": 4, "harbour-opinion": 2}


def in_quiz_passages(passage_id: str, number: int) -> bool:
    return 1 <= number <= PASSAGE_LENGTHS.get(passage_id, 0)


def refusal(question_type: str, definition: dict, form: dict, **options) -> str:
    with pytest.raises(ResponseInvalid) as refused:
        parse_response(question_type, definition, form, **options)
    return refused.value.message


# --- single and multiple -------------------------------------------------------------------


def test_a_single_choice_becomes_its_index():
    assert parse_response("single", CHOICES, {"choice": ["1"], "csrf_token": ["x"]}) == {"choice": 1}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose an answer before saving."),
        ({"choice": []}, "Choose an answer before saving."),
        ({"choice": [""]}, "Choose an answer before saving."),
        ({"choice": ["0", "1"]}, "Choose only one answer."),
        ({"choice": ["3"]}, "That answer is not one of the choices."),
        ({"choice": ["-1"]}, "That answer is not one of the choices."),
        ({"choice": ["Tuesday"]}, "That answer is not one of the choices."),
        ({"choice": ["١"]}, "That answer is not one of the choices."),  # an Arabic-Indic digit
    ],
)
def test_a_single_choice_is_refused_when_it_is_not_one_answer_among_the_choices(form, message):
    assert refusal("single", CHOICES, form) == message


def test_ticked_boxes_become_sorted_indices_once_each():
    form = {"choice": ["2", "0", "2"]}

    assert parse_response("multiple", CHOICES, form) == {"choices": [0, 2]}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose at least one answer before saving."),
        ({"choice": ["1", "5"]}, "That answer is not one of the choices."),
        ({"choice": ["1.0"]}, "That answer is not one of the choices."),
    ],
)
def test_ticked_boxes_are_refused_when_none_or_unknown(form, message):
    assert refusal("multiple", CHOICES, form) == message


# --- true / false and short ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "answer"), [("true", True), ("false", False), ("True", True)])
def test_true_or_false_becomes_a_boolean(value, answer):
    assert parse_response("true_false", {"answer": True}, {"answer": [value]}) == {"answer": answer}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose True or False before saving."),
        ({"answer": ["maybe"]}, "Choose either True or False."),
        ({"answer": ["true", "false"]}, "Choose either True or False."),
    ],
)
def test_true_or_false_is_refused_unless_exactly_one_of_the_two(form, message):
    assert refusal("true_false", {"answer": True}, form) == message


def test_a_typed_answer_is_kept_as_typed_without_surrounding_space():
    assert parse_response("short", {"answers": ["Hamas"]}, {"text": ["  Hamas’s leaders \n"]}) == {
        "text": "Hamas’s leaders"
    }


def test_a_typed_answer_of_the_longest_allowed_length_is_kept():
    text = "a" * MAX_TEXT_LENGTH

    assert parse_response("short", {"answers": ["x"]}, {"text": [text]}) == {"text": text}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Type an answer before saving."),
        ({"text": ["   "]}, "Type an answer before saving."),
        ({"text": ["a" * (MAX_TEXT_LENGTH + 1)]}, "Keep your answer under 500 characters."),
        (
            {"text": ["Ham\x00as"]},
            "Your answer contains characters that cannot be saved; type it again.",
        ),
    ],
)
def test_a_typed_answer_is_refused_when_blank_too_long_or_unprintable(form, message):
    assert refusal("short", {"answers": ["Hamas"]}, form) == message


# --- order ---------------------------------------------------------------------------------


def test_positions_become_the_items_in_the_learners_order():
    form = {"position-0": ["2"], "position-1": ["3"], "position-2": ["1"]}

    response = parse_response("order", ORDER, form)

    assert response == {"order": [2, 0, 1]}
    assert not grade("order", ORDER, 1.0, response).correct


def test_positions_in_the_authored_order_grade_as_correct():
    form = {"position-0": ["1"], "position-1": ["2"], "position-2": ["3"]}

    assert grade("order", ORDER, 1.0, parse_response("order", ORDER, form)).correct


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"position-0": ["1"], "position-1": ["2"]}, "Give every item a position before saving."),
        (
            {"position-0": ["1"], "position-1": ["1"], "position-2": ["2"]},
            "Give each item a different position.",
        ),
        (
            {"position-0": ["1"], "position-1": ["2"], "position-2": ["4"]},
            "Use the positions 1 to 3.",
        ),
        (
            {"position-0": ["0"], "position-1": ["2"], "position-2": ["3"]},
            "Use the positions 1 to 3.",
        ),
        (
            {"position-0": ["first"], "position-1": ["2"], "position-2": ["3"]},
            "Use the positions 1 to 3.",
        ),
        (
            {"position-0": ["1", "2"], "position-1": ["2"], "position-2": ["3"]},
            "Give each item one position.",
        ),
    ],
)
def test_positions_are_refused_unless_each_item_has_its_own_place(form, message):
    assert refusal("order", ORDER, form) == message


# --- match ---------------------------------------------------------------------------------


def test_matches_become_option_indices_per_left():
    form = {"match-0": ["0"], "match-1": ["2"]}

    response = parse_response("match", MATCH, form)

    assert response == {"pairs": {"0": 0, "1": 2}}
    assert grade("match", MATCH, 2.0, response).score == 1.0


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"match-0": ["0"]}, "Match every item before saving."),
        ({"match-0": ["0"], "match-1": [""]}, "Match every item before saving."),
        ({"match-0": ["0"], "match-1": ["3"]}, "That match is not one of the options."),
        ({"match-0": ["0"], "match-1": ["Fishermen"]}, "That match is not one of the options."),
        ({"match-0": ["0", "1"], "match-1": ["1"]}, "Choose one match for each item."),
    ],
)
def test_matches_are_refused_unless_every_left_has_one_known_option(form, message):
    assert refusal("match", MATCH, form) == message


# --- highlight -----------------------------------------------------------------------------


def test_selected_sentences_become_passage_and_number_pairs():
    form = {"sentence": ["harbour-report:4", "harbour-opinion:1", "harbour-report:4"]}

    response = parse_response("highlight", HIGHLIGHT, form, valid_sentences=in_quiz_passages)

    assert response == {"sentences": [["harbour-opinion", 1], ["harbour-report", 4]]}
    assert not grade("highlight", HIGHLIGHT, 1.0, response).correct


def test_selecting_the_target_alone_grades_as_correct():
    response = parse_response("highlight", HIGHLIGHT, {"sentence": ["harbour-report:4"]})

    assert grade("highlight", HIGHLIGHT, 1.0, response).correct


@pytest.mark.parametrize(
    "value",
    [
        "harbour-report:5",
        "nbc-offensive:1",
        "harbour-report:0",
        "harbour-report",
        ":4",
        "harbour-report:four",
    ],
)
def test_a_sentence_outside_the_quizs_passages_is_refused(value):
    message = refusal("highlight", HIGHLIGHT, {"sentence": [value]}, valid_sentences=in_quiz_passages)

    assert message == "One of the selected sentences is not part of this passage."


def test_a_malformed_sentence_is_refused_even_without_a_validator():
    message = refusal("highlight", HIGHLIGHT, {"sentence": ["harbour-report:x"]})

    assert message == "One of the selected sentences is not part of this passage."


def test_selecting_nothing_is_refused():
    assert refusal("highlight", HIGHLIGHT, {}) == "Select at least one sentence before saving."


def test_an_unknown_question_type_is_a_programming_error():
    with pytest.raises(ValueError, match="essay"):
        parse_response("essay", {}, {})
