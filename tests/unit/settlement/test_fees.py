"""The annual fee's rebate and the statement's key table, pure: exact figures at the
thresholds, and invariants over any sales and fee (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import Money
from galerie.settlement import (
    PAYOUT_TRANSITIONS,
    LineKind,
    PayoutStatus,
    RebateSchedule,
    RebateTier,
    rebate_amount,
)
from galerie.settlement.fees import fee_split
from galerie.settlement.rules import explain_key, sources_of

FEE = Money(3_000_000, "CNY")  # 30,000.00
SCHEDULE = RebateSchedule()


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


@pytest.mark.parametrize(
    ("sales", "back"),
    [
        (0, 0),
        (17_999_999, 0),  # 179,999.99: not yet
        (18_000_000, 1_500_000),  # 180,000.00: half
        (35_999_999, 1_500_000),
        (36_000_000, 3_000_000),  # 360,000.00: all
        (10**12, 3_000_000),
    ],
)
def test_the_default_tiers(sales: int, back: int) -> None:
    assert rebate_amount(FEE, cny(sales), 536, SCHEDULE) == cny(back)


def test_half_of_an_odd_fee_rounds_down() -> None:
    assert rebate_amount(cny(3), cny(18_000_000), 536, SCHEDULE) == cny(1)


def test_a_category_may_have_its_own_tiers() -> None:
    schedule = RebateSchedule(by_top_level={166: (RebateTier(100, 2_500),)})
    assert rebate_amount(FEE, cny(10_000), 166, schedule) == cny(750_000)
    assert rebate_amount(FEE, cny(10_000), 536, schedule) == cny(0)


def test_sales_in_another_currency_earn_nothing() -> None:
    assert rebate_amount(Money(3_000_000, "EUR"), Money(10**12, "EUR"), 536, SCHEDULE) == Money(
        0, "EUR"
    )


@given(
    fee=st.integers(min_value=0, max_value=10**10),
    low=st.integers(min_value=0, max_value=10**11),
    more=st.integers(min_value=0, max_value=10**11),
)
def test_a_rebate_is_within_the_fee_and_grows_with_sales(fee: int, low: int, more: int) -> None:
    small = rebate_amount(cny(fee), cny(low), 536, SCHEDULE)
    large = rebate_amount(cny(fee), cny(low + more), 536, SCHEDULE)
    assert 0 <= small.minor <= large.minor <= fee
    assert large.minor in {0, fee // 2, fee}


@given(fee=st.integers(min_value=0, max_value=10**10), available=st.integers(-(10**6), 10**10))
def test_a_fee_is_paid_from_the_payable_then_owed(fee: int, available: int) -> None:
    paid, owed = fee_split(cny(fee), cny(available))
    assert paid + owed == cny(fee)
    assert 0 <= paid.minor <= max(available, 0)
    assert owed.minor >= 0


@pytest.mark.parametrize(
    ("key", "kind", "subject"),
    [
        ("release:42", LineKind.SALE, "42"),
        ("payout:7", LineKind.PAYOUT, "7"),
        ("payout-failed:7", LineKind.PAYOUT_RETURNED, "7"),
        ("annual-fee:3:536:2026", LineKind.FEE, "3:536:2026"),
        ("annual-fee-rebate:3:536:2026", LineKind.REBATE, "3:536:2026"),
        ("manual:fix-1", LineKind.ADJUSTMENT, "manual:fix-1"),
    ],
)
def test_business_keys_explain_statement_lines(key: str, kind: LineKind, subject: str) -> None:
    assert explain_key(key) == (kind, subject)


def test_paid_and_failed_payouts_are_final() -> None:
    assert PayoutStatus.PAID not in PAYOUT_TRANSITIONS
    assert PayoutStatus.FAILED not in PAYOUT_TRANSITIONS
    assert sources_of(PayoutStatus.PAID) == ["requested", "sent"]
    assert sources_of(PayoutStatus.SENT) == ["requested"]
