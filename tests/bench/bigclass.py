"""Build a large, realistic school in a SQLite file, for timing the instructor's report pages.

    .venv/bin/python tests/bench/bigclass.py --database instance/big.sqlite3

What it holds (the defaults):

- the shipped question bank (seeds/ and questions/: 12 quizzes) plus 8 generated quizzes,
  second sets of shipped quizzes under new ids, over the same real passages: 20 quizzes,
  all published by the real content loader and publisher, so versions, evidence and
  cards are what the app itself writes;
- one question in six reworded three weeks into the term and published again: answers
  given before that moment point at version 1, later ones at version 2 (a few reworded
  questions are also worth 2 points instead of 1, so the reports must rescale marks);
- one instructor (bench@school.test, password "bench password 2024") owning a class of
  5,000 learners with 300,000 answers and 100,000 flashcard reviews (with their
  CardState rows), and a second class of 1,000 learners with the same habits
  (60,000 answers, 20,000 reviews), for comparing sizes; ``--classes N`` spreads the
  big class's learners over N classes instead;
- answers drawn from a simple item-response model: each learner has an ability, each
  question a difficulty, and wrong answers pick among plausible wrong responses (each
  question's distractors have their own popularity), graded by the app's own grader;
  first attempts, retakes where the quiz allows them (better on the second go), a last
  attempt left unfinished, times spread over eight weeks ending today, and seconds spent
  per answer;
- flashcard reviews simulated with the app's FSRS scheduler, card by card, so the
  review log's before/after schedules and the final CardState rows agree.

Rows go in with Core ``insert()`` and executemany, a few big transactions in all. On a
2-core machine the whole build takes about a minute.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import math
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.auth.service import create_instructor  # noqa: E402
from quizapp.classes import create_classroom  # noqa: E402
from quizapp.content import load_content  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.flashcards.scheduling import make_scheduler, rate  # noqa: E402
from quizapp.models import (  # noqa: E402
    IN_PROGRESS,
    SUBMITTED,
    Answer,
    Attempt,
    Card,
    CardState,
    Learner,
    Question,
    QuestionVersion,
    Quiz,
    ReviewLog,
)
from quizapp.publishing import publish  # noqa: E402
from quizapp.quiz.grading import grade, highlight_targets, match_options  # noqa: E402

INSTRUCTOR_EMAIL = "bench@school.test"
INSTRUCTOR_PASSWORD = "bench password 2024"
GENERATED_QUIZZES = 8
TERM = timedelta(weeks=8)
REWORDED_AFTER = timedelta(weeks=3)  # from the start of the term
REWORD_EVERY = 6  # one question in six gets a second version
ROWS_PER_INSERT = 20_000

FIRST_NAMES = (
    "Amira Ben Chen Dana Elif Farah Gal Hana Ilan Jamal Kai Lea Maya Noor Omar Priya Qasim Rana "
    "Sami Tamar Uri Vera Wei Yael Zoe Adam Bilal Carmen Dov Eitan Fatima Grace Hadi Ines Jonas "
    "Karim Lior Mira Nadia Oscar Paula Rami Sara Tom Yusuf Zeynep Aiko Bruno Chloe Diego"
).split()
TIMEZONES = ("UTC", "Europe/London", "Asia/Jerusalem", "Asia/Gaza", "America/New_York", "Europe/Berlin")


@dataclass
class VersionInfo:
    """What the generator needs to know of one question version: its wrong and right answers."""

    id: int
    points: float
    right: tuple[dict, float, float, bool]  # response, score, max_score, correct
    wrong: list[tuple[dict, float, float, bool]]
    wrong_weights: list[float]


@dataclass
class QuestionInfo:
    id: str
    difficulty: float
    first: VersionInfo  # the version answered before the rewording
    current: VersionInfo
    seconds: float  # typical seconds spent


@dataclass
class QuizInfo:
    id: str
    questions: list[QuestionInfo]
    shuffle: bool
    attempts_allowed: int
    released: datetime
    cards: list[str] = field(default_factory=list)


@dataclass
class Counters:
    learner: int = 0
    attempt: int = 0
    answer: int = 0
    review: int = 0
    card_states: int = 0
    in_progress: int = 0
    retakes: int = 0
    old_versions: int = 0


# --- content --------------------------------------------------------------------------------


def prepare_content(folder: Path) -> Path:
    """The shipped passages and quizzes, copied so nothing is written into the project."""
    shutil.copytree(PROJECT_DIR / "seeds", folder / "seeds")
    shutil.copytree(PROJECT_DIR / "questions", folder / "questions")
    return folder


def second_set(spec, number: int):
    """A generated quiz: a shipped quiz's questions and cards under new ids, over its passages."""
    quiz = copy.deepcopy(spec)
    suffix = f"-set{number}"
    quiz.id = spec.id + suffix
    quiz.title = f"{spec.title} (second set)"
    quiz.file = f"generated/{quiz.id}.yaml"
    for question in quiz.questions:
        question.id += suffix
    for face in quiz.cards:
        face.id = face.id.replace(face.source_id, face.source_id + suffix, 1)
        face.source_id += suffix
    return quiz


def publish_bank(content_dir: Path, term_start: datetime, reword_at: datetime) -> None:
    """Publish 20 quizzes, then reword some questions and publish again (a second version)."""
    content = load_content(content_dir)
    shipped = list(content.quizzes)
    content.quizzes += [second_set(spec, 2) for spec in shipped[:GENERATED_QUIZZES]]
    publish(content)
    reworded = []
    for quiz in content.quizzes:
        for position, question in enumerate(quiz.questions):
            if position % REWORD_EVERY == REWORD_EVERY - 1:
                question.prompt = question.prompt.rstrip() + " Answer from the article alone."
                if len(reworded) % 4 == 0:
                    question.points = 2.0
                reworded.append(question.id)
    report = publish(content)
    db.session.execute(sa.update(QuestionVersion).where(QuestionVersion.version == 1).values(created_at=term_start))
    db.session.execute(sa.update(QuestionVersion).where(QuestionVersion.version > 1).values(created_at=reword_at))
    db.session.commit()
    print(f"  content: {report.summary()}; {len(reworded)} questions reworded", flush=True)


def candidate_responses(question_type: str, definition: dict) -> tuple[dict, list[dict]]:
    """The right response and a few plausible wrong ones, in the app's canonical shapes."""
    if question_type in ("single", "multiple"):
        choices = definition["choices"]
        right = [i for i, choice in enumerate(choices) if choice.get("correct")]
        wrong = [i for i, choice in enumerate(choices) if not choice.get("correct")]
        if question_type == "single":
            return {"choice": right[0]}, [{"choice": i} for i in wrong]
        others = [{"choices": right[:-1]}, {"choices": sorted(right + wrong[:1])}] if wrong else []
        others += [{"choices": [i]} for i in wrong] + [{"choices": right[1:] + wrong[-1:]}]
        return {"choices": right}, [r for r in others if r["choices"] != right]
    if question_type == "true_false":
        return {"answer": definition["answer"]}, [{"answer": not definition["answer"]}]
    if question_type == "short":
        first = definition["answers"][0]
        return {"text": first}, [{"text": "not sure"}, {"text": first + "0"}, {"text": "Hamas"}, {"text": ""}]
    if question_type == "order":
        n = len(definition["items"])
        swaps = []
        for i in range(n - 1):
            order = list(range(n))
            order[i], order[i + 1] = order[i + 1], order[i]
            swaps.append({"order": order})
        return {"order": list(range(n))}, swaps + [{"order": list(reversed(range(n)))}]
    if question_type == "match":
        pairs, options = definition["pairs"], match_options(definition)
        right = {str(left): options.index(pair["right"]) for left, pair in enumerate(pairs)}
        wrong = []
        for shift in range(1, len(options)):
            wrong.append({str(left): (index + shift) % len(options) for left, index in right.items()})
        if len(pairs) > 1:
            swapped = dict(right)
            swapped["0"], swapped["1"] = right["1"], right["0"]
            wrong.append(swapped)
        return {"pairs": right}, [{"pairs": pairs} for pairs in wrong]
    if question_type == "highlight":
        targets = sorted(highlight_targets(definition))
        right = [[passage, number] for passage, number in targets]
        shifted = [[passage, number + 1] for passage, number in targets]
        wider = right + [[targets[-1][0], targets[-1][1] + 1]]
        wrong = [{"sentences": shifted}, {"sentences": wider}]
        if len(right) > 1:
            wrong.append({"sentences": right[:1]})
        return {"sentences": right}, wrong
    raise ValueError(f"unknown question type {question_type!r}")


def graded(version: QuestionVersion, response: dict) -> tuple[dict, float, float, bool]:
    result = grade(version.type, version.definition, version.points, response)
    return response, result.score, result.max_score, result.correct


def version_info(version: QuestionVersion, rng: random.Random) -> VersionInfo:
    right, wrong = candidate_responses(version.type, version.definition)
    wrong_graded = [graded(version, response) for response in wrong]
    # Each distractor has its own pull: a few attract most wrong answers.
    weights = [rng.random() ** 2 + 0.05 for _ in wrong_graded]
    return VersionInfo(version.id, version.points, graded(version, right), wrong_graded, weights)


def load_bank(term_start: datetime, rng: random.Random) -> list[QuizInfo]:
    quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.active).order_by(Quiz.position)))
    versions: dict[str, dict[int, QuestionVersion]] = {}
    for version in db.session.scalars(sa.select(QuestionVersion)):
        versions.setdefault(version.question_id, {})[version.version] = version
    cards: dict[str, list[str]] = {}
    for card_id, quiz_id in db.session.execute(sa.select(Card.id, Card.quiz_id).where(Card.active)):
        cards.setdefault(quiz_id, []).append(card_id)
    release_gap = (TERM - timedelta(weeks=2)) / len(quizzes)
    # The instructor sets the quizzes through the term in an order of their own.
    release_order = {quiz.id: index for index, quiz in enumerate(rng.sample(quizzes, len(quizzes)))}
    bank = []
    for quiz in quizzes:
        questions = []
        for question in db.session.scalars(
            sa.select(Question).where(Question.quiz_id == quiz.id, Question.active).order_by(Question.position)
        ):
            mine = versions[question.id]
            current = version_info(mine[question.current_version], rng)
            first = version_info(mine[1], rng) if question.current_version > 1 else current
            questions.append(QuestionInfo(question.id, rng.gauss(0, 0.9), first, current, rng.uniform(15, 60)))
        bank.append(
            QuizInfo(
                quiz.id,
                questions,
                quiz.shuffle,
                quiz.attempts_allowed,
                term_start + release_order[quiz.id] * release_gap,
                cards.get(quiz.id, []),
            )
        )
    return bank


# --- learners, attempts and answers ---------------------------------------------------------


class Writer:
    """Buffers rows per table and inserts them with executemany, in the open transaction."""

    # Parents before children, so foreign keys hold at every insert.
    ORDER = (Learner.__table__, Attempt.__table__, Answer.__table__, ReviewLog.__table__, CardState.__table__)

    def __init__(self, connection: sa.Connection):
        self.connection = connection
        self.buffers: dict[sa.Table, list[dict]] = {table: [] for table in self.ORDER}

    def add(self, table: sa.Table, row: dict) -> None:
        self.buffers[table].append(row)
        if len(self.buffers[table]) >= ROWS_PER_INSERT:
            self.flush()

    def flush(self) -> None:
        for table in self.ORDER:
            if self.buffers[table]:
                self.connection.execute(sa.insert(table), self.buffers[table])
                self.buffers[table] = []


def logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def pick_answer(version: VersionInfo, chance: float, rng: random.Random):
    if rng.random() < chance or not version.wrong:
        return version.right
    return rng.choices(version.wrong, weights=version.wrong_weights)[0]


def add_learners(
    writer: Writer, counters: Counters, classroom_id: int, count: int, term_start: datetime, rng: random.Random
) -> list[tuple[int, datetime, float]]:
    """Learners who joined in the first days of the term: (id, joined at, ability)."""
    learners = []
    for _ in range(count):
        counters.learner += 1
        learner_id = counters.learner
        joined = term_start + timedelta(seconds=rng.uniform(0, 4 * 86400))
        name = f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}."
        writer.add(
            Learner.__table__,
            {
                "id": learner_id,
                "classroom_id": classroom_id,
                "display_name": name,
                "resume_code_hash": hashlib.sha256(f"bench-learner-{learner_id}".encode()).hexdigest(),
                "timezone": rng.choice(TIMEZONES),
                "session_version": 1,
                "created_at": joined,
            },
        )
        learners.append((learner_id, joined, rng.gauss(0, 1)))
    return learners


def budgets(total: int, count: int, rng: random.Random) -> list[int]:
    """Split ``total`` among ``count`` learners by how keen each is (a skewed share)."""
    keenness = [min(rng.lognormvariate(0, 0.6), 3.0) for _ in range(count)]
    scale = total / sum(keenness)
    shares = [int(k * scale) for k in keenness]
    for index in rng.sample(range(count), total - sum(shares)):
        shares[index] += 1
    return shares


def add_attempts(
    writer: Writer,
    counters: Counters,
    bank: list[QuizInfo],
    learners: list[tuple[int, datetime, float]],
    answers: int,
    now: datetime,
    reword_at: datetime,
    rng: random.Random,
) -> dict[int, list[tuple[QuizInfo, datetime]]]:
    """Attempts and answers for these learners, ``answers`` in all; returns the quizzes each took."""
    taken: dict[int, list[tuple[QuizInfo, datetime]]] = {}
    for (learner_id, joined, ability), budget in zip(learners, budgets(answers, len(learners), rng), strict=True):
        # Learners mostly follow the order the quizzes came out in, with some skipping about.
        plan = sorted(bank, key=lambda quiz: quiz.released + timedelta(days=rng.gauss(0, 8)))
        taken[learner_id] = []
        clock = joined
        for quiz in plan:
            number = 1
            while budget > 0:
                start = max(clock, quiz.released) + timedelta(hours=rng.expovariate(1 / 30))
                if start > now - timedelta(hours=1):
                    start = now - timedelta(hours=rng.uniform(1, 24 * 6))
                if number > 1:  # attempts at one quiz are taken one after another
                    start = max(start, clock + timedelta(minutes=30))
                    if start >= now:
                        break
                clock = start
                budget, percent = answer_attempt(
                    writer, counters, learner_id, quiz, number, ability, start, budget, now, reword_at, rng
                )
                taken[learner_id].append((quiz, start))
                # A weak first score sends some learners back for another go, where allowed.
                number += 1
                allowed = not quiz.attempts_allowed or number <= quiz.attempts_allowed
                if not allowed or percent is None or rng.random() > 0.5 * (1 - percent) ** 2 + 0.05:
                    break
    return taken


def answer_attempt(
    writer: Writer,
    counters: Counters,
    learner_id: int,
    quiz: QuizInfo,
    number: int,
    ability: float,
    started: datetime,
    budget: int,
    now: datetime,
    reword_at: datetime,
    rng: random.Random,
) -> tuple[int, float | None]:
    """One attempt: its answers (at most ``budget``); returns the budget left and the score."""
    counters.attempt += 1
    attempt_id = counters.attempt
    order = list(quiz.questions)
    if quiz.shuffle:
        rng.shuffle(order)
    # Running out of budget mid-quiz: most leave the attempt open, some submit it with blanks.
    finished = budget >= len(order) or rng.random() < 0.4
    moment = started
    score = max_score = 0.0
    rows = []
    for question in order:
        old = started < reword_at
        version = question.first if old else question.current
        max_score += version.points
        if budget <= 0 or rng.random() < 0.01:  # ran out, or skipped one
            continue
        budget -= 1
        counters.answer += 1
        counters.old_versions += old and question.first is not question.current
        chance = logistic(1.3 * (ability - question.difficulty) + 0.6 * (number - 1) + 0.4)
        response, points, out_of, correct = pick_answer(version, chance, rng)
        spent = round(min(rng.lognormvariate(math.log(question.seconds), 0.6), 3600.0), 1)
        moment = min(moment + timedelta(seconds=spent + rng.uniform(2, 10)), now)
        score += points
        rows.append(
            {
                "id": counters.answer,
                "attempt_id": attempt_id,
                "question_id": question.id,
                "question_version_id": version.id,
                "idempotency_key": f"bench-{counters.answer}",
                "response": response,
                "score": points,
                "max_score": out_of,
                "correct": correct,
                "answered_at": moment,
                "seconds_spent": None if rng.random() < 0.04 else spent,
            }
        )
    counters.in_progress += not finished
    counters.retakes += number > 1
    writer.add(
        Attempt.__table__,
        {
            "id": attempt_id,
            "learner_id": learner_id,
            "quiz_id": quiz.id,
            "number": number,
            "state": SUBMITTED if finished else IN_PROGRESS,
            "question_order": [question.id for question in order],
            "started_at": started,
            "submitted_at": min(moment + timedelta(seconds=20), now) if finished else None,
            "score": score if finished else None,
            "max_score": max_score if finished else None,
        },
    )
    for row in rows:
        writer.add(Answer.__table__, row)
    return budget, (score / max_score if finished and max_score else None)


# --- flashcards -----------------------------------------------------------------------------

RATINGS = (1, 2, 3, 4)


def add_reviews(
    writer: Writer,
    counters: Counters,
    taken: dict[int, list[tuple[QuizInfo, datetime]]],
    abilities: dict[int, float],
    reviews: int,
    now: datetime,
    rng: random.Random,
) -> None:
    """``reviews`` flashcard ratings by seven learners in ten, each card a chain of FSRS reviews."""
    scheduler = make_scheduler(fuzz=True)
    reviewers = [learner_id for learner_id in taken if rng.random() < 0.7 and taken[learner_id]]
    for learner_id, budget in zip(reviewers, budgets(reviews, len(reviewers), rng), strict=True):
        ability = abilities[learner_id]
        forget = min(max(0.18 - 0.06 * ability, 0.03), 0.4)
        first_tries: dict[str, tuple[QuizInfo, datetime]] = {}
        for quiz, start in taken[learner_id]:
            first_tries.setdefault(quiz.id, (quiz, start))
        cards = [(card, start) for quiz, start in first_tries.values() for card in quiz.cards]
        rng.shuffle(cards)
        for card_id, quiz_started in cards:
            if budget <= 0:
                break
            moment = quiz_started + timedelta(hours=rng.uniform(1, 72))
            if moment >= now:
                continue
            schedule = None
            introduced = moment
            while budget > 0 and moment < now:
                rating = rng.choices(RATINGS, weights=(forget, 0.12, 0.78 - forget, 0.10))[0]
                after = rate(schedule, rating, moment, scheduler)
                counters.review += 1
                budget -= 1
                writer.add(
                    ReviewLog.__table__,
                    {
                        "id": counters.review,
                        "learner_id": learner_id,
                        "card_id": card_id,
                        "rating": rating,
                        "reviewed_at": moment,
                        "duration_ms": int(rng.lognormvariate(math.log(6000), 0.5)),
                        "before_state": schedule.state if schedule else None,
                        "before_step": schedule.step if schedule else None,
                        "before_stability": schedule.stability if schedule else None,
                        "before_difficulty": schedule.difficulty if schedule else None,
                        "before_due": schedule.due if schedule else None,
                        "before_last_review": schedule.last_review if schedule else None,
                        "after_state": after.state,
                        "after_step": after.step,
                        "after_stability": after.stability,
                        "after_difficulty": after.difficulty,
                        "after_due": after.due,
                    },
                )
                schedule = after
                # Reviewed when due, or a little later (learners do not come every day).
                moment = max(after.due, moment + timedelta(seconds=30)) + timedelta(hours=rng.expovariate(1 / 20))
            counters.card_states += 1
            writer.add(
                CardState.__table__,
                {
                    "learner_id": learner_id,
                    "card_id": card_id,
                    "state": schedule.state,
                    "step": schedule.step,
                    "stability": schedule.stability,
                    "difficulty": schedule.difficulty,
                    "due": schedule.due,
                    "last_review": schedule.last_review,
                    "introduced_at": introduced,
                },
            )


# --- the whole build ------------------------------------------------------------------------


def build(
    database: Path, learners: int, answers: int, reviews: int, classes: int, second_class: int, seed: int
) -> Counters:
    rng = random.Random(seed)
    random.seed(seed)  # the FSRS scheduler's fuzz draws from the global generator
    now = datetime.now(UTC).replace(microsecond=0)
    term_start = now - TERM
    reword_at = term_start + REWORDED_AFTER
    counters = Counters()
    with tempfile.TemporaryDirectory() as scratch:
        content_dir = prepare_content(Path(scratch) / "content")
        app = create_app(
            {
                "SECRET_KEY": "bench-only",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "QUIZAPP_CONTENT_DIR": content_dir,
            }
        )
        with app.app_context():
            upgrade(directory=str(PROJECT_DIR / "migrations"))
            publish_bank(content_dir, term_start, reword_at)
            teacher = create_instructor(INSTRUCTOR_EMAIL, INSTRUCTOR_PASSWORD)
            groups = []  # (classroom id, learners, answers, reviews)
            for index in range(classes):
                share = range(index, learners, classes)
                name = "Whole year" if classes == 1 else f"Year 11 group {index + 1}"
                groups.append(
                    (
                        create_classroom(teacher, name).id,
                        len(share),
                        answers * len(share) // learners,
                        reviews * len(share) // learners,
                    )
                )
            if second_class:
                scale = second_class / learners
                groups.append(
                    (
                        create_classroom(teacher, "Sample class").id,
                        second_class,
                        int(answers * scale),
                        int(reviews * scale),
                    )
                )
            bank = load_bank(term_start, rng)
            db.session.remove()
            engine = db.engine
            for classroom_id, count, answer_count, review_count in groups:
                started = time.perf_counter()
                with engine.begin() as connection:
                    writer = Writer(connection)
                    people = add_learners(writer, counters, classroom_id, count, term_start, rng)
                    taken = add_attempts(writer, counters, bank, people, answer_count, now, reword_at, rng)
                    writer.flush()
                with engine.begin() as connection:
                    writer = Writer(connection)
                    abilities = {learner_id: ability for learner_id, _, ability in people}
                    add_reviews(writer, counters, taken, abilities, review_count, now, rng)
                    writer.flush()
                print(
                    f"  class {classroom_id}: {count} learners, {answer_count} answers, "
                    f"up to {review_count} reviews in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
            engine.dispose()
    return counters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True, help="SQLite file to create")
    parser.add_argument("--learners", type=int, default=5000, help="learners in the big class (default 5000)")
    parser.add_argument("--answers", type=int, default=300_000, help="answers in the big class (default 300000)")
    parser.add_argument(
        "--reviews", type=int, default=100_000, help="flashcard reviews in the big class (default 100000)"
    )
    parser.add_argument("--classes", type=int, default=1, help="spread the big class's learners over this many classes")
    parser.add_argument("--second-class", type=int, default=1000, help="learners in a second, smaller class (0: none)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--force", action="store_true", help="replace the database file if it exists")
    options = parser.parse_args(argv)
    database = options.database.resolve()
    if database.exists():
        if not options.force:
            parser.error(f"{database} exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counters = build(
        database,
        options.learners,
        options.answers,
        options.reviews,
        options.classes,
        options.second_class,
        options.seed,
    )
    print(
        f"{database}: {counters.learner} learners, {counters.attempt} attempts "
        f"({counters.retakes} retakes, {counters.in_progress} unfinished), {counters.answer} answers "
        f"({counters.old_versions} to an older question version), {counters.review} flashcard reviews, "
        f"{counters.card_states} card states; built in {time.perf_counter() - started:.0f} s. "
        f"Log in as {INSTRUCTOR_EMAIL} / {INSTRUCTOR_PASSWORD}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
