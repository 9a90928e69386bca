"""Forms students fill in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..classes import MAX_NAME_LENGTH, known_timezone


class JoinForm(FlaskForm):
    join_code = StringField(
        "Class code", validators=[DataRequired("Type the class code your teacher gave you."), Length(max=20)]
    )
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Type the name your teacher will know you by."), Length(max=MAX_NAME_LENGTH)],
    )
    # Filled in by the browser (static/js/timezone.js) so "today" for flashcards is the learner's day.
    timezone = HiddenField(validators=[Optional(), Length(max=64)])


class ResumeForm(FlaskForm):
    resume_code = StringField("Resume code", validators=[DataRequired("Type your resume code."), Length(max=30)])


class TimezoneForm(FlaskForm):
    timezone = SelectField("Your time zone", validators=[DataRequired()], validate_choice=False)

    def validate_timezone(self, field) -> None:
        if not known_timezone(field.data):
            from wtforms.validators import ValidationError

            raise ValidationError("Choose a time zone from the list.")
