"""A teacher who installs the app finds a question bank worth teaching from, for every passage.

These are floors, not targets: the bank may grow, but it cannot silently shrink below what
a class needs (two quizzes, a dozen questions, several skills and question types, and a
deck of flashcards per passage, plus quizzes that compare passages).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizapp.content import load_content
from quizapp.content.model import Content, QuizSpec

PROJECT_DIR = Path(__file__).resolve().parents[2]
PASSAGE_IDS = [
    entry["id"] for entry in yaml.safe_load((PROJECT_DIR / "seeds" / "passages.yaml").read_text("utf-8"))["passages"]
]

SEED_ARTICLES = {
    "nbc-offensive",
    "economist-truce",
    "nation-hamas-aims",
    "ross-no-ceasefire",
    "hezbollah-regional-war",
}
MIN_QUESTIONS = 12
MIN_QUIZZES = 2
MIN_SKILLS = 4
MIN_TYPES = 4
MIN_CARD_ENTRIES = 15
MIN_PAIRED_QUIZZES = 2


@pytest.fixture(scope="module")
def bank() -> Content:
    """The shipped passages and question bank, checked as `quizapp content check` does."""
    return load_content(PROJECT_DIR)


def quizzes_on(bank: Content, passage_id: str) -> list[QuizSpec]:
    """The quizzes that read this passage and no other."""
    return [quiz for quiz in bank.quizzes if quiz.passages == [passage_id]]


def test_the_five_seed_articles_are_all_in_the_bank(bank):
    assert [passage.id for passage in bank.passages] == PASSAGE_IDS
    assert set(PASSAGE_IDS) >= SEED_ARTICLES


@pytest.mark.parametrize("passage_id", PASSAGE_IDS)
def test_each_passage_has_at_least_two_quizzes_and_twelve_questions_of_its_own(bank, passage_id):
    quizzes = quizzes_on(bank, passage_id)
    questions = [question for quiz in quizzes for question in quiz.questions]
    assert len(quizzes) >= MIN_QUIZZES, (
        f"{passage_id}: {len(quizzes)} quizzes read only this passage "
        f"({', '.join(quiz.id for quiz in quizzes) or 'none'}); at least {MIN_QUIZZES} needed"
    )
    assert len(questions) >= MIN_QUESTIONS, (
        f"{passage_id}: {len(questions)} questions in its own quizzes; at least {MIN_QUESTIONS} needed"
    )


@pytest.mark.parametrize("passage_id", PASSAGE_IDS)
def test_each_passage_is_asked_about_with_several_skills_and_question_types(bank, passage_id):
    questions = [question for quiz in quizzes_on(bank, passage_id) for question in quiz.questions]
    skills = sorted({question.skill for question in questions if question.skill})
    types = sorted({question.type for question in questions})
    assert len(skills) >= MIN_SKILLS, (
        f"{passage_id}: its quizzes cover only the skills {skills}; at least {MIN_SKILLS} needed"
    )
    assert len(types) >= MIN_TYPES, (
        f"{passage_id}: its quizzes use only the question types {types}; at least {MIN_TYPES} needed"
    )


@pytest.mark.parametrize("passage_id", PASSAGE_IDS)
def test_each_passage_has_a_deck_of_at_least_fifteen_flashcards(bank, passage_id):
    # Count the entries the author wrote, not the faces: a reversed card or a cloze with
    # two gaps is still one entry.
    entries = {card.source_id for quiz in quizzes_on(bank, passage_id) for card in quiz.cards}
    assert len(entries) >= MIN_CARD_ENTRIES, (
        f"{passage_id}: {len(entries)} flashcard entries in its own quizzes; at least {MIN_CARD_ENTRIES} needed"
    )


def test_at_least_two_quizzes_compare_passages(bank):
    paired = [quiz for quiz in bank.quizzes if len(quiz.passages) >= 2]
    assert len(paired) >= MIN_PAIRED_QUIZZES, (
        f"paired-text quizzes: {[quiz.id for quiz in paired]}; at least {MIN_PAIRED_QUIZZES} needed"
    )
    assert all(quiz.questions for quiz in paired)


def test_every_question_explains_its_answer(bank):
    missing = [
        f"{quiz.file}: {question.id} ({', '.join(quiz.passages)})"
        for quiz in bank.quizzes
        for question in quiz.questions
        if not (question.explanation or "").strip()
    ]
    assert missing == [], "questions without an explanation:\n" + "\n".join(missing)


def test_every_evidence_question_points_at_sentences_of_its_passages(bank):
    missing = [
        f"{quiz.file}: {question.id} ({', '.join(quiz.passages)})"
        for quiz in bank.quizzes
        for question in quiz.questions
        if (question.type == "highlight" or question.skill == "evidence")
        and not (question.evidence and question.evidence_locations)
    ]
    assert missing == [], "highlight or evidence questions without evidence:\n" + "\n".join(missing)
    for quiz in bank.quizzes:
        for question in quiz.questions:
            for location in question.evidence_locations:
                assert location.passage_id in quiz.passages
                assert location.sentences, f"{question.id}: evidence touches no sentence"
