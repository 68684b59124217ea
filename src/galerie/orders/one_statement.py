"""A checkout's group and orders in a single statement (ADR 0015): their ids are taken
from their sequences before the statement (`ids_ahead`, with the cart's read, or one read
of their own), so that every row naming them (lines, history, events, the stored response)
is written by that one statement, the group and the orders with explicit ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from galerie.db import RawSQL
from galerie.db.raw import values_sql
from galerie.orders.rules import order_number

ORDER_WIDTH = 12  # placing's values per order after its number and group

GROUP_WITH_ID_SQL = (
    "INSERT INTO payment_groups (id, buyer_id, currency, goods_total_minor, "
    "shipping_total_minor, total_minor, status, created_at, pay_by, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)"
)
ORDERS_WITH_IDS_SQL = (
    "INSERT INTO orders (id, number, payment_group_id, shop_id, buyer_id, status, currency, "
    "goods_total_minor, shipping_fee_minor, total_minor, shipping_method, auto_confirm_days, "
    "address, created_at, updated_at) VALUES "
)

IDS_SQL = (  # the group's id, then those of $1 orders
    "SELECT ARRAY[nextval('payment_groups_id_seq')] "
    "|| ARRAY(SELECT nextval('orders_id_seq') FROM generate_series(1, $1))"
)


@dataclass(slots=True)
class IdsAhead:
    """Ids of a group and its orders taken from their sequences before placing it."""

    ids: list[int] = field(default_factory=list)

    def of(self, orders: int) -> list[int] | None:
        """The group's id and `orders` orders' ids, when that many were taken."""
        return self.ids[: orders + 1] if len(self.ids) > orders else None


async def ids_ahead(raw: RawSQL, *, orders: int) -> IdsAhead:
    """For a single statement (ADR 0015): the ids of a group of up to `orders` orders,
    taken with the transaction's next read (`RawSQL.lead`), so that `place_order(ids=)`
    needs no read of its own. Unused ids are gaps, as after any rollback."""
    ahead = IdsAhead()

    async def then(row: Sequence[Any] | None) -> None:
        assert row is not None
        ahead.ids = [int(i) for i in row[0]]

    await raw.lead(IDS_SQL, orders, then=then, outside_transaction=True)
    return ahead


async def defer_group_and_orders(
    raw: RawSQL,
    group: list[Any],
    orders: list[list[Any]],
    now: datetime,
    ahead: IdsAhead | None,
) -> tuple[int, list[int], list[str]]:
    """A single statement's group and orders (ADR 0015): their ids taken from their
    sequences first (`ahead`, or one read), so that the rows that name them (lines,
    history, events, the stored response) can all be written by the one statement."""
    taken = ahead.of(len(orders)) if ahead is not None else None
    if taken is None:
        row = await raw.fetchrow(IDS_SQL, len(orders))
        assert row is not None
        taken = [int(i) for i in row[0]]
    group_id, order_ids = taken[0], taken[1:]
    numbers = [order_number(now, group_id, i) for i in range(1, len(orders) + 1)]
    await raw.defer(GROUP_WITH_ID_SQL, group_id, *group)
    args = [
        v
        for order_id, number, values in zip(order_ids, numbers, orders, strict=True)
        for v in (order_id, number, group_id, *values)
    ]
    await raw.defer(ORDERS_WITH_IDS_SQL + values_sql(len(orders), ORDER_WIDTH + 3), *args)
    return group_id, order_ids, numbers
