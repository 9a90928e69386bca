"""CSV exports a teacher opens in a spreadsheet: safe to open, faithful, and streamed."""

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from quizapp.instructor.csv_export import FORMULA_TRIGGERS, safe_cell, stream_csv

HEADER = ["learner", "quiz", "score", "submitted"]


def read_back(chunks) -> list[list[str]]:
    """Parse streamed CSV text the way a spreadsheet import would."""
    return list(csv.reader(io.StringIO("".join(chunks), newline="")))


def runs_as_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "-cmd|' /C calc'!A0",
    ],
)
def test_a_learner_name_cannot_become_a_formula(name):
    rows = read_back(stream_csv(HEADER, [[name, "ceasefire-talks", 3, None]]))
    cell = rows[1][0]
    assert not runs_as_formula(cell)
    assert cell == "'" + name  # the name is still readable, just marked as text


def test_negative_numbers_still_read_as_numbers():
    rows = read_back(stream_csv(["change", "as text", "decimal text"], [[-3, "-3", "-0.5"]]))
    assert rows[1] == ["-3", "-3", "-0.5"]
    assert [float(cell) for cell in rows[1]] == [-3.0, -3.0, -0.5]


def test_safe_cell_passes_numbers_through_untouched():
    assert safe_cell(-2) == -2
    assert safe_cell(-0.25) == -0.25
    assert safe_cell(0) == 0
    assert safe_cell("-1e3+A1") == "'-1e3+A1"  # looks numeric at first, but is an expression


def test_non_ascii_quotes_commas_and_newlines_round_trip():
    awkward = [
        "Nour Al-Hassan",
        "Yael Ben-David",
        "عبد الله",
        "שירה",
        'He said "ceasefire", then left',
        "line one\nline two",
        "a, b; c",
    ]
    rows = read_back(stream_csv(["learner"], [[name] for name in awkward]))
    assert [row[0] for row in rows[1:]] == awkward


def test_datetimes_are_iso_utc_with_z_and_none_is_empty():
    jerusalem_winter = timezone(timedelta(hours=2))
    submitted = datetime(2023, 11, 24, 9, 30, 15, 123456, tzinfo=jerusalem_winter)
    exported = [
        ["Rana", "truce", None, submitted],
        ["Eli", "truce", 2.5, date(2023, 11, 24)],
    ]
    rows = read_back(stream_csv(HEADER, exported))
    assert rows[1] == ["Rana", "truce", "", "2023-11-24T07:30:15Z"]
    assert rows[2] == ["Eli", "truce", "2.5", "2023-11-24"]
    assert datetime.fromisoformat(rows[1][3]) == submitted.replace(microsecond=0).astimezone(UTC)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        safe_cell(datetime(2023, 11, 24, 9, 30))


def test_header_cells_are_defused_too():
    rows = read_back(stream_csv(["=cmd", "score"], []))
    assert rows == [["'=cmd", "score"]]


def test_bom_only_when_asked():
    with_bom = "".join(stream_csv(HEADER, [["Maya", "q", 1, None]], bom=True))
    without = "".join(stream_csv(HEADER, [["Maya", "q", 1, None]]))
    assert with_bom.startswith("\ufefflearner,")
    assert without.startswith("learner,")
    assert with_bom.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert with_bom[1:] == without


def test_rows_end_with_crlf():
    assert list(stream_csv(["a"], [[1]])) == ["a\r\n", "1\r\n"]


def test_export_streams_without_reading_every_row_first():
    pulled = 0

    def endless_rows():
        nonlocal pulled
        for number in itertools.count():
            pulled += 1
            yield [f"learner {number}", "quiz", number, None]

    chunks = stream_csv(HEADER, endless_rows())
    first_three = list(itertools.islice(chunks, 3))
    assert first_three[0].startswith("learner,quiz")
    assert first_three[2] == "learner 1,quiz,1,\r\n"
    assert pulled == 2  # header plus two rows: no more was read than was written


def test_each_chunk_is_one_row_not_the_file_so_far():
    chunks = list(stream_csv(["n"], [[i] for i in range(5)]))
    assert chunks == ["n\r\n", "0\r\n", "1\r\n", "2\r\n", "3\r\n", "4\r\n"]
