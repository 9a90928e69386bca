"""Reading and checking content files (passages, quizzes, flashcards). Knows nothing of Flask."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, ContentInvalid
from .model import Content
from .passages import Passage, load_passages
from .quizzes import load_quizzes

__all__ = ["Content", "ContentError", "ContentInvalid", "Passage", "load_content"]


def load_content(content_dir: Path) -> Content:
    """Load and check everything under ``content_dir``; raise ContentInvalid with every error found."""
    passages, errors = load_passages(content_dir)
    quizzes, quiz_errors = load_quizzes(
        content_dir, {passage.id: passage for passage in passages}, passages_ok=not errors
    )
    errors = errors + quiz_errors
    if errors:
        raise ContentInvalid(errors)
    return Content(passages=passages, quizzes=quizzes)
