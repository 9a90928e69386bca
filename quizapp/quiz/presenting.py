"""Shaping a question, its saved answer and its feedback for the page. No request, no writes."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from ..extensions import db
from ..models import Attempt, Passage, Quiz, Sentence
from ..reading.passages import Paragraph, paragraphs_of
from .attempts import AttemptQuestion
from .grading import correct_response_text, describe_response, highlight_targets, match_options


@dataclass
class Feedback:
    correct: bool
    score: float
    max_score: float
    right_answer: str
    your_answer: str
    choice_feedback: list[str]
    explanation: str | None
    evidence: list[str]


@dataclass
class QuestionView:
    number: int
    type: str
    prompt: str
    skill: str | None
    points: float
    answered: bool
    locked: bool  # answered under immediate feedback: no changes
    seen_answer_id: int | None
    choices: list[dict] = field(default_factory=list)  # {"index", "text", "checked"}
    true_false: bool | None = None
    text: str = ""
    order_items: list[dict] = field(default_factory=list)  # {"index", "text", "position"}
    match_lefts: list[dict] = field(default_factory=list)  # {"index", "text", "chosen"}
    match_options: list[dict] = field(default_factory=list)  # {"index", "text"} sorted by text
    selected_sentences: set = field(default_factory=set)  # {(passage_id, n)}
    highlighted: dict = field(default_factory=dict)  # passage_id -> {n}: evidence shown in feedback
    feedback: Feedback | None = None


def passages_for(quiz: Quiz) -> list[tuple[Passage, list[Paragraph]]]:
    return [(link_passage, paragraphs_of(link_passage)) for link_passage in _passages(quiz)]


def _passages(quiz: Quiz) -> list[Passage]:
    return [db.session.get(Passage, passage_id) for passage_id in quiz.passage_ids]


def feedback_visible(quiz: Quiz, attempt: Attempt) -> bool:
    """Whether right answers may be shown now: at once, after submitting, or never."""
    if quiz.feedback == "never":
        return False
    return quiz.feedback == "immediate" or attempt.state != "in_progress"


def question_view(attempt: Attempt, item: AttemptQuestion, quiz: Quiz, draft: dict | None = None) -> QuestionView:
    """Everything the page needs to show one question, the learner's answer and its feedback."""
    version = item.version
    definition = version.definition
    response = item.answer.response if item.answer else {}
    view = QuestionView(
        number=item.number,
        type=version.type,
        prompt=version.prompt,
        skill=version.skill,
        points=version.points,
        answered=item.answer is not None,
        locked=item.answer is not None and (quiz.feedback == "immediate" or attempt.state != "in_progress"),
        seen_answer_id=item.answer.id if item.answer else None,
    )
    _fill_inputs(view, version.type, definition, response, draft or {}, seed=f"{attempt.id}:{item.question.id}")
    if item.answer is not None and feedback_visible(quiz, attempt):
        view.feedback = _feedback(version, item.answer)
        view.highlighted = _evidence_sentences(version.evidence_locations)
    return view


def _fill_inputs(view: QuestionView, kind: str, definition: dict, response: dict, draft: dict, seed: str) -> None:
    if kind in ("single", "multiple"):
        picked = {response.get("choice")} if kind == "single" else set(response.get("choices", []))
        if draft:
            picked = {int(v) for v in draft.get("choice", []) if v.isdigit()}
        view.choices = [
            {"index": i, "text": choice["text"], "checked": i in picked}
            for i, choice in enumerate(definition["choices"])
        ]
    elif kind == "true_false":
        view.true_false = response.get("answer")
        if draft.get("answer"):
            view.true_false = draft["answer"][0] == "true"
    elif kind == "short":
        view.text = draft.get("text", [response.get("text", "")])[0]
    elif kind == "order":
        items = definition["items"]
        shown = list(range(len(items)))
        # Seeded by attempt and question: the same order on every visit, no secret to protect.
        random.Random(seed).shuffle(shown)  # noqa: S311
        positions = {index: place for place, index in enumerate(response.get("order", []), start=1)}
        for index in range(len(items)):
            typed = draft.get(f"position-{index}", [""])[0]
            if typed.isdigit():
                positions[index] = int(typed)
        view.order_items = [{"index": i, "text": items[i], "position": positions.get(i)} for i in shown]
    elif kind == "match":
        options = match_options(definition)
        chosen = response.get("pairs", {})
        view.match_lefts = []
        for i, pair in enumerate(definition["pairs"]):
            value = chosen.get(str(i))
            typed = draft.get(f"match-{i}", [""])[0]
            if typed.isdigit():
                value = int(typed)
            view.match_lefts.append({"index": i, "text": pair["left"], "chosen": value})
        view.match_options = sorted(
            ({"index": i, "text": text} for i, text in enumerate(options)), key=lambda option: option["text"].lower()
        )
    elif kind == "highlight":
        picked = response.get("sentences", [])
        if draft:
            picked = [value.rsplit(":", 1) for value in draft.get("sentence", []) if ":" in value]
        view.selected_sentences = {(passage_id, int(number)) for passage_id, number in picked if str(number).isdigit()}


def _feedback(version, answer) -> Feedback:
    """Feedback from the stored answer row: its score is what was recorded, never re-computed."""
    response = answer.response
    choice_feedback = []
    if version.type in ("single", "multiple"):
        picked = [response.get("choice")] if version.type == "single" else response.get("choices", [])
        for index in picked:
            if isinstance(index, int) and 0 <= index < len(version.definition["choices"]):
                note = version.definition["choices"][index].get("feedback")
                if note:
                    choice_feedback.append(note)
    if version.type == "highlight":
        right_answer = _quoted_sentences(highlight_targets(version.definition))
        your_answer = _quoted_sentences({(p, n) for p, n in response.get("sentences", [])}) or "(no sentence chosen)"
    else:
        right_answer = correct_response_text(version.type, version.definition)
        your_answer = describe_response(version.type, version.definition, response)
    return Feedback(
        correct=answer.correct,
        score=answer.score,
        max_score=answer.max_score,
        right_answer=right_answer,
        your_answer=your_answer,
        choice_feedback=choice_feedback,
        explanation=version.explanation,
        evidence=list(version.evidence),
    )


def _quoted_sentences(picked: set[tuple[str, int]]) -> str:
    """Sentences as a reader knows them, by their words, not by passage id and number."""
    texts = []
    for passage_id, number in sorted(picked):
        sentence = db.session.get(Sentence, (passage_id, number))
        if sentence is not None:
            texts.append(f"“{sentence.text}” (paragraph {sentence.paragraph})")
    return " ".join(texts)


def _evidence_sentences(locations: list[dict]) -> dict[str, set[int]]:
    highlighted: dict[str, set[int]] = defaultdict(set)
    for location in locations:
        highlighted[location["passage"]].update(location["sentences"])
    return dict(highlighted)
