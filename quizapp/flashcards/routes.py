"""Flashcard study sessions for students."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("flashcards", __name__, url_prefix="/cards")
