"""Orders reach sellers' webhooks: placing and paying a real order, then delivering the
outbox with the application's handlers, queues order.placed and order.paid for the shop's
organisation, with the order's fields and nothing about the buyer."""

from __future__ import annotations

import json
from pathlib import Path

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.orders import mark_group_paid, place_order
from galerie.workers import OutboxDispatcher, build_handlers
from tests.integration.orders.factories import (
    ADDRESS,
    insert_live_sku,
    make_market,
    ship,
    stock,
)
from tests.integration.webhooks.support import deliveries, endpoint


async def deliver_outbox(db: Database, clock: FixedClock, tmp_path: Path) -> None:
    handlers = {
        name: tuple(h for h in group if h.name.startswith("webhooks."))
        for name, group in build_handlers(
            mailer=OutboxFolderMailer(tmp_path), secret_key="k" * 32, base_url="http://t",
            clock=clock,
        ).items()
    }  # fmt: skip
    await OutboxDispatcher(db, handlers, clock).dispatch_pending()


async def test_placing_and_paying_queue_order_webhooks(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    now = clock.now()
    market = await make_market(db, now, tmp_path, shops=1)
    shop = market.shops[0]
    hook = await endpoint(db, now, market.organisation_id, "order.placed", "order.paid")
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=2500)
    await stock(db, now, shop, sku, 5)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=[(sku, 2)], shipping=ship(shop.shop_id),
            address=ADDRESS, now=now,
        )  # fmt: skip
    async with db.transaction() as session:
        await mark_group_paid(session, payment_group_id=group.id, now=now)
    await deliver_outbox(db, clock, tmp_path)
    await deliver_outbox(db, clock, tmp_path)  # nothing new the second time

    queued = await deliveries(db, endpoint_id=hook.id)
    assert [d.event_type for d in queued] == ["order.placed", "order.paid"]
    placed, paid = (json.loads(d.payload)["data"] for d in queued)
    order = group.orders[0]
    assert placed["order_id"] == paid["order_id"] == order.id
    assert placed["number"] == order.number
    assert placed["total_minor"] == 2 * 2500 + 500
    assert (paid["status"], paid["previous_status"]) == ("paid", "awaiting_payment")
    assert all("buyer_id" not in json.loads(d.payload)["data"] for d in queued)
