"""Routes of the reader."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from .passages import (
    GENRE_LABELS,
    NOT_STATED,
    active_passages,
    paragraphs_of,
    passage_or_404,
    published_label,
    pull_quote_slots,
)

blueprint = Blueprint("reading", __name__)


@blueprint.app_context_processor
def _labels():
    return {
        "genre_label": GENRE_LABELS.get,
        "published_label": published_label,
        "pull_quote_slots": pull_quote_slots,
        "not_stated": NOT_STATED,
    }


@blueprint.get("/")
def index():
    return render_template("reading/index.html", passages=active_passages())


@blueprint.get("/passages/<passage_id>")
def passage(passage_id: str):
    passage = passage_or_404(passage_id)
    others = [other for other in active_passages() if other.id != passage.id]
    marked = {int(n) for n in request.args.get("mark", "").split(",")[:50] if n.isdigit()}
    return render_template(
        "reading/passage.html", passage=passage, paragraphs=paragraphs_of(passage), others=others, marked=marked
    )


@blueprint.get("/compare")
def compare():
    left_id, right_id = request.args.get("left", ""), request.args.get("right", "")
    if not left_id or not right_id or left_id == right_id:
        abort(404)
    pair = [passage_or_404(left_id), passage_or_404(right_id)]
    return render_template(
        "reading/compare.html", pair=[(passage, paragraphs_of(passage)) for passage in pair], passages=active_passages()
    )
