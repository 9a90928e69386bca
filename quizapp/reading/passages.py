"""Queries that shape passages for display."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..models import Passage, Sentence

NOT_STATED = "not stated in the source"
GENRE_LABELS = {
    "news-report": "News report",
    "news-analysis": "News analysis",
    "opinion": "Opinion",
    "essay": "Essay",
}
MONTHS = "January February March April May June July August September October November December".split()


@dataclass
class Paragraph:
    number: int
    sentences: list[Sentence]


def active_passages() -> list[Passage]:
    return list(db.session.scalars(sa.select(Passage).where(Passage.active).order_by(Passage.position)))


def passage_or_404(passage_id: str) -> Passage:
    passage = db.session.get(Passage, passage_id)
    if passage is None or not passage.active:
        abort(404)
    return passage


def paragraphs_of(passage: Passage) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for sentence in passage.sentences:
        if not paragraphs or paragraphs[-1].number != sentence.paragraph:
            paragraphs.append(Paragraph(sentence.paragraph, []))
        paragraphs[-1].sentences.append(sentence)
    return paragraphs


def published_label(published: str | None) -> str:
    """Show a partial date as the source gives it: "2023", "December 2023", "27 October 2023"."""
    if not published:
        return NOT_STATED
    parts = published.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def pull_quote_slots(paragraph_count: int, quotes: list[str]) -> dict[int, str]:
    """Spread pull quotes evenly through the text: {after paragraph number: quote}."""
    return {
        max(1, round((index + 1) * paragraph_count / (len(quotes) + 1))): quote for index, quote in enumerate(quotes)
    }
