"""Authorities found by the names reports give them, in running text and on their own."""

from __future__ import annotations

import pytest

from ofsted_kg.reference import find_authority, resolve_authority


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("London Borough of Bexley", "Bexley"),
        ("1 London Borough of Bexley", "Bexley"),  # a page number before the title
        ("Inspection of the London Borough of Haringey children's services", "Haringey"),
        ("London Borough of Hammersmith and Fulham", "Hammersmith and Fulham"),
        ("City of London", "City of London"),
        ("City of London Corporation children's services", "City of London"),
        ("Royal Borough of Greenwich", "Greenwich"),
    ],
)
def test_an_authority_named_in_running_text(text: str, name: str) -> None:
    found = find_authority(text)
    assert found is not None and found.name == name


def test_london_alone_is_no_authority() -> None:
    """ "London" is what "City of London" leaves without its council words, and how every London borough's title
    begins: it named the City for "London Borough of Bexley"."""
    assert find_authority("Children's services in London") is None
    assert resolve_authority("London") is None
    assert resolve_authority("City of London").name == "City of London"
