"""Forms on instructor pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..classes import MAX_CLASS_NAME_LENGTH


class ClassroomForm(FlaskForm):
    name = StringField(
        "Class name",
        validators=[DataRequired("Give the class a name."), Length(max=MAX_CLASS_NAME_LENGTH)],
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""


class DeleteLearnerForm(FlaskForm):
    confirm = BooleanField("Yes, delete this student and all their answers and reviews")
