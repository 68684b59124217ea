"""Reads for pages and APIs: a buyer's payment groups with their orders, a shop's orders
with filters, and one order's detail for whoever may see it. A fixed number of queries
each, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.product_models import Product, Sku
from galerie.db import Database
from galerie.kernel import Money, Page, PageRequest, ValidationFailed
from galerie.orders.errors import OrderNotFound, PaymentGroupNotFound
from galerie.orders.machine import may_see
from galerie.orders.models import Order, OrderLine, OrderStatusHistory, PaymentGroup
from galerie.orders.states import Actor, OrderStatus


@dataclass(frozen=True, slots=True)
class OrderSummary:
    id: int
    number: str
    payment_group_id: int
    shop_id: int
    buyer_id: int
    status: str
    goods_total: Money
    shipping_fee: Money
    total: Money
    created_at: datetime


@dataclass(frozen=True, slots=True)
class GroupView:
    id: int
    status: str
    total: Money
    amount_due: Money  # what is still to pay: the group's unpaid, uncancelled orders
    created_at: datetime
    pay_by: datetime
    orders: list[OrderSummary]


@dataclass(frozen=True, slots=True)
class LineView:
    id: int
    sku_id: int
    product_id: int
    title: str
    unit_price: Money
    quantity: int
    line_total: Money
    shipped_quantity: int
    warehouse_id: int
    # The variant as (axis, value) pairs in the product's axis order, read from the SKU
    # when the order is shown; () for a product without options.
    options: tuple[tuple[str, str], ...] = ()
    # The platform's commission on the line and its rate in basis points, recorded when the
    # order's escrow is released to the shop; None before.
    commission_bp: int | None = None
    commission: Money | None = None


@dataclass(frozen=True, slots=True)
class HistoryView:
    from_status: str | None
    to_status: str
    reason: str | None
    actor_kind: str
    actor_user_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class OrderDetail:
    summary: OrderSummary
    shipping_method: str
    auto_confirm_days: int
    address: dict[str, Any]
    paid_at: datetime | None
    shipped_at: datetime | None
    lines: list[LineView]
    history: list[HistoryView]


@dataclass(frozen=True, slots=True)
class OrderFilter:
    status: str | None = None
    placed_from: datetime | None = None  # inclusive
    placed_to: datetime | None = None  # exclusive
    number: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in set(OrderStatus):
            raise ValidationFailed("Unknown order status.", field="status", code="bad_status")
        for name in ("placed_from", "placed_to"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValidationFailed(
                    "Give a time with its offset (UTC: Z).", field=name, code="bad_time"
                )


_SUMMARY = (
    Order.id,
    Order.number,
    Order.payment_group_id,
    Order.shop_id,
    Order.buyer_id,
    Order.status,
    Order.currency,
    Order.goods_total_minor,
    Order.shipping_fee_minor,
    Order.total_minor,
    Order.created_at,
)


def _summary(row: Any) -> OrderSummary:
    currency = row[6]
    return OrderSummary(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        Money(row[7], currency),
        Money(row[8], currency),
        Money(row[9], currency),
        row[10],
    )


async def _paged(
    session: AsyncSession, statement: Select[Any], page: PageRequest
) -> tuple[int, list[Any]]:
    total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = (await session.execute(statement.limit(page.size).offset(page.offset))).all()
    return int(total), list(rows)


async def buyer_payment_groups(
    db: Database, *, buyer_id: int, page: PageRequest | None = None
) -> Page[GroupView]:
    """The buyer's checkouts, newest first, each with its orders. Three queries."""
    request = page or PageRequest()
    async with db.reading() as session:
        total, groups = await _paged(
            session,
            select(
                PaymentGroup.id,
                PaymentGroup.status,
                PaymentGroup.currency,
                PaymentGroup.total_minor,
                PaymentGroup.created_at,
                PaymentGroup.pay_by,
            )
            .where(PaymentGroup.buyer_id == buyer_id)
            .order_by(PaymentGroup.id.desc()),
            request,
        )
        orders = (
            await session.execute(
                select(*_SUMMARY)
                .where(Order.payment_group_id.in_([g[0] for g in groups]))
                .order_by(Order.id)
            )
        ).all()
    by_group: dict[int, list[OrderSummary]] = {}
    for row in orders:
        by_group.setdefault(row[2], []).append(_summary(row))
    items = []
    for group_id, status, currency, total_minor, created_at, pay_by in groups:
        mine = by_group.get(group_id, [])
        due = sum(o.total.minor for o in mine if o.status == OrderStatus.AWAITING_PAYMENT)
        items.append(
            GroupView(
                group_id,
                status,
                Money(total_minor, currency),
                Money(due, currency),
                created_at,
                pay_by,
                mine,
            )
        )
    return Page(items, request, total)


async def buyer_payment_group(db: Database, *, buyer_id: int, group_id: int) -> GroupView:
    """One of the buyer's checkouts with its orders; another buyer's (or none) is
    PaymentGroupNotFound, the same answer. Two queries."""
    async with db.reading() as session:
        group = (
            await session.execute(
                select(
                    PaymentGroup.status,
                    PaymentGroup.currency,
                    PaymentGroup.total_minor,
                    PaymentGroup.created_at,
                    PaymentGroup.pay_by,
                ).where(PaymentGroup.id == group_id, PaymentGroup.buyer_id == buyer_id)
            )
        ).first()
        if group is None:
            raise PaymentGroupNotFound("No such payment group.")
        rows = (
            await session.execute(
                select(*_SUMMARY).where(Order.payment_group_id == group_id).order_by(Order.id)
            )
        ).all()
    status, currency, total_minor, created_at, pay_by = group
    orders = [_summary(row) for row in rows]
    due = sum(o.total.minor for o in orders if o.status == OrderStatus.AWAITING_PAYMENT)
    return GroupView(
        group_id, status, Money(total_minor, currency), Money(due, currency), created_at,
        pay_by, orders,
    )  # fmt: skip


async def seller_orders(
    db: Database,
    *,
    shop_id: int,
    filters: OrderFilter | None = None,
    page: PageRequest | None = None,
) -> Page[OrderSummary]:
    """The shop's orders (only its own), newest first, filtered by status, placement time
    and number. Two queries."""
    f = filters or OrderFilter()
    request = page or PageRequest()
    statement = select(*_SUMMARY).where(Order.shop_id == shop_id)
    if f.status is not None:
        statement = statement.where(Order.status == f.status)
    if f.placed_from is not None:
        statement = statement.where(Order.created_at >= f.placed_from)
    if f.placed_to is not None:
        statement = statement.where(Order.created_at < f.placed_to)
    if f.number:
        statement = statement.where(Order.number == f.number.strip())
    async with db.reading() as session:
        total, rows = await _paged(
            session, statement.order_by(Order.created_at.desc(), Order.id.desc()), request
        )
    return Page([_summary(row) for row in rows], request, total)


async def order_detail(db: Database, *, order_id: int, actor: Actor) -> OrderDetail:
    """One order with its lines (each with its variant, read from its SKU in the same
    statement) and history, for its buyer, its shop's seller, operators
    (and the system). Anyone else gets OrderNotFound, as if it did not exist."""
    async with db.reading() as session:
        order = await session.get(Order, order_id)
        if order is None or not may_see(actor, buyer_id=order.buyer_id, shop_id=order.shop_id):
            raise OrderNotFound("No such order.")
        lines = (
            await session.execute(
                select(OrderLine, Sku.options, Product.option_axes)
                .outerjoin(Sku, Sku.id == OrderLine.sku_id)
                .outerjoin(Product, Product.id == Sku.product_id)
                .where(OrderLine.order_id == order_id)
                .order_by(OrderLine.id)
            )
        ).all()
        history = (
            await session.scalars(
                select(OrderStatusHistory)
                .where(OrderStatusHistory.order_id == order_id)
                .order_by(OrderStatusHistory.id)
            )
        ).all()
    return _detail(order, lines, history)


def _options(options: Any, axes: Any) -> tuple[tuple[str, str], ...]:
    """The SKU's options in its product's axis order (any others after, by name)."""
    values = dict(options or {})
    order = [a for a in (axes or []) if a in values] + sorted(set(values) - set(axes or []))
    return tuple((axis, str(values[axis])) for axis in order)


def _detail(
    order: Order, lines: Sequence[Any], history: Sequence[OrderStatusHistory]
) -> OrderDetail:
    c = order.currency
    summary = _summary(
        (
            order.id,
            order.number,
            order.payment_group_id,
            order.shop_id,
            order.buyer_id,
            order.status,
            c,
            order.goods_total_minor,
            order.shipping_fee_minor,
            order.total_minor,
            order.created_at,
        )
    )
    line_views = [
        LineView(
            li.id,
            li.sku_id,
            li.product_id,
            li.title,
            Money(li.unit_price_minor, c),
            li.quantity,
            Money(li.line_total_minor, c),
            li.shipped_quantity,
            li.warehouse_id,
            _options(options, axes),
            li.commission_bp,
            None if li.commission_minor is None else Money(li.commission_minor, c),
        )
        for li, options, axes in lines
    ]
    steps = [
        HistoryView(h.from_status, h.to_status, h.reason, h.actor_kind, h.actor_user_id, h.at)
        for h in history
    ]
    return OrderDetail(
        summary,
        order.shipping_method,
        order.auto_confirm_days,
        dict(order.address),
        order.paid_at,
        order.shipped_at,
        line_views,
        steps,
    )
