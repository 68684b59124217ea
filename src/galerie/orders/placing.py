"""`place_order`: one checkout becomes one payment group, one order per shop, their lines,
their first history rows and one OrderPlaced event per order, with the stock of every SKU
reserved, all in the caller's transaction: if anything is refused (an item runs out in the
third shop), the transaction rolls back whole and nothing is left, not an order nor a
reserved unit.

Statements, whatever the number of lines: the SKU read (1), the buyer's lock and limits
(2, only when a SKU has a per-buyer limit), the group (1), the orders (1), the lines (1),
the history (1) and the OrderPlaced events (1), each a multi-row INSERT; plus inventory's
`reserve_stock` per SKU (one conditional UPDATE, its movement, the SKU's available total
and its StockLevelChanged event, which the ORM flushes in one batch on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db.outbox import record_events
from galerie.inventory import reserve_stock
from galerie.kernel import Money, ValidationFailed
from galerie.orders.events import OrderPlaced
from galerie.orders.models import Order, OrderLine, OrderStatusHistory, PaymentGroup
from galerie.orders.offers import Offer, check_buyer_limits, priced_offers
from galerie.orders.rules import (
    ShippingChoice,
    address_snapshot,
    checked_shipping,
    merged_lines,
    order_number,
)
from galerie.orders.states import ActorKind, GroupStatus, OrderStatus

DEFAULT_PAY_WITHIN = timedelta(minutes=30)
MAX_SHOPS = 50  # shop orders in one checkout (order numbers give the position two digits)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    sku_id: int
    product_id: int
    title: str
    unit_price: Money
    quantity: int
    line_total: Money
    warehouse_id: int


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    id: int
    number: str
    shop_id: int
    goods_total: Money
    shipping_fee: Money
    total: Money
    shipping_method: str
    auto_confirm_days: int
    lines: tuple[PlacedLine, ...]


@dataclass(frozen=True, slots=True)
class PlacedGroup:
    id: int
    buyer_id: int
    total: Money
    pay_by: datetime
    orders: tuple[PlacedOrder, ...]


@dataclass(frozen=True, slots=True)
class _Draft:
    shop_id: int
    choice: ShippingChoice
    offers: tuple[tuple[Offer, int], ...]

    @property
    def goods(self) -> Money:
        first = self.offers[0][0].unit_price
        return sum((o.unit_price * q for o, q in self.offers), Money.zero(first.currency))


def _drafts(
    offers: Mapping[int, Offer], wanted: Mapping[int, int], shipping: Mapping[int, ShippingChoice]
) -> list[_Draft]:
    by_shop: dict[int, list[tuple[Offer, int]]] = {}
    for sku_id, quantity in wanted.items():
        by_shop.setdefault(offers[sku_id].shop_id, []).append((offers[sku_id], quantity))
    if len(by_shop) > MAX_SHOPS:
        raise ValidationFailed(
            f"At most {MAX_SHOPS} shops per checkout.", field="lines", code="too_many_shops"
        )
    missing, extra = set(by_shop) - set(shipping), set(shipping) - set(by_shop)
    if missing or extra:
        raise ValidationFailed(
            "Choose one shipping method for each shop of the order, and no other.",
            field="shipping",
            code="shipping_mismatch",
            missing=sorted(missing),
            unexpected=sorted(extra),
        )
    currency = next(iter(offers.values())).unit_price.currency
    return [
        _Draft(shop, checked_shipping(shipping[shop], currency), tuple(items))
        for shop, items in sorted(by_shop.items())
    ]


async def place_order(
    session: AsyncSession,
    *,
    buyer_id: int,
    lines: Sequence[tuple[int, int]],
    shipping: Mapping[int, ShippingChoice],
    address: Mapping[str, Any],
    now: datetime,
    pay_within: timedelta = DEFAULT_PAY_WITHIN,
) -> PlacedGroup:
    """Place the checkout `lines` ((sku_id, quantity) pairs; duplicates add up) with one
    shipping choice per shop. Prices come from the catalog, never from the client. Raises
    ValidationFailed (bad quantity, empty order, shipping_mismatch, bad_address...),
    ItemUnavailable, ShopUnavailable, MixedCurrencies, PerBuyerLimitExceeded or
    InsufficientStock; the caller's transaction then rolls back and nothing remains."""
    wanted = merged_lines(lines)
    snapshot = address_snapshot(address)
    offers = await priced_offers(session, wanted)
    drafts = _drafts(offers, wanted, shipping)
    await check_buyer_limits(session, buyer_id=buyer_id, offers=offers, wanted=wanted)
    group_id, total, pay_by = await _insert_group(session, drafts, buyer_id, now, pay_within)
    numbers = [order_number(now, group_id, i) for i in range(1, len(drafts) + 1)]
    order_ids = await _insert_orders(session, drafts, numbers, group_id, buyer_id, snapshot, now)
    placed = [
        await _reserve(session, draft, order_id, number, now)
        for draft, order_id, number in zip(drafts, order_ids, numbers, strict=True)
    ]
    await _insert_lines_and_history(session, placed, buyer_id, now)
    await _announce(session, placed, group_id, buyer_id, now)
    return PlacedGroup(group_id, buyer_id, total, pay_by, tuple(placed))


async def _insert_group(
    session: AsyncSession,
    drafts: Sequence[_Draft],
    buyer_id: int,
    now: datetime,
    pay_within: timedelta,
) -> tuple[int, Money, datetime]:
    goods = sum((d.goods for d in drafts[1:]), drafts[0].goods)
    fees = sum((d.choice.fee for d in drafts[1:]), drafts[0].choice.fee)
    pay_by = now + pay_within
    group_id = await session.scalar(
        insert(PaymentGroup)
        .values(
            buyer_id=buyer_id,
            currency=goods.currency,
            goods_total_minor=goods.minor,
            shipping_total_minor=fees.minor,
            total_minor=(goods + fees).minor,
            status=GroupStatus.AWAITING_PAYMENT.value,
            created_at=now,
            pay_by=pay_by,
            updated_at=now,
        )
        .returning(PaymentGroup.id)
    )
    assert group_id is not None
    return group_id, goods + fees, pay_by


async def _announce(
    session: AsyncSession,
    placed: Sequence[PlacedOrder],
    group_id: int,
    buyer_id: int,
    now: datetime,
) -> None:
    events = [
        OrderPlaced(
            order_id=order.id,
            number=order.number,
            payment_group_id=group_id,
            shop_id=order.shop_id,
            buyer_id=buyer_id,
            currency=order.total.currency,
            total_minor=order.total.minor,
        )
        for order in placed
    ]
    await record_events(session, events, now=now)


async def _insert_orders(
    session: AsyncSession,
    drafts: Sequence[_Draft],
    numbers: Sequence[str],
    group_id: int,
    buyer_id: int,
    address: dict[str, Any],
    now: datetime,
) -> list[int]:
    rows = [
        {
            "number": number,
            "payment_group_id": group_id,
            "shop_id": d.shop_id,
            "buyer_id": buyer_id,
            "status": OrderStatus.AWAITING_PAYMENT.value,
            "currency": d.goods.currency,
            "goods_total_minor": d.goods.minor,
            "shipping_fee_minor": d.choice.fee.minor,
            "total_minor": (d.goods + d.choice.fee).minor,
            "shipping_method": d.choice.method_code,
            "auto_confirm_days": d.choice.auto_confirm_days,
            "address": address,
            "created_at": now,
            "updated_at": now,
        }
        for d, number in zip(drafts, numbers, strict=True)
    ]
    result = await session.execute(insert(Order).values(rows).returning(Order.id, Order.shop_id))
    by_shop = {shop_id: order_id for order_id, shop_id in result}
    return [by_shop[d.shop_id] for d in drafts]


async def _reserve(
    session: AsyncSession, draft: _Draft, order_id: int, number: str, now: datetime
) -> PlacedOrder:
    lines = []
    for offer, quantity in draft.offers:
        level = await reserve_stock(
            session, sku_id=offer.sku_id, quantity=quantity, reference=f"order:{number}", now=now
        )
        lines.append(
            PlacedLine(
                offer.sku_id,
                offer.product_id,
                offer.title,
                offer.unit_price,
                quantity,
                offer.unit_price * quantity,
                level.warehouse_id,
            )
        )
    goods = draft.goods
    return PlacedOrder(
        order_id,
        number,
        draft.shop_id,
        goods,
        draft.choice.fee,
        goods + draft.choice.fee,
        draft.choice.method_code,
        draft.choice.auto_confirm_days,
        tuple(lines),
    )


async def _insert_lines_and_history(
    session: AsyncSession, placed: Sequence[PlacedOrder], buyer_id: int, now: datetime
) -> None:
    lines = [
        {
            "order_id": order.id,
            "shop_id": order.shop_id,
            "sku_id": line.sku_id,
            "product_id": line.product_id,
            "warehouse_id": line.warehouse_id,
            "title": line.title[:300],
            "unit_price_minor": line.unit_price.minor,
            "quantity": line.quantity,
            "line_total_minor": line.line_total.minor,
            "shipped_quantity": 0,
        }
        for order in placed
        for line in order.lines
    ]
    await session.execute(insert(OrderLine).values(lines))
    history = [
        {
            "order_id": order.id,
            "shop_id": order.shop_id,
            "from_status": None,
            "to_status": OrderStatus.AWAITING_PAYMENT.value,
            "reason": None,
            "actor_kind": ActorKind.BUYER.value,
            "actor_user_id": buyer_id,
            "at": now,
        }
        for order in placed
    ]
    await session.execute(insert(OrderStatusHistory).values(history))
