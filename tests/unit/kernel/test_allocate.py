"""Largest-remainder allocation: the parts always sum to the whole."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import allocate
from galerie.kernel.money import MAX_MINOR

totals = st.integers(min_value=-MAX_MINOR, max_value=MAX_MINOR)
weight_lists = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30).filter(
    lambda weights: sum(weights) > 0
)


@given(totals, weight_lists)
def test_parts_sum_to_the_total(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total


@given(totals, weight_lists)
def test_each_part_is_within_one_of_its_exact_share(total: int, weights: list[int]) -> None:
    weight_sum = sum(weights)
    for part, weight in zip(allocate(total, weights), weights, strict=True):
        assert abs(part - Fraction(total * weight, weight_sum)) < 1


@given(totals, weight_lists)
def test_zero_weights_get_nothing_and_signs_follow_the_total(
    total: int, weights: list[int]
) -> None:
    parts = allocate(total, weights)
    for part, weight in zip(parts, weights, strict=True):
        if weight == 0:
            assert part == 0
        assert part * total >= 0  # never the opposite sign of the total
    assert allocate(-total, weights) == [-part for part in parts]


@given(totals, weight_lists)
def test_allocation_is_deterministic(total: int, weights: list[int]) -> None:
    assert allocate(total, list(weights)) == allocate(total, tuple(weights))


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (1, [1, 1], [1, 0]),
        (-1, [1, 1], [-1, 0]),
        (2, [1, 1, 1], [1, 1, 0]),
        (5, [0, 1, 0], [0, 5, 0]),
        (10, [3, 7], [3, 7]),
        (0, [1, 2], [0, 0]),
        (1000, [1, 2, 3, 4], [100, 200, 300, 400]),
        (7, [1, 2], [2, 5]),  # remainders 1/3 and 2/3: the larger remainder wins
    ],
)
def test_known_splits(total: int, weights: list[int], parts: list[int]) -> None:
    assert allocate(total, weights) == parts


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "at least one weight"),
        ([1, -1], "non-negative integers"),
        ([1.5, 1], "non-negative integers"),
        ([True, 1], "non-negative integers"),
        ([0, 0], "must not all be zero"),
    ],
)
def test_bad_weights_are_refused(weights: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(100, weights)
