"""Flashcard entries of a quiz file, expanded into the faces a learner reviews.

One entry can make several faces: a front/back card and, if asked, its reverse;
a cloze text one face per ``{{gap}}``. Face ids are derived from the entry's id
so that review history stays attached when the file is reloaded.
"""

from __future__ import annotations

import re

from .model import CardFace, EvidenceLocation

CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
HIDDEN_GAP = "[…]"


def cloze_gaps(text: str) -> list[str]:
    """The hidden words of each ``{{...}}`` gap, in order, with surrounding space trimmed."""
    return [gap.strip() for gap in CLOZE_GAP.findall(text)]


def cloze_leftover_braces(text: str) -> bool:
    """True if braces remain once the gaps are taken out: a gap that was opened but not closed."""
    rest = CLOZE_GAP.sub("", text)
    return "{{" in rest or "}}" in rest


def basic_faces(
    card_id: str,
    front: str,
    back: str,
    reverse: bool,
    evidence: list[str],
    locations: list[EvidenceLocation],
) -> list[CardFace]:
    """A front/back card, followed by its back-to-front twin when ``reverse`` is set."""
    faces = [CardFace(card_id, card_id, "basic", front, back, list(evidence), list(locations))]
    if reverse:
        faces.append(
            CardFace(
                f"{card_id}:reverse",
                card_id,
                "reverse",
                back,
                front,
                list(evidence),
                list(locations),
            )
        )
    return faces


def cloze_faces(card_id: str, text: str, evidence: list[str], locations: list[EvidenceLocation]) -> list[CardFace]:
    """One face per gap, that gap hidden as "[…]" and the others shown; the back shows all."""
    gap_count = len(CLOZE_GAP.findall(text))
    back = _fill_gaps(text, hidden=None)
    return [
        CardFace(
            f"{card_id}:c{number}",
            card_id,
            "cloze",
            _fill_gaps(text, hidden=number),
            back,
            list(evidence),
            list(locations),
        )
        for number in range(1, gap_count + 1)
    ]


def _fill_gaps(text: str, hidden: int | None) -> str:
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        return HIDDEN_GAP if count == hidden else match.group(1).strip()

    return CLOZE_GAP.sub(replace, text)
