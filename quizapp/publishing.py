"""Write checked content into the database, in one transaction, safe to repeat.

Content that disappears from the files is hidden, never deleted: recorded answers
keep pointing at the question versions they were given for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from .content.model import Content, QuizSpec
from .content.passages import Passage as PassageSpec
from .extensions import db
from .models import Card, Passage, Question, QuestionVersion, Quiz, QuizPassage, Sentence


@dataclass
class PublishReport:
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['passages']} passages, {c['quizzes']} quizzes, {c['questions']} questions, "
            f"{c['cards']} cards; {c['question versions added']} new question versions, "
            f"{c['hidden']} items hidden"
        )


def publish(content: Content) -> PublishReport:
    """Make the database hold exactly the given content (hiding what is gone); commit once."""
    report = PublishReport()
    try:
        _publish_passages(content.passages, report)
        _publish_quizzes(content.quizzes, report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _publish_passages(passages: list[PassageSpec], report: PublishReport) -> None:
    existing = {passage.id: passage for passage in db.session.scalars(sa.select(Passage))}
    for position, spec in enumerate(passages):
        passage = existing.pop(spec.id, None) or Passage(id=spec.id)
        passage.position = position
        passage.source_file = spec.file
        passage.title = spec.title
        passage.outlet = spec.outlet
        passage.author = spec.author
        passage.published = spec.published
        passage.genre = spec.genre
        passage.note = spec.note
        passage.standfirst = spec.standfirst
        passage.pull_quotes = list(spec.pull_quotes)
        passage.word_count = spec.word_count
        passage.reading_minutes = spec.reading_minutes
        passage.active = True
        db.session.add(passage)
        wanted = [
            (paragraph_number, text)
            for paragraph_number, paragraph in enumerate(spec.paragraphs, start=1)
            for text in paragraph
        ]
        current = [(sentence.paragraph, sentence.text) for sentence in passage.sentences]
        if current != wanted:
            passage.sentences = [
                Sentence(number=number, paragraph=paragraph, text=text)
                for number, (paragraph, text) in enumerate(wanted, start=1)
            ]
            db.session.flush()
        report.counts["passages"] += 1
    for gone in existing.values():
        if gone.active:
            gone.active = False
            report.counts["hidden"] += 1


def _publish_quizzes(quizzes: list[QuizSpec], report: PublishReport) -> None:
    existing_quizzes = {quiz.id: quiz for quiz in db.session.scalars(sa.select(Quiz))}
    existing_questions = {question.id: question for question in db.session.scalars(sa.select(Question))}
    existing_cards = {card.id: card for card in db.session.scalars(sa.select(Card))}
    latest_versions = {
        version.question_id: version
        for version in db.session.scalars(
            sa.select(QuestionVersion).join(
                Question,
                sa.and_(
                    Question.id == QuestionVersion.question_id, Question.current_version == QuestionVersion.version
                ),
            )
        )
    }
    for position, spec in enumerate(quizzes):
        quiz = existing_quizzes.pop(spec.id, None) or Quiz(id=spec.id)
        quiz.title = spec.title
        quiz.description = spec.description
        quiz.feedback = spec.feedback
        quiz.shuffle = spec.shuffle
        quiz.attempts_allowed = spec.attempts
        quiz.source_file = spec.file
        quiz.position = position
        quiz.active = True
        if quiz.passage_ids != spec.passages:
            quiz.passage_links = [
                QuizPassage(passage_id=passage_id, position=index) for index, passage_id in enumerate(spec.passages)
            ]
        db.session.add(quiz)
        db.session.flush()
        report.counts["quizzes"] += 1
        for question_position, question_spec in enumerate(spec.questions):
            question = existing_questions.pop(question_spec.id, None)
            latest = latest_versions.get(question_spec.id)
            if question is None:
                question = Question(id=question_spec.id, current_version=0)
                db.session.add(question)
            question.quiz_id = spec.id
            question.position = question_position
            question.active = True
            if latest is None or latest.content_hash != question_spec.content_hash:
                question.current_version = (latest.version if latest else 0) + 1
                db.session.add(
                    QuestionVersion(
                        question_id=question_spec.id,
                        version=question.current_version,
                        content_hash=question_spec.content_hash,
                        type=question_spec.type,
                        skill=question_spec.skill,
                        prompt=question_spec.prompt,
                        points=question_spec.points,
                        explanation=question_spec.explanation,
                        definition=question_spec.definition,
                        evidence=list(question_spec.evidence),
                        evidence_locations=[location.as_dict() for location in question_spec.evidence_locations],
                    )
                )
                report.counts["question versions added"] += 1
            report.counts["questions"] += 1
        for card_position, face in enumerate(spec.cards):
            card = existing_cards.pop(face.id, None) or Card(id=face.id)
            card.source_id = face.source_id
            card.quiz_id = spec.id
            card.kind = face.kind
            card.front = face.front
            card.back = face.back
            card.evidence = list(face.evidence)
            card.evidence_locations = [location.as_dict() for location in face.evidence_locations]
            card.content_hash = face.content_hash
            card.position = card_position
            card.active = True
            db.session.add(card)
            report.counts["cards"] += 1
    for gone in [*existing_quizzes.values(), *existing_questions.values(), *existing_cards.values()]:
        if gone.active:
            gone.active = False
            report.counts["hidden"] += 1
    db.session.flush()
