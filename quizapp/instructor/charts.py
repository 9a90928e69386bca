"""Small accessible SVG bar charts for the instructor dashboard, drawn on the server.

The charts are inline SVG so they need no JavaScript. The Content-Security-Policy forbids
inline styles, so shapes carry presentation attributes (``fill``) for a sensible default
look and CSS classes (``chart-bar``, ``chart-axis``, ``chart-label``) for the stylesheet
to restyle them. Each chart is an ``img`` to assistive technology, named by its
``<title>`` and described by its ``<desc>``; the page should still offer the numbers as
a table for readers who want them one by one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 36, 8, 24, 36
PLOT_WIDTH = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PLOT_HEIGHT = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BASELINE = MARGIN_TOP + PLOT_HEIGHT

BAR_FILL = "#2b6cb0"  # 5.4:1 against white, readable as a graphical object (WCAG 1.4.11)

# The chart id goes raw into id and aria-labelledby attributes (a space-separated id
# list), so it must be a plain token.
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def histogram_svg(title: str, bins: Sequence[tuple[str, int]], description: str, chart_id: str) -> Markup:
    """A histogram: one bar per bin, bars touching, each labelled with its count.

    ``bins`` are (label, count) pairs in axis order, e.g. from ``score_bins``. Bar heights
    are proportional to the counts, the largest filling the plot. ``chart_id`` must be
    unique on the page: the chart's title and description ids derive from it.
    """
    return _bar_svg(title, bins, description, chart_id, gap_fraction=0.04)


def bar_chart_svg(title: str, bars: Sequence[tuple[str, int]], description: str, chart_id: str) -> Markup:
    """A bar chart of separate categories, such as answers per week over the last weeks."""
    return _bar_svg(title, bars, description, chart_id, gap_fraction=0.3)


def score_bins(fractions: Sequence[float], bins: int = 5) -> list[tuple[str, int]]:
    """Count scores (fractions of the maximum, 0-1) into equal percentage bands.

    With 5 bins the labels are "0–20%", "20–40%", ..., "80–100%". Each band includes its
    lower edge; the last also includes 100%. Values outside 0-1 go into the end bands.
    """
    if bins < 1:
        raise ValueError("need at least one bin")
    counts = [0] * bins
    for fraction in fractions:
        # Rounding first keeps 0.6 (stored as 0.59999...) in the 60% band, not below it.
        band = math.floor(round(fraction * bins, 9))
        counts[min(max(band, 0), bins - 1)] += 1
    edges = [round(100 * band / bins) for band in range(bins + 1)]
    return [(f"{edges[band]}–{edges[band + 1]}%", counts[band]) for band in range(bins)]


def _bar_svg(
    title: str,
    bars: Sequence[tuple[str, int]],
    description: str,
    chart_id: str,
    gap_fraction: float,
) -> Markup:
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    largest = max((count for _, count in bars), default=0)
    slot = PLOT_WIDTH / len(bars) if bars else PLOT_WIDTH
    gap = slot * gap_fraction

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<line class="chart-axis" x1="{MARGIN_LEFT}" y1="{BASELINE}" x2="{WIDTH - MARGIN_RIGHT}"'
        f' y2="{BASELINE}" stroke="currentColor"/>',
        f'<line class="chart-axis" x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}"'
        f' y2="{BASELINE}" stroke="currentColor"/>',
        _text("chart-axis", MARGIN_LEFT - 4, BASELINE, "0", anchor="end"),
        _text("chart-axis", MARGIN_LEFT - 4, MARGIN_TOP + 4, str(largest), anchor="end"),
    ]
    for position, (label, count) in enumerate(bars):
        height = PLOT_HEIGHT * count / largest if largest else 0
        left = MARGIN_LEFT + position * slot + gap / 2
        centre = MARGIN_LEFT + (position + 0.5) * slot
        parts += [
            f'<rect class="chart-bar" x="{_number(left)}" y="{_number(BASELINE - height)}"'
            f' width="{_number(slot - gap)}" height="{_number(height)}" fill="{BAR_FILL}">'
            f"<title>{escape(label)}: {count}</title></rect>",
            _text("chart-label", centre, BASELINE - height - 4, str(count)),
            _text("chart-axis", centre, BASELINE + 16, label),
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


def _text(css_class: str, x: float, y: float, content: str, anchor: str = "middle") -> str:
    return (
        f'<text class="{css_class}" x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}"'
        f' fill="currentColor" font-size="12">{escape(content)}</text>'
    )


def _number(value: float) -> str:
    """Coordinates with at most two decimals: exact enough on screen, short in the page."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
