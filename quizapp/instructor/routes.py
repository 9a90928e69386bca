"""Instructor pages: classes, their codes and quizzes, learners. Role checked once, below."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.identity import is_instructor
from ..classes import (
    choose_quizzes,
    create_classroom,
    delete_learner,
    regenerate_join_code,
    reissue_resume_code,
    set_joins_open,
    visible_quizzes,
)
from ..extensions import db, login_manager
from ..models import Classroom, Quiz
from .access import owned_classroom, owned_learner
from .forms import ClassroomForm, ConfirmForm, DeleteLearnerForm

blueprint = Blueprint("instructor", __name__, url_prefix="/teach")


@blueprint.before_request
def require_instructor():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_instructor():
        abort(404)
    return None


@blueprint.get("/")
def home():
    classrooms = list(
        db.session.scalars(
            sa.select(Classroom).where(Classroom.instructor_id == current_user.id).order_by(Classroom.id)
        )
    )
    return render_template("instructor/home.html", classrooms=classrooms, form=ClassroomForm())


@blueprint.post("/classes")
def create_class():
    form = ClassroomForm()
    if not form.validate_on_submit():
        for error in form.name.errors:
            flash(error, "error")
        return redirect(url_for("instructor.home"))
    classroom = create_classroom(current_user, form.name.data)
    flash(f"Class created. Its join code is {classroom.join_code}.", "success")
    return redirect(url_for("instructor.classroom", classroom_id=classroom.id))


@blueprint.get("/classes/<int:classroom_id>")
def classroom(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.active).order_by(Quiz.position)))
    visible = {quiz.id for quiz in visible_quizzes(classroom)}
    return render_template(
        "instructor/classroom.html", classroom=classroom, quizzes=quizzes, visible=visible, form=ConfirmForm()
    )


@blueprint.post("/classes/<int:classroom_id>/code")
def new_code(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    if ConfirmForm().validate_on_submit():
        code = regenerate_join_code(classroom)
        flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for("instructor.classroom", classroom_id=classroom.id))


@blueprint.post("/classes/<int:classroom_id>/joins")
def toggle_joins(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    if ConfirmForm().validate_on_submit():
        set_joins_open(classroom, not classroom.joins_open)
        flash(
            "The class is open to new students." if classroom.joins_open else "The class is closed to new students.",
            "success",
        )
    return redirect(url_for("instructor.classroom", classroom_id=classroom.id))


@blueprint.post("/classes/<int:classroom_id>/quizzes")
def set_quizzes(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    if ConfirmForm().validate_on_submit():
        if request.form.get("scope") == "all":
            choose_quizzes(classroom, None)
        else:
            choose_quizzes(classroom, request.form.getlist("quiz")[:500])
        flash("Quiz choice saved.", "success")
    return redirect(url_for("instructor.classroom", classroom_id=classroom.id))


@blueprint.post("/learners/<int:learner_id>/resume-code")
def new_resume_code(learner_id: int):
    learner = owned_learner(learner_id)
    if ConfirmForm().validate_on_submit():
        code = reissue_resume_code(learner)
        flash(
            f"New resume code for {learner.display_name}: {code}. Give it to them; "
            "their old code no longer works and their open sessions were signed out.",
            "success",
        )
    return redirect(url_for("instructor.classroom", classroom_id=learner.classroom_id))


@blueprint.route("/learners/<int:learner_id>/delete", methods=["GET", "POST"])
def remove_learner(learner_id: int):
    learner = owned_learner(learner_id)
    form = DeleteLearnerForm()
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors.append("Tick the box to confirm; nothing was deleted.")
        else:
            classroom_id, name = learner.classroom_id, learner.display_name
            delete_learner(learner)
            flash(f"{name} and all their data were deleted.", "success")
            return redirect(url_for("instructor.classroom", classroom_id=classroom_id))
    return render_template("instructor/delete_learner.html", learner=learner, form=form)


@blueprint.get("/quizzes")
def quizzes():
    all_quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.active).order_by(Quiz.position)))
    return render_template("instructor/quizzes.html", quizzes=all_quizzes)


@blueprint.get("/quizzes/<quiz_id>/preview")
def preview(quiz_id: str):
    """The quiz with answers, explanations and evidence, creating no learner records."""
    from ..quiz.presenting import passages_for
    from ..quiz.preview import preview_questions

    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not quiz.active:
        abort(404)
    questions, highlighted = preview_questions(quiz)
    return render_template(
        "instructor/preview.html", quiz=quiz, questions=questions, passages=passages_for(quiz), highlighted=highlighted
    )
