"""Flashcards as a text file Anki imports, so learners can keep reviewing in Anki.

The format is the one in Anki's manual, "Importing text files" (Anki 2.1.55 and later):
``#key:value`` header lines, then one note per line with tab-separated fields. Fields are
quoted the way Anki's own exporter quotes them: in double quotes, with inner quotes doubled,
whenever they contain a quote or start with "#" (a line starting with "#" is a comment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

SEPARATOR = "\t"
COLUMNS = ("Front", "Back", "Evidence", "Tags", "Deck", "GUID")
# Several evidence quotes share one field; they come from different places in the passage.
EVIDENCE_JOINER = " … "

# html:false makes Anki show every character as typed, so "<br>" cannot stand for a line
# break. Line breaks and tabs (with the spaces around them) therefore become one space.
_BREAKS = re.compile(r"\s*[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_SPACES = re.compile(r"\s+")


def anki_text_export(cards: Iterable[Mapping[str, Any]], deck_name: str) -> str:
    """The whole file: write it as UTF-8, which is what Anki expects.

    Each card is a mapping with ``id``, ``front``, ``back`` and optionally ``evidence``
    and ``tags`` (lists of strings). The card id is the note's GUID, so importing a newer
    export updates the notes already in Anki instead of adding duplicates.
    """
    return "".join(line + "\n" for line in anki_text_lines(cards, deck_name))


def anki_text_lines(cards: Iterable[Mapping[str, Any]], deck_name: str) -> Iterator[str]:
    """The file line by line, without line endings, for streaming a large deck."""
    deck_name = _one_line(deck_name)
    if not deck_name:
        raise ValueError("an Anki deck needs a name")
    yield from _header_lines()
    for card in cards:
        row = (
            card["front"],
            card["back"],
            EVIDENCE_JOINER.join(_one_line(quote) for quote in card.get("evidence") or ()),
            " ".join(_tag(tag) for tag in card.get("tags") or ()),
            deck_name,
            card["id"],
        )
        yield SEPARATOR.join(_field(value) for value in row)


def _header_lines() -> Iterator[str]:
    # The separator must come first: Anki splits the #columns line with it.
    yield "#separator:tab"
    yield "#html:false"
    # Anki picks the note type by name when it exists; Front and Back then map to the
    # Basic fields by name, and Evidence to a field of that name if the note type has one.
    yield "#notetype:Basic"
    yield "#columns:" + SEPARATOR.join(COLUMNS)
    # A deck column rather than a #deck header: Anki's #deck only preselects a deck that
    # already exists, whereas a deck named in a column is created on the first import.
    yield f"#deck column:{COLUMNS.index('Deck') + 1}"
    yield f"#tags column:{COLUMNS.index('Tags') + 1}"
    yield f"#guid column:{COLUMNS.index('GUID') + 1}"


def _one_line(text: str) -> str:
    return _BREAKS.sub(" ", text).strip()


def _tag(tag: str) -> str:
    # Anki separates tags with spaces, so a space inside a tag would split it in two.
    return _SPACES.sub("_", tag.strip())


def _field(value: str) -> str:
    text = _one_line(value)
    if '"' in text or text.startswith("#"):
        return '"' + text.replace('"', '""') + '"'
    return text
