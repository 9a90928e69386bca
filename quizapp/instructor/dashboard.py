"""Instructor report pages (overview, quiz report, perspectives, learner) and CSV downloads."""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context

from ..errors import render_error
from ..extensions import db
from ..models import Quiz
from . import reports
from .access import owned_classroom, owned_learner
from .charts import bar_chart_svg, histogram_svg
from .exports import EXPORTS, export_csv
from .routes import blueprint


def _filters() -> tuple[reports.Filters, str | None]:
    """The report filters from the query string, or none and the reason they were refused."""
    try:
        return reports.parse_filters(
            request.args.get("quiz"),
            request.args.get("since"),
            request.args.get("until"),
            request.args.get("attempts"),
        ), None
    except reports.FilterInvalid as problem:
        return reports.Filters(), str(problem)


def _page(template: str, error: str | None, **context):
    return render_template(template, error=error, args=request.args, **context), 400 if error else 200


@blueprint.get("/classes/<int:classroom_id>/overview")
def class_overview(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    filters, error = _filters()
    all_quizzes = reports.class_quizzes(classroom)
    overview = reports.class_overview(classroom, filters, all_quizzes=all_quizzes)
    quizzes = [q for q in all_quizzes if not filters.quiz_id or q.id == filters.quiz_id]
    page = request.args.get("page", 1, type=int) or 1
    progress, pages = reports.learner_progress(classroom, quizzes, filters, page)
    charts = {
        summary.quiz_id: histogram_svg(
            f"Scores in {summary.title}",
            summary.bins,
            f"How many of {summary.scored} attempts scored in each band of percentages.",
            f"scores-{index}",
        )
        for index, summary in enumerate(overview.quizzes, start=1)
        if summary.scored  # a quiz nobody finished gets a sentence, not an empty chart
    }
    activity = bar_chart_svg(
        "Answers per week",
        overview.weeks,
        f"Answers given in each of the last {len(overview.weeks)} weeks, oldest first.",
        "activity",
    )
    return _page(
        "instructor/overview.html",
        error,
        classroom=classroom,
        filters=filters,
        all_quizzes=all_quizzes,
        overview=overview,
        charts=charts,
        activity=activity,
        progress=progress,
        quizzes=quizzes,
        page=min(max(page, 1), pages),
        pages=pages,
        exports=EXPORTS,
    )


@blueprint.get("/classes/<int:classroom_id>/quizzes/<quiz_id>/report")
def quiz_report(classroom_id: int, quiz_id: str):
    classroom = owned_classroom(classroom_id)
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    filters, error = _filters()
    report = reports.quiz_report(classroom, quiz, filters)
    return _page("instructor/quiz_report.html", error, classroom=classroom, quiz=quiz, report=report)


@blueprint.get("/classes/<int:classroom_id>/perspectives")
def perspectives(classroom_id: int):
    classroom = owned_classroom(classroom_id)
    filters, error = _filters()
    return _page(
        "instructor/perspectives.html",
        error,
        classroom=classroom,
        filters=filters,
        all_quizzes=reports.class_quizzes(classroom),
        view=reports.perspectives(classroom, filters),
    )


@blueprint.get("/learners/<int:learner_id>/report")
def learner_report(learner_id: int):
    learner = owned_learner(learner_id)
    filters, error = _filters()
    return _page(
        "instructor/learner.html",
        error,
        classroom=learner.classroom,
        filters=filters,
        all_quizzes=reports.class_quizzes(learner.classroom),
        report=reports.learner_report(learner, filters),
    )


@blueprint.get("/classes/<int:classroom_id>/exports/<kind>.csv")
def export(classroom_id: int, kind: str):
    classroom = owned_classroom(classroom_id)
    if kind not in EXPORTS:
        abort(404)
    filters, error = _filters()
    if error:
        return render_error(400, error)
    result = export_csv(kind, classroom, filters, bom=request.args.get("bom") == "1")
    return Response(
        stream_with_context(result.chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )
