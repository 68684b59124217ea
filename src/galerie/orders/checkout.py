"""The checkout as one idempotent use case: `place_order_once` places the order at most
once per buyer and Idempotency-Key, and answers every retry with the same response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from galerie.db import Database, RawSQL
from galerie.kernel import Money
from galerie.orders.idempotency import StoredResponse, run_once
from galerie.orders.placing import DEFAULT_PAY_WITHIN, PlacedGroup, place_order
from galerie.orders.rules import ShippingChoice

CREATED = 201


def _money(value: Money) -> dict[str, Any]:
    return {"minor": value.minor, "currency": value.currency}


def placed_body(group: PlacedGroup) -> dict[str, Any]:
    """The JSON answer to a placed checkout (what a replay returns, byte for byte)."""
    return {
        "payment_group_id": group.id,
        "total": _money(group.total),
        "pay_by": group.pay_by.isoformat(),
        "orders": [
            {
                "id": order.id,
                "number": order.number,
                "shop_id": order.shop_id,
                "status": "awaiting_payment",
                "goods_total": _money(order.goods_total),
                "shipping_fee": _money(order.shipping_fee),
                "total": _money(order.total),
                "shipping_method": order.shipping_method,
                "auto_confirm_days": order.auto_confirm_days,
                "lines": [
                    {
                        "sku_id": line.sku_id,
                        "product_id": line.product_id,
                        "title": line.title,
                        "quantity": line.quantity,
                        "unit_price": _money(line.unit_price),
                        "line_total": _money(line.line_total),
                    }
                    for line in order.lines
                ],
            }
            for order in group.orders
        ],
    }


def checkout_request(
    lines: Sequence[tuple[int, int]],
    shipping: Mapping[int, ShippingChoice],
    address: Mapping[str, Any],
) -> dict[str, Any]:
    """The request as the fingerprint sees it (what makes two requests 'the same')."""
    return {
        "lines": [[sku, quantity] for sku, quantity in lines],
        "shipping": {
            str(shop): [c.method_code, c.fee.minor, c.fee.currency, c.auto_confirm_days]
            for shop, c in sorted(shipping.items())
        },
        "address": dict(address),
    }


async def place_order_once(
    db: Database,
    *,
    idempotency_key: str | None,
    buyer_id: int,
    lines: Sequence[tuple[int, int]],
    shipping: Mapping[int, ShippingChoice],
    address: Mapping[str, Any],
    now: datetime,
    pay_within: timedelta = DEFAULT_PAY_WITHIN,
) -> StoredResponse:
    """`place_order` in its own transaction, once per (buyer, key): status 201 and
    `placed_body`, replayed for the same request; IdempotencyKeyReused for a different
    one, IdempotencyInProgress while the first runs. A refusal (InsufficientStock...)
    propagates and leaves the key free to retry."""

    async def work(raw: RawSQL) -> StoredResponse:
        group = await place_order(
            raw,
            buyer_id=buyer_id,
            lines=lines,
            shipping=shipping,
            address=address,
            now=now,
            pay_within=pay_within,
        )
        return StoredResponse(CREATED, placed_body(group))

    return await run_once(
        db,
        scope=f"checkout:{buyer_id}",
        key=idempotency_key,
        request=checkout_request(lines, shipping, address),
        now=now,
        work=work,
    )
