"""Warehouses: a shop's stock locations with their addresses. The code is unique within the
shop by a constraint (a duplicate is a Conflict, never a check-then-insert). A deactivated
warehouse keeps its stock and movements but takes no receipts and no new reservations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database, RawSQL
from galerie.inventory.levels import announce_available
from galerie.inventory.models import StockLevel, Warehouse
from galerie.inventory.rules import WarehouseForm
from galerie.kernel import Conflict, NotFound

CODE_TAKEN = "This shop already has a warehouse with this code."


def warehouse_not_found() -> NotFound:
    return NotFound("No such warehouse.", code="warehouse_not_found")


async def create_warehouse(
    db: Database, *, shop_id: int, form: WarehouseForm, now: datetime
) -> int:
    """Add a warehouse to `shop_id`; returns its id."""
    clean = form.cleaned()
    async with db.transaction() as session:
        warehouse = Warehouse(
            shop_id=shop_id,
            code=clean.code,
            name=clean.name,
            country=clean.country,
            region=clean.region,
            city=clean.city,
            address_line=clean.address_line,
            postal_code=clean.postal_code,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        session.add(warehouse)
        await _flush(session)
        return warehouse.id


async def update_warehouse(
    db: Database, *, shop_id: int, warehouse_id: int, form: WarehouseForm, now: datetime
) -> None:
    """Replace the code, name and address of one of the shop's warehouses."""
    clean = form.cleaned()
    async with db.transaction() as session:
        statement = (
            update(Warehouse)
            .where(Warehouse.id == warehouse_id, Warehouse.shop_id == shop_id)
            .values(
                code=clean.code,
                name=clean.name,
                country=clean.country,
                region=clean.region,
                city=clean.city,
                address_line=clean.address_line,
                postal_code=clean.postal_code,
                updated_at=now,
            )
            .returning(Warehouse.id)
        )
        try:
            changed = (await session.execute(statement)).scalar_one_or_none()
        except IntegrityError as exc:
            raise Conflict(CODE_TAKEN, code="warehouse_code_taken") from exc
        if changed is None:
            raise warehouse_not_found()


async def deactivate_warehouse(
    db: Database, *, shop_id: int, warehouse_id: int, now: datetime
) -> None:
    """Stop receiving into and reserving from a warehouse (its stock stays recorded). The
    SKUs it held are announced again, since their available stock for sale went down."""
    async with db.transaction() as session:
        await _set_active(session, shop_id=shop_id, warehouse_id=warehouse_id, now=now)
        await _announce_skus(session, shop_id=shop_id, warehouse_id=warehouse_id, now=now)


async def reactivate_warehouse(
    db: Database, *, shop_id: int, warehouse_id: int, now: datetime
) -> None:
    """Use a deactivated warehouse again."""
    async with db.transaction() as session:
        await _set_active(session, shop_id=shop_id, warehouse_id=warehouse_id, now=now, active=True)
        await _announce_skus(session, shop_id=shop_id, warehouse_id=warehouse_id, now=now)


async def _set_active(
    session: AsyncSession, *, shop_id: int, warehouse_id: int, now: datetime, active: bool = False
) -> None:
    statement = (
        update(Warehouse)
        .where(
            Warehouse.id == warehouse_id,
            Warehouse.shop_id == shop_id,
            Warehouse.is_active.is_(not active),
        )
        .values(is_active=active, updated_at=now)
        .returning(Warehouse.id)
    )
    if (await session.execute(statement)).scalar_one_or_none() is not None:
        return
    exists = await session.scalar(
        select(Warehouse.id).where(Warehouse.id == warehouse_id, Warehouse.shop_id == shop_id)
    )
    if exists is None:
        raise warehouse_not_found()
    state = "active" if active else "inactive"
    raise Conflict(f"The warehouse is already {state}.", code=f"warehouse_already_{state}")


async def _announce_skus(
    session: AsyncSession, *, shop_id: int, warehouse_id: int, now: datetime
) -> None:
    skus = await session.scalars(
        select(StockLevel.sku_id)
        .where(StockLevel.warehouse_id == warehouse_id, StockLevel.available > 0)
        .order_by(StockLevel.sku_id)
    )
    raw = await RawSQL.of(session)
    for sku_id in list(skus):
        await announce_available(raw, shop_id=shop_id, sku_id=sku_id, now=now)


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(CODE_TAKEN, code="warehouse_code_taken") from exc
