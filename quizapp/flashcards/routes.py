"""Flashcard study for students: sessions, practice, progress and Anki export.

Every page works without JavaScript: revealing is a GET form, rating and undo are POST
forms. Practice ("cram") never writes, so its buttons are GET forms too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..auth.identity import is_learner
from ..extensions import db
from ..instructor.routes import blueprint as instructor_blueprint
from ..models import Card, CardState, Quiz, utcnow
from .anki import anki_text_export
from .scheduling import RATING_LABELS, format_interval, make_scheduler
from .study import (
    ALL,
    NotVisible,
    RatingRefused,
    Scope,
    anki_cards,
    calendar_svg,
    describe_moment,
    evidence_links,
    last_undoable,
    practice_after,
    practice_queue,
    progress,
    quiz_cards,
    rating_buttons,
    record_rating,
    scope_cards,
    scope_for,
    showing_token,
    study_queue,
    undo_rating,
    visible_passages,
)

blueprint = Blueprint("flashcards", __name__, url_prefix="/cards")


@blueprint.before_request
def require_learner():
    if is_learner():
        return None
    flash("Join your class with its code to study flashcards.", "error")
    return redirect(url_for("student.join"))


def _scheduler():
    return make_scheduler(fuzz=current_app.config["QUIZAPP_FSRS_FUZZ"])


def _new_per_day() -> int:
    return int(current_app.config["QUIZAPP_NEW_CARDS_PER_DAY"])


def _scope(kind: str, ident: str | None) -> Scope:
    try:
        return scope_for(current_user, kind, ident)
    except NotVisible:
        abort(404)


def study_url(scope: Scope, **args) -> str:
    return flashcard_study_url(scope.kind, scope.id, **args)


@blueprint.app_template_global()
def flashcard_study_url(kind: str, ident: str | None = None, **args) -> str:
    """A study link for templates: everything due, or one quiz's or passage's cards."""
    if kind == ALL:
        return url_for("flashcards.study", **args)
    return url_for("flashcards.study", kind=kind, ident=ident, **args)


@blueprint.context_processor
def _labels():
    return {"rating_labels": RATING_LABELS}


@blueprint.get("/")
def index():
    now = utcnow()
    summary = progress(current_user, now, _new_per_day())
    return render_template(
        "flashcards/index.html",
        progress=summary,
        calendar_chart=calendar_svg(summary.calendar),
        passages=visible_passages(current_user),
        describe=lambda moment: describe_moment(moment, now, current_user.timezone),
    )


@blueprint.get("/study", defaults={"kind": ALL, "ident": None})
@blueprint.get("/study/<any(quiz, passage):kind>/<ident>")
def study(kind: str, ident: str | None):
    scope = _scope(kind, ident)
    if request.args.get("mode") == "practice":
        return _practice(scope)
    now = utcnow()
    queue = study_queue(current_user, scope, now, _new_per_day())
    undoable = last_undoable(current_user, now)
    picked = queue.next_card(request.args.get("card"))
    common = {"scope": scope, "queue": queue, "undoable": undoable, "undo_card": _card_of(undoable)}
    if picked is None:
        next_due = describe_moment(queue.next_due, now, current_user.timezone) if queue.next_due else None
        return render_template("flashcards/done.html", next_due=next_due, **common)
    card, state = picked
    revealed = request.args.get("side") == "back" and request.args.get("card") == card.id
    return render_template(
        "flashcards/study.html",
        card=card,
        state=state,
        revealed=revealed,
        token=showing_token(state),
        shown=_shown_at(request.args.get("shown"), now),
        buttons=rating_buttons(state, now, _scheduler()) if revealed else [],
        evidence=evidence_links(card) if revealed else [],
        **common,
    )


def _card_of(log) -> Card | None:
    return db.session.get(Card, log.card_id) if log is not None else None


def _shown_at(text: str | None, now: datetime) -> str:
    """When the card's front was first shown, carried through the reveal to time the rating."""
    try:
        shown = float(text or "")
    except ValueError:
        shown = now.timestamp()
    if not 0 <= now.timestamp() - shown <= 24 * 3600:
        shown = now.timestamp()
    return f"{shown:.3f}"


def _practice(scope: Scope):
    cards = scope_cards(current_user, scope)
    queue = practice_queue(request.args.get("left"), len(cards))
    if request.args.get("rating"):
        try:
            rating = int(request.args["rating"])
        except ValueError:
            rating = 0
        if rating not in RATING_LABELS:
            flash("Choose Again, Hard, Good or Easy.", "error")
        else:
            queue = practice_after(queue, rating)
        return redirect(study_url(scope, mode="practice", left=",".join(map(str, queue))))
    if not queue:
        return render_template("flashcards/practice_done.html", scope=scope, card_count=len(cards))
    card = cards[queue[0]]
    return render_template(
        "flashcards/practice.html",
        scope=scope,
        card=card,
        queue=queue,
        left=",".join(map(str, queue)),
        card_count=len(cards),
        revealed=request.args.get("side") == "back",
        evidence=evidence_links(card) if request.args.get("side") == "back" else [],
        state=db.session.get(CardState, (current_user.id, card.id)),
    )


def _scope_from_form() -> Scope:
    kind = request.form.get("scope", ALL)
    return _scope(kind, request.form.get("scope_id") or None)


@blueprint.post("/rate")
def rate():
    scope = _scope_from_form()
    now = utcnow()
    card_id = request.form.get("card", "")
    try:
        rating = int(request.form.get("rating", ""))
    except ValueError:
        rating = 0
    try:
        duration = now - datetime.fromtimestamp(float(request.form.get("shown", "")), now.tzinfo)
    except (ValueError, OverflowError, OSError):
        duration = None
    try:
        log = record_rating(
            current_user,
            card_id,
            rating,
            request.form.get("token", ""),
            now,
            _scheduler(),
            _new_per_day(),
            duration,
        )
    except NotVisible:
        abort(404)
    except RatingRefused as refusal:
        flash(str(refusal), "error")
        return redirect(study_url(scope))
    wait = format_interval(max(log.after_due - now, timedelta(0)))
    flash(f"{RATING_LABELS[rating]}: you will see that card again in {wait}.", "status")
    return redirect(study_url(scope))


@blueprint.post("/undo")
def undo():
    scope = _scope_from_form()
    try:
        log_id = int(request.form.get("log", ""))
    except ValueError:
        log_id = 0
    try:
        card_id = undo_rating(current_user, log_id, utcnow())
    except RatingRefused as refusal:
        flash(str(refusal), "error")
        return redirect(study_url(scope))
    flash("Rating undone: the card is back as it was.", "status")
    return redirect(study_url(scope, card=card_id))


@blueprint.get("/anki.txt")
def anki_export():
    """The learner's whole deck, or one quiz's cards with ?quiz=, as an Anki text file."""
    quiz_id = request.args.get("quiz")
    scope = _scope("quiz", quiz_id) if quiz_id else _scope(ALL, None)
    deck = f"quizapp::{scope.title}" if quiz_id else "quizapp"
    filename = f"quizapp-{quiz_id}.txt" if quiz_id else "quizapp-flashcards.txt"
    return _anki_file(anki_text_export(anki_cards(scope_cards(current_user, scope)), deck), filename)


@instructor_blueprint.get("/quizzes/<quiz_id>/anki.txt")
def quiz_anki_export(quiz_id: str):
    """One quiz's cards for an instructor (the instructor blueprint checks the role)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not quiz.active:
        abort(404)
    text = anki_text_export(anki_cards(quiz_cards(quiz)), f"quizapp::{quiz.title}")
    return _anki_file(text, f"quizapp-{quiz.id}.txt")


def _anki_file(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
