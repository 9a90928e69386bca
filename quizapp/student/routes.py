"""Routes for students: join, resume, their quizzes and their data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user

from ..auth.identity import is_learner, sign_in
from ..classes import JoinError, join_classroom, learner_by_resume_code, set_timezone, timezone_names, visible_quizzes
from ..extensions import db
from ..models import Attempt, CardState, ReviewLog
from .forms import JoinForm, ResumeForm, TimezoneForm

blueprint = Blueprint("student", __name__)
RESUME_CODE = "resume_code"


def current_learner():
    """The signed-in learner; anyone else is sent to the join page."""
    if not is_learner():
        if not current_user.is_authenticated:
            flash("Join your class or continue with your resume code first.", "error")
        abort(redirect(url_for("student.join")))
    return current_user


@blueprint.route("/join", methods=["GET", "POST"])
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            joined = join_classroom(form.join_code.data, form.display_name.data, form.timezone.data)
        except JoinError as error:
            form.join_code.errors.append(str(error))
        else:
            sign_in(joined.learner)
            session[RESUME_CODE] = joined.resume_code
            return redirect(url_for("student.welcome"))
    return render_template("student/join.html", form=form)


@blueprint.get("/welcome")
def welcome():
    learner = current_learner()
    return render_template("student/welcome.html", learner=learner, resume_code=session.get(RESUME_CODE))


@blueprint.route("/resume", methods=["GET", "POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        try:
            learner = learner_by_resume_code(form.resume_code.data)
        except JoinError as error:
            form.resume_code.errors.append(str(error))
        else:
            sign_in(learner)
            session[RESUME_CODE] = form.resume_code.data.strip().upper()
            return redirect(url_for("student.home"))
    return render_template("student/resume.html", form=form)


@blueprint.get("/my")
def home():
    learner = current_learner()
    return render_template("student/home.html", learner=learner, quizzes=visible_quizzes(learner.classroom))


@blueprint.get("/me")
def me():
    """Everything stored about the learner, on one page."""
    learner = current_learner()
    attempts = list(
        db.session.scalars(sa.select(Attempt).where(Attempt.learner_id == learner.id).order_by(Attempt.started_at))
    )
    card_count = db.session.scalar(sa.select(sa.func.count()).where(CardState.learner_id == learner.id))
    review_count = db.session.scalar(sa.select(sa.func.count()).where(ReviewLog.learner_id == learner.id))
    return render_template(
        "student/me.html",
        learner=learner,
        attempts=attempts,
        card_count=card_count,
        review_count=review_count,
        resume_code=session.get(RESUME_CODE),
        timezone_form=_timezone_form(learner),
    )


def _timezone_form(learner) -> TimezoneForm:
    form = TimezoneForm(timezone=learner.timezone)
    form.timezone.choices = timezone_names()
    return form


@blueprint.post("/me/timezone")
def change_timezone():
    learner = current_learner()
    form = _timezone_form(learner)
    if form.validate_on_submit():
        set_timezone(learner, form.timezone.data)
        flash(f"Time zone set to {learner.timezone}.", "success")
    else:
        flash("Choose a time zone from the list.", "error")
    return redirect(url_for("student.me"))
