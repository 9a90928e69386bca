"""Plain-text helpers shared by the passage cleaner, the quiz checker and grading."""

from __future__ import annotations

import re

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "″": '"'}
)
_SPACE = re.compile(r"\s+")

# Titles and abbreviations that end in a full stop without ending a sentence, as they
# occur in news prose ("Lt. Gen. Michael Nagata", "Oct. 7", "Dec. 21, 2023").
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr adm sgt cpl pvt rep sen gov pres
    st jr sr corp inc co ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft approx est dept univ""".split()
)

_SENTENCE_END = re.compile(r"""[.?!…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_DOTTED_ACRONYM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.$")


def normalise_quotes_and_space(text: str) -> str:
    """Fold curly quotes and apostrophes into straight ones and runs of white space into one space."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences without breaking at abbreviations like "U.S." or "Oct."."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.end()]
        head = paragraph[start : match.start() + 1]
        if _ends_with_abbreviation(head):
            continue
        sentences.append(candidate.strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _ends_with_abbreviation(text: str) -> bool:
    if not text.endswith("."):
        return False
    if _DOTTED_ACRONYM.search(text):
        return True
    word = _LAST_WORD.search(text)
    if word is None:
        return False
    token = word.group(1)
    return token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())
