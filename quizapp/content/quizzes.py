"""Quiz files (``questions/*.yaml``): parsing and checking.

Instructors write these files by hand, so every problem is reported with the
file, the line and the field, in their words, and every file is checked in one
run. Loading is all or nothing: one error anywhere and no quiz is returned.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cards import basic_faces, cloze_faces, cloze_gaps, cloze_leftover_braces
from .errors import ContentError
from .model import (
    FEEDBACK_MODES,
    QUESTION_TYPES,
    SCORING_MODES,
    SKILLS,
    CardFace,
    EvidenceLocation,
    QuestionSpec,
    QuizSpec,
)
from .passages import Passage
from .text import normalise_quotes_and_space
from .yamlsource import LineDict, LineList, read_yaml_file

QUESTIONS_DIR = "questions"
SLUG = re.compile(r"^[a-z0-9-]+$")
MAX_ID_LENGTH = 80  # the database's id columns

QUIZ_KEYS = (
    "id",
    "title",
    "passages",
    "description",
    "feedback",
    "shuffle",
    "attempts",
    "questions",
    "cards",
)
COMMON_QUESTION_KEYS = ("id", "type", "skill", "prompt", "explanation", "evidence", "points")
TYPE_KEYS = {
    "single": ("choices",),
    "multiple": ("choices", "scoring"),
    "true_false": ("answer",),
    "short": ("answers",),
    "order": ("items", "scoring"),
    "match": ("pairs", "distractors", "scoring"),
    "highlight": ("scoring",),
}
ALL_QUESTION_KEYS = COMMON_QUESTION_KEYS + tuple(dict.fromkeys(key for keys in TYPE_KEYS.values() for key in keys))
CHOICE_KEYS = ("text", "correct", "feedback")
PAIR_KEYS = ("left", "right")
CARD_KEYS = ("id", "front", "back", "cloze", "evidence", "reverse")
QUOTE_PREVIEW = 60


@dataclass
class _Report:
    """Collects one file's errors; ``prefix`` names the question, choice or card concerned."""

    file: str
    errors: list[ContentError]
    prefix: str = ""

    def add(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.file, line, self.prefix + message))

    def about(self, what: str) -> _Report:
        return _Report(self.file, self.errors, f"{self.prefix}{what}: ")


@dataclass
class _IdRegistry:
    """Ids seen so far across all files, per kind, with where each was first used."""

    first_use: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def claim(self, kind: str, identifier: str, report: _Report, line: int) -> None:
        key = (kind, identifier)
        if key not in self.first_use:
            self.first_use[key] = (report.file, line)
            return
        file, first_line = self.first_use[key]
        place = f"line {first_line} of this file" if file == report.file else f"{file}, line {first_line}"
        report.add(
            line,
            f"the {kind} id '{identifier}' is already used ({place}); ids must be unique across all quiz files",
        )


def load_quizzes(
    content_dir: Path, passages: dict[str, Passage], passages_ok: bool = True
) -> tuple[list[QuizSpec], list[ContentError]]:
    """Load every quiz file; return the quizzes (all or none) and every error found.

    When ``passages_ok`` is False the manifest itself is broken, so passage ids and
    evidence quotes cannot be judged; everything else is still checked.
    """
    folder = content_dir / QUESTIONS_DIR
    if not folder.is_dir():
        return [], []
    errors: list[ContentError] = []
    registry = _IdRegistry()
    quizzes: list[QuizSpec] = []
    for path in sorted(folder.iterdir(), key=lambda item: item.name):
        if not path.is_file() or path.name.startswith("."):
            continue  # editors' hidden lock and backup files are not quizzes
        display_name = f"{QUESTIONS_DIR}/{path.name}"
        if path.suffix == ".yml":
            # Would otherwise be skipped without a word, and the instructor would wonder why.
            errors.append(ContentError(display_name, 1, "quiz files must end in .yaml; rename this file"))
            continue
        if path.suffix != ".yaml":
            continue
        data, file_errors = read_yaml_file(path, display_name)
        if file_errors:
            errors.extend(file_errors)
            continue
        report = _Report(display_name, errors)
        quiz = _parse_quiz(data, report, passages if passages_ok else None, registry)
        if quiz is not None:
            quizzes.append(quiz)
    if errors or not passages_ok:
        # A quiz is only usable with its passages: with a broken manifest, load nothing.
        return [], errors
    return quizzes, []


# --- the quiz -------------------------------------------------------------------------------


def _parse_quiz(
    data: object, report: _Report, passages: dict[str, Passage] | None, registry: _IdRegistry
) -> QuizSpec | None:
    if data is None:
        report.add(1, "the file is empty; a quiz needs at least id, title, passages and questions")
        return None
    if not isinstance(data, LineDict):
        report.add(
            1,
            "a quiz file must be a mapping with id, title, passages and questions at the top level",
        )
        return None
    before = len(report.errors)
    _check_keys(data, QUIZ_KEYS, report)
    quiz_id = _slug(data, report, registry, "quiz")
    title = _text(data, "title", report, required=True)
    description = _text(data, "description", report)
    feedback = _one_of(data, "feedback", FEEDBACK_MODES, report, default="on_submit")
    shuffle = _boolean(data, "shuffle", report, default=False)
    attempts = _attempts(data, report)
    quiz_passages = _quiz_passages(data, report, passages)
    questions = _questions(data, report, quiz_passages, registry)
    cards = _cards(data, report, quiz_passages, registry)
    if len(report.errors) > before or quiz_passages is None:
        # No passages to read it against (a broken manifest): nothing to load, nothing more to say.
        return None
    return QuizSpec(
        id=quiz_id,
        title=title,
        passages=[passage.id for passage in quiz_passages],
        file=report.file,
        description=description,
        feedback=feedback,
        shuffle=shuffle,
        attempts=attempts,
        questions=questions,
        cards=cards,
        line=data.line,
    )


def _attempts(data: LineDict, report: _Report) -> int:
    value = data.get("attempts", 0)
    if _is_integer(value) and value >= 0:
        return value
    report.add(
        data.line_of("attempts"),
        f"attempts: expected a whole number of 0 or more (0 = unlimited), got {_shown(value)}",
    )
    return 0


def _quiz_passages(data: LineDict, report: _Report, passages: dict[str, Passage] | None) -> list[Passage] | None:
    """The quiz's passages in the order given, or None when evidence cannot be checked."""
    value = data.get("passages")
    line = data.line_of("passages")
    if value is None:
        report.add(
            data.line,
            "missing the required field 'passages' (the ids of the passages this quiz is about)",
        )
        return None
    if not isinstance(value, LineList) or not value:
        report.add(line, "passages: expected a list of one or more passage ids, like [nbc-offensive]")
        return None
    found: list[Passage] = []
    complete = passages is not None
    seen: set[str] = set()
    for index, passage_id in enumerate(value):
        item_line = value.line_of(index)
        if not isinstance(passage_id, str):
            report.add(item_line, f"passages: expected a passage id, got {_shown(passage_id)}")
            complete = False
        elif passage_id in seen:
            report.add(item_line, f"passages: '{passage_id}' is listed twice")
        elif passages is not None and passage_id not in passages:
            known = ", ".join(sorted(passages)) or "none"
            report.add(
                item_line,
                f"passages: there is no passage '{passage_id}' in seeds/passages.yaml (known ids: {known})",
            )
            complete = False
        else:
            seen.add(passage_id)
            if passages is not None:
                found.append(passages[passage_id])
    return found if complete else None


# --- questions ------------------------------------------------------------------------------


def _questions(
    data: LineDict, report: _Report, quiz_passages: list[Passage] | None, registry: _IdRegistry
) -> list[QuestionSpec]:
    value = data.get("questions")
    if value is None:
        report.add(data.line, "missing the required field 'questions' (a list of one or more questions)")
        return []
    if not isinstance(value, LineList) or not value:
        report.add(data.line_of("questions"), "questions: expected a list of one or more questions")
        return []
    questions = []
    for index, entry in enumerate(value):
        question = _parse_question(entry, index, value.line_of(index), report, quiz_passages, registry)
        if question is not None:
            questions.append(question)
    return questions


def _parse_question(
    entry: object,
    index: int,
    line: int,
    report: _Report,
    quiz_passages: list[Passage] | None,
    registry: _IdRegistry,
) -> QuestionSpec | None:
    if not isinstance(entry, LineDict):
        report.add(line, f"question {index + 1}: expected a mapping with id, type, prompt, …")
        return None
    question_id = entry.get("id")
    label = f"question '{question_id}'" if _is_slug(question_id) else f"question {index + 1}"
    here = report.about(label)
    before = len(report.errors)

    question_type = _one_of(entry, "type", QUESTION_TYPES, here, required=True)
    if question_type is None:
        _check_keys(entry, ALL_QUESTION_KEYS, here)
    else:
        _check_keys(entry, COMMON_QUESTION_KEYS + TYPE_KEYS[question_type], here, question_type)
    question_id = _slug(entry, here, registry, "question")
    prompt = _text(entry, "prompt", here, required=True)
    skill = _one_of(entry, "skill", SKILLS, here)
    explanation = _text(entry, "explanation", here)
    points = _points(entry, here)
    evidence, locations = _evidence(entry, here, quiz_passages)
    if not evidence and "evidence" not in entry:
        if question_type == "highlight":
            here.add(
                entry.line,
                "a highlight question needs 'evidence': the quotes whose sentences the learner must select",
            )
        elif skill == "evidence":
            here.add(
                entry.line,
                "a question with skill 'evidence' needs 'evidence': the quotes that answer it",
            )
    definition = _definition(question_type, entry, here, locations) if question_type else None
    if len(report.errors) > before or definition is None:
        return None
    return QuestionSpec(
        id=question_id,
        type=question_type,
        prompt=prompt,
        skill=skill,
        points=points,
        explanation=explanation,
        evidence=evidence,
        evidence_locations=locations,
        definition=definition,
        line=entry.line,
    )


def _points(entry: LineDict, report: _Report) -> float:
    value = entry.get("points", 1)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_number and math.isfinite(value) and value > 0:
        return float(value)
    report.add(entry.line_of("points"), f"points: expected a number greater than 0, got {_shown(value)}")
    return 1.0


def _definition(question_type: str, entry: LineDict, report: _Report, locations: list[EvidenceLocation]) -> dict | None:
    scoring = "all_or_nothing"
    if "scoring" in TYPE_KEYS[question_type]:
        scoring = _one_of(entry, "scoring", SCORING_MODES, report, default="all_or_nothing")
    if question_type in ("single", "multiple"):
        choices = _choices(entry, report, question_type)
        return None if choices is None else {"choices": choices, "scoring": scoring}
    if question_type == "true_false":
        answer = entry.get("answer")
        if not isinstance(answer, bool):
            if answer is None:
                report.add(entry.line, "a true_false question needs 'answer: true' or 'answer: false'")
            else:
                report.add(
                    entry.line_of("answer"),
                    f"answer: expected true or false (without quotes), got {_shown(answer)}",
                )
            return None
        return {"answer": answer}
    if question_type == "short":
        answers = _text_list(entry, "answers", report, minimum=1, what="accepted answer")
        return None if answers is None else {"answers": answers}
    if question_type == "order":
        items = _text_list(entry, "items", report, minimum=2, what="item")
        return None if items is None else {"items": items, "scoring": scoring}
    if question_type == "match":
        return _match(entry, report, scoring)
    # highlight: the targets are the sentences the evidence touches.
    targets = [{"passage": location.passage_id, "sentences": list(location.sentences)} for location in locations]
    return {"targets": targets, "scoring": scoring}


def _choices(entry: LineDict, report: _Report, question_type: str) -> list[dict] | None:
    value = entry.get("choices")
    if value is None:
        report.add(entry.line, f"a {question_type} question needs 'choices'")
        return None
    if not isinstance(value, LineList):
        report.add(entry.line_of("choices"), "choices: expected a list of choices")
        return None
    before = len(report.errors)
    choices: list[dict] = []
    first_line_of: dict[str, int] = {}
    for index, item in enumerate(value):
        line = value.line_of(index)
        here = report.about(f"choice {index + 1}")
        if isinstance(item, LineDict):
            _check_keys(item, CHOICE_KEYS, here)
            text = _text(item, "text", here, required=True)
            correct = _boolean(item, "correct", here, default=False)
            feedback = _text(item, "feedback", here)
        else:
            text = _as_text(item)
            correct, feedback = False, None
            if text is None or not text:
                here.add(
                    line,
                    f"expected the choice's text or a mapping with text, correct and feedback, got {_shown(item)}",
                )
        if text:
            key = normalise_quotes_and_space(text).casefold()
            if key in first_line_of:
                here.add(line, f"the choice '{text}' appears twice (first on line {first_line_of[key]})")
            else:
                first_line_of[key] = line
        choices.append({"text": text, "correct": correct, "feedback": feedback})
    if len(value) < 2:
        report.add(
            entry.line_of("choices"),
            f"a {question_type} question needs at least two choices, found {len(value)}",
        )
    correct_count = sum(1 for choice in choices if choice["correct"])
    if question_type == "single" and correct_count != 1 and len(report.errors) == before:
        report.add(
            entry.line_of("choices"),
            f"a single question needs exactly one choice with 'correct: true', found {correct_count}",
        )
    if question_type == "multiple" and correct_count == 0 and len(report.errors) == before:
        report.add(
            entry.line_of("choices"),
            "a multiple question needs at least one choice with 'correct: true'",
        )
    return None if len(report.errors) > before else choices


def _match(entry: LineDict, report: _Report, scoring: str) -> dict | None:
    value = entry.get("pairs")
    if value is None:
        report.add(entry.line, "a match question needs 'pairs' (a list of left: … right: …)")
        return None
    if not isinstance(value, LineList):
        report.add(entry.line_of("pairs"), "pairs: expected a list of pairs, each with left and right")
        return None
    before = len(report.errors)
    pairs: list[dict] = []
    first_line_of: dict[str, int] = {}
    for index, item in enumerate(value):
        line = value.line_of(index)
        here = report.about(f"pair {index + 1}")
        if not isinstance(item, LineDict):
            here.add(line, f"expected a mapping with left and right, got {_shown(item)}")
            continue
        _check_keys(item, PAIR_KEYS, here)
        left = _text(item, "left", here, required=True)
        right = _text(item, "right", here, required=True)
        if left:
            key = normalise_quotes_and_space(left).casefold()
            if key in first_line_of:
                here.add(
                    item.line_of("left"),
                    f"the left side '{left}' appears twice (first on line {first_line_of[key]})",
                )
            else:
                first_line_of[key] = item.line_of("left")
        pairs.append({"left": left, "right": right})
    if len(value) < 2:
        report.add(entry.line_of("pairs"), f"a match question needs at least two pairs, found {len(value)}")
    distractors: list[str] = []
    if "distractors" in entry:
        distractors = _text_list(entry, "distractors", report, minimum=0, what="distractor") or []
    if len(report.errors) > before:
        return None
    return {"pairs": pairs, "distractors": distractors, "scoring": scoring}


# --- evidence -------------------------------------------------------------------------------


def _evidence(
    entry: LineDict, report: _Report, quiz_passages: list[Passage] | None
) -> tuple[list[str], list[EvidenceLocation]]:
    """The quotes and, per passage, the sentences they touch (when the passages are known)."""
    if "evidence" not in entry:
        return [], []
    quotes = _text_list(entry, "evidence", report, minimum=1, what="quote")
    if not quotes:
        return [], []
    touched: dict[str, set[int]] = {}
    value = entry["evidence"]
    for index, quote in enumerate(quotes):
        if quiz_passages is None:
            continue
        for passage in quiz_passages:
            sentences = passage.sentences_touched_by(quote)
            if sentences:
                touched.setdefault(passage.id, set()).update(sentences)
                break
        else:
            names = ", ".join(f"'{passage.id}'" for passage in quiz_passages)
            report.add(
                value.line_of(index),
                f'evidence: the quote "{_preview(quote)}" is not in the quiz\'s passages '
                f"({names}); quotes must be copied word for word "
                "(only white space and curly vs straight quotes may differ)",
            )
    order = [passage.id for passage in quiz_passages or []]
    locations = [
        EvidenceLocation(passage_id, sorted(touched[passage_id])) for passage_id in order if passage_id in touched
    ]
    return quotes, locations


# --- cards ----------------------------------------------------------------------------------


def _cards(
    data: LineDict, report: _Report, quiz_passages: list[Passage] | None, registry: _IdRegistry
) -> list[CardFace]:
    value = data.get("cards")
    if value is None:
        return []
    if not isinstance(value, LineList):
        report.add(data.line_of("cards"), "cards: expected a list of flashcards")
        return []
    faces: list[CardFace] = []
    for index, entry in enumerate(value):
        faces.extend(_parse_card(entry, index, value.line_of(index), report, quiz_passages, registry))
    return faces


def _parse_card(
    entry: object,
    index: int,
    line: int,
    report: _Report,
    quiz_passages: list[Passage] | None,
    registry: _IdRegistry,
) -> list[CardFace]:
    if not isinstance(entry, LineDict):
        report.add(line, f"card {index + 1}: expected a mapping with id and front/back or cloze")
        return []
    card_id = entry.get("id")
    here = report.about(f"card '{card_id}'" if _is_slug(card_id) else f"card {index + 1}")
    before = len(report.errors)
    _check_keys(entry, CARD_KEYS, here)
    card_id = _slug(entry, here, registry, "card")
    evidence, locations = _evidence(entry, here, quiz_passages)
    is_basic = "front" in entry or "back" in entry
    is_cloze = "cloze" in entry
    if is_basic and is_cloze:
        here.add(entry.line_of("cloze"), "a card has either front and back, or cloze, not both")
        return []
    if is_cloze:
        text = _text(entry, "cloze", here, required=True)
        if "reverse" in entry:
            here.add(
                entry.line_of("reverse"),
                "reverse applies only to front/back cards, not to cloze cards",
            )
        if text is not None:
            _check_cloze(text, entry.line_of("cloze"), here)
        if len(report.errors) > before:
            return []
        return cloze_faces(card_id, text, evidence, locations)
    if not is_basic:
        here.add(entry.line, "a card needs front and back, or cloze")
        return []
    front = _text(entry, "front", here, required=True)
    back = _text(entry, "back", here, required=True)
    reverse = _boolean(entry, "reverse", here, default=False)
    if len(report.errors) > before:
        return []
    return basic_faces(card_id, front, back, reverse, evidence, locations)


def _check_cloze(text: str, line: int, report: _Report) -> None:
    gaps = cloze_gaps(text)
    if not gaps:
        report.add(line, "cloze: no gap; put the words to hide in double braces, like {{240}}")
    for number, gap in enumerate(gaps, start=1):
        if not gap:
            report.add(line, f"cloze: gap {number} is empty; put the hidden words between the braces")
    if cloze_leftover_braces(text):
        report.add(line, "cloze: a gap is not closed; every {{ needs a matching }}")


# --- field readers --------------------------------------------------------------------------


def _check_keys(mapping: LineDict, allowed: tuple[str, ...], report: _Report, question_type: str | None = None) -> None:
    for key in mapping:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        owners = [kind for kind, keys in TYPE_KEYS.items() if key in keys]
        if question_type is not None and owners:
            # A real key in the wrong place ("answer" on a short question) deserves both hints.
            suggestion = f"; did you mean '{close[0]}'?" if close else ""
            report.add(
                mapping.line_of(key),
                f"'{key}' is not used by {question_type} questions (only by {', '.join(owners)}){suggestion}",
            )
            continue
        hint = f"did you mean '{close[0]}'?" if close else f"allowed here: {', '.join(allowed)}"
        report.add(mapping.line_of(key), f"unknown key '{key}' ({hint})")


def _is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(SLUG.match(value)) and len(value) <= MAX_ID_LENGTH


def _slug(mapping: LineDict, report: _Report, registry: _IdRegistry, kind: str) -> str | None:
    value = mapping.get("id")
    if value is None:
        report.add(
            mapping.line,
            f"missing the required field 'id' (a unique name for this {kind}, like 'my-{kind}-1')",
        )
        return None
    if not _is_slug(value):
        report.add(
            mapping.line_of("id"),
            f"id: '{value}' must be lower-case letters, digits and hyphens only, "
            f"at most {MAX_ID_LENGTH} characters (like 'nbc-battalions')",
        )
        return None
    registry.claim(kind, value, report, mapping.line_of("id"))
    return value


def _text(mapping: LineDict, key: str, report: _Report, required: bool = False) -> str | None:
    value = mapping.get(key)
    if value is None:
        if required:
            report.add(
                mapping.line_of(key) if key in mapping else mapping.line,
                f"missing the required field '{key}'",
            )
        return None
    text = _as_text(value)
    if text is None:
        report.add(mapping.line_of(key), f"{key}: expected text, got {_shown(value)}")
    elif not text and required:
        report.add(mapping.line_of(key), f"{key}: must not be empty")
        return None
    return text or None


def _text_list(mapping: LineDict, key: str, report: _Report, minimum: int, what: str) -> list[str] | None:
    value = mapping.get(key)
    line = mapping.line_of(key)
    if value is None:
        report.add(
            line,
            f"missing the required field '{key}' (a list of at least {max(minimum, 1)} {what}s)",
        )
        return None
    if not isinstance(value, LineList):
        report.add(line, f"{key}: expected a list (one '- …' line per {what}), got {_shown(value)}")
        return None
    texts: list[str] = []
    valid = True
    for index, item in enumerate(value):
        text = _as_text(item)
        if not text:
            report.add(value.line_of(index), f"{key}: {what} {index + 1} must be text, got {_shown(item)}")
            valid = False
        else:
            texts.append(text)
    if len(value) < minimum:
        report.add(
            line,
            f"{key}: needs at least {minimum} {what}{'s' if minimum > 1 else ''}, found {len(value)}",
        )
        valid = False
    return texts if valid else None


def _one_of(
    mapping: LineDict,
    key: str,
    allowed: tuple[str, ...],
    report: _Report,
    default: str | None = None,
    required: bool = False,
) -> str | None:
    value = mapping.get(key)
    if value is None:
        if required:
            report.add(mapping.line, f"missing the required field '{key}' (one of {', '.join(allowed)})")
        return default
    if value in allowed:
        return value
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    report.add(mapping.line_of(key), f"{key}: '{value}' is not one of {', '.join(allowed)}{hint}")
    return default


def _boolean(mapping: LineDict, key: str, report: _Report, default: bool) -> bool:
    value = mapping.get(key, default)
    if isinstance(value, bool):
        return value
    report.add(mapping.line_of(key), f"{key}: expected true or false (without quotes), got {_shown(value)}")
    return default


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_text(value: object) -> str | None:
    """Text as written; a whole number is taken as its digits, anything else is not text."""
    if isinstance(value, str):
        return value.strip()
    if _is_integer(value):
        return str(value)
    return None


def _shown(value: object) -> str:
    """How a wrong value is named in a message, with the fix when YAML read it unexpectedly."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/true/false as a truth value; put text in quotes)"
    if isinstance(value, float):
        return f"the number {value} (put it in quotes to keep it exactly as written)"
    if isinstance(value, (list, LineList)):
        return "a list"
    if isinstance(value, (dict, LineDict)):
        return "a mapping (key: value); did you forget quotes around text containing ': '?"
    if isinstance(value, str):
        return f"'{_preview(value)}'" if value.strip() else "nothing (empty text)"
    return repr(value)


def _preview(text: str) -> str:
    text = normalise_quotes_and_space(text)
    return text if len(text) <= QUOTE_PREVIEW else text[: QUOTE_PREVIEW - 1] + "…"
