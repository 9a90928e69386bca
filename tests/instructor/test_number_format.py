"""Report figures read cleanly: one decimal, a dash when there is no figure, never "-0.0"."""

import pytest


@pytest.mark.parametrize(
    ("value", "shown"), [(None, "—"), (-0.04, "0.0%"), (-0.0, "0.0%"), (12.345, "12.3%"), (-45.62, "-45.6%")]
)
def test_percentages_as_the_reports_print_them(app, value, shown):
    template = app.jinja_env.from_string('{% from "instructor/_numbers.html" import pct %}{{ pct(value) }}')
    assert template.render(value=value) == shown
