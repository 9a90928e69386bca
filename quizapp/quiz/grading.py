"""Grading: a question's definition and a learner's response in, a score out.

Pure functions over plain data (the ``definition`` dicts the content checker
produces, and the canonical responses of ``quizapp.quiz.responses``), so the
same rules serve the quiz pages, the instructor's exports and the tests.

Responses:
    single      {"choice": int}
    multiple    {"choices": [int]}
    true_false  {"answer": bool}
    short       {"text": str}
    order       {"order": [int]}           item indices, in the learner's order
    match       {"pairs": {"<left>": int}} index into match_options(definition)
    highlight   {"sentences": [[passage_id, n], ...]}

A response that does not fit its question (an old response to a question whose
choices have since changed, say) is graded as wrong where it does not fit,
never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.text import normalise_quotes_and_space

NO_ANSWER = "(no answer)"

Part = int | tuple[str, int]


@dataclass(frozen=True)
class Grade:
    """The outcome of one response.

    ``right``, ``wrong`` and ``missed`` say which parts earned or lost credit, so that
    feedback can mark them: choice indices (single, multiple), item indices placed
    right or wrong (order), left indices (match; ``missed`` = left unanswered) and
    (passage id, sentence number) pairs (highlight; ``missed`` = targets not picked).
    """

    score: float
    max_score: float
    correct: bool
    right: frozenset[Part] = frozenset()
    wrong: frozenset[Part] = frozenset()
    missed: frozenset[Part] = frozenset()

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


def grade(question_type: str, definition: dict, points: float, response: dict) -> Grade:
    """Score ``response`` out of ``points`` by the rules of the content format's scoring table."""
    grader = _GRADERS.get(question_type)
    if grader is None:
        raise ValueError(f"unknown question type {question_type!r}")
    return grader(definition, points, response if isinstance(response, dict) else {})


# --- per type ------------------------------------------------------------------------------


def _grade_single(definition: dict, points: float, response: dict) -> Grade:
    correct_indices = _correct_choices(definition)
    picked = _int_set([response.get("choice")])
    return _outcome(
        points,
        1.0 if picked and picked == correct_indices else 0.0,
        right=picked & correct_indices,
        wrong=picked - correct_indices,
        missed=correct_indices - picked,
    )


def _grade_multiple(definition: dict, points: float, response: dict) -> Grade:
    correct_indices = _correct_choices(definition)
    picked = _int_set(response.get("choices"))
    right, wrong = picked & correct_indices, picked - correct_indices
    if definition.get("scoring") == "partial":
        fraction = _floored(len(right) - len(wrong), len(correct_indices))
    else:
        fraction = 1.0 if picked == correct_indices else 0.0
    return _outcome(points, fraction, right=right, wrong=wrong, missed=correct_indices - picked)


def _grade_true_false(definition: dict, points: float, response: dict) -> Grade:
    answer = response.get("answer")
    return _outcome(points, 1.0 if isinstance(answer, bool) and answer == definition["answer"] else 0.0)


def _grade_short(definition: dict, points: float, response: dict) -> Grade:
    text = response.get("text")
    given = normalise_short_answer(text) if isinstance(text, str) else ""
    accepted = {normalise_short_answer(answer) for answer in definition["answers"]}
    return _outcome(points, 1.0 if given and given in accepted else 0.0)


def _grade_order(definition: dict, points: float, response: dict) -> Grade:
    items = definition["items"]
    order = response.get("order")
    order = order if isinstance(order, list) else []
    # An item is in place if the item at that position reads the same as the authored one, so
    # two identical items may swap without penalty.
    in_place = {
        position
        for position, item_index in enumerate(order[: len(items)])
        if _is_index(item_index, items) and items[item_index] == items[position]
    }
    right = frozenset(order[position] for position in in_place)
    wrong = frozenset(range(len(items))) - right
    if definition.get("scoring") == "partial":
        fraction = len(in_place) / len(items)
    else:
        fraction = 1.0 if len(in_place) == len(items) and len(order) == len(items) else 0.0
    return _outcome(points, fraction, right=right, wrong=wrong)


def _grade_match(definition: dict, points: float, response: dict) -> Grade:
    pairs = definition["pairs"]
    options = match_options(definition)
    chosen = _match_choices(response, len(pairs))
    # Compared by text, so that two lefts sharing one right answer accept either copy of it.
    right = frozenset(
        left
        for left, option in chosen.items()
        if _is_index(option, options) and options[option] == pairs[left]["right"]
    )
    wrong = frozenset(chosen) - right
    missed = frozenset(range(len(pairs))) - frozenset(chosen)
    if definition.get("scoring") == "partial":
        fraction = len(right) / len(pairs)
    else:
        fraction = 1.0 if len(right) == len(pairs) else 0.0
    return _outcome(points, fraction, right=right, wrong=wrong, missed=missed)


def _grade_highlight(definition: dict, points: float, response: dict) -> Grade:
    targets = highlight_targets(definition)
    picked = _sentence_set(response.get("sentences"))
    right, wrong = picked & targets, picked - targets
    if definition.get("scoring") == "partial":
        fraction = _floored(len(right) - len(wrong), len(targets))
    else:
        fraction = 1.0 if targets and picked == targets else 0.0
    return _outcome(points, fraction, right=right, wrong=wrong, missed=targets - picked)


_GRADERS = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "true_false": _grade_true_false,
    "short": _grade_short,
    "order": _grade_order,
    "match": _grade_match,
    "highlight": _grade_highlight,
}


# --- short answers -------------------------------------------------------------------------

_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LEADING_THE = re.compile(r"^the\s+")
_TRIMMED_AT_ENDS = "\"'.,;:!? "


def normalise_short_answer(text: str) -> str:
    """The form in which a typed answer is compared with the accepted ones.

    Ignores case, runs of white space, curly vs straight quotes, a leading "the",
    digit grouping ("1,200" = "1200"), and quotes and punctuation at either end
    (".", ",", ";", ":", "!", "?"), so "Hamas." and '"Hamas"' match "Hamas". Inner
    punctuation counts: "U.S." and "US" differ, as do "1.2" and "12".
    """
    text = normalise_quotes_and_space(text).casefold()
    text = text.strip(_TRIMMED_AT_ENDS)
    text = _LEADING_THE.sub("", text)
    return _DIGIT_GROUP.sub("", text)


# --- readable text for feedback and exports ------------------------------------------------


def match_options(definition: dict) -> list[str]:
    """The options offered for every left: the rights in authored order, then the distractors.

    Each text is offered once, even when two lefts share a right (as when statements are
    sorted into categories): a learner should never choose between two identical options.
    """
    rights = [pair["right"] for pair in definition["pairs"]]
    return list(dict.fromkeys(rights + list(definition.get("distractors", []))))


def highlight_targets(definition: dict) -> frozenset[tuple[str, int]]:
    """The (passage id, sentence number) pairs a highlight question wants selected."""
    return frozenset(
        (target["passage"], number) for target in definition.get("targets", []) for number in target["sentences"]
    )


def describe_response(question_type: str, definition: dict, response: dict) -> str:
    """The response as a reader would say it, for CSV exports and answer reviews."""
    response = response if isinstance(response, dict) else {}
    if question_type == "single":
        return _choice_texts(definition, [response.get("choice")])
    if question_type == "multiple":
        choices = response.get("choices")
        return _choice_texts(definition, sorted(_int_set(choices)) if isinstance(choices, list) else [])
    if question_type == "true_false":
        answer = response.get("answer")
        return ("True" if answer else "False") if isinstance(answer, bool) else NO_ANSWER
    if question_type == "short":
        text = response.get("text")
        return text.strip() or NO_ANSWER if isinstance(text, str) else NO_ANSWER
    if question_type == "order":
        items = definition["items"]
        order = response.get("order")
        texts = [items[i] for i in order if _is_index(i, items)] if isinstance(order, list) else []
        return _numbered(texts) or NO_ANSWER
    if question_type == "match":
        pairs, options = definition["pairs"], match_options(definition)
        chosen = _match_choices(response, len(pairs))
        texts = [
            f"{pairs[left]['left']} → {options[option] if _is_index(option, options) else '?'}"
            for left, option in sorted(chosen.items())
        ]
        return "; ".join(texts) or NO_ANSWER
    if question_type == "highlight":
        return _sentence_list(_sentence_set(response.get("sentences"))) or NO_ANSWER
    raise ValueError(f"unknown question type {question_type!r}")


def correct_response_text(question_type: str, definition: dict) -> str:
    """The right answer as a reader would say it, for feedback after answering."""
    if question_type in ("single", "multiple"):
        return _choice_texts(definition, sorted(_correct_choices(definition)))
    if question_type == "true_false":
        return "True" if definition["answer"] else "False"
    if question_type == "short":
        first, *others = definition["answers"]
        return f"{first} (also accepted: {'; '.join(others)})" if others else first
    if question_type == "order":
        return _numbered(definition["items"])
    if question_type == "match":
        return "; ".join(f"{pair['left']} → {pair['right']}" for pair in definition["pairs"])
    if question_type == "highlight":
        return _sentence_list(highlight_targets(definition))
    raise ValueError(f"unknown question type {question_type!r}")


# --- helpers -------------------------------------------------------------------------------


def _outcome(
    points: float,
    fraction: float,
    right: frozenset = frozenset(),
    wrong: frozenset = frozenset(),
    missed: frozenset = frozenset(),
) -> Grade:
    return Grade(
        score=points * fraction,
        max_score=points,
        correct=fraction == 1.0,
        right=frozenset(right),
        wrong=frozenset(wrong),
        missed=frozenset(missed),
    )


def _floored(net_right: int, out_of: int) -> float:
    return max(0.0, net_right / out_of) if out_of else 0.0


def _correct_choices(definition: dict) -> frozenset[int]:
    return frozenset(i for i, choice in enumerate(definition["choices"]) if choice["correct"])


def _is_index(value: object, sequence: list) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(sequence)


def _int_set(values: object) -> frozenset[int]:
    if not isinstance(values, list):
        return frozenset()
    return frozenset(v for v in values if isinstance(v, int) and not isinstance(v, bool))


def _sentence_set(values: object) -> frozenset[tuple[str, int]]:
    if not isinstance(values, list):
        return frozenset()
    return frozenset(
        (value[0], value[1])
        for value in values
        if isinstance(value, (list, tuple))
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int)
    )


def _match_choices(response: dict, left_count: int) -> dict[int, object]:
    """The learner's option per left index; keys are strings in JSON, ints here."""
    pairs = response.get("pairs")
    if not isinstance(pairs, dict):
        return {}
    chosen = {}
    for key, option in pairs.items():
        left = int(key) if isinstance(key, str) and key.isdigit() else key
        if isinstance(left, int) and 0 <= left < left_count and option is not None:
            chosen[left] = option
    return chosen


def _choice_texts(definition: dict, indices: list) -> str:
    choices = definition["choices"]
    texts = [choices[i]["text"] for i in indices if _is_index(i, choices)]
    return "; ".join(texts) or NO_ANSWER


def _numbered(texts: list[str]) -> str:
    return "; ".join(f"{number}. {text}" for number, text in enumerate(texts, start=1))


def _sentence_list(sentences: frozenset[tuple[str, int]]) -> str:
    return "; ".join(f"{passage}, sentence {number}" for passage, number in sorted(sentences))
