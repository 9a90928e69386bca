"""An instructor drops a broken or hostile quiz file into questions/: the checker names the
file and line with a message they can act on, and `content sync` loads nothing at all."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from tests.helpers import EVERY_TYPE_QUIZ

FIFTY_MEGABYTES = 50 * 1024 * 1024


def _every_type_with(old: str, new: str) -> str:
    assert old in EVERY_TYPE_QUIZ
    return EVERY_TYPE_QUIZ.replace(old, new, 1)


def _deep_block_list(levels: int) -> str:
    return "id: deep\nquestions:\n" + "".join("  " * depth + "  -\n" for depth in range(levels))


# name -> (file bytes, expected line, words the message must contain)
HOSTILE_FILES = {
    "unclosed-bracket": (b"id: broken\ntitle: [unclosed\npassages: []\n", 3, "YAML syntax error"),
    "tab-indent": (b"id: broken\n\ttitle: tabs\n", 2, "'\\t'"),
    "top-level-list": (b"- id: a\n- id: b\n", 1, "must be a mapping"),
    "questions-is-text": (
        b'id: q\ntitle: T\npassages: [nbc-offensive]\nquestions: "not a list"\n',
        4,
        "expected a list",
    ),
    "title-is-a-list": (
        _every_type_with('title: "Every question type"', "title: [a, b]").encode(),
        3,
        "expected text",
    ),
    "points-infinite": (
        _every_type_with(
            '    skill: attribution\n    prompt: "According',
            '    skill: attribution\n    points: .inf\n    prompt: "According',
        ).encode(),
        10,
        "points",
    ),
    "correct-is-text": (
        _every_type_with(
            '        correct: true\n      - text: "Half',
            '        correct: "yes"\n      - text: "Half',
        ).encode(),
        13,
        "true or false",
    ),
    "billion-laughs": (
        b'id: lol\na: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        b"d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        3,
        "aliases",
    ),
    "python-object-apply": (
        b"id: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
        1,
        "!!python/object/apply:os.system is not allowed",
    ),
    "python-name": (
        b"title: ok\nid: !!python/name:os.system\n",
        2,
        "!!python/name:os.system is not allowed",
    ),
    "binary-tag": (
        _every_type_with('title: "Every question type"', "title: !!binary aGVsbG8=").encode(),
        3,
        "expected text",
    ),
    "fifty-megabytes": (None, 1, "content files may be at most"),
    "latin-1": ("id: café\ntitle: Crème\n".encode("latin-1"), 1, "not UTF-8"),
    "utf-16": (EVERY_TYPE_QUIZ.encode("utf-16"), 1, "not UTF-8"),
    "nul-byte": (b"id: broken\ntitle: a\x00b\n", 2, "#x0000"),
    "escaped-control": (
        _every_type_with('title: "Every question type"', 'title: "Every\\x07type"').encode(),
        3,
        "#x0007",
    ),
    "escaped-surrogate": (
        _every_type_with('title: "Every question type"', 'title: "\\ud800"').encode(),
        3,
        "surrogate",
    ),
    "huge-integer": (
        _every_type_with("feedback: immediate", "feedback: immediate\nattempts: " + "9" * 5000).encode(),
        6,
        "far too large",
    ),
    "attempts-beyond-64-bits": (
        _every_type_with("feedback: immediate", "feedback: immediate\nattempts: 99999999999999999999999").encode(),
        6,
        "far too large",
    ),
    "deep-flow-list": (
        b"id: deep\nquestions: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        2,
        "nested more than",
    ),
    "deep-flow-mapping": (
        b"id: deep\nquestions: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n",
        2,
        "nested more than",
    ),
    "deep-block-list": (_deep_block_list(200).encode(), 42, "nested more than"),
    "duplicate-key": (b"id: a\ntitle: b\nid: c\n", 3, "appears twice"),
}


@pytest.fixture
def synced(app, write_quiz, sync):
    """A database already holding a good quiz, so a failed sync has something to spoil.

    The good file is then taken away, so the hostile variants of it are the only quiz:
    were one of them accepted, the sync would change the database.
    """
    good = write_quiz(EVERY_TYPE_QUIZ, "every-type.yaml")
    sync()
    good.unlink()
    return app


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _database_dump(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order (SQLite or PostgreSQL alike)."""
    with app.app_context():
        return {
            table.name: [
                tuple(row) for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def _write_hostile(content_dir, name: str, data: bytes | None):
    path = content_dir / "questions" / f"{name}.yaml"
    if data is None:  # fifty megabytes of comment lines, written in chunks
        line = b"# " + b"x" * 1021 + b"\n"
        with path.open("wb") as handle:
            for _ in range(FIFTY_MEGABYTES // len(line)):
                handle.write(line)
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_quiz_file_is_reported_by_line_and_nothing_is_loaded(synced, content_dir, name):
    data, line, words = HOSTILE_FILES[name]
    before = _database_dump(synced)
    _write_hostile(content_dir, name, data)

    checked = _cli(synced, "content", "check")
    assert checked.exit_code == 1, checked.output
    reported = [text for text in checked.output.splitlines() if text.startswith(f"questions/{name}.yaml:")]
    assert len(reported) == 1, checked.output
    where, message = re.match(rf"questions/{re.escape(name)}\.yaml:(\d+): (.+)", reported[0]).groups()
    assert int(where) == line, reported[0]
    assert words in message, reported[0]
    assert "nothing was loaded" in checked.output
    assert "Traceback" not in checked.output

    synced_again = _cli(synced, "content", "sync")
    assert synced_again.exit_code == 1, synced_again.output
    assert _database_dump(synced) == before


def test_a_quiz_saved_with_a_byte_order_mark_loads_as_if_it_had_none(app, content_dir):
    (content_dir / "questions" / "every-type.yaml").write_bytes(b"\xef\xbb\xbf" + EVERY_TYPE_QUIZ.encode())
    synced = _cli(app, "content", "sync")
    assert synced.exit_code == 0, synced.output
    from quizapp.models import Quiz

    with app.app_context():
        assert db.session.get(Quiz, "every-type").title == "Every question type"


def test_the_os_system_tag_runs_nothing(app, content_dir, tmp_path):
    marker = tmp_path / "pwned"
    _write_hostile(content_dir, "attack", f"id: !!python/object/apply:os.system ['touch {marker}']\n".encode())
    assert _cli(app, "content", "check").exit_code == 1
    assert not marker.exists()
