"""Quiz files (``questions/*.yaml``): parsing and checking. Placeholder until the checker lands."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError
from .model import QuizSpec
from .passages import Passage


def load_quizzes(
    content_dir: Path, passages: dict[str, Passage], passages_ok: bool = True
) -> tuple[list[QuizSpec], list[ContentError]]:
    """Load every quiz file; return the quizzes (all or none) and every error found."""
    return [], []
