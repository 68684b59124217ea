"""`reserve_items_last`: a checkout's reservations as the LAST statement of its transaction
(PostgreSQL, `RawSQL.defer_last`), so that a hot SKU's row stays locked for one round trip
(the COMMIT) instead of for every statement that used to follow it.

One statement for all the SKUs: per SKU, the conditional UPDATE of `RESERVE_ANY_SQL` as a
CTE (`r1`, `r2`, ... in SKU order, which is the order the statement locks them in), its
movement as `INSERT ... SELECT ... FROM r1`, and the caller's own writes that need the level
taken (an order line needs its warehouse): SQL reading from `{level}`, which becomes that
SKU's CTE. The deferred writes of the transaction travel with it. Its rows, one per SKU
that got its units, are checked when they come back: a SKU that got nothing is retried
alone while some active level still has the quantity (a concurrent buyer emptied the row
picked), else InsufficientStock rolls the transaction back whole. Stock events (a level
emptied, a threshold crossed) follow in one more statement, only when there are any.

In a single statement (`RawSQL.single_statement`, ADR 0015) nothing can follow: each SKU's
UPDATE takes only a level whose change raises no event (`RESERVE_QUIET_SQL`) and the
statement ends in `galerie_ensure`, which fails it whole unless every SKU got its units;
the caller then places the order again in a transaction, which retries and announces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from galerie.db import RawSQL
from galerie.db.raw import shifted
from galerie.inventory.errors import InsufficientStock
from galerie.inventory.levels import (
    RESERVE_ANY_SQL,
    RESERVE_QUIET_SQL,
    Change,
    Level,
    Movement,
    announce_changes,
)
from galerie.inventory.reservations import RESERVE_ATTEMPTS, any_level_has
from galerie.inventory.rules import MovementKind, quantity_of, reference_of, reservation

LEVEL_COLUMNS = (
    "id, shop_id, warehouse_id, sku_id, on_hand, available, reserved, committed, "
    "low_stock_threshold"
)
MOVEMENT_FROM_SQL = (
    "INSERT INTO stock_movements (shop_id, stock_level_id, sku_id, warehouse_id, kind, "
    "delta_on_hand, delta_available, delta_reserved, delta_committed, reference, reason, "
    "actor_user_id, at) SELECT shop_id, id, sku_id, warehouse_id, $1::varchar, 0, "
    "$2::integer, $3::integer, 0, $4::varchar, NULL, NULL, $5::timestamptz FROM {level}"
)


@dataclass(frozen=True, slots=True)
class HeldWrite:
    """A write that needs the level a reservation took: `sql` reads it from `{level}`
    (columns id, shop_id, warehouse_id, sku_id, ...), its placeholders numbered from $1
    over `args`. In a SELECT list, cast each placeholder (`$1::bigint`): PostgreSQL
    cannot infer its type there."""

    sql: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class HeldItem:
    sku_id: int
    quantity: int
    reference: str
    writes: tuple[HeldWrite, ...] = ()


def _statement(items: Sequence[HeldItem], at: Any, *, quiet: bool = False) -> tuple[str, list[Any]]:
    """The statement for `items` and its arguments (its text is built once per shape)."""
    args: list[Any] = []
    for item in items:
        delta = reservation(item.quantity)
        args += (0, delta.available, delta.reserved, 0, at, item.sku_id)
        args += (MovementKind.RESERVATION.value, delta.available, delta.reserved,
                 item.reference, at)  # fmt: skip
        for write in item.writes:
            args += write.args
    shape = tuple(tuple((w.sql, len(w.args)) for w in item.writes) for item in items)
    return _statement_sql(shape, quiet), args


RESERVE_ARGS, MOVEMENT_ARGS = 6, 5  # the arguments _statement gives each SKU's two CTEs


@lru_cache(maxsize=256)
def _statement_sql(shape: tuple[tuple[tuple[str, int], ...], ...], quiet: bool) -> str:
    """Per SKU (its writes' (sql, number of arguments) in `shape`): its UPDATE `rN`, its
    movement `mN` and its writes `wN_M`, placeholders numbered on; then the rows taken, or
    (`quiet`) the guard that every SKU got its units."""
    ctes: list[str] = []
    offset = 0

    def add(name: str, sql: str, count: int) -> None:
        nonlocal offset
        ctes.append(f"{name} AS ({shifted(sql, offset)})")
        offset += count

    for number, writes in enumerate(shape, 1):
        level = f"r{number}"
        add(level, RESERVE_QUIET_SQL if quiet else RESERVE_ANY_SQL, RESERVE_ARGS)
        add(f"m{number}", MOVEMENT_FROM_SQL.format(level=level), MOVEMENT_ARGS)
        for extra, (sql, count) in enumerate(writes, 1):
            add(f"w{number}_{extra}", sql.format(level=level), count)
    head = "WITH " + ", ".join(ctes) + " "
    if quiet:
        counts = (f"(SELECT count(*) FROM r{n})" for n in range(1, len(shape) + 1))  # noqa: S608 - ours
        return (
            head
            + f"SELECT galerie_ensure({' + '.join(counts)} = {len(shape)}, 'insufficient_stock')"
        )
    selects = (f"SELECT {n}, {LEVEL_COLUMNS} FROM r{n}" for n in range(1, len(shape) + 1))  # noqa: S608 - fixed fragments
    return head + " UNION ALL ".join(selects)


async def reserve_items_last(raw: RawSQL, *, items: Sequence[HeldItem], now: datetime) -> None:
    """Register the reservations of `items` (in SKU order, one per SKU) as the
    transaction's last statement (see the module). Raises at COMMIT time, through the
    owner's flush: InsufficientStock for the first SKU short of stock."""
    for item in items:
        quantity_of(item.quantity)
        reference_of(item.reference)
    at = raw.at(now)
    if raw.single_statement:
        sql, args = _statement(items, at, quiet=True)
        await raw.defer_last(sql, *args, check=_ensured)
        return
    sql, args = _statement(items, at)

    async def check(rows: list[Sequence[Any]]) -> None:
        taken = {int(row[0]): Level(*(row[i] for i in range(1, 10))) for row in rows}
        for number, item in enumerate(items, 1):
            if number not in taken:
                taken[number] = await _retry(raw, item, at)
        changes = [
            Change(taken[n], reservation(i.quantity), Movement(MovementKind.RESERVATION))
            for n, i in enumerate(items, 1)
        ]
        await announce_changes(raw, changes, now=now)

    await raw.defer_last(sql, *args, check=check)


async def _ensured(rows: list[Sequence[Any]]) -> None:
    """A single statement's rows: its guard held (else it failed), nothing to do."""


async def _retry(raw: RawSQL, item: HeldItem, at: Any) -> Level:
    """The SKU alone again, while some active level still holds the quantity."""
    sql, args = _statement([item], at)
    for _ in range(RESERVE_ATTEMPTS):
        if not await any_level_has(raw, item.sku_id, item.quantity):
            break
        row = await raw.fetchrow(sql, *args)
        if row is not None:
            return Level(*(row[i] for i in range(1, 10)))
    raise InsufficientStock("Not enough stock.", sku_id=item.sku_id, quantity=item.quantity,
                            warehouse_id=None)  # fmt: skip
