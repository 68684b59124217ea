"""Wire types of the orders API and the mapping from galerie.orders' read models.

Bodies forbid unknown fields (a body naming a status, a total or a shop is refused with
400, never applied)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from galerie.kernel import Money as DomainMoney
from galerie.kernel import Page
from galerie.orders import GroupView, OrderDetail, OrderSummary
from galerie.web.api.v1.wire import Money


class CancelBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)]


class OrderSummaryOut(msgspec.Struct, frozen=True):
    id: int
    number: str
    payment_group_id: int
    shop_id: int
    status: str
    goods_total: Money
    shipping_fee: Money
    total: Money
    placed_at: datetime


class GroupOut(msgspec.Struct, frozen=True):
    id: int
    status: str
    total: Money
    amount_due: Money
    placed_at: datetime
    pay_by: datetime
    orders: list[OrderSummaryOut]


class LineOut(msgspec.Struct, frozen=True):
    id: int
    sku_id: int
    product_id: int
    title: str
    unit_price: Money
    quantity: int
    line_total: Money
    shipped_quantity: int


class HistoryOut(msgspec.Struct, frozen=True):
    from_status: str | None
    to_status: str
    reason: str | None
    actor_kind: str
    at: datetime


class OrderOut(msgspec.Struct, frozen=True):
    order: OrderSummaryOut
    shipping_method: str
    auto_confirm_days: int
    address: dict[str, Any]
    paid_at: datetime | None
    shipped_at: datetime | None
    lines: list[LineOut]
    history: list[HistoryOut]


class PageOut(msgspec.Struct, frozen=True):
    page: int
    per_page: int
    total: int
    pages: int


class GroupsOut(msgspec.Struct, frozen=True):
    page: PageOut
    items: list[GroupOut]


class OrdersOut(msgspec.Struct, frozen=True):
    page: PageOut
    items: list[OrderSummaryOut]


def money(value: DomainMoney) -> Money:
    return Money(value.minor, value.currency)


def page_out(page: Page[Any]) -> PageOut:
    return PageOut(page.request.number, page.request.size, page.total, page.pages)


def summary_out(o: OrderSummary) -> OrderSummaryOut:
    return OrderSummaryOut(
        o.id,
        o.number,
        o.payment_group_id,
        o.shop_id,
        o.status,
        money(o.goods_total),
        money(o.shipping_fee),
        money(o.total),
        o.created_at,
    )


def group_out(g: GroupView) -> GroupOut:
    return GroupOut(
        g.id,
        g.status,
        money(g.total),
        money(g.amount_due),
        g.created_at,
        g.pay_by,
        [summary_out(o) for o in g.orders],
    )


def order_out(d: OrderDetail) -> OrderOut:
    return OrderOut(
        summary_out(d.summary),
        d.shipping_method,
        d.auto_confirm_days,
        d.address,
        d.paid_at,
        d.shipped_at,
        [
            LineOut(
                li.id,
                li.sku_id,
                li.product_id,
                li.title,
                money(li.unit_price),
                li.quantity,
                money(li.line_total),
                li.shipped_quantity,
            )
            for li in d.lines
        ],
        [HistoryOut(h.from_status, h.to_status, h.reason, h.actor_kind, h.at) for h in d.history],
    )
