"""Forms students fill in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..classes import MAX_NAME_LENGTH


class JoinForm(FlaskForm):
    join_code = StringField(
        "Class code", validators=[DataRequired("Type the class code your teacher gave you."), Length(max=20)]
    )
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Type the name your teacher will know you by."), Length(max=MAX_NAME_LENGTH)],
    )


class ResumeForm(FlaskForm):
    resume_code = StringField(
        "Resume code", validators=[DataRequired("Type your resume code."), Length(max=30)]
    )
