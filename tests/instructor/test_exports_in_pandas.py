"""Each export opens in pandas as a spreadsheet user's analysis would: right columns, right types, names intact."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.helpers import log_in
from tests.instructor.test_dashboard import CHEN, FORMULA, ZOE, build_class


@pytest.fixture
def story(app, write_quiz, sync, make_instructor, make_classroom):
    return build_class(app, write_quiz, sync, make_instructor, make_classroom)


def read(client, story, kind: str, bom: bool = False) -> pd.DataFrame:
    query = "?bom=1" if bom else ""
    response = client.get(f"/teach/classes/{story.classroom_id}/exports/{kind}.csv{query}")
    assert response.status_code == 200
    return pd.read_csv(io.BytesIO(response.get_data()), encoding="utf-8-sig")


@pytest.mark.parametrize("bom", [False, True])
def test_every_export_opens_in_pandas(client, story, bom):
    log_in(client)
    answers = read(client, story, "answers", bom)
    learners = read(client, story, "learners", bom)
    items = read(client, story, "items", bom)
    assert len(answers) > 0 and len(learners) > 0 and len(items) > 0
    assert pd.api.types.is_numeric_dtype(answers["score"])
    assert pd.api.types.is_numeric_dtype(answers["max_score"])
    names = set(learners["learner"])
    assert {ZOE, CHEN} <= names
    assert FORMULA not in names and "'" + FORMULA in names  # shown as text, never run as a formula
    assert set(answers["learner"]) <= names
    assert answers.columns[0] == "learner_id"  # the BOM does not leak into the first header
