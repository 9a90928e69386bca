"""Exporting flashcards to Anki, read back the way Anki's manual says a text file is read."""

from __future__ import annotations

import pytest

from quizapp.flashcards.anki import anki_text_export, anki_text_lines

DECK = "Israel–Hamas war: news reading"


def parse_anki_text(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Read a file as Anki's manual describes it, independently of the exporter.

    Header lines ``#key:value`` come first. Then each line is a note whose fields are split
    on the separator; a field that starts with a double quote runs to the closing quote, with
    ``""`` inside it standing for one quote. Any later line starting with ``#`` is a comment.
    Columns are named by the ``#columns`` header.
    """
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a line break"
    lines.pop()

    headers: dict[str, str] = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].partition(":")
        headers[key] = value

    separator = {"tab": "\t", "comma": ",", "semicolon": ";"}[headers["separator"].lower()]
    columns = headers["columns"].split(separator)
    rows = []
    for line in lines:
        if line.startswith("#"):
            continue
        fields = split_fields(line, separator)
        assert len(fields) == len(columns), f"{len(fields)} fields in {line!r}"
        rows.append(dict(zip(columns, fields, strict=True)))
    return headers, rows


def split_fields(line: str, separator: str) -> list[str]:
    fields = []
    position = 0
    while True:
        if line.startswith('"', position):
            value, position = read_quoted(line, position + 1)
            assert position == len(line) or line[position] == separator, f"text after quotes: {line!r}"
        else:
            end = line.find(separator, position)
            end = len(line) if end == -1 else end
            value, position = line[position:end], end
        fields.append(value)
        if position == len(line):
            return fields
        position += len(separator)


def read_quoted(line: str, position: int) -> tuple[str, int]:
    value = []
    while True:
        closing = line.index('"', position)
        value.append(line[position:closing])
        if line.startswith('""', closing):
            value.append('"')
            position = closing + 2
        else:
            return "".join(value), closing + 1


def column_number(headers: dict[str, str], name: str) -> int:
    return headers["columns"].split("\t").index(name) + 1


CARDS = [
    {
        "id": "card-nagata",
        "front": "Michael Nagata",
        "back": "Retired U.S. Army lieutenant general who doubts Israel can eliminate Hamas.",
        "evidence": ["retired U.S. Army Lt. Gen. Michael Nagata"],
        "tags": ["nbc-offensive", "people"],
    },
    {
        "id": "card-battalions:reverse",
        "front": '"significantly damaged" 10 out of 24',
        "back": 'How the IDF described the state of Hamas\'s battalions, "per Israeli officials"',
        "evidence": [
            "“significantly damaged” 10 out of 24 1,000-strong battalions",
            "Hamas’s military wing",
        ],
        "tags": ["nbc offensive", "numbers"],
    },
    {
        "id": "card-hostages:c1",
        "front": "#1 fact: Hamas seized [...] hostages on Oct. 7.",
        "back": "240",
        "evidence": ["seized 240 hostages, per Israeli officials"],
        "tags": [],
    },
    {
        "id": "card-names",
        "front": "Who is Yahya Sinwar (יחיא סנוואר, يحيى السنوار)?",
        "back": "Hamas’s leader in Gaza — named in <b>three</b> articles & the timeline.",
        "evidence": [],
        "tags": ["gaza", "führung"],
    },
]


def test_every_card_comes_back_with_its_fields_intact():
    headers, rows = parse_anki_text(anki_text_export(CARDS, DECK))

    assert len(rows) == len(CARDS)
    for card, row in zip(CARDS, rows, strict=True):
        assert row["Front"] == card["front"]
        assert row["Back"] == card["back"]
        assert row["Evidence"] == " … ".join(card["evidence"])
        assert row["Deck"] == DECK
        assert row["GUID"] == card["id"]


def test_headers_tell_anki_the_format_and_which_columns_are_special():
    headers, _ = parse_anki_text(anki_text_export(CARDS, DECK))

    assert headers["separator"] == "tab"
    assert headers["html"] == "false"
    assert headers["notetype"] == "Basic"
    assert headers["columns"].split("\t")[:2] == ["Front", "Back"]
    assert int(headers["guid column"]) == column_number(headers, "GUID")
    assert int(headers["tags column"]) == column_number(headers, "Tags")
    assert int(headers["deck column"]) == column_number(headers, "Deck")


def test_separator_is_declared_before_the_columns_it_splits():
    header_keys = [line[1:].partition(":")[0] for line in anki_text_lines(CARDS, DECK) if line[0] == "#"]

    assert header_keys.index("separator") < header_keys.index("columns")


def test_tags_keep_their_words_together():
    _, rows = parse_anki_text(anki_text_export(CARDS, DECK))

    assert [row["Tags"].split(" ") for row in rows[:2]] == [
        ["nbc-offensive", "people"],
        ["nbc_offensive", "numbers"],
    ]
    assert rows[2]["Tags"] == ""
    assert rows[3]["Tags"].split(" ") == ["gaza", "führung"]


def test_line_breaks_and_tabs_become_single_spaces():
    card = {
        "id": "card-layout",
        "front": "Two\nlines",
        "back": "A\ttab, a Windows\r\n  break and\n\na blank line",
        "evidence": ["quote\none", "quote two"],
        "tags": ["tab\tbed"],
    }

    _, rows = parse_anki_text(anki_text_export([card], DECK))

    assert rows == [
        {
            "Front": "Two lines",
            "Back": "A tab, a Windows break and a blank line",
            "Evidence": "quote one … quote two",
            "Tags": "tab_bed",
            "Deck": DECK,
            "GUID": "card-layout",
        }
    ]


def test_a_card_starting_with_a_hash_is_not_read_as_a_comment():
    # Anki skips any line starting with "#", so such a note would silently go missing.
    _, rows = parse_anki_text(anki_text_export(CARDS, DECK))

    assert [row["GUID"] for row in rows] == [card["id"] for card in CARDS]
    assert rows[2]["Front"] == "#1 fact: Hamas seized [...] hostages on Oct. 7."


def test_re_exporting_an_edited_card_keeps_its_guid_so_anki_updates_it():
    edited = [dict(CARDS[0], back="Retired general, quoted by NBC News.")]

    _, before = parse_anki_text(anki_text_export(CARDS[:1], DECK))
    _, after = parse_anki_text(anki_text_export(edited, DECK))

    assert before[0]["GUID"] == after[0]["GUID"] == "card-nagata"
    assert after[0]["Back"] == "Retired general, quoted by NBC News."


def test_an_empty_deck_is_only_headers():
    headers, rows = parse_anki_text(anki_text_export([], DECK))

    assert rows == []
    assert headers["separator"] == "tab"


def test_a_deck_needs_a_name():
    with pytest.raises(ValueError):
        anki_text_export(CARDS, " \n")
