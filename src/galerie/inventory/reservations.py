"""The checkout primitives: reserve, release, commit and ship stock.

They are helpers, not use cases: each runs INSIDE the caller's transaction (pass the
`AsyncSession` of the caller's `db.transaction()`), never commits, and raises on refusal so
that the caller's transaction rolls back whole. Each is one conditional UPDATE on the driver
connection (`... WHERE available >= :q`, with the row count as the check) plus one movement
row and its outbox events, so two buyers can never take the same unit on either database.

    async with db.transaction() as session:
        reservation = await reserve_stock(session, sku_id=..., quantity=2,
                                          reference="order-line:42", now=now)
        ...  # store reservation.warehouse_id on the order line
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.inventory.errors import InsufficientStock
from galerie.inventory.levels import (
    Change,
    Level,
    Movement,
    change_level,
    record_change,
    record_changes,
    reserve_any,
)
from galerie.inventory.rules import (
    Delta,
    MovementKind,
    commitment,
    quantity_of,
    reference_of,
    release,
    reservation,
    shipment,
)

# A row emptied by a concurrent buyer between the pick and the update matches nothing; the
# pick is then repeated against fresh data while some level still has the quantity (each
# miss means another buyer took stock), with this bound as a safety net.
RESERVE_ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class Reservation:
    """One SKU to hold for an order: `quantity` units, recorded with `reference`."""

    sku_id: int
    quantity: int
    reference: str


async def reserve_stock(
    on: AsyncSession | RawSQL,
    *,
    sku_id: int,
    quantity: int,
    reference: str,
    now: datetime,
    warehouse_id: int | None = None,
) -> Level:
    """Hold `quantity` units of the SKU for an unpaid order: available -> reserved, in the
    given warehouse or else in the active warehouse with the most available. Returns the
    level after the change (its `warehouse_id` is where the units are held). Raises
    InsufficientStock (code insufficient_stock, nothing changed) when no level qualifies.
    A given warehouse is used as named (the caller chose it, active or not); the automatic
    choice skips inactive warehouses. Runs in the caller's transaction; never commits."""
    quantity_of(quantity)
    note = reference_of(reference)
    raw = await RawSQL.over(on)
    level = await _reserve(raw, sku_id, quantity, warehouse_id, now)
    await record_change(raw, level=level, delta=reservation(quantity),
                        movement=Movement(MovementKind.RESERVATION, reference=note), now=now)  # fmt: skip
    return level


async def reserve_items(
    on: AsyncSession | RawSQL, *, items: Sequence[Reservation], now: datetime
) -> list[Level]:
    """`reserve_stock` for several SKUs at once (a checkout): one conditional UPDATE per
    SKU, in the order given (callers pass SKU order, so concurrent checkouts lock rows in
    one order), then ONE statement for all the movements. All or nothing: InsufficientStock
    for the first SKU short of stock, and the caller's transaction rolls back."""
    for item in items:
        quantity_of(item.quantity)
        reference_of(item.reference)
    raw = await RawSQL.over(on)
    levels = [await _reserve(raw, i.sku_id, i.quantity, None, now) for i in items]
    changes = [
        Change(level, reservation(i.quantity), Movement(MovementKind.RESERVATION, i.reference))
        for level, i in zip(levels, items, strict=True)
    ]
    await record_changes(raw, changes, now=now)
    return levels


async def _reserve(
    raw: RawSQL, sku_id: int, quantity: int, warehouse_id: int | None, now: datetime
) -> Level:
    delta = reservation(quantity)
    level: Level | None = None
    if warehouse_id is not None:
        level = await change_level(
            raw, warehouse_id=warehouse_id, sku_id=sku_id, delta=delta, now=now
        )
    else:
        for _ in range(RESERVE_ATTEMPTS):
            level = await reserve_any(raw, sku_id=sku_id, delta=delta, now=now)
            if level is not None or not await any_level_has(raw, sku_id, quantity):
                break
    if level is None:
        raise InsufficientStock(
            "Not enough stock.", sku_id=sku_id, quantity=quantity, warehouse_id=warehouse_id
        )
    return level


async def any_level_has(raw: RawSQL, sku_id: int, quantity: int) -> bool:
    row = await raw.fetchrow(
        "SELECT 1 FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id "
        "WHERE s.sku_id = $1 AND w.is_active AND s.available >= $2 LIMIT 1",
        sku_id,
        quantity,
    )
    return row is not None


async def release_reservation(
    session: AsyncSession,
    *,
    warehouse_id: int,
    sku_id: int,
    quantity: int,
    reference: str,
    now: datetime,
) -> Level:
    """Give back units held for an order that closed or was cancelled: reserved ->
    available. Raises InsufficientStock when fewer units are reserved. Never commits."""
    return await _move(
        session, warehouse_id, sku_id, release(quantity), MovementKind.RELEASE, reference, now
    )


async def commit_reservation(
    session: AsyncSession,
    *,
    warehouse_id: int,
    sku_id: int,
    quantity: int,
    reference: str,
    now: datetime,
) -> Level:
    """The order was paid: reserved -> committed (no longer released by the unpaid-order
    timer). Raises InsufficientStock when fewer units are reserved. Never commits."""
    return await _move(
        session,
        warehouse_id,
        sku_id,
        commitment(quantity),
        MovementKind.COMMITMENT,
        reference,
        now,
    )


async def release_commitment(
    session: AsyncSession,
    *,
    warehouse_id: int,
    sku_id: int,
    quantity: int,
    reference: str,
    now: datetime,
) -> Level:
    """Give back units of a paid order cancelled before shipment: committed -> available
    (a `release` movement). Raises InsufficientStock when fewer units are committed.
    Never commits."""
    delta = Delta(available=quantity, committed=-quantity)
    return await _move(session, warehouse_id, sku_id, delta, MovementKind.RELEASE, reference, now)


async def ship_stock(
    session: AsyncSession,
    *,
    warehouse_id: int,
    sku_id: int,
    quantity: int,
    reference: str,
    now: datetime,
) -> Level:
    """The units left the warehouse: out of committed and on hand. Raises
    InsufficientStock when fewer units are committed. Never commits."""
    return await _move(
        session, warehouse_id, sku_id, shipment(quantity), MovementKind.SHIPMENT, reference, now
    )


async def _move(
    session: AsyncSession,
    warehouse_id: int,
    sku_id: int,
    delta: Delta,
    kind: MovementKind,
    reference: str,
    now: datetime,
) -> Level:
    quantity_of(max(abs(delta.available), abs(delta.reserved), abs(delta.committed)))
    note = reference_of(reference)
    raw = await RawSQL.of(session)
    level = await change_level(raw, warehouse_id=warehouse_id, sku_id=sku_id, delta=delta, now=now)
    if level is None:
        raise InsufficientStock(
            f"Not enough stock to {kind.value} here.", sku_id=sku_id, warehouse_id=warehouse_id
        )
    await record_change(raw, level=level, delta=delta, movement=Movement(kind, note), now=now)
    return level
