"""Paying a group in the payment webhook's raw transaction (ADR 0013): `move_group` then
`finish_paid` are `mark_group_paid`, in hand-written SQL on the driver connection.

The same steps and the same rules as `mark_group_paid` + `transition` + `move_order_stock`:
the group moves from `awaiting_payment` to `paid` by one conditional UPDATE (it serialises
everything done to the group: pay, close and cancel lock its row first), then every order
still awaiting payment moves to `paid` (stamping `paid_at`), each with one history row and
one OrderStatusChanged event, and the units reserved for its lines are committed (one
conditional UPDATE per SKU, in SKU order over the whole group; InsufficientStock when fewer
units are reserved). An order cancelled on its own before the payment is left as it is.

Statements: on PostgreSQL the group, its orders and their lines are ONE statement (the
orders' UPDATE a CTE of the group's, the lines joined to it), on SQLite three (in process,
no round trip); then one UPDATE per SKU. The history rows, the events and the stock
movements are `defer`red (RawSQL): they travel with the transaction's next statements.
`pay_group_ctes` and PAY_GROUP_COLUMNS let the webhook's use case put the move in its own
statement (galerie.payments.capture)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from galerie.db import RawSQL
from galerie.db.outbox import insert_events
from galerie.db.raw import values_sql
from galerie.inventory import InsufficientStock, MovementKind
from galerie.inventory.levels import Change, Movement, change_level, record_changes
from galerie.inventory.rules import commitment
from galerie.orders.events import OrderStatusChanged
from galerie.orders.placing import HISTORY_SQL
from galerie.orders.states import ActorKind, OrderStatus

_AWAITING, _PAID = OrderStatus.AWAITING_PAYMENT.value, OrderStatus.PAID.value

_GROUP = (
    "UPDATE payment_groups SET status = 'paid', paid_at = {now}, updated_at = {now} "
    "WHERE id {group} AND status = 'awaiting_payment' RETURNING id"
)
_ORDERS = (
    "UPDATE orders SET status = 'paid', paid_at = {now}, updated_at = {now} "
    "WHERE payment_group_id {group} AND status = 'awaiting_payment' "
    "RETURNING id, number, shop_id, buyer_id, total_minor, currency"
)
GROUP_SQL = _GROUP.format(now="$2", group="= $1")  # $1 the group, $2 now
ORDERS_SQL = _ORDERS.format(now="$2", group="= $1")
LINES_SQL = "SELECT order_id, warehouse_id, sku_id, quantity FROM order_lines WHERE order_id IN "


def pay_group_ctes(group: str, now: str) -> str:
    """PostgreSQL: the CTEs `pg_group` and `pg_orders` (the group's and its orders' moves)
    for the group given by `group` (`= $1`, `IN (SELECT ...)`) at `now` (a placeholder)."""
    moved = "IN (SELECT id FROM pg_group)"
    return (
        f"pg_group AS ({_GROUP.format(now=now, group=group)}), "
        f"pg_orders AS ({_ORDERS.format(now=now, group=moved)})"
    )


# The columns of a statement with pay_group_ctes, joined with PAY_GROUP_JOIN: one row per
# order line (the group's count first), or one row of NULLs when nothing moved.
PAY_GROUP_COLUMNS = (
    "(SELECT COUNT(*) FROM pg_group), pg_orders.id, pg_orders.number, pg_orders.shop_id, "
    "pg_orders.buyer_id, pg_orders.total_minor, pg_orders.currency, pg_lines.warehouse_id, "
    "pg_lines.sku_id, pg_lines.quantity"
)
PAY_GROUP_JOIN = (
    "LEFT JOIN (pg_orders JOIN order_lines pg_lines ON pg_lines.order_id = pg_orders.id) ON true"
)
PAY_GROUP_PG = (
    f"WITH {pay_group_ctes('= $1', '$2')} SELECT {PAY_GROUP_COLUMNS} "  # noqa: S608 - placeholders only
    f"FROM (SELECT 1) AS pg_one {PAY_GROUP_JOIN}"
)
PAY_GROUP_WIDTH = 10  # PAY_GROUP_COLUMNS


@dataclass(frozen=True, slots=True)
class PaidLine:
    order_id: int
    warehouse_id: int
    sku_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class PaidOrder:
    id: int
    number: str
    shop_id: int
    buyer_id: int
    total_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class PaidGroup:
    """What `pay_group` moved: `moved` False when the group was not awaiting payment (then
    nothing changed: it is paid, closed or cancelled already)."""

    moved: bool
    orders: tuple[PaidOrder, ...]
    lines: tuple[PaidLine, ...]


def paid_group_of(rows: Sequence[Sequence[Any]], offset: int = 0) -> PaidGroup:
    """The PaidGroup of PAY_GROUP_PG's rows (its columns from `offset` on)."""
    moved = bool(rows) and int(rows[0][offset]) > 0
    orders: dict[int, PaidOrder] = {}
    lines: list[PaidLine] = []
    for row in rows:
        if row[offset + 1] is None:
            continue
        c = row[offset + 1 : offset + PAY_GROUP_WIDTH]
        order = PaidOrder(int(c[0]), str(c[1]), int(c[2]), int(c[3]), int(c[4]), str(c[5]))
        orders.setdefault(order.id, order)
        lines.append(PaidLine(order.id, int(c[6]), int(c[7]), int(c[8])))
    return PaidGroup(moved, tuple(sorted(orders.values(), key=lambda o: o.id)), tuple(lines))


async def move_group(raw: RawSQL, group_id: int, now: datetime) -> PaidGroup:
    """The group and its open orders to `paid` (no stock, history or event yet)."""
    at = raw.at(now)
    if raw.dialect == "postgresql":
        return paid_group_of(await raw.fetch(PAY_GROUP_PG, group_id, at))
    if await raw.fetchrow(GROUP_SQL, group_id, at) is None:
        return PaidGroup(False, (), ())
    rows = await raw.fetch(ORDERS_SQL, group_id, at)
    orders = tuple(
        sorted(
            (PaidOrder(int(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5]))
             for r in rows),
            key=lambda o: o.id,
        )
    )  # fmt: skip
    ids = [order.id for order in orders]
    marks = ", ".join(f"${n}" for n in range(1, len(ids) + 1))
    found = await raw.fetch(f"{LINES_SQL}({marks})", *ids) if ids else []
    lines = tuple(PaidLine(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in found)
    return PaidGroup(True, orders, lines)


async def finish_paid(raw: RawSQL, paid: PaidGroup, now: datetime) -> None:
    """The rest of paying a group `move_group` moved: the units committed (SKU order), the
    movements, the history rows and the events."""
    numbers = {order.id: order.number for order in paid.orders}
    changes: list[Change] = []
    for line in sorted(paid.lines, key=lambda x: (x.sku_id, x.warehouse_id, x.order_id)):
        delta = commitment(line.quantity)
        level = await change_level(
            raw, warehouse_id=line.warehouse_id, sku_id=line.sku_id, delta=delta, now=now
        )
        if level is None:
            raise InsufficientStock(
                "Not enough stock to commitment here.",
                sku_id=line.sku_id, warehouse_id=line.warehouse_id,
            )  # fmt: skip
        reference = f"order:{numbers[line.order_id]}"
        changes.append(Change(level, delta, Movement(MovementKind.COMMITMENT, reference)))
    await record_changes(raw, changes, now=now)
    await history_and_events(raw, paid.orders, now)


async def history_and_events(raw: RawSQL, orders: Sequence[PaidOrder], now: datetime) -> None:
    """Each order's history row and OrderStatusChanged event of its move to `paid`
    (`defer`red)."""
    if not orders:
        return
    at, history = raw.at(now), list[Any]()
    system = ActorKind.SYSTEM.value
    for order in orders:
        history += (order.id, order.shop_id, _AWAITING, _PAID, None, system, None, at)
    await raw.defer(HISTORY_SQL + values_sql(len(orders), 8), *history)
    events = [
        OrderStatusChanged(
            order_id=order.id, shop_id=order.shop_id, buyer_id=order.buyer_id,
            from_status=_AWAITING, to_status=_PAID, reason=None, actor_kind=system,
            actor_user_id=None,
        )
        for order in orders
    ]  # fmt: skip
    await insert_events(raw, events, now=now)
