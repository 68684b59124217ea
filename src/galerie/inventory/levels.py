"""The one way a stock level changes: a conditional UPDATE of its parts (RETURNING the row,
so the row count is the check) and one movement row, on the driver connection of the
caller's transaction (RawSQL). Helpers here never commit.

Every statement keeps the parts non-negative in its WHERE clause, so two concurrent callers
can never both take the last unit: whichever updates second sees the first's row and
matches nothing. The CHECK constraints of the table are the last line of defence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.db.outbox import record_event
from galerie.inventory.events import StockLevelChanged, StockLevelLow
from galerie.inventory.rules import Delta, MovementKind, crossed_low

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
SKU_AVAILABLE_SQL = (
    "SELECT COALESCE(SUM(s.available), 0) FROM stock_levels s "
    "JOIN warehouses w ON w.id = s.warehouse_id WHERE s.sku_id = $1 AND w.is_active"
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


def stamp(raw: RawSQL, now: datetime) -> Any:
    """A timestamp as each driver wants it (SQLite: SQLAlchemy's text form, in UTC)."""
    utc = now.astimezone(UTC)
    if raw.dialect == "sqlite":
        return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return utc


def _level(row: Any) -> Level:
    return Level(*(row[i] for i in range(9)))


def _change_args(delta: Delta, at: Any) -> tuple[int, int, int, int, Any]:
    return (delta.on_hand, delta.available, delta.reserved, delta.committed, at)


async def change_level(
    raw: RawSQL, *, warehouse_id: int, sku_id: int, delta: Delta, now: datetime
) -> Level | None:
    """Apply `delta` to the level of (warehouse, SKU) if every part stays non-negative;
    None when no row qualifies (nothing changed)."""
    args = (*_change_args(delta, stamp(raw, now)), warehouse_id, sku_id)
    row = await raw.fetchrow(CHANGE_SQL, *args)
    return None if row is None else _level(row)


async def reserve_any(raw: RawSQL, *, sku_id: int, delta: Delta, now: datetime) -> Level | None:
    """Apply a reservation `delta` to the active level of the SKU with the most available."""
    row = await raw.fetchrow(RESERVE_ANY_SQL, *_change_args(delta, stamp(raw, now)), sku_id)
    return None if row is None else _level(row)


async def ensure_level(
    raw: RawSQL, *, shop_id: int, warehouse_id: int, sku_id: int, now: datetime
) -> None:
    """Create the empty level of (warehouse, SKU) unless it exists (the unique key decides)."""
    await raw.execute(ENSURE_SQL, shop_id, warehouse_id, sku_id, stamp(raw, now))


async def record_change(
    session: AsyncSession,
    raw: RawSQL,
    *,
    level: Level,
    delta: Delta,
    movement: Movement,
    now: datetime,
) -> None:
    """The movement row of a change just applied, and its events: StockLevelChanged when
    available moved, StockLevelLow when it crossed down to the threshold."""
    await raw.execute(
        MOVEMENT_SQL,
        level.shop_id,
        level.id,
        level.sku_id,
        level.warehouse_id,
        movement.kind.value,
        delta.on_hand,
        delta.available,
        delta.reserved,
        delta.committed,
        movement.reference,
        movement.reason,
        movement.actor_user_id,
        stamp(raw, now),
    )
    if delta.available == 0:
        return
    await announce_available(session, raw, shop_id=level.shop_id, sku_id=level.sku_id, now=now)
    before = level.available - delta.available
    if crossed_low(before=before, after=level.available, threshold=level.low_stock_threshold):
        assert level.low_stock_threshold is not None
        low = StockLevelLow(
            shop_id=level.shop_id,
            sku_id=level.sku_id,
            warehouse_id=level.warehouse_id,
            available=level.available,
            threshold=level.low_stock_threshold,
        )
        record_event(session, low, now=now)


async def announce_available(
    session: AsyncSession, raw: RawSQL, *, shop_id: int, sku_id: int, now: datetime
) -> None:
    """StockLevelChanged with the SKU's available stock over its active warehouses."""
    row = await raw.fetchrow(SKU_AVAILABLE_SQL, sku_id)
    total = int(row[0]) if row is not None else 0
    record_event(
        session, StockLevelChanged(shop_id=shop_id, sku_id=sku_id, available=total), now=now
    )
