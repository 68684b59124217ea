"""The seller's stock use cases: receipts, adjustments (a signed change or a counted figure,
always with a reason), low-stock thresholds, and the check that a stock level equals the sum
of its movements. Each owns one transaction; every change is one conditional UPDATE with its
row-count check plus one movement row (galerie.inventory.levels)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog.product_models import Sku
from galerie.db import Database, RawSQL
from galerie.inventory.errors import StockWouldGoNegative
from galerie.inventory.levels import Level, Movement, change_level, ensure_level, record_change
from galerie.inventory.models import StockLevel, StockMovement, Warehouse
from galerie.inventory.rules import (
    Delta,
    MovementKind,
    adjustment_of,
    quantity_of,
    reason_of,
    receipt,
    reference_of,
    threshold_of,
)
from galerie.inventory.warehouses import warehouse_not_found
from galerie.kernel import Conflict, NotFound

ADJUST_ACTION = "inventory.stock.adjust"


async def _check_owned(
    session: AsyncSession, *, shop_id: int, warehouse_id: int, sku_id: int, receiving: bool
) -> None:
    """The warehouse and the SKU both belong to `shop_id` (else NotFound, as if absent)."""
    active = await session.scalar(
        select(Warehouse.is_active).where(
            Warehouse.id == warehouse_id, Warehouse.shop_id == shop_id
        )
    )
    if active is None:
        raise warehouse_not_found()
    sku = await session.scalar(select(Sku.id).where(Sku.id == sku_id, Sku.shop_id == shop_id))
    if sku is None:
        raise NotFound("No such SKU.", code="sku_not_found")
    if receiving and not active:
        raise Conflict("This warehouse is inactive.", code="warehouse_inactive")


async def receive_stock(
    db: Database,
    *,
    shop_id: int,
    warehouse_id: int,
    sku_id: int,
    quantity: int,
    reference: str | None = None,
    actor_user_id: int | None = None,
    now: datetime,
) -> Level:
    """Goods arrived: on hand and available go up by `quantity` (1..10,000,000). The level
    is created on the first receipt of the SKU in the warehouse."""
    quantity_of(quantity)
    note = reference_of(reference)
    delta = receipt(quantity)
    async with db.transaction() as session:
        await _check_owned(
            session, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, receiving=True
        )
        raw = await RawSQL.of(session)
        await ensure_level(raw, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, now=now)
        level = await change_level(
            raw, warehouse_id=warehouse_id, sku_id=sku_id, delta=delta, now=now
        )
        assert level is not None  # a receipt only adds
        movement = Movement(MovementKind.RECEIPT, reference=note, actor_user_id=actor_user_id)
        await record_change(raw, level=level, delta=delta, movement=movement, now=now)
        return level


async def adjust_stock(
    db: Database,
    *,
    shop_id: int,
    warehouse_id: int,
    sku_id: int,
    reason: str,
    delta: int | None = None,
    counted: int | None = None,
    actor_user_id: int | None = None,
    now: datetime,
    audit: AuditContext | None = None,
) -> Level:
    """Correct the stock after a count or a loss: either a signed `delta` of the available
    units or the `counted` units on hand. Refused (StockWouldGoNegative, nothing changed)
    when available would go below zero, that is when a count is below what is reserved and
    committed; quantities above 10,000,000 are refused as invalid. A manual adjustment is a
    privileged action: it writes one audit record (`inventory.stock.adjust`)."""
    change, count = adjustment_of(delta=delta, counted=counted)
    why = reason_of(reason)
    async with db.transaction() as session:
        await _check_owned(
            session, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, receiving=False
        )
        raw = await RawSQL.of(session)
        await ensure_level(raw, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, now=now)
        if count is not None:
            # The row is locked (PostgreSQL; SQLite writers are serialised) so the count
            # replaces exactly the on-hand figure it was compared with.
            change = count - await _on_hand(session, warehouse_id=warehouse_id, sku_id=sku_id)
            if change == 0:
                raise Conflict("The count matches the stock on hand.", code="no_change")
        assert change is not None
        step = Delta(available=change)
        level = await change_level(
            raw, warehouse_id=warehouse_id, sku_id=sku_id, delta=step, now=now
        )
        if level is None:
            raise StockWouldGoNegative(
                "Not enough available stock for this adjustment (reserved and committed "
                "units cannot be adjusted away).",
                field="delta" if count is None else "counted",
            )
        movement = Movement(MovementKind.ADJUSTMENT, reason=why, actor_user_id=actor_user_id)
        await record_change(raw, level=level, delta=step, movement=movement, now=now)
        record_audit(
            session,
            context=audit or AuditContext(actor_user_id=actor_user_id),
            action=ADJUST_ACTION,
            now=now,
            target_type="stock_level",
            target_id=level.id,
            reason=why,
            details={"shop_id": shop_id, "sku_id": sku_id, "delta_on_hand": step.on_hand},
        )
        return level


async def _on_hand(session: AsyncSession, *, warehouse_id: int, sku_id: int) -> int:
    found = await session.scalar(
        select(StockLevel.on_hand)
        .where(StockLevel.warehouse_id == warehouse_id, StockLevel.sku_id == sku_id)
        .with_for_update()
    )
    return int(found or 0)


async def set_low_stock_threshold(
    db: Database,
    *,
    shop_id: int,
    warehouse_id: int,
    sku_id: int,
    threshold: int | None,
    now: datetime,
) -> None:
    """Alert (StockLevelLow) when available falls to `threshold` or below; None: never."""
    value = threshold_of(threshold)
    async with db.transaction() as session:
        await _check_owned(
            session, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, receiving=False
        )
        raw = await RawSQL.of(session)
        await ensure_level(raw, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id, now=now)
        await session.execute(
            update(StockLevel)
            .where(StockLevel.warehouse_id == warehouse_id, StockLevel.sku_id == sku_id)
            .values(low_stock_threshold=value, updated_at=now)
        )


@dataclass(frozen=True, slots=True)
class StockCheck:
    """A stored stock level beside the sums of its movements."""

    stock_level_id: int
    stored: Delta
    from_movements: Delta

    @property
    def balanced(self) -> bool:
        return self.stored == self.from_movements


async def recompute_stock_from_movements(db: Database, *, stock_level_id: int) -> StockCheck:
    """Recompute a level from its movements (the check that stock is explained by them)."""
    async with db.reading() as session:
        level = await session.get(StockLevel, stock_level_id)
        if level is None:
            raise NotFound("No such stock level.", code="stock_level_not_found")
        sums = (
            await session.execute(
                select(
                    func.coalesce(func.sum(StockMovement.delta_available), 0),
                    func.coalesce(func.sum(StockMovement.delta_reserved), 0),
                    func.coalesce(func.sum(StockMovement.delta_committed), 0),
                ).where(StockMovement.stock_level_id == stock_level_id)
            )
        ).one()
    stored = Delta(level.available, level.reserved, level.committed)
    return StockCheck(stock_level_id, stored, Delta(int(sums[0]), int(sums[1]), int(sums[2])))
