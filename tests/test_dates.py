"""Dates as reports print them: ranges within a month, across months and years, and wrapped over lines."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_kg.loaders.dates import dates_at, parse_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inspection dates: 12 to 16 June 2023", (date(2023, 6, 12), date(2023, 6, 16))),
        ("Inspection dates: 28 November to 2 December 2022", (date(2022, 11, 28), date(2022, 12, 2))),
        ("28 December to 3 January 2020", (date(2019, 12, 28), date(2020, 1, 3))),
        ("Published: 5 May 2024", (date(2024, 5, 5), date(2024, 5, 5))),
        ("no dates here", (None, None)),
        # split fieldwork: the first part takes its year, or month and year, from the last
        ("5 to 9 December 2022 and 14 to 15 February 2023", (date(2022, 12, 5), date(2023, 2, 15))),
        ("5 to 9 December and 12 to 16 December 2022", (date(2022, 12, 5), date(2022, 12, 16))),
        ("9 to 13 and 23 to 27 January 2023", (date(2023, 1, 9), date(2023, 1, 27))),
        ("28 to 30 December and 3 to 5 January 2023", (date(2022, 12, 28), date(2023, 1, 5))),
    ],
)
def test_ranges_as_printed(text: str, expected: tuple) -> None:
    assert parse_range(text) == expected


def test_dates_after_their_label_on_the_next_line_with_text() -> None:
    lines = ["Inspection dates: 12 to", "16 June 2023", "", "Dates of previous inspection:", "", "1 to 5 May 2019", "x"]
    assert dates_at(lines, 0, "12 to") == (date(2023, 6, 12), date(2023, 6, 16))  # a range wrapped onto the next line
    assert dates_at(lines, 3, "") == (date(2019, 5, 1), date(2019, 5, 5))  # a blank line between label and dates
    # A line that holds its dates whole never takes the next line's; nothing is looked for past one blank line.
    whole = ["12 to 16 June 2023", "1 May 2019"]
    assert dates_at(whole, 0, whole[0]) == (date(2023, 6, 12), date(2023, 6, 16))
    assert dates_at(["Inspection dates:", "", "", "1 May 2019"], 0, "") == (None, None)
    # A date followed by "to" at the line's end is the first of a range the next line ends.
    assert dates_at(["25 October 2021 to", "5 November 2021"], 0, "25 October 2021 to") == (
        date(2021, 10, 25),
        date(2021, 11, 5),
    )
