"""The one way a stock level changes: a conditional UPDATE of its parts (RETURNING the row,
so the row count is the check) and one movement row, on the driver connection of the
caller's transaction (RawSQL). Helpers here never commit.

Every statement keeps the parts non-negative in its WHERE clause, so two concurrent callers
can never both take the last unit: whichever updates second sees the first's row and
matches nothing. The CHECK constraints of the table are the last line of defence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from galerie.db import RawSQL
from galerie.db.outbox import insert_events
from galerie.db.raw import values_sql
from galerie.inventory.events import StockLevelChanged, StockLevelLow
from galerie.inventory.rules import Delta, MovementKind, crossed_low
from galerie.kernel.events import DomainEvent

CHANGE_SQL = (
    "UPDATE stock_levels SET on_hand = on_hand + $1, available = available + $2, "
    "reserved = reserved + $3, committed = committed + $4, updated_at = $5 "
    "WHERE warehouse_id = $6 AND sku_id = $7 "
    "AND available + $2 >= 0 AND reserved + $3 >= 0 AND committed + $4 >= 0 "
    "RETURNING id, shop_id, warehouse_id, sku_id, on_hand, available, reserved, committed, "
    "low_stock_threshold"
)
# Reserve from the active warehouse with the most available; the sub-select picks the row,
# the outer WHERE re-checks it, so a row emptied meanwhile matches nothing (and we retry).
RESERVE_ANY_SQL = (
    "UPDATE stock_levels SET on_hand = on_hand + $1, available = available + $2, "
    "reserved = reserved + $3, committed = committed + $4, updated_at = $5 "
    "WHERE id = (SELECT s.id FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id "
    "WHERE s.sku_id = $6 AND w.is_active AND s.available >= $3 "
    "ORDER BY s.available DESC, s.id LIMIT 1) "
    "AND available + $2 >= 0 AND reserved + $3 >= 0 AND committed + $4 >= 0 "
    "RETURNING id, shop_id, warehouse_id, sku_id, on_hand, available, reserved, committed, "
    "low_stock_threshold"
)
# RESERVE_ANY_SQL for a single statement (ADR 0015), which can run nothing after it: it
# takes only a level left with units and not crossing its low-stock threshold, the changes
# that raise no stock event (announce_changes); any other reservation finds no row.
RESERVE_QUIET_SQL = RESERVE_ANY_SQL.replace(
    " RETURNING ",
    " AND available + $2 > 0 AND (low_stock_threshold IS NULL "
    "OR available <= low_stock_threshold OR available + $2 > low_stock_threshold) RETURNING ",
)
ENSURE_SQL = (
    "INSERT INTO stock_levels (shop_id, warehouse_id, sku_id, on_hand, available, reserved, "
    "committed, updated_at) VALUES ($1, $2, $3, 0, 0, 0, 0, $4) "
    "ON CONFLICT (warehouse_id, sku_id) DO NOTHING"
)
MOVEMENT_SQL = (
    "INSERT INTO stock_movements (shop_id, stock_level_id, sku_id, warehouse_id, kind, "
    "delta_on_hand, delta_available, delta_reserved, delta_committed, reference, reason, "
    "actor_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
)
MOVEMENTS_SQL = MOVEMENT_SQL.split(" VALUES ")[0] + " VALUES "
SKU_TOTALS_SQL = (
    "SELECT s.sku_id, COALESCE(SUM(s.available), 0) FROM stock_levels s "
    "JOIN warehouses w ON w.id = s.warehouse_id WHERE s.sku_id IN ({marks}) AND w.is_active "
    "GROUP BY s.sku_id"
)


@dataclass(frozen=True, slots=True)
class Level:
    """A stock level as it is after a change."""

    id: int
    shop_id: int
    warehouse_id: int
    sku_id: int
    on_hand: int
    available: int
    reserved: int
    committed: int
    low_stock_threshold: int | None


@dataclass(frozen=True, slots=True)
class Movement:
    kind: MovementKind
    reference: str | None = None
    reason: str | None = None
    actor_user_id: int | None = None


def _level(row: Any) -> Level:
    return Level(*(row[i] for i in range(9)))


def _change_args(delta: Delta, at: Any) -> tuple[int, int, int, int, Any]:
    return (delta.on_hand, delta.available, delta.reserved, delta.committed, at)


async def change_level(
    raw: RawSQL, *, warehouse_id: int, sku_id: int, delta: Delta, now: datetime
) -> Level | None:
    """Apply `delta` to the level of (warehouse, SKU) if every part stays non-negative;
    None when no row qualifies (nothing changed)."""
    args = (*_change_args(delta, raw.at(now)), warehouse_id, sku_id)
    row = await raw.fetchrow(CHANGE_SQL, *args)
    return None if row is None else _level(row)


async def reserve_any(raw: RawSQL, *, sku_id: int, delta: Delta, now: datetime) -> Level | None:
    """Apply a reservation `delta` to the active level of the SKU with the most available."""
    row = await raw.fetchrow(RESERVE_ANY_SQL, *_change_args(delta, raw.at(now)), sku_id)
    return None if row is None else _level(row)


async def ensure_level(
    raw: RawSQL, *, shop_id: int, warehouse_id: int, sku_id: int, now: datetime
) -> None:
    """Create the empty level of (warehouse, SKU) unless it exists (the unique key decides)."""
    await raw.execute(ENSURE_SQL, shop_id, warehouse_id, sku_id, raw.at(now))


@dataclass(frozen=True, slots=True)
class Change:
    """A change just applied to a level, to record: the level after it, the delta, why."""

    level: Level
    delta: Delta
    movement: Movement


async def record_change(
    raw: RawSQL, *, level: Level, delta: Delta, movement: Movement, now: datetime
) -> None:
    """The movement row of a change just applied, and its events (see record_changes)."""
    await record_changes(raw, [Change(level, delta, movement)], now=now)


async def record_changes(raw: RawSQL, changes: Sequence[Change], *, now: datetime) -> None:
    """The movement rows of changes just applied (ONE statement), and their events:
    StockLevelChanged when a change gave units back, or took the last units of its level
    (a sale that leaves units cannot change whether the SKU is in stock, so it announces
    nothing); StockLevelLow when available crossed down to the threshold. The events cost
    two statements more, only when there are any."""
    if not changes:
        return
    at = raw.at(now)
    args: list[Any] = []
    for c in changes:
        d, m, lv = c.delta, c.movement, c.level
        args += (lv.shop_id, lv.id, lv.sku_id, lv.warehouse_id, m.kind.value, d.on_hand,
                 d.available, d.reserved, d.committed, m.reference, m.reason,
                 m.actor_user_id, at)  # fmt: skip
    await raw.defer(MOVEMENTS_SQL + values_sql(len(changes), 13), *args)
    await announce_changes(raw, changes, now=now)


async def announce_changes(raw: RawSQL, changes: Sequence[Change], *, now: datetime) -> None:
    """The events of changes just applied (see record_changes): none for most sales."""
    announced = {
        (c.level.shop_id, c.level.sku_id)
        for c in changes
        if c.delta.available > 0 or (c.delta.available < 0 and c.level.available == 0)
    }
    events: list[DomainEvent] = [_low(c.level) for c in changes if _crossed_low(c)]
    if announced:
        totals = await available_totals(raw, sorted({sku for _, sku in announced}))
        events += [
            StockLevelChanged(shop_id=shop, sku_id=sku, available=totals.get(sku, 0))
            for shop, sku in sorted(announced)
        ]
    await insert_events(raw, events, now=now)


def _crossed_low(change: Change) -> bool:
    before = change.level.available - change.delta.available
    after, threshold = change.level.available, change.level.low_stock_threshold
    return crossed_low(before=before, after=after, threshold=threshold)


def _low(level: Level) -> StockLevelLow:
    assert level.low_stock_threshold is not None
    return StockLevelLow(
        shop_id=level.shop_id,
        sku_id=level.sku_id,
        warehouse_id=level.warehouse_id,
        available=level.available,
        threshold=level.low_stock_threshold,
    )


async def available_totals(raw: RawSQL, sku_ids: Sequence[int]) -> dict[int, int]:
    """Each SKU's available units over its active warehouses (one statement)."""
    marks = ", ".join(f"${i}" for i in range(1, len(sku_ids) + 1))
    rows = await raw.fetch(SKU_TOTALS_SQL.format(marks=marks), *sku_ids)
    return {int(sku): int(total) for sku, total in rows}


async def announce_available(raw: RawSQL, *, shop_id: int, sku_id: int, now: datetime) -> None:
    """StockLevelChanged with the SKU's available stock over its active warehouses."""
    total = (await available_totals(raw, [sku_id])).get(sku_id, 0)
    event = StockLevelChanged(shop_id=shop_id, sku_id=sku_id, available=total)
    await insert_events(raw, [event], now=now)
