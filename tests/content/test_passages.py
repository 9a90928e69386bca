"""The seed articles are cleaned into the article's own text, paragraph by paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.content.passages import load_passages
from quizapp.content.text import split_sentences

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def passages():
    loaded, errors = load_passages(PROJECT_DIR)
    assert errors == []
    return {passage.id: passage for passage in loaded}


def body(passage) -> str:
    return "\n".join(" ".join(paragraph) for paragraph in passage.paragraphs)


@pytest.mark.parametrize(
    ("passage_id", "paragraphs", "first_words", "last_words"),
    [
        (
            "nbc-offensive",
            37,
            "Israel’s military offensive in Gaza",
            "of what has happened,” one former Israeli official said.",
        ),
        ("economist-truce", 11, "ALMOST A WEEK after the guns fell silent", "keen to aid Gazans."),
        ("nation-hamas-aims", 40, "Hamas’s large-scale breakout from Gaza", "in Angola and Mozambique."),
        ("ross-no-ceasefire", 18, "For 35 years, I've devoted", "much of the rest of the Middle East."),
        ("hezbollah-regional-war", 16, "All intelligence agencies fail", "from coming to that."),
    ],
)
def test_each_seed_keeps_exactly_its_article_paragraphs(passages, passage_id, paragraphs, first_words, last_words):
    passage = passages[passage_id]
    assert len(passage.paragraphs) == paragraphs
    assert passage.paragraphs[0][0].startswith(first_words)
    assert passage.paragraphs[-1][-1].endswith(last_words)


@pytest.mark.parametrize(
    ("passage_id", "boilerplate"),
    [
        (
            "nbc-offensive",
            ["IE 11 is not supported", "Getty Images", "Image: Funeral", "Israeli Army Soldiers in Gaza", "AFP"],
        ),
        ("economist-truce", ["![image]", "MAP005", "#", "> Nov 30th", "All quiet on the Gaza front", "■"]),
        (
            "ross-no-ceasefire",
            [
                "RECOMMENDED",
                "http",
                "](",
                "\\(",
                "ABOUT THE AUTHORS",
                "**",
                "Also available in",
                "Iraqi Civil Society",
                "Dennis Ross is the counselor",
                "❖",
                "TOPICS",
            ],
        ),
        ("hezbollah-regional-war", ["A Cease-Fire Deal Now Would Be a Victory", "Take Yes for an Answer"]),
        ("nation-hamas-aims", ["**", "http"]),
    ],
)
def test_no_boilerplate_survives_cleaning(passages, passage_id, boilerplate):
    text = body(passages[passage_id])
    for junk in boilerplate:
        assert junk not in text, junk


def test_captions_are_gone_but_the_text_around_them_stays(passages):
    text = body(passages["nbc-offensive"])
    assert "Mourners transport a body" not in text
    assert "An Israeli soldier operating in the Gaza Strip in a photo" not in text
    assert "Khan Younis in the enclave’s south" in text


def test_pull_quotes_are_kept_apart_from_the_body(passages):
    nation = passages["nation-hamas-aims"]
    assert len(nation.pull_quotes) == 3
    standalone = [p for p in nation.paragraphs if p == ["In one form or another, Hamas is here to stay."]]
    assert standalone == []
    assert "So in one form or another, Hamas is here to stay." in body(nation)  # the sentence it repeats
    assert len(passages["hezbollah-regional-war"].pull_quotes) == 2


def test_a_paragraph_the_page_broke_in_two_is_mended(passages):
    text = body(passages["ross-no-ceasefire"])
    assert "not surviving for another 25 years, and his strategy has been to use these militant proxies" in text
    assert "begin the enormous task of reconstruction" in text
    assert "As one commander in the Israeli military said, “If we do not defeat Hamas" in text


def test_metadata_says_only_what_the_text_supports(passages):
    assert passages["ross-no-ceasefire"].author == "Dennis Ross"
    assert passages["ross-no-ceasefire"].published == "2023-10-27"
    assert passages["economist-truce"].outlet is None  # the name is missing from the text
    assert passages["nation-hamas-aims"].author is None and passages["nation-hamas-aims"].published is None
    hezbollah = passages["hezbollah-regional-war"]
    assert hezbollah.outlet is None and hezbollah.author is None
    assert "does not match the article" in hezbollah.note


def test_sentences_do_not_break_at_titles_and_abbreviations(passages):
    nagata = (
        "“I wouldn’t call it impossible, but I think the likelihood is becoming increasingly small that they will "
        "achieve the strategic goal of eliminating Hamas as a threat,” said retired U.S. Army Lt. Gen. Michael "
        "Nagata, who oversaw special operations forces in the Middle East."
    )
    assert nagata in passages["nbc-offensive"].sentences


def test_real_seed_sentences_with_tricky_abbreviations(passages):
    nbc = passages["nbc-offensive"].sentences
    assert any(
        s.startswith(
            "Israel launched its offensive in Gaza after Hamas militants swarmed into Israel on Oct. 7, "
            "killed some 1,200"
        )
        for s in nbc
    )
    ross = passages["ross-no-ceasefire"].sentences
    assert "After Oct. 7, there are many Israelis who believe their survival as a state is at stake." in ross
    assert any("Saudi Arabia, the U.A.E and Qatar could provide the bulk" in s for s in ross)
    for passage in passages.values():
        for sentence in passage.sentences:
            assert not sentence.endswith((" U.S.", " Lt.", " Gen.", " Oct.", " Dec.", " Dr.")), sentence


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Retired U.S. Army Lt. Gen. Michael Nagata spoke. He left.",
            ["Retired U.S. Army Lt. Gen. Michael Nagata spoke.", "He left."],
        ),
        ("On Dec. 21, 2023, mourners gathered. Then rain.", ["On Dec. 21, 2023, mourners gathered.", "Then rain."]),
        ("Hamas attacked on Oct. 7. Israel responded.", ["Hamas attacked on Oct. 7.", "Israel responded."]),
        ("“It is over,” he said. “Is it?” she asked.", ["“It is over,” he said.", "“Is it?” she asked."]),
        ("Dr. Basem Naim claimed it. Others did not.", ["Dr. Basem Naim claimed it.", "Others did not."]),
        ("The Rand Corp. think tank agreed.", ["The Rand Corp. think tank agreed."]),
    ],
)
def test_sentence_splitting(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_a_quote_is_found_whatever_its_quote_marks_and_spacing(passages):
    nbc = passages["nbc-offensive"]
    curly = nbc.sentences_touched_by("“significantly damaged” 10 out of 24")
    straight = nbc.sentences_touched_by('"significantly   damaged" 10 out of 24')
    assert curly == straight != []
    assert nbc.sentences_touched_by("significantly damaged 10 out of 24") == []  # quotes are not optional
    spanning = nbc.sentences_touched_by("Hamas’ senior leaders remain alive. The group’s military infrastructure")
    assert len(spanning) == 2
