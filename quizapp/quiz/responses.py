"""Turning a submitted answer form into the canonical response that grading reads.

The form is a plain mapping of field name to submitted values (as from
``request.form.to_dict(flat=False)``), so this knows nothing of Flask. Anything
a learner could get wrong is refused with a message meant for them.

Form fields per question type:
    single      choice=<choice index>
    multiple    choice=<choice index> (once per ticked box)
    true_false  answer=true|false
    short       text=<typed answer>
    order       position-<item index>=1..n
    match       match-<left index>=<option index>
    highlight   sentence=<passage id>:<sentence number> (once per selected sentence)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .grading import match_options

MAX_TEXT_LENGTH = 500


class ResponseInvalid(ValueError):
    """The submitted answer cannot be saved; ``message`` tells the learner why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_response(
    question_type: str,
    definition: dict,
    form: Mapping[str, list[str]],
    *,
    valid_sentences: Callable[[str, int], bool] | None = None,
) -> dict:
    """The canonical response for ``question_type``, or ResponseInvalid with a learner's message.

    ``valid_sentences(passage_id, number)`` says whether a highlight may select that
    sentence (one of the quiz's passages); without it only the form of the value is checked.
    """
    if question_type == "single":
        return {"choice": _single_choice(definition, form)}
    if question_type == "multiple":
        return {"choices": _several_choices(definition, form)}
    if question_type == "true_false":
        return {"answer": _true_or_false(form)}
    if question_type == "short":
        return {"text": _typed_text(form)}
    if question_type == "order":
        return {"order": _order(definition, form)}
    if question_type == "match":
        return {"pairs": _matches(definition, form)}
    if question_type == "highlight":
        return {"sentences": _sentences(form, valid_sentences)}
    raise ValueError(f"unknown question type {question_type!r}")


def _values(form: Mapping[str, list[str]], name: str) -> list[str]:
    """The non-blank values of a field: an empty select or text box counts as no answer."""
    values = form.get(name) or []
    if isinstance(values, str):
        values = [values]
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _index(value: str, count: int, message: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) >= count:
        raise ResponseInvalid(message)
    return int(value)


def _single_choice(definition: dict, form: Mapping[str, list[str]]) -> int:
    values = _values(form, "choice")
    if not values:
        raise ResponseInvalid("Choose an answer before saving.")
    if len(values) > 1:
        raise ResponseInvalid("Choose only one answer.")
    return _index(values[0], len(definition["choices"]), "That answer is not one of the choices.")


def _several_choices(definition: dict, form: Mapping[str, list[str]]) -> list[int]:
    values = _values(form, "choice")
    if not values:
        raise ResponseInvalid("Choose at least one answer before saving.")
    count = len(definition["choices"])
    return sorted({_index(value, count, "That answer is not one of the choices.") for value in values})


def _true_or_false(form: Mapping[str, list[str]]) -> bool:
    values = _values(form, "answer")
    if not values:
        raise ResponseInvalid("Choose True or False before saving.")
    if len(values) > 1 or values[0].lower() not in ("true", "false"):
        raise ResponseInvalid("Choose either True or False.")
    return values[0].lower() == "true"


def _typed_text(form: Mapping[str, list[str]]) -> str:
    values = _values(form, "text")
    if not values:
        raise ResponseInvalid("Type an answer before saving.")
    text = values[0]
    if len(text) > MAX_TEXT_LENGTH:
        raise ResponseInvalid(f"Keep your answer under {MAX_TEXT_LENGTH} characters.")
    if any(ord(character) < 32 and character not in "\t\n\r" for character in text):
        raise ResponseInvalid("Your answer contains characters that cannot be saved; type it again.")
    return text


def _order(definition: dict, form: Mapping[str, list[str]]) -> list[int]:
    count = len(definition["items"])
    out_of_range = f"Use the positions 1 to {count}."
    positions: dict[int, int] = {}
    for item in range(count):
        values = _values(form, f"position-{item}")
        if not values:
            raise ResponseInvalid("Give every item a position before saving.")
        if len(values) > 1:
            raise ResponseInvalid("Give each item one position.")
        value = values[0]
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= count:
            raise ResponseInvalid(out_of_range)
        positions[item] = int(value)
    if len(set(positions.values())) != count:
        raise ResponseInvalid("Give each item a different position.")
    return sorted(positions, key=positions.__getitem__)


def _matches(definition: dict, form: Mapping[str, list[str]]) -> dict[str, int]:
    option_count = len(match_options(definition))
    chosen: dict[str, int] = {}
    for left in range(len(definition["pairs"])):
        values = _values(form, f"match-{left}")
        if not values:
            raise ResponseInvalid("Match every item before saving.")
        if len(values) > 1:
            raise ResponseInvalid("Choose one match for each item.")
        chosen[str(left)] = _index(values[0], option_count, "That match is not one of the options.")
    return chosen


def _sentences(form: Mapping[str, list[str]], valid_sentences: Callable[[str, int], bool] | None) -> list[list]:
    values = _values(form, "sentence")
    if not values:
        raise ResponseInvalid("Select at least one sentence before saving.")
    selected: set[tuple[str, int]] = set()
    for value in values:
        passage_id, _, number = value.rpartition(":")
        if not passage_id or not number.isascii() or not number.isdigit() or int(number) < 1:
            raise ResponseInvalid("One of the selected sentences is not part of this passage.")
        if valid_sentences is not None and not valid_sentences(passage_id, int(number)):
            raise ResponseInvalid("One of the selected sentences is not part of this passage.")
        selected.add((passage_id, int(number)))
    return [[passage_id, number] for passage_id, number in sorted(selected)]
