"""Fulfilment's pure rules: carrier codes and tracking numbers, quantities per line against
what is left (a property: whatever is asked, a parcel never exceeds what is left), the
deadline and its one extension."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.fulfilment.bulk import read_rows
from galerie.fulfilment.rules import (
    carrier_of,
    confirm_by,
    may_extend,
    parcel_quantities,
    tracking_number_of,
)
from galerie.kernel import Conflict, DomainError, ValidationFailed

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_codes_are_normalised_or_refused() -> None:
    assert carrier_of(" SF-Express ") == "sf-express"
    assert tracking_number_of(" sf1234 ") == "SF1234"
    for bad in ("", "x", "a" * 31, "sf express", "<script>"):
        with pytest.raises(ValidationFailed):
            carrier_of(bad)
    for bad in ("", "abc", "A" * 41, "SF 1234", "SF1234;"):
        with pytest.raises(ValidationFailed):
            tracking_number_of(bad)


def test_quantities_against_what_is_left() -> None:
    left = {1: 3, 2: 2}
    assert parcel_quantities([(1, 2), (2, 0)], left) == {1: 2}
    with pytest.raises(Conflict):
        parcel_quantities([(1, 4)], left)
    for wanted in ([], [(1, 0)], [(3, 1)], [(1, 1), (1, 1)], [(1, -1)], [(1, True)]):
        with pytest.raises(ValidationFailed):
            parcel_quantities(wanted, left)


@given(
    left=st.dictionaries(st.integers(1, 20), st.integers(0, 50), max_size=6),
    wanted=st.lists(st.tuples(st.integers(1, 20), st.integers(-5, 60)), max_size=8),
)
def test_a_parcel_never_exceeds_what_is_left(
    left: dict[int, int], wanted: list[tuple[int, int]]
) -> None:
    try:
        chosen = parcel_quantities(wanted, left)
    except DomainError:
        return
    assert chosen
    assert all(0 < q <= left[line] for line, q in chosen.items())


def test_deadline_and_one_extension() -> None:
    deadline = confirm_by(NOW, 10)
    assert deadline == NOW + timedelta(days=10)
    assert may_extend(deadline=deadline, extended_at=None, now=NOW)
    assert not may_extend(deadline=deadline, extended_at=NOW, now=NOW)
    assert not may_extend(deadline=deadline, extended_at=None, now=deadline)


def test_csv_header_is_case_insensitive_and_bom_tolerant() -> None:
    rows = read_rows("\ufeffOrder_Number,Carrier,Tracking_Number\n 1 , ems , E1 \n".encode())
    assert rows == [{"order_number": "1", "carrier": "ems", "tracking_number": "E1"}]
