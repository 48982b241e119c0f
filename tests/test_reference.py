"""Authorities found by the names reports give them, in running text and on their own."""

from __future__ import annotations

import pytest

from ofsted_kg.reference import find_authority, resolve_authority, resolve_icb


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


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Hull City Council", "E06000010"),
        ("Kingston upon Hull City Council", "E06000010"),
        ("Newcastle City Council", "E08000021"),
        ("Southend City Council", "E06000033"),
        ("BCP Council", "E06000058"),
        ("City of Bradford Metropolitan District Council", "E08000032"),
        ("City of London Corporation", "E09000001"),
        ("Bath & North East Somerset Council", "E06000022"),
    ],
)
def test_a_council_by_the_name_it_goes_by(printed: str, code: str) -> None:
    found = resolve_authority(printed)
    assert found is not None and found.la_code == code


def test_a_short_name_is_not_searched_for_in_running_text() -> None:
    """ "Newcastle" resolves as a council's name, but in running text it may be Newcastle-under-Lyme."""
    found = find_authority("Staffordshire County Council and Newcastle-under-Lyme")
    assert found is not None and found.name == "Staffordshire"
    assert find_authority("a visit to Newcastle-under-Lyme") is None


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("NHS Greater Manchester Integrated Care", "QOP"),
        ("HNY ICB", "QOQ"),
        ("NHS C&W ICB", "QWU"),
        ("N&W ICB", "QMM"),
    ],
)
def test_an_icb_by_its_public_name_or_abbreviation(printed: str, code: str) -> None:
    found = resolve_icb(printed)
    assert found is not None and found.ods_code == code
