"""A tiny content folder of our own: two short passages, and a factory for quiz files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.content.errors import ContentError
from quizapp.content.model import QuizSpec
from quizapp.content.passages import load_passages
from quizapp.content.quizzes import load_quizzes

MANIFEST = """\
passages:
  - id: harbour-report
    file: harbour.txt
    title: "A storm reaches the harbour"
    genre: news-report
  - id: harbour-opinion
    file: opinion.txt
    title: "The harbour needs a wall"
    genre: opinion
"""

# Sentences, as the passage loader numbers them:
# harbour-report  1 The storm reached the harbour on Tuesday night.
#                 2 Officials said 1,200 people were moved to shelters.
#                 3 The mayor called the damage “serious but manageable.”
#                 4 Fishermen said the sea wall had failed in two places.
# harbour-opinion 1 The harbour deserves a new sea wall.
#                 2 Repairs alone will not hold.
HARBOUR_TEXT = (
    "The storm reached the harbour on Tuesday night. "
    "Officials said 1,200 people were moved to shelters.\n"
    "\n"
    "The mayor called the damage “serious but manageable.” "
    "Fishermen said the sea wall had failed in two places.\n"
)
OPINION_TEXT = "The harbour deserves a new sea wall. Repairs alone will not hold.\n"


@pytest.fixture
def tmp_content(tmp_path: Path) -> Path:
    """A content folder with the two harbour passages and an empty questions/ folder."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "passages.yaml").write_text(MANIFEST, encoding="utf-8")
    (seeds / "harbour.txt").write_text(HARBOUR_TEXT, encoding="utf-8")
    (seeds / "opinion.txt").write_text(OPINION_TEXT, encoding="utf-8")
    (tmp_path / "questions").mkdir()
    return tmp_path


@pytest.fixture
def write_quiz(tmp_content: Path) -> Callable[[str, str], Path]:
    """Write ``questions/<name>`` from an indented YAML block, as an instructor would save it."""

    def write(name: str, yaml_text: str) -> Path:
        path = tmp_content / "questions" / name
        path.write_text(textwrap.dedent(yaml_text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load(tmp_content: Path) -> Callable[[], tuple[list[QuizSpec], list[ContentError]]]:
    """Check the quiz files against the passages, the way ``load_content`` does."""

    def run() -> tuple[list[QuizSpec], list[ContentError]]:
        passages, passage_errors = load_passages(tmp_content)
        assert passage_errors == []
        return load_quizzes(tmp_content, {passage.id: passage for passage in passages})

    return run


@pytest.fixture
def errors_in(write_quiz, load) -> Callable[[str], list[str]]:
    """Write ``questions/quiz.yaml`` and return its errors as the command line prints them."""

    def run(yaml_text: str) -> list[str]:
        write_quiz("quiz.yaml", yaml_text)
        quizzes, errors = load()
        assert errors, "expected the file to be refused"
        assert quizzes == []
        return [str(error) for error in sorted(errors)]

    return run
