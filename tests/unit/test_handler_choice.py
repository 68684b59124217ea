"""Which of the application's outbox handlers an order's status change wakes: a handler
that would do nothing for an event (`accepts` refuses it) costs no transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from galerie.kernel import FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.orders import OrderStatusChanged
from galerie.workers import build_handlers

RELAY, RELEASE, REFUND = (
    "webhooks.relay.OrderStatusChanged", "payments.release_escrow", "payments.refund_cancelled",
)  # fmt: skip


def change(from_status: str, to_status: str) -> OrderStatusChanged:
    return OrderStatusChanged(
        order_id=1, shop_id=2, buyer_id=3, from_status=from_status, to_status=to_status,
        reason=None, actor_kind="system", actor_user_id=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("from_status", "to_status", "woken"),
    [
        ("awaiting_payment", "paid", [RELAY]),
        ("paid", "shipped", [RELAY]),
        ("shipped", "completed", [RELAY, RELEASE]),
        ("paid", "cancelled", [RELAY, REFUND]),
        ("awaiting_payment", "cancelled", [RELAY]),
        ("awaiting_payment", "closed", [RELAY]),
        ("paid", "on_hold", []),  # a status sellers are not told about, no money moved
    ],
)
def test_an_order_status_change_wakes_only_the_handlers_that_act_on_it(
    tmp_path: Path, from_status: str, to_status: str, woken: list[str]
) -> None:
    handlers = build_handlers(
        mailer=OutboxFolderMailer(tmp_path), secret_key="k" * 32, base_url="http://t",
        clock=FixedClock(datetime(2026, 11, 30, tzinfo=UTC)),
    )[OrderStatusChanged.name]  # fmt: skip
    assert {h.name for h in handlers} == {RELAY, RELEASE, REFUND}
    event = change(from_status, to_status)
    assert sorted(h.name for h in handlers if h.wants(event)) == sorted(woken)
