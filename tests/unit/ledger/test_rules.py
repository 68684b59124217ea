"""Pure ledger rules: which entries may be posted, the replay fingerprint, the balance update
order, the owner of each kind, and the commission split (largest remainder, exact sums)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.kernel import Money, ValidationFailed
from galerie.ledger import (
    KIND_RULES,
    AccountKind,
    BadAccount,
    EntryUnbalanced,
    Line,
    OwnerKind,
    commission_split,
    credit,
    debit,
    escrow_release_lines,
)
from galerie.ledger.rules import check_key, check_lines, fingerprint, owner_id_for, per_account


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


def test_a_balanced_entry_passes_and_reports_its_debits() -> None:
    lines = [debit(1, cny(500)), credit(2, cny(300)), credit(3, cny(200)),
             debit(4, Money(7, "EUR")), credit(5, Money(7, "EUR"))]  # fmt: skip
    assert check_lines(lines) == {"CNY": 500, "EUR": 7}


@pytest.mark.parametrize(
    "lines",
    [
        [debit(1, cny(500)), credit(2, cny(499))],
        [debit(1, cny(500))],
        [],
        [debit(1, cny(5)), credit(2, cny(5)), Line(3, cny(0))],
        [debit(1, cny(5)), credit(2, Money(5, "EUR"))],  # each currency must balance
        [debit(i, cny(1)) for i in range(101)],
    ],
    ids=["off-by-one", "one-line", "empty", "zero-line", "mixed-currency", "too-many"],
)
def test_an_unpostable_entry_is_refused(lines: list[Line]) -> None:
    with pytest.raises(EntryUnbalanced) as refused:
        check_lines(lines)
    assert refused.value.code == "entry_unbalanced"


def test_the_fingerprint_ignores_line_order_but_not_content() -> None:
    a = [debit(1, cny(5)), credit(2, cny(5))]
    assert fingerprint(a, "m", None) == fingerprint(list(reversed(a)), "m", None)
    assert fingerprint(a, "m", None) != fingerprint(a, "n", None)
    assert fingerprint(a, "m", None) != fingerprint(a, "m", 3)
    assert fingerprint(a, "m", None) != fingerprint(
        [debit(1, cny(6)), credit(2, cny(6))], "m", None
    )


def test_balances_are_updated_net_per_account_in_id_order() -> None:
    lines = [credit(9, cny(5)), debit(3, cny(2)), debit(3, cny(3))]
    assert per_account(lines) == [(3, "CNY", 5), (9, "CNY", -5)]


def test_each_kind_has_its_owner() -> None:
    assert owner_id_for(AccountKind.COMMISSION_REVENUE, None) == 0
    assert owner_id_for(AccountKind.ESCROW, 12) == 12
    for kind, bad in [(AccountKind.ESCROW, None), (AccountKind.ESCROW, 0),
                      (AccountKind.REFUNDS, 4)]:  # fmt: skip
        with pytest.raises(BadAccount):
            owner_id_for(kind, bad)
    assert KIND_RULES[AccountKind.ESCROW].owner is OwnerKind.SHOP_ORDER
    non_negative = {k for k, rule in KIND_RULES.items() if not rule.may_go_negative}
    assert non_negative == {
        AccountKind.ESCROW, AccountKind.SELLER_PAYABLE, AccountKind.DEPOSITS_HELD,
    }  # fmt: skip


@pytest.mark.parametrize("key", ["", "a b", "x" * 121, "clé"])
def test_a_bad_business_key_is_refused(key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_key(key)
    assert refused.value.code == "bad_entry_key"


def test_commission_split_rounds_by_largest_remainder() -> None:
    # exact commissions 0.5, 0.5 and 0.5 (1.5 in all, rounded half up to 2): the two
    # earliest of the equal remainders take the units
    shares = commission_split([cny(10), cny(10), cny(10)], [500, 500, 500])
    assert [s.commission.minor for s in shares] == [1, 1, 0]
    assert [s.seller_share.minor for s in shares] == [9, 9, 10]
    # 333.3 + 66.6 + 0 = 399.9 -> 400: the larger remainder (.6) takes the unit
    shares = commission_split([cny(3333), cny(1332), cny(999)], [1000, 500, 0])
    assert [s.commission.minor for s in shares] == [333, 67, 0]
    assert [s.rate_bp for s in shares] == [1000, 500, 0]


@pytest.mark.parametrize(
    ("totals", "rates"),
    [
        ([], []),
        ([cny(1)], []),
        ([cny(1)], [10_001]),
        ([cny(-1)], [100]),
        ([cny(1), Money(1, "EUR")], [1, 1]),
    ],
)
def test_commission_split_refuses_bad_input(totals: list[Money], rates: list[int]) -> None:
    with pytest.raises(ValidationFailed):
        commission_split(totals, rates)


@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10_000)), min_size=1, max_size=30))
def test_commission_split_is_exact(lines: list[tuple[int, int]]) -> None:
    shares = commission_split([cny(t) for t, _ in lines], [r for _, r in lines])
    exact = [Fraction(t * r, 10_000) for t, r in lines]
    exact_total = Fraction(sum(t * r for t, r in lines), 10_000)
    # the total is the exact total rounded once, half up
    assert sum(s.commission.minor for s in shares) == math.floor(exact_total + Fraction(1, 2))
    for share, quota, (line_total, _) in zip(shares, exact, lines, strict=True):
        assert share.seller_share.minor + share.commission.minor == line_total
        assert quota - 1 < share.commission.minor < quota + 1
        assert 0 <= share.commission.minor <= line_total


def test_escrow_release_lines_balance() -> None:
    shares = commission_split([cny(10_000), cny(2_999)], [600, 1_000])
    lines = escrow_release_lines(escrow_id=1, payable_id=2, commission_id=3, shares=shares)
    assert [(line.account_id, line.amount.minor) for line in lines] == [
        (1, 12_999), (2, -12_099), (3, -900),
    ]  # fmt: skip
    assert check_lines(lines) == {"CNY": 12_999}
    free = escrow_release_lines(
        escrow_id=1, payable_id=2, commission_id=3, shares=commission_split([cny(50)], [0])
    )
    assert [(line.account_id, line.amount.minor) for line in free] == [(1, 50), (2, -50)]
