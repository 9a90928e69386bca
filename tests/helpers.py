"""Helpers for tests that act like a browser: CSRF tokens, log-in, joining, posting forms."""

from __future__ import annotations

import re
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

PASSWORD = "correct horse battery"

EVERY_TYPE_QUIZ = """
id: every-type
title: "Every question type"
passages: [nbc-offensive]
feedback: immediate
questions:
  - id: q-single
    type: single
    skill: attribution
    prompt: "According to the IDF, how many battalions were significantly damaged?"
    choices:
      - text: "10 of 24"
        correct: true
      - text: "Half of them"
        feedback: "That figure comes from a different article."
      - "All 24"
    explanation: "The IDF's own figure."
    evidence: ["“significantly damaged” 10 out of 24 1,000-strong battalions"]
  - id: q-multiple
    type: multiple
    skill: fact
    scoring: partial
    prompt: "Which of these does the article say remain alive?"
    choices:
      - text: "Yahya Sinwar"
        correct: true
      - text: "Muhammad Deif"
        correct: true
      - "Boris Dunavetski"
    explanation: "Both leaders remain alive and in charge."
    evidence: ["Yahya Sinwar, and its top military commander, Muhammad Deif, remain alive"]
  - id: q-true-false
    type: true_false
    skill: fact
    answer: true
    prompt: "The IDF says 134 of its troops have been killed in the Gaza offensive."
    explanation: "So the IDF says."
    evidence: ["The IDF says 134 of its troops have been killed"]
  - id: q-short
    type: short
    skill: vocabulary
    answers: ["Rand Corp.", "Rand"]
    prompt: "Which think tank does Raphael Cohen work for?"
    explanation: "He is a senior political scientist at the Rand Corp."
  - id: q-order
    type: order
    skill: inference
    scoring: partial
    prompt: "Put these in the order the article gives them."
    items: ["Oct. 7 attack", "Offensive begins", "Death toll reaches 20,000"]
    explanation: "The attack came first."
  - id: q-match
    type: match
    skill: attribution
    prompt: "Match each speaker to their description."
    pairs:
      - left: "Michael Nagata"
        right: "Retired U.S. Army lieutenant general"
      - left: "Raphael Cohen"
        right: "Rand Corp. political scientist"
    distractors: ["Israeli prime minister"]
    explanation: "As the article introduces them."
  - id: q-highlight
    type: highlight
    skill: evidence
    prompt: "Which sentence gives the IDF's count of its own dead?"
    evidence: ["The IDF says 134 of its troops have been killed in the Gaza offensive"]
    explanation: "That sentence attributes the count to the IDF."
cards:
  - id: card-nagata
    front: "Michael Nagata"
    back: "Retired U.S. Army lieutenant general"
    evidence: ["retired U.S. Army Lt. Gen. Michael Nagata"]
    reverse: true
"""


def csrf_token(response) -> str:
    """The CSRF token of the first form on a page, as a browser would send it back."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def log_in(client, email: str = "teacher@school.test", password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})


def join(client, join_code: str, name: str = "Amira"):
    page = client.get("/join")
    return client.post("/join", data={"join_code": join_code, "display_name": name, "csrf_token": csrf_token(page)})


def post_form(client, url: str, data: dict | None = None, page_url: str | None = None):
    """Post a form the way a browser would: fetch the page for its CSRF token first."""
    page = client.get(page_url or url)
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(page)})
