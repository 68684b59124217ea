"""`place_order`: one checkout becomes one payment group, one order per shop, their lines,
their first history rows and one OrderPlaced event per order, with the stock of every SKU
reserved, all in the caller's transaction: if anything is refused (an item runs out in the
third shop), the transaction rolls back whole and nothing is left, not an order nor a
reserved unit.

Hand-written SQL on the driver connection (the hot path of ARCHITECTURE.md). Statements,
whatever the number of shops and lines: the SKU read (1), the buyer's limits (only when a
SKU has a per-buyer limit: 1, and the buyer's lock on PostgreSQL), the group (1), the
orders (1), the lines (1), the history (1) and the OrderPlaced events (1), each a
multi-row INSERT; plus inventory's `reserve_items`: one conditional UPDATE per SKU and one
INSERT of all the movements (and, when a sale empties a level or crosses its low-stock
threshold, the SKUs' totals and their events: two more). On PostgreSQL the group and its
orders are one statement (a CTE), and in a `raw_transaction` the history and the events are
`defer`red (RawSQL: they travel with the next statement) and the reservations, with their
movements and the lines, are the transaction's last statement (inventory's
`reserve_items_last`), so a hot SKU's row is locked for one round trip only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.db.outbox import insert_events
from galerie.db.raw import values_sql
from galerie.inventory import HeldItem, HeldWrite, Reservation, reserve_items, reserve_items_last
from galerie.kernel import Money, ValidationFailed
from galerie.orders.errors import ItemUnavailable, MixedCurrencies
from galerie.orders.events import OrderPlaced
from galerie.orders.offers import Offer, check_buyer_limits, priced_offers
from galerie.orders.one_statement import ORDER_WIDTH, IdsAhead, defer_group_and_orders
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
    goods: Money

    @classmethod
    def of(cls, shop_id: int, choice: ShippingChoice, offers: list[tuple[Offer, int]]) -> _Draft:
        first = offers[0][0].unit_price
        goods = sum((o.unit_price * q for o, q in offers), Money.zero(first.currency))
        return cls(shop_id, choice, tuple(offers), goods)


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
        _Draft.of(shop, checked_shipping(shipping[shop], currency), items)
        for shop, items in sorted(by_shop.items())
    ]


GROUP_SQL = (
    "INSERT INTO payment_groups (buyer_id, currency, goods_total_minor, shipping_total_minor, "
    "total_minor, status, created_at, pay_by, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) RETURNING id"
)
ORDERS_SQL = (
    "INSERT INTO orders (number, payment_group_id, shop_id, buyer_id, status, currency, "
    "goods_total_minor, shipping_fee_minor, total_minor, shipping_method, auto_confirm_days, "
    "address, created_at, updated_at) VALUES {values} "
    "RETURNING id, shop_id, number, payment_group_id"
)
LINES_SQL = (
    "INSERT INTO order_lines (order_id, shop_id, sku_id, product_id, warehouse_id, title, "
    "unit_price_minor, quantity, line_total_minor, shipped_quantity) VALUES "
)
HISTORY_SQL = (
    "INSERT INTO order_status_history (order_id, shop_id, from_status, to_status, reason, "
    "actor_kind, actor_user_id, at) VALUES "
)


async def place_order(
    on: AsyncSession | RawSQL,
    *,
    buyer_id: int,
    lines: Sequence[tuple[int, int]],
    shipping: Mapping[int, ShippingChoice],
    address: Mapping[str, Any],
    now: datetime,
    pay_within: timedelta = DEFAULT_PAY_WITHIN,
    offers: Mapping[int, Offer] | None = None,
    ids: IdsAhead | None = None,
) -> PlacedGroup:
    """Place the checkout `lines` ((sku_id, quantity) pairs; duplicates add up) with one
    shipping choice per shop, in the caller's transaction (a session's or a raw one).
    `offers`, when the caller has just read them in this transaction (the checkout's
    quote, which places only sold items of selling shops), saves reading them again;
    `ids` (`ids_ahead`), in a single statement, saves reading the ids.
    Prices come from the catalog, never from the client. Raises ValidationFailed (bad
    quantity, empty order, shipping_mismatch, bad_address...), ItemUnavailable,
    ShopUnavailable, MixedCurrencies, PerBuyerLimitExceeded or InsufficientStock; the
    caller's transaction then rolls back and nothing remains."""
    raw = await RawSQL.over(on)
    wanted = merged_lines(lines)
    snapshot = address_snapshot(address)
    offers = await _offers(raw, wanted, offers)
    drafts = _drafts(offers, wanted, shipping)
    await check_buyer_limits(raw, buyer_id=buyer_id, offers=offers, wanted=wanted)
    group_id, order_ids, numbers = await _insert_group_and_orders(
        raw, drafts, buyer_id, snapshot, now, now + pay_within, ids
    )
    total = sum(
        (d.goods + d.choice.fee for d in drafts[1:]), drafts[0].goods + drafts[0].choice.fee
    )
    await _insert_history(raw, drafts, order_ids, buyer_id, now)
    await _announce(raw, drafts, order_ids, numbers, group_id, buyer_id, now)
    placed = [
        _placed(draft, order_id, number)
        for draft, order_id, number in zip(drafts, order_ids, numbers, strict=True)
    ]
    # The stock rows are locked from the reservation to COMMIT (a hot SKU's buyers queue
    # on them), so the reservations come last: in a raw transaction on PostgreSQL as its
    # very last statement, with the lines (which need the warehouse) as its CTEs.
    if raw.defers_last:
        await reserve_items_last(raw, items=_held_items(placed), now=now)
    else:
        held = await _reserve(raw, placed, now)
        await _insert_lines(raw, placed, held)
    return PlacedGroup(group_id, buyer_id, total, now + pay_within, tuple(placed))


async def _offers(
    raw: RawSQL, wanted: Mapping[int, int], given: Mapping[int, Offer] | None
) -> Mapping[int, Offer]:
    if given is None:
        return await priced_offers(raw, wanted)
    missing = sorted(set(wanted) - set(given))
    if missing:
        raise ItemUnavailable("This item is no longer sold.", sku_id=missing[0])
    if len({given[sku].unit_price.currency for sku in wanted}) > 1:
        raise MixedCurrencies("Items priced in different currencies cannot be paid together.")
    return given


def _group_args(
    raw: RawSQL, drafts: Sequence[_Draft], buyer_id: int, now: datetime, pay_by: datetime
) -> list[Any]:
    goods = sum((d.goods for d in drafts[1:]), drafts[0].goods)
    fees = sum((d.choice.fee for d in drafts[1:]), drafts[0].choice.fee)
    return [buyer_id, goods.currency, goods.minor, fees.minor, (goods + fees).minor,
            GroupStatus.AWAITING_PAYMENT.value, raw.at(now), raw.at(pay_by)]  # fmt: skip


def _order_args(
    raw: RawSQL, drafts: Sequence[_Draft], buyer_id: int, address: dict[str, Any], now: datetime
) -> list[list[Any]]:
    """Each order's values after its number and group."""
    at, where = raw.at(now), raw.json(address)
    return [_order_values(d, buyer_id, where, at) for d in drafts]


def _order_values(draft: _Draft, buyer_id: int, where: str, at: Any) -> list[Any]:
    goods, fee = draft.goods, draft.choice.fee
    return [draft.shop_id, buyer_id, OrderStatus.AWAITING_PAYMENT.value, goods.currency,
            goods.minor, fee.minor, (goods + fee).minor, draft.choice.method_code,
            draft.choice.auto_confirm_days, where, at, at]  # fmt: skip


async def _insert_group_and_orders(
    raw: RawSQL,
    drafts: Sequence[_Draft],
    buyer_id: int,
    address: dict[str, Any],
    now: datetime,
    pay_by: datetime,
    ids: IdsAhead | None = None,
) -> tuple[int, list[int], list[str]]:
    """The group and its orders (numbered by the group's id), in draft order: one
    statement on PostgreSQL (the orders' INSERT takes the group's id from a CTE), two on
    SQLite (in-process, where a statement costs no round trip)."""
    group = _group_args(raw, drafts, buyer_id, now, pay_by)
    orders = _order_args(raw, drafts, buyer_id, address, now)
    if raw.single_statement:
        return await defer_group_and_orders(raw, group, orders, now, ids)
    if raw.dialect == "postgresql":
        sql = _group_and_orders_sql(len(drafts))
        args = group + [f"{now:%Y%m%d}"] + [v for values in orders for v in values]
        rows = await raw.fetch(sql, *args)
    else:
        row = await raw.fetchrow(GROUP_SQL, *group)
        assert row is not None
        group_id = int(row[0])
        numbers = [order_number(now, group_id, i) for i in range(1, len(drafts) + 1)]
        args = [
            v for n, values in zip(numbers, orders, strict=True) for v in (n, group_id, *values)
        ]
        sql = ORDERS_SQL.format(values=values_sql(len(drafts), ORDER_WIDTH + 2))
        rows = await raw.fetch(sql, *args)
    by_shop = {int(shop_id): (int(order_id), str(number)) for order_id, shop_id, number, _ in rows}
    order_ids = [by_shop[d.shop_id][0] for d in drafts]
    return int(rows[0][3]), order_ids, [by_shop[d.shop_id][1] for d in drafts]


@lru_cache(maxsize=MAX_SHOPS)
def _group_and_orders_sql(orders: int) -> str:
    """PostgreSQL: `WITH g AS (INSERT group) INSERT orders`, each order's number the day
    ($9), the group's id in ten digits at least and the order's position (order_number)."""
    group_id = "(SELECT id FROM g)"
    number = f"lpad({group_id}::text, greatest(10, length({group_id}::text)), '0')"
    rows = []
    for position in range(1, orders + 1):
        first = 10 + (position - 1) * ORDER_WIDTH
        marks = ", ".join(f"${first + c}" for c in range(ORDER_WIDTH))
        rows.append(f"($9 || {number} || '{position:02d}', {group_id}, {marks})")
    return f"WITH g AS ({GROUP_SQL}) " + ORDERS_SQL.format(values=", ".join(rows))


async def _announce(
    raw: RawSQL,
    drafts: Sequence[_Draft],
    order_ids: Sequence[int],
    numbers: Sequence[str],
    group_id: int,
    buyer_id: int,
    now: datetime,
) -> None:
    events = [
        OrderPlaced(
            order_id=order_id,
            number=number,
            payment_group_id=group_id,
            shop_id=draft.shop_id,
            buyer_id=buyer_id,
            currency=draft.goods.currency,
            total_minor=(draft.goods + draft.choice.fee).minor,
        )
        for draft, order_id, number in zip(drafts, order_ids, numbers, strict=True)
    ]
    await insert_events(raw, events, now=now)


async def _reserve(raw: RawSQL, placed: Sequence[PlacedOrder], now: datetime) -> dict[int, int]:
    """Hold every SKU's units (in SKU order: concurrent checkouts lock rows in one order);
    the warehouse holding each SKU."""
    items = sorted(
        (
            Reservation(line.sku_id, line.quantity, f"order:{order.number}")
            for order in placed
            for line in order.lines
        ),
        key=lambda item: item.sku_id,
    )
    levels = await reserve_items(raw, items=items, now=now)
    return {level.sku_id: level.warehouse_id for level in levels}


LINE_FROM_SQL = (
    LINES_SQL.replace(" VALUES ", " ")  # noqa: S608 - fixed fragments, bound values
    + "SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint, warehouse_id, $5::varchar, "
    "$6::bigint, $7::integer, $8::bigint, 0 FROM {level}"
)


def _held_items(placed: Sequence[PlacedOrder]) -> list[HeldItem]:
    """Each SKU to reserve (in SKU order) with its order line, written from the level."""
    items = [
        HeldItem(line.sku_id, line.quantity, f"order:{order.number}", (HeldWrite(
            LINE_FROM_SQL, (order.id, order.shop_id, line.sku_id, line.product_id,
                            line.title[:300], line.unit_price.minor, line.quantity,
                            line.line_total.minor)),))
        for order in placed
        for line in order.lines
    ]  # fmt: skip
    return sorted(items, key=lambda item: item.sku_id)


def _placed(draft: _Draft, order_id: int, number: str) -> PlacedOrder:
    lines = tuple(
        PlacedLine(
            offer.sku_id,
            offer.product_id,
            offer.title,
            offer.unit_price,
            quantity,
            offer.unit_price * quantity,
        )
        for offer, quantity in draft.offers
    )
    goods = draft.goods
    fee = draft.choice.fee
    return PlacedOrder(
        order_id,
        number,
        draft.shop_id,
        goods,
        fee,
        goods + fee,
        draft.choice.method_code,
        draft.choice.auto_confirm_days,
        lines,
    )


async def _insert_history(
    raw: RawSQL, drafts: Sequence[_Draft], order_ids: Sequence[int], buyer_id: int, now: datetime
) -> None:
    at, history = raw.at(now), list[Any]()
    for draft, order_id in zip(drafts, order_ids, strict=True):
        history += (order_id, draft.shop_id, None, OrderStatus.AWAITING_PAYMENT.value, None,
                    ActorKind.BUYER.value, buyer_id, at)  # fmt: skip
    await raw.defer(HISTORY_SQL + values_sql(len(drafts), 8), *history)


async def _insert_lines(
    raw: RawSQL, placed: Sequence[PlacedOrder], held: Mapping[int, int]
) -> None:
    lines: list[Any] = []
    for order in placed:
        for line in order.lines:
            lines += (order.id, order.shop_id, line.sku_id, line.product_id, held[line.sku_id],
                      line.title[:300], line.unit_price.minor, line.quantity,
                      line.line_total.minor, 0)  # fmt: skip
    await raw.defer(LINES_SQL + values_sql(len(lines) // 10, 10), *lines)
