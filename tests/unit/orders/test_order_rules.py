"""The order machine as data and the pure checkout rules."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from galerie.config import ConfigError, load_settings
from galerie.kernel import Money, ValidationFailed
from galerie.orders import TRANSITIONS, ActorKind, OrderStatus, ShippingChoice
from galerie.orders.rules import (
    address_snapshot,
    checked_shipping,
    merged_lines,
    order_number,
    reason_of,
)
from galerie.orders.states import ENDED, step_for

S = OrderStatus
EDGES = {
    (S.AWAITING_PAYMENT, S.PAID), (S.AWAITING_PAYMENT, S.CLOSED),
    (S.AWAITING_PAYMENT, S.CANCELLED), (S.PAID, S.CANCELLED), (S.PAID, S.PARTLY_SHIPPED),
    (S.PAID, S.SHIPPED), (S.PARTLY_SHIPPED, S.SHIPPED), (S.SHIPPED, S.COMPLETED),
}  # fmt: skip


def test_the_machine_has_exactly_the_documented_edges() -> None:
    assert set(TRANSITIONS) == EDGES
    for a, b in itertools.product(OrderStatus, OrderStatus):
        assert (step_for(a, b) is not None) == ((a, b) in EDGES)
    assert step_for("lost", "paid") is None
    for ended in ENDED:  # closed and cancelled are final
        assert not any(a == ended for a, _ in TRANSITIONS)


def test_only_the_system_pays_and_closes_and_cancelling_needs_a_reason() -> None:
    assert TRANSITIONS[(S.AWAITING_PAYMENT, S.PAID)].actors == {ActorKind.SYSTEM}
    assert TRANSITIONS[(S.AWAITING_PAYMENT, S.CLOSED)].actors == {ActorKind.SYSTEM}
    assert ActorKind.BUYER not in TRANSITIONS[(S.PAID, S.SHIPPED)].actors
    assert all(TRANSITIONS[(a, S.CANCELLED)].reason_required for a in (S.AWAITING_PAYMENT, S.PAID))


def test_lines_merge_and_sort_and_refuse_bad_quantities() -> None:
    assert merged_lines([(9, 1), (3, 2), (9, 4)]) == {3: 2, 9: 5}
    assert list(merged_lines([(9, 1), (3, 2)])) == [3, 9]
    for bad in ([], [(1, 0)], [(1, -1)], [(1, True)], [(0, 1)], [(1, 10_001)],
                [(1, 6_000), (1, 6_000)], [(n, 1) for n in range(1, 102)]):  # fmt: skip
        with pytest.raises(ValidationFailed):
            merged_lines(bad)


def test_shipping_choices_and_addresses_are_checked() -> None:
    good = ShippingChoice(" express ", Money(500, "CNY"), 10)
    assert checked_shipping(good, "CNY").method_code == "express"
    for bad, code in (
        (ShippingChoice("", Money(0, "CNY"), 10), "bad_shipping"),
        (ShippingChoice("x", Money(-1, "CNY"), 10), "bad_shipping"),
        (ShippingChoice("x", Money(0, "CNY"), 0), "bad_shipping"),
        (ShippingChoice("x", Money(0, "CNY"), 91), "bad_shipping"),
        (ShippingChoice("x", Money(0, "EUR"), 10), "mixed_currencies"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            checked_shipping(bad, "CNY")
        assert caught.value.code == code
    assert address_snapshot({"city": "上海", "zip": 200120}) == {"city": "上海", "zip": 200120}
    for bad_address in ({}, {"line": "x" * 5000}, {"when": datetime.now(UTC)}):
        with pytest.raises(ValidationFailed):
            address_snapshot(bad_address)
    assert reason_of("  late ", required=True) == "late"
    assert reason_of(" ", required=False) is None
    with pytest.raises(ValidationFailed):
        reason_of("", required=True)


def test_order_numbers_are_digits_unique_per_group_and_position() -> None:
    day = datetime(2026, 11, 11, 23, 59, tzinfo=UTC)
    assert order_number(day, 42, 1) == "20261111000000004201"
    assert order_number(day, 42, 2) != order_number(day, 42, 1)


def test_the_unpaid_delay_is_configurable_and_bounded(tmp_path: Path) -> None:
    env = {"GALERIE_VAR_DIR": str(tmp_path)}
    assert load_settings(env).pay_within == timedelta(minutes=30)
    custom = load_settings(env | {"GALERIE_UNPAID_ORDER_MINUTES": "15"})
    assert custom.pay_within == timedelta(minutes=15)
    for bad in ("0", "abc", str(8 * 24 * 60)):
        with pytest.raises(ConfigError, match="GALERIE_UNPAID_ORDER_MINUTES"):
            load_settings(env | {"GALERIE_UNPAID_ORDER_MINUTES": bad})
