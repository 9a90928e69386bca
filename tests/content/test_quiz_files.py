"""An instructor writes quiz files by hand; the checker either loads them all or says what is wrong.

Each error must name the file, the line and the field, in words the instructor understands.
"""

from __future__ import annotations

import pytest

from quizapp.content.model import CardFace, EvidenceLocation
from quizapp.content.quizzes import load_quizzes

HEADER = """\
id: storm-quiz
title: The storm
passages: [harbour-report]
questions:
"""


def quiz(questions: str, header: str = HEADER) -> str:
    """A quiz file: the usual first four lines, then the given questions (from line 5)."""
    return header + questions


# --- a file that uses everything loads as written -----------------------------------------

EVERY_FIELD = """\
id: storm-quiz
title: "The storm: facts and claims"
passages: [harbour-report, harbour-opinion]
description: "Read both texts first."
feedback: immediate
shuffle: true
attempts: 2
questions:
  - id: storm-people
    type: single
    skill: attribution
    prompt: "According to officials, how many people were moved?"
    choices:
      - text: "1,200"
        correct: true
        feedback: "Yes: the officials' figure."
      - text: "Half the town"
        feedback: "The text gives a number."
      - "None"
    explanation: "The report quotes officials."
    evidence: ["Officials said 1,200 people   were moved to shelters."]
    points: 2
  - id: storm-claims
    type: multiple
    skill: fact
    prompt: "Which does the report say?"
    scoring: partial
    choices:
      - {text: "The storm came on Tuesday night", correct: true}
      - {text: "The sea wall failed", correct: true}
      - "The mayor resigned"
  - id: storm-mayor
    type: true_false
    skill: perspective
    prompt: "The mayor called the damage catastrophic."
    answer: false
    evidence: ['damage "serious but manageable."']
  - id: storm-count
    type: short
    skill: vocabulary
    prompt: "How many people were moved?"
    answers: ["1,200", 1200]
  - id: storm-sequence
    type: order
    skill: inference
    prompt: "Put the report's points in order."
    items: ["Storm arrives", "People moved", "Mayor speaks"]
    scoring: partial
  - id: storm-sources
    type: match
    skill: attribution
    prompt: "Who said what?"
    pairs:
      - {left: "Serious but manageable", right: "The mayor"}
      - {left: "The wall failed in two places", right: "Fishermen"}
    distractors: ["The coast guard"]
    scoring: partial
  - id: storm-wall
    type: highlight
    skill: evidence
    prompt: "Select the sentences about the sea wall, in both texts."
    evidence:
      - "the sea wall had failed"
      - "The harbour deserves a new sea wall. Repairs alone"
    scoring: partial
cards:
  - id: card-mayor
    front: "The mayor's words for the damage"
    back: "“serious but manageable”"
    evidence: ["serious but manageable"]
    reverse: true
  - id: card-shelters
    cloze: "Officials said {{1,200}} people were moved to {{shelters}}."
"""


def test_a_quiz_using_every_field_of_the_format_loads_as_written(write_quiz, load):
    write_quiz("storm.yaml", EVERY_FIELD)

    quizzes, errors = load()

    assert errors == []
    [storm] = quizzes
    assert (storm.id, storm.title, storm.file) == (
        "storm-quiz",
        "The storm: facts and claims",
        "questions/storm.yaml",
    )
    assert storm.passages == ["harbour-report", "harbour-opinion"]
    assert (storm.description, storm.feedback, storm.shuffle, storm.attempts) == (
        "Read both texts first.",
        "immediate",
        True,
        2,
    )
    questions = {question.id: question for question in storm.questions}
    assert [question.type for question in storm.questions] == [
        "single",
        "multiple",
        "true_false",
        "short",
        "order",
        "match",
        "highlight",
    ]

    people = questions["storm-people"]
    assert people.line == 9
    assert (people.skill, people.points, people.explanation) == (
        "attribution",
        2.0,
        "The report quotes officials.",
    )
    assert people.definition == {
        "choices": [
            {"text": "1,200", "correct": True, "feedback": "Yes: the officials' figure."},
            {"text": "Half the town", "correct": False, "feedback": "The text gives a number."},
            {"text": "None", "correct": False, "feedback": None},
        ],
        "scoring": "all_or_nothing",
    }
    assert people.evidence_locations == [EvidenceLocation("harbour-report", [2])]

    assert questions["storm-claims"].definition["scoring"] == "partial"
    assert [choice["correct"] for choice in questions["storm-claims"].definition["choices"]] == [
        True,
        True,
        False,
    ]
    assert questions["storm-claims"].points == 1.0
    assert questions["storm-mayor"].definition == {"answer": False}
    assert questions["storm-mayor"].evidence_locations == [EvidenceLocation("harbour-report", [3])]
    assert questions["storm-count"].definition == {"answers": ["1,200", "1200"]}
    assert questions["storm-sequence"].definition == {
        "items": ["Storm arrives", "People moved", "Mayor speaks"],
        "scoring": "partial",
    }
    assert questions["storm-sources"].definition == {
        "pairs": [
            {"left": "Serious but manageable", "right": "The mayor"},
            {"left": "The wall failed in two places", "right": "Fishermen"},
        ],
        "distractors": ["The coast guard"],
        "scoring": "partial",
    }
    assert questions["storm-wall"].definition == {
        "targets": [
            {"passage": "harbour-report", "sentences": [4]},
            {"passage": "harbour-opinion", "sentences": [1, 2]},
        ],
        "scoring": "partial",
    }

    assert storm.cards == [
        CardFace(
            "card-mayor",
            "card-mayor",
            "basic",
            "The mayor's words for the damage",
            "“serious but manageable”",
            ["serious but manageable"],
            [EvidenceLocation("harbour-report", [3])],
        ),
        CardFace(
            "card-mayor:reverse",
            "card-mayor",
            "reverse",
            "“serious but manageable”",
            "The mayor's words for the damage",
            ["serious but manageable"],
            [EvidenceLocation("harbour-report", [3])],
        ),
        CardFace(
            "card-shelters:c1",
            "card-shelters",
            "cloze",
            "Officials said […] people were moved to shelters.",
            "Officials said 1,200 people were moved to shelters.",
        ),
        CardFace(
            "card-shelters:c2",
            "card-shelters",
            "cloze",
            "Officials said 1,200 people were moved to […].",
            "Officials said 1,200 people were moved to shelters.",
        ),
    ]


def test_a_minimal_quiz_gets_the_documented_defaults(write_quiz, load):
    write_quiz(
        "minimal.yaml",
        quiz("""\
  - id: storm-day
    type: true_false
    prompt: "The storm came on Tuesday."
    answer: true
"""),
    )

    [storm], errors = load()

    assert errors == []
    assert (storm.feedback, storm.shuffle, storm.attempts, storm.description, storm.cards) == (
        "on_submit",
        False,
        0,
        None,
        [],
    )
    [question] = storm.questions
    assert (question.points, question.skill, question.evidence, question.evidence_locations) == (
        1.0,
        None,
        [],
        [],
    )


def test_quizzes_come_in_file_name_order_and_other_files_are_ignored(tmp_content, write_quiz, load):
    for name, quiz_id, question_id in [("b.yaml", "quiz-b", "qb"), ("a.yaml", "quiz-a", "qa")]:
        write_quiz(
            name,
            f"""\
id: {quiz_id}
title: A quiz
passages: [harbour-report]
questions:
  - {{id: {question_id}, type: true_false, prompt: "True?", answer: true}}
""",
        )
    (tmp_content / "questions" / "README.md").write_text("# How to write quizzes\n", encoding="utf-8")

    quizzes, errors = load()

    assert errors == []
    assert [quiz.id for quiz in quizzes] == ["quiz-a", "quiz-b"]


def test_without_a_questions_folder_there_are_no_quizzes_and_no_errors(tmp_content, load):
    (tmp_content / "questions").rmdir()

    assert load() == ([], [])


# --- what the checker catches -------------------------------------------------------------


def test_a_yaml_syntax_error_names_the_file_and_line(errors_in):
    errors = errors_in("""\
id: storm-quiz
title: "The storm
passages: [harbour-report]
""")

    assert len(errors) == 1
    assert errors[0].startswith("questions/quiz.yaml:")
    assert "YAML syntax error" in errors[0]


def test_an_empty_file_is_refused(errors_in):
    assert errors_in("# nothing yet\n") == [
        "questions/quiz.yaml:1: the file is empty; a quiz needs at least id, title, passages and questions"
    ]


def test_a_quiz_file_saved_as_yml_is_not_silently_skipped(write_quiz, load):
    write_quiz("storm.yml", "id: storm-quiz\n")

    quizzes, errors = load()

    assert quizzes == []
    assert [str(error) for error in errors] == ["questions/storm.yml:1: quiz files must end in .yaml; rename this file"]


def test_a_misspelt_quiz_key_is_caught_with_a_suggestion(errors_in):
    errors = errors_in("""\
id: storm-quiz
title: The storm
passages: [harbour-report]
shufle: true
questions:
  - {id: q1, type: true_false, prompt: "True?", answer: true}
""")

    assert errors == ["questions/quiz.yaml:4: unknown key 'shufle' (did you mean 'shuffle'?)"]


def test_a_misspelt_question_key_is_caught_with_a_suggestion(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: true_false
    promt: "The storm came on Tuesday."
    answer: true
""")
    )

    assert "questions/quiz.yaml:7: question 'storm-day': unknown key 'promt' (did you mean 'prompt'?)" in errors
    assert "questions/quiz.yaml:5: question 'storm-day': missing the required field 'prompt'" in errors


def test_a_key_of_another_question_type_is_explained(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: true_false
    prompt: "The storm came on Tuesday."
    answer: true
    scoring: partial
""")
    )

    assert errors == [
        "questions/quiz.yaml:9: question 'storm-day': 'scoring' is not used by true_false "
        "questions (only by multiple, order, match, highlight)"
    ]


def test_a_key_of_another_type_that_resembles_a_right_one_gets_both_hints(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-count
    type: short
    prompt: "How many people were moved?"
    answer: "1,200"
""")
    )

    assert (
        "questions/quiz.yaml:8: question 'storm-count': 'answer' is not used by short questions "
        "(only by true_false); did you mean 'answers'?"
    ) in errors


def test_scoring_on_a_single_choice_question_is_refused(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: single
    prompt: "When?"
    scoring: partial
    choices: [{text: Tuesday, correct: true}, Monday]
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: question 'storm-day': 'scoring' is not used by single "
        "questions (only by multiple, order, match, highlight)"
    ]


def test_a_misspelt_choice_key_is_caught(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: single
    prompt: "When did the storm come?"
    choices:
      - text: Tuesday
        corect: true
      - Monday
""")
    )

    assert (
        "questions/quiz.yaml:10: question 'storm-day': choice 1: unknown key 'corect' (did you mean 'correct'?)"
    ) in errors


def test_a_misspelt_pair_key_is_caught(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-sources
    type: match
    prompt: "Who said what?"
    pairs:
      - left: "Serious but manageable"
        rigth: "The mayor"
      - {left: "The wall failed", right: "Fishermen"}
""")
    )

    assert (
        "questions/quiz.yaml:10: question 'storm-sources': pair 1: unknown key 'rigth' (did you mean 'right'?)"
    ) in errors
    assert "questions/quiz.yaml:9: question 'storm-sources': pair 1: missing the required field 'right'" in errors


def test_a_misspelt_card_key_is_caught(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: q1, type: true_false, prompt: "True?", answer: true}
cards:
  - id: card-mayor
    front: "The mayor"
    back: "Called the damage manageable"
    revers: true
""")
    )

    assert errors == ["questions/quiz.yaml:10: card 'card-mayor': unknown key 'revers' (did you mean 'reverse'?)"]


def test_a_key_nothing_resembles_lists_the_allowed_keys(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: true_false
    prompt: "The storm came on Tuesday."
    answer: true
    difficulty: hard
""")
    )

    [error] = errors
    assert error.startswith(
        "questions/quiz.yaml:9: question 'storm-day': unknown key 'difficulty' (allowed here: id, type,"
    )


@pytest.mark.parametrize(
    ("field_line", "expected"),
    [
        ("title: [The, storm]", "questions/quiz.yaml:2: title: expected text, got a list"),
        (
            "shuffle: yes please",
            "questions/quiz.yaml:2: shuffle: expected true or false (without quotes), got 'yes please'",
        ),
        (
            "attempts: -1",
            "questions/quiz.yaml:2: attempts: expected a whole number of 0 or more (0 = unlimited), got -1",
        ),
        (
            "attempts: 1.5",
            "questions/quiz.yaml:2: attempts: expected a whole number of 0 or more "
            "(0 = unlimited), got the number 1.5 (put it in quotes to keep it exactly as written)",
        ),
        (
            "feedback: later",
            "questions/quiz.yaml:2: feedback: 'later' is not one of immediate, on_submit, never",
        ),
        (
            "feedback: imediate",
            "questions/quiz.yaml:2: feedback: 'imediate' is not one of immediate, on_submit, "
            "never; did you mean 'immediate'?",
        ),
    ],
)
def test_quiz_settings_of_the_wrong_kind_are_refused(errors_in, field_line, expected):
    errors = errors_in(
        f"""\
id: storm-quiz
{field_line}
passages: [harbour-report]
questions:
  - {{id: q1, type: true_false, prompt: "True?", answer: true}}
"""
    )

    assert expected in errors


@pytest.mark.parametrize(
    ("field_line", "expected"),
    [
        ("points: 0", "points: expected a number greater than 0, got 0"),
        ("points: two", "points: expected a number greater than 0, got 'two'"),
        (
            "skill: recall",
            "skill: 'recall' is not one of fact, attribution, perspective, evidence, inference, vocabulary",
        ),
        ("skill: atribution", "did you mean 'attribution'?"),
        ("explanation: {why: because}", "explanation: expected text, got a mapping"),
        (
            "evidence: Tuesday night",
            "evidence: expected a list (one '- …' line per quote), got 'Tuesday night'",
        ),
    ],
)
def test_question_fields_of_the_wrong_kind_are_refused(errors_in, field_line, expected):
    [error] = errors_in(
        quiz(f"""\
  - id: storm-day
    type: true_false
    prompt: "The storm came on Tuesday."
    answer: true
    {field_line}
""")
    )

    assert error.startswith("questions/quiz.yaml:9: question 'storm-day': ")
    assert expected in error


def test_an_unknown_question_type_is_refused_with_a_suggestion(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: multiple_choice
    prompt: "When?"
    choices: [Tuesday, Monday]
""")
    )

    assert errors == [
        "questions/quiz.yaml:6: question 'storm-day': type: 'multiple_choice' is not one of "
        "single, multiple, true_false, short, order, match, highlight; did you mean 'multiple'?"
    ]


def test_an_unknown_scoring_mode_is_refused(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-sequence
    type: order
    prompt: "Put in order."
    items: [Storm, Shelters]
    scoring: half
""")
    )

    assert errors == [
        "questions/quiz.yaml:9: question 'storm-sequence': scoring: 'half' is not one of all_or_nothing, partial"
    ]


def test_missing_required_fields_are_named(errors_in):
    errors = errors_in("""\
description: "Read the report first."
questions:
  - prompt: "When did the storm come?"
    answer: true
""")

    assert errors == [
        "questions/quiz.yaml:1: missing the required field 'id' (a unique name for this quiz, like 'my-quiz-1')",
        "questions/quiz.yaml:1: missing the required field 'passages' (the ids of the passages this quiz is about)",
        "questions/quiz.yaml:1: missing the required field 'title'",
        "questions/quiz.yaml:3: question 1: missing the required field 'id' "
        "(a unique name for this question, like 'my-question-1')",
        "questions/quiz.yaml:3: question 1: missing the required field 'type' "
        "(one of single, multiple, true_false, short, order, match, highlight)",
    ]


def test_a_quiz_without_questions_is_refused(errors_in):
    assert errors_in(HEADER.replace("questions:\n", "questions: []\n")) == [
        "questions/quiz.yaml:4: questions: expected a list of one or more questions"
    ]


def test_ids_must_be_slugs(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: Storm Day, type: true_false, prompt: "True?", answer: true}
""")
    )

    assert errors == [
        "questions/quiz.yaml:5: question 1: id: 'Storm Day' must be lower-case letters, digits "
        "and hyphens only, at most 80 characters (like 'nbc-battalions')"
    ]


def test_a_quiz_id_used_in_two_files_says_where_it_was_first_used(write_quiz, load):
    write_quiz("a.yaml", quiz("  - {id: qa, type: true_false, prompt: 'True?', answer: true}\n"))
    write_quiz("b.yaml", quiz("  - {id: qb, type: true_false, prompt: 'True?', answer: true}\n"))

    quizzes, errors = load()

    assert quizzes == []
    assert [str(error) for error in errors] == [
        "questions/b.yaml:1: the quiz id 'storm-quiz' is already used (questions/a.yaml, line 1); "
        "ids must be unique across all quiz files"
    ]


def test_a_question_id_used_in_two_quizzes_says_where_it_was_first_used(write_quiz, load):
    write_quiz("a.yaml", quiz("  - {id: storm-day, type: true_false, prompt: 'True?', answer: true}\n"))
    write_quiz(
        "b.yaml",
        quiz(
            "  - {id: storm-day, type: true_false, prompt: 'True?', answer: true}\n",
            header=HEADER.replace("storm-quiz", "other-quiz"),
        ),
    )

    quizzes, errors = load()

    assert quizzes == []
    assert [str(error) for error in errors] == [
        "questions/b.yaml:5: question 'storm-day': the question id 'storm-day' is already used "
        "(questions/a.yaml, line 5); ids must be unique across all quiz files"
    ]


def test_a_card_id_used_twice_in_one_file_is_refused(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: q1, type: true_false, prompt: "True?", answer: true}
cards:
  - {id: card-mayor, front: Mayor, back: Spoke}
  - {id: card-mayor, cloze: "The {{mayor}} spoke"}
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: card 'card-mayor': the card id 'card-mayor' is already used "
        "(line 7 of this file); ids must be unique across all quiz files"
    ]


def test_a_passage_the_manifest_lacks_is_refused(errors_in):
    errors = errors_in(
        quiz(
            "  - {id: q1, type: true_false, prompt: 'True?', answer: true}\n",
            header=HEADER.replace("[harbour-report]", "[harbor-report]"),
        )
    )

    assert errors == [
        "questions/quiz.yaml:3: passages: there is no passage 'harbor-report' in "
        "seeds/passages.yaml (known ids: harbour-opinion, harbour-report)"
    ]


def test_a_single_choice_question_needs_exactly_one_correct_choice(errors_in):
    errors = errors_in(
        quiz("""\
  - id: two-right
    type: single
    prompt: "When?"
    choices:
      - {text: Tuesday, correct: true}
      - {text: Tuesday night, correct: true}
  - id: none-right
    type: single
    prompt: "When?"
    choices: [Monday, Tuesday]
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: question 'two-right': a single question needs exactly one "
        "choice with 'correct: true', found 2",
        "questions/quiz.yaml:14: question 'none-right': a single question needs exactly one "
        "choice with 'correct: true', found 0",
    ]


def test_a_multiple_choice_question_needs_a_correct_choice(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-claims
    type: multiple
    prompt: "Which are true?"
    choices: [Monday, Wednesday]
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: question 'storm-claims': a multiple question needs at least one "
        "choice with 'correct: true'"
    ]


def test_the_same_choice_twice_is_refused(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: single
    prompt: "When?"
    choices:
      - {text: "Tuesday night", correct: true}
      - Monday
      - "tuesday  night"
""")
    )

    assert errors == [
        "questions/quiz.yaml:11: question 'storm-day': choice 3: the choice 'tuesday  night' "
        "appears twice (first on line 9)"
    ]


def test_a_choice_question_needs_two_choices(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: single
    prompt: "When?"
    choices:
      - {text: Tuesday, correct: true}
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: question 'storm-day': a single question needs at least two choices, found 1"
    ]


def test_a_choice_yaml_reads_as_true_is_explained(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: single
    prompt: "Did officials move people?"
    choices:
      - {text: "No", correct: true}
      - yes
""")
    )

    [error] = errors
    assert error.startswith("questions/quiz.yaml:10: question 'storm-day': choice 2: ")
    assert "YAML reads yes/no/true/false as a truth value; put text in quotes" in error


def test_a_true_false_question_needs_a_boolean_answer(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: quoted, type: true_false, prompt: "True?", answer: "true"}
  - {id: missing, type: true_false, prompt: "True?"}
""")
    )

    assert errors == [
        "questions/quiz.yaml:5: question 'quoted': answer: expected true or false (without quotes), got 'true'",
        "questions/quiz.yaml:6: question 'missing': a true_false question needs 'answer: true' or 'answer: false'",
    ]


def test_a_short_answer_question_needs_accepted_answers(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: empty-list, type: short, prompt: "How many?", answers: []}
  - {id: blank-answer, type: short, prompt: "How many?", answers: ["1,200", ""]}
""")
    )

    assert errors == [
        "questions/quiz.yaml:5: question 'empty-list': answers: needs at least 1 accepted answer, found 0",
        "questions/quiz.yaml:6: question 'blank-answer': answers: accepted answer 2 must be text, "
        "got nothing (empty text)",
    ]


def test_an_order_question_needs_two_items(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-sequence
    type: order
    prompt: "Put in order."
    items: [Storm arrives]
""")
    )

    assert errors == ["questions/quiz.yaml:8: question 'storm-sequence': items: needs at least 2 items, found 1"]


def test_a_match_question_with_the_same_left_twice_is_refused(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-sources
    type: match
    prompt: "Who said what?"
    pairs:
      - {left: "Serious but manageable", right: "The mayor"}
      - {left: "Serious but  manageable", right: "Fishermen"}
""")
    )

    assert errors == [
        "questions/quiz.yaml:10: question 'storm-sources': pair 2: "
        "the left side 'Serious but  manageable' appears twice (first on line 9)"
    ]


def test_a_match_question_needs_two_pairs(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-sources
    type: match
    prompt: "Who said what?"
    pairs:
      - {left: "Serious but manageable", right: "The mayor"}
    distractors: [Fishermen]
""")
    )

    assert errors == [
        "questions/quiz.yaml:8: question 'storm-sources': a match question needs at least two pairs, found 1"
    ]


def test_evidence_must_be_quoted_word_for_word_from_the_quizs_passages(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: true_false
    prompt: "The storm came on Tuesday."
    answer: true
    evidence:
      - "The  storm reached the harbour"
      - "The storm hit the harbour"
      - "The harbour deserves a new sea wall"
""")
    )

    assert errors == [
        "questions/quiz.yaml:11: question 'storm-day': evidence: "
        'the quote "The storm hit the harbour" is not in the quiz\'s passages '
        "('harbour-report'); quotes must be copied word for word "
        "(only white space and curly vs straight quotes may differ)",
        "questions/quiz.yaml:12: question 'storm-day': evidence: "
        'the quote "The harbour deserves a new sea wall" is not in the quiz\'s passages '
        "('harbour-report'); quotes must be copied word for word "
        "(only white space and curly vs straight quotes may differ)",
    ]


def test_card_evidence_is_checked_too(errors_in):
    errors = errors_in(
        quiz("""\
  - {id: q1, type: true_false, prompt: "True?", answer: true}
cards:
  - id: card-mayor
    front: Mayor
    back: Spoke
    evidence: ["the mayor shouted"]
""")
    )

    [error] = errors
    assert error.startswith(
        "questions/quiz.yaml:10: card 'card-mayor': evidence: the quote \"the mayor shouted\" is not in"
    )


def test_a_highlight_question_needs_evidence(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-wall
    type: highlight
    prompt: "Select the sentence about the wall."
""")
    )

    assert errors == [
        "questions/quiz.yaml:5: question 'storm-wall': a highlight question needs 'evidence': "
        "the quotes whose sentences the learner must select"
    ]


def test_an_evidence_skill_question_needs_evidence(errors_in):
    errors = errors_in(
        quiz("""\
  - id: storm-day
    type: true_false
    skill: evidence
    prompt: "The report shows the storm came on Tuesday."
    answer: true
""")
    )

    assert errors == [
        "questions/quiz.yaml:5: question 'storm-day': a question with skill 'evidence' needs "
        "'evidence': the quotes that answer it"
    ]


@pytest.mark.parametrize(
    ("cloze", "expected"),
    [
        (
            '"Officials moved 1,200 people."',
            "cloze: no gap; put the words to hide in double braces, like {{240}}",
        ),
        (
            '"Officials moved {{1,200 people."',
            "cloze: a gap is not closed; every {{ needs a matching }}",
        ),
        (
            '"Officials moved {{ }} people."',
            "cloze: gap 1 is empty; put the hidden words between the braces",
        ),
    ],
)
def test_a_cloze_card_needs_well_formed_gaps(errors_in, cloze, expected):
    errors = errors_in(
        quiz(f"""\
  - {{id: q1, type: true_false, prompt: "True?", answer: true}}
cards:
  - id: card-shelters
    cloze: {cloze}
""")
    )

    assert f"questions/quiz.yaml:8: card 'card-shelters': {expected}" in errors


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (
            '{id: card-x, front: Mayor, back: Spoke, cloze: "The {{mayor}} spoke"}',
            "card 'card-x': a card has either front and back, or cloze, not both",
        ),
        ("{id: card-x, evidence: [mayor]}", "card 'card-x': a card needs front and back, or cloze"),
        ("{id: card-x, front: Mayor}", "card 'card-x': missing the required field 'back'"),
        (
            '{id: card-x, cloze: "The {{mayor}} spoke", reverse: true}',
            "card 'card-x': reverse applies only to front/back cards, not to cloze cards",
        ),
        (
            "{id: card-x, front: Mayor, back: Spoke, reverse: 1}",
            "card 'card-x': reverse: expected true or false",
        ),
        ("just a string", "card 1: expected a mapping with id and front/back or cloze"),
    ],
)
def test_a_card_is_either_front_and_back_or_cloze(errors_in, card, expected):
    errors = errors_in(
        quiz(f"""\
  - {{id: q1, type: true_false, prompt: "True?", answer: true}}
cards:
  - {card}
""")
    )

    [error] = errors
    assert error.startswith(f"questions/quiz.yaml:7: {expected}")


# --- all errors at once, and all or nothing ------------------------------------------------


def test_every_broken_file_is_reported_in_one_run_and_nothing_is_loaded(write_quiz, load):
    write_quiz("a-good.yaml", quiz("  - {id: good, type: true_false, prompt: 'True?', answer: true}\n"))
    write_quiz(
        "b-typo.yaml",
        quiz(
            "  - {id: typo, type: true_false, promt: 'True?', answer: true}\n",
            header=HEADER.replace("storm-quiz", "typo-quiz"),
        ),
    )
    write_quiz("c-syntax.yaml", "id: [unclosed\n")
    write_quiz(
        "d-no-correct.yaml",
        quiz(
            "  - {id: none-right, type: single, prompt: 'When?', choices: [Monday, Sunday]}\n",
            header=HEADER.replace("storm-quiz", "choice-quiz"),
        ),
    )

    quizzes, errors = load()

    assert quizzes == []
    assert sorted({error.file for error in errors}) == [
        "questions/b-typo.yaml",
        "questions/c-syntax.yaml",
        "questions/d-no-correct.yaml",
    ]
    messages = [str(error) for error in errors]
    assert "questions/b-typo.yaml:5: question 'typo': unknown key 'promt' (did you mean 'prompt'?)" in messages
    assert any(message.startswith("questions/c-syntax.yaml:") for message in messages)
    assert any("found 0" in message for message in messages)


def test_with_a_broken_manifest_quiz_files_are_still_checked_but_evidence_is_not(write_quiz, tmp_content):
    write_quiz(
        "storm.yaml",
        quiz("""\
  - id: storm-day
    type: true_false
    prompt: "True?"
    answer: true
    evidence: ["a quote that cannot be checked without the passages"]
    pionts: 2
"""),
    )

    quizzes, errors = load_quizzes(tmp_content, {}, passages_ok=False)

    assert quizzes == []
    assert [str(error) for error in errors] == [
        "questions/storm.yaml:10: question 'storm-day': unknown key 'pionts' (did you mean 'points'?)"
    ]


def test_with_a_broken_manifest_no_quiz_is_returned_even_if_its_file_is_fine(write_quiz, tmp_content):
    write_quiz("storm.yaml", quiz("  - {id: q1, type: true_false, prompt: 'True?', answer: true}\n"))

    assert load_quizzes(tmp_content, {}, passages_ok=False) == ([], [])
