"""Dashboard charts: valid, accessible SVG that a strict Content-Security-Policy allows."""

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from quizapp.instructor.charts import bar_chart_svg, histogram_svg, score_bins

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: Markup) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, parsed to check it


def bar_heights(root: ET.Element) -> list[float]:
    return [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


SCORES = [("0–20%", 1), ("20–40%", 0), ("40–60%", 4), ("60–80%", 2), ("80–100%", 8)]


def test_histogram_is_an_image_named_by_its_title_and_description():
    svg = histogram_svg("Scores on the truce quiz", SCORES, "Most learners scored above 80%.", "scores")
    root = parse(svg)
    assert isinstance(svg, Markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Scores on the truce quiz"
    assert desc.text == "Most learners scored above 80%."
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_one_bar_per_bin_with_heights_proportional_to_counts():
    root = parse(histogram_svg("Scores", SCORES, "Spread of scores.", "scores"))
    heights = bar_heights(root)
    assert len(heights) == len(SCORES)
    tallest = max(heights)
    assert tallest > 0
    for (_, count), height in zip(SCORES, heights, strict=True):
        assert height == pytest.approx(tallest * count / 8, abs=0.01)


def test_bars_sit_on_one_baseline_and_do_not_overlap():
    root = parse(histogram_svg("Scores", SCORES, "Spread of scores.", "scores"))
    rects = list(root.iter(f"{SVG}rect"))
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 2) for r in rects}
    assert len(bottoms) == 1
    edges = [(float(r.get("x")), float(r.get("x")) + float(r.get("width"))) for r in rects]
    for (_, right), (next_left, _) in zip(edges, edges[1:], strict=False):
        assert right <= next_left


def test_every_bin_is_labelled_with_its_name_and_count():
    root = parse(histogram_svg("Scores", SCORES, "Spread of scores.", "scores"))
    shown = texts(root)
    for label, count in SCORES:
        assert label in shown
        assert str(count) in shown


def test_hostile_text_is_escaped_not_executed():
    hostile = '<script>alert("x")</script>'
    svg = histogram_svg(hostile, [(hostile, 3)], hostile + " & more", "hostile")
    assert "<script" not in str(svg)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert root.find(f"{SVG}desc").text == hostile + " & more"
    assert hostile in texts(root)
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))


def test_no_inline_styles_or_scripts_for_the_csp():
    svg = str(bar_chart_svg("Answers per week", [("4 Mar", 12), ("11 Mar", 30)], "Rising.", "weeks"))
    root = parse(svg)
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert {"chart-bar", "chart-axis", "chart-label"} <= {e.get("class") for e in root.iter()}


def test_ids_derive_from_the_chart_id_so_two_charts_can_share_a_page():
    first = parse(histogram_svg("A", SCORES, "a", "quiz-1-scores"))
    second = parse(histogram_svg("A", SCORES, "a", "quiz-2-scores"))
    first_ids = {e.get("id") for e in first.iter() if e.get("id")}
    second_ids = {e.get("id") for e in second.iter() if e.get("id")}
    assert first_ids and not first_ids & second_ids


@pytest.mark.parametrize("chart_id", ["", "1st", 'x" onload="alert(1)', "two words"])
def test_chart_id_must_be_a_plain_token(chart_id):
    with pytest.raises(ValueError):
        histogram_svg("Scores", SCORES, "Spread.", chart_id)


def test_a_chart_with_no_answers_draws_flat_bars():
    root = parse(bar_chart_svg("Answers per week", [("4 Mar", 0), ("11 Mar", 0)], "None yet.", "w"))
    assert bar_heights(root) == [0.0, 0.0]


def test_an_empty_chart_still_parses():
    root = parse(bar_chart_svg("Answers per week", [], "No weeks yet.", "w"))
    assert bar_heights(root) == []
    assert root.find(f"{SVG}title").text == "Answers per week"


def test_score_bins_labels_and_edges():
    fractions = [0.0, 0.19, 0.2, 0.55, 0.6, 3 / 5, 0.999, 1.0]
    assert score_bins(fractions) == [
        ("0–20%", 2),
        ("20–40%", 1),
        ("40–60%", 1),
        ("60–80%", 2),
        ("80–100%", 2),
    ]


def test_score_bins_keeps_exact_edges_in_the_upper_band_despite_float_error():
    # A score of 7 out of 10 less 4 out of 10 is 0.29999999999999993 in floating point;
    # it means 30% and must not fall into "20–30%".
    assert 0.7 - 0.4 < 0.3
    bins = dict(score_bins([0.7 - 0.4, 0.3], bins=10))
    assert bins["30–40%"] == 2
    assert bins["20–30%"] == 0


def test_score_bins_with_uneven_bands_and_out_of_range_values():
    assert score_bins([-0.1, 0.5, 1.2], bins=3) == [("0–33%", 1), ("33–67%", 1), ("67–100%", 1)]
    with pytest.raises(ValueError):
        score_bins([0.5], bins=0)
