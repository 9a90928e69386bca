"""An instructor copies examples from docs/authoring.md; they must behave as the guide says.

Every quiz file the guide shows passes the checker against the real seed passages; every
broken file it shows gives exactly the messages printed after it; every message in its
tables is one the checker can really give; and its manifest example is the real entry.
So the guide cannot drift away from the code.
"""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from quizapp.content import ContentInvalid, load_content

PROJECT_DIR = Path(__file__).resolve().parents[2]
GUIDE = PROJECT_DIR / "docs" / "authoring.md"
CHECKER_MODULES = [
    PROJECT_DIR / "quizapp" / "content" / name for name in ("quizzes.py", "passages.py", "yamlsource.py")
]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
ERROR_LINE = re.compile(r"^(?P<file>(?:questions|seeds)/[^:]+):\d+: ")
SUMMARY_LINE = re.compile(r"^(\d+ errors?) in .+; nothing was loaded\.$")


@dataclass
class Block:
    language: str
    text: str
    line: int  # where the block starts in the guide, for failure messages
    output: Block | None = None  # for a broken example: the checker output shown after it


def guide_blocks() -> list[Block]:
    """The guide's fenced blocks; a yaml block followed by checker output gets that output."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [Block(match[1], match[2], text.count("\n", 0, match.start()) + 1) for match in FENCE.finditer(text)]
    for block, following in zip(blocks, blocks[1:], strict=False):
        if block.language == "yaml" and following.language == "text":
            if ERROR_LINE.match(following.text):
                block.output = following
    return blocks


def is_quiz_file(block: Block) -> bool:
    return block.language == "yaml" and re.search(r"^questions:", block.text, re.MULTILINE)


BLOCKS = guide_blocks()
GOOD_QUIZZES = [block for block in BLOCKS if is_quiz_file(block) and block.output is None]
BROKEN_FILES = [block for block in BLOCKS if block.output is not None]


def quiz_id(block: Block) -> str:
    """The quiz's id, read from its first line (a broken file may not parse as YAML)."""
    return re.match(r"id: (\S+)", block.text)[1]


def content_folder(root: Path, with_bank: bool = False) -> Path:
    """A content folder with the project's seeds (and, if asked, its question bank)."""
    shutil.copytree(PROJECT_DIR / "seeds", root / "seeds")
    if with_bank:
        shutil.copytree(PROJECT_DIR / "questions", root / "questions")
    else:
        (root / "questions").mkdir()
    return root


def check(folder: Path) -> list[str]:
    try:
        load_content(folder)
    except ContentInvalid as invalid:
        return [str(error) for error in invalid.errors]
    return []


def test_the_guide_shows_a_quiz_of_every_type_and_cards_of_every_kind():
    loaded = [yaml.safe_load(block.text) for block in GOOD_QUIZZES]
    types = {question["type"] for quiz in loaded for question in quiz["questions"]}
    assert types == {"single", "multiple", "true_false", "short", "order", "match", "highlight"}
    cards = [card for quiz in loaded for card in quiz.get("cards", [])]
    assert any(card.get("reverse") for card in cards)
    assert any("cloze" in card for card in cards)
    assert any("back" in card and not card.get("reverse") for card in cards)
    assert BROKEN_FILES, "the guide should show broken files with the checker's messages"


@pytest.mark.parametrize("block", GOOD_QUIZZES, ids=quiz_id)
def test_every_quiz_in_the_guide_passes_the_checker(tmp_path, block):
    folder = content_folder(tmp_path)
    (folder / "questions" / "example.yaml").write_text(block.text, encoding="utf-8")
    errors = check(folder)
    assert errors == [], f"the example at line {block.line} of the guide is refused:\n" + "\n".join(errors)


def test_the_examples_can_be_copied_into_the_shipped_question_bank(tmp_path):
    folder = content_folder(tmp_path, with_bank=True)
    for number, block in enumerate(GOOD_QUIZZES, start=1):
        (folder / "questions" / f"guide-example-{number}.yaml").write_text(block.text, encoding="utf-8")
    errors = check(folder)
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("block", BROKEN_FILES, ids=quiz_id)
def test_each_broken_file_in_the_guide_gives_the_messages_shown(app, content_dir, block):
    shown = block.output.text.splitlines()
    file_name = ERROR_LINE.match(shown[0])["file"]
    (content_dir / file_name).write_text(block.text, encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["content", "check"])

    assert result.exit_code == 1
    printed = [SUMMARY_LINE.sub(r"\1 in <folder>; nothing was loaded.", line) for line in result.output.splitlines()]
    expected = [SUMMARY_LINE.sub(r"\1 in <folder>; nothing was loaded.", line) for line in shown]
    assert printed == expected, f"the output shown at line {block.output.line} of the guide"


def test_the_highlight_example_targets_the_sentences_the_guide_names(tmp_path):
    (block,) = [b for b in GOOD_QUIZZES if quiz_id(b) == "example-highlight"]
    folder = content_folder(tmp_path)
    (folder / "questions" / "example.yaml").write_text(block.text, encoding="utf-8")
    (question,) = load_content(folder).quizzes[0].questions
    assert question.definition["targets"] == [{"passage": "nbc-offensive", "sentences": [8, 9]}]
    assert "nbc-offensive, sentence 8; nbc-offensive, sentence 9" in GUIDE.read_text("utf-8")


def test_the_card_example_makes_the_five_cards_the_guide_counts(tmp_path):
    (block,) = [b for b in GOOD_QUIZZES if quiz_id(b) == "example-cards"]
    folder = content_folder(tmp_path)
    (folder / "questions" / "example.yaml").write_text(block.text, encoding="utf-8")
    faces = load_content(folder).quizzes[0].cards
    assert [face.kind for face in faces] == ["basic", "basic", "reverse", "cloze", "cloze"]
    assert faces[3].front.startswith("According to the IDF, as reported by NBC News")
    assert "[…] of its troops" in faces[3].front and "10 out of 24 Hamas" in faces[3].front
    assert "This entry list makes five cards" in GUIDE.read_text("utf-8")


def test_the_manifest_example_is_the_real_entry():
    (block,) = [b for b in BLOCKS if b.language == "yaml" and b.text.startswith("  - id: ")]
    (example,) = yaml.safe_load(block.text)
    manifest = yaml.safe_load((PROJECT_DIR / "seeds" / "passages.yaml").read_text("utf-8"))
    real = {entry["id"]: entry for entry in manifest["passages"]}
    assert example == real[example["id"]]


# --- the tables of messages ----------------------------------------------------------------


def message_templates() -> list[re.Pattern]:
    """Every message the checker passes to an error, as a pattern: its fixed words, with
    anything filled in at run time (a key, an id, a hint) matching any text."""
    templates = []
    for module in CHECKER_MODULES:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in ("add", "ContentError", "MarkedYAMLError"):
                continue
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    templates.append(re.compile(re.escape(argument.value)))
                elif isinstance(argument, ast.JoinedStr):
                    parts = [
                        re.escape(part.value) if isinstance(part, ast.Constant) else ".*" for part in argument.values
                    ]
                    templates.append(re.compile("".join(parts)))
    return templates


def table_messages() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### Every message, and how to fix it", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)`", section, re.MULTILINE)


def test_the_guide_lists_many_messages():
    assert len(table_messages()) >= 60


@pytest.mark.parametrize("message", table_messages())
def test_every_message_in_the_tables_is_one_the_checker_gives(message):
    templates = message_templates()
    assert any(template.fullmatch(message) for template in templates), (
        f"no message of the checker reads like: {message}"
    )
