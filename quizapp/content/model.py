"""Plain data for loaded content: what the checker hands to the database writer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .passages import Passage

QUESTION_TYPES = ("single", "multiple", "true_false", "short", "order", "match", "highlight")
SKILLS = ("fact", "attribution", "perspective", "evidence", "inference", "vocabulary")
FEEDBACK_MODES = ("immediate", "on_submit", "never")
SCORING_MODES = ("all_or_nothing", "partial")


def content_hash(data: object) -> str:
    """A stable fingerprint of authored content, used to notice edits."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class EvidenceLocation:
    passage_id: str
    sentences: list[int]  # 1-based sentence numbers within the passage

    def as_dict(self) -> dict:
        return {"passage": self.passage_id, "sentences": self.sentences}


@dataclass
class QuestionSpec:
    """One checked question. ``definition`` holds the type-specific fields, normalised:

    single/multiple: {"choices": [{"text", "correct", "feedback"}], "scoring"}
    true_false: {"answer": bool}
    short: {"answers": [str]}
    order: {"items": [str], "scoring"}
    match: {"pairs": [{"left", "right"}], "distractors": [str], "scoring"}
    highlight: {"targets": [{"passage", "sentences"}], "scoring"}
    """

    id: str
    type: str
    prompt: str
    skill: str | None = None
    points: float = 1.0
    explanation: str | None = None
    evidence: list[str] = field(default_factory=list)
    evidence_locations: list[EvidenceLocation] = field(default_factory=list)
    definition: dict = field(default_factory=dict)
    line: int = 0

    @property
    def content_hash(self) -> str:
        return content_hash(
            {
                "type": self.type,
                "prompt": self.prompt,
                "skill": self.skill,
                "points": self.points,
                "explanation": self.explanation,
                "evidence": self.evidence,
                "definition": self.definition,
            }
        )


@dataclass
class CardFace:
    """One reviewable card made from a card entry (a basic card, its reverse, or one cloze gap)."""

    id: str
    source_id: str
    kind: str  # basic | reverse | cloze
    front: str
    back: str
    evidence: list[str] = field(default_factory=list)
    evidence_locations: list[EvidenceLocation] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return content_hash({"kind": self.kind, "front": self.front, "back": self.back, "evidence": self.evidence})


@dataclass
class QuizSpec:
    id: str
    title: str
    passages: list[str]
    file: str
    description: str | None = None
    feedback: str = "on_submit"
    shuffle: bool = False
    attempts: int = 0
    questions: list[QuestionSpec] = field(default_factory=list)
    cards: list[CardFace] = field(default_factory=list)
    line: int = 1


@dataclass
class Content:
    """Everything in a content folder, checked: passages, then quizzes that read them."""

    passages: list[Passage]
    quizzes: list[QuizSpec]
