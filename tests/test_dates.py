"""Dates as reports print them: ranges within a month, across months and years, and wrapped over lines."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_kg.loaders.dates import parse_range, parse_wrapped_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inspection dates: 12 to 16 June 2023", (date(2023, 6, 12), date(2023, 6, 16))),
        ("Inspection dates: 28 November to 2 December 2022", (date(2022, 11, 28), date(2022, 12, 2))),
        ("28 December to 3 January 2020", (date(2019, 12, 28), date(2020, 1, 3))),
        ("Published: 5 May 2024", (date(2024, 5, 5), date(2024, 5, 5))),
        ("no dates here", (None, None)),
    ],
)
def test_ranges_as_printed(text: str, expected: tuple) -> None:
    assert parse_range(text) == expected


def test_a_range_wrapped_onto_the_next_line_is_read_with_it() -> None:
    assert parse_range("Inspection dates: 12 to") == (None, None)
    assert parse_wrapped_range("Inspection dates: 12 to", "16 June 2023") == (date(2023, 6, 12), date(2023, 6, 16))
    # A line that holds its dates whole never takes the next line's.
    assert parse_wrapped_range("Inspection dates: 12 to 16 June 2023", "1 May 2019") == (
        date(2023, 6, 12),
        date(2023, 6, 16),
    )
    assert parse_wrapped_range("Inspection dates:", "") == (None, None)
