"""Reads for pages, APIs and the checkout: one query each, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.product_models import Sku
from galerie.inventory.models import StockLevel, StockMovement, Warehouse
from galerie.inventory.warehouses import warehouse_not_found

MAX_SKUS = 1000
MOVEMENTS_PAGE = 100


@dataclass(frozen=True, slots=True)
class WarehouseView:
    id: int
    shop_id: int
    code: str
    name: str
    country: str
    region: str
    city: str
    address_line: str
    postal_code: str
    is_active: bool


@dataclass(frozen=True, slots=True)
class StockLevelView:
    id: int
    warehouse_id: int
    warehouse_code: str
    sku_id: int
    seller_sku: str
    on_hand: int
    available: int
    reserved: int
    committed: int
    low_stock_threshold: int | None

    @property
    def is_low(self) -> bool:
        threshold = self.low_stock_threshold
        return threshold is not None and self.available <= threshold


@dataclass(frozen=True, slots=True)
class MovementView:
    id: int
    warehouse_id: int
    sku_id: int
    kind: str
    delta_on_hand: int
    delta_available: int
    delta_reserved: int
    delta_committed: int
    reference: str | None
    reason: str | None
    actor_user_id: int | None
    at: datetime


def available_sql(sku_id: str) -> str:
    """`available_by_sku` as a correlated SQL expression of the SKU id column `sku_id` (a fixed
    identifier, never input), for hot reads that need it inside their one statement."""
    return (
        "COALESCE((SELECT SUM(l.available) FROM stock_levels l "  # noqa: S608 - fixed fragment
        "JOIN warehouses w ON w.id = l.warehouse_id AND w.is_active "
        f"WHERE l.sku_id = {sku_id}), 0)"
    )


async def available_by_sku(session: AsyncSession, sku_ids: Iterable[int]) -> dict[int, int]:
    """Available units per SKU over its active warehouses (0 for a SKU with no stock), in one
    query; at most 1,000 SKUs per call."""
    wanted = sorted(set(sku_ids))
    if len(wanted) > MAX_SKUS:
        raise ValueError(f"at most {MAX_SKUS} SKUs per call")
    result = dict.fromkeys(wanted, 0)
    if not wanted:
        return result
    rows = await session.execute(
        select(StockLevel.sku_id, func.sum(StockLevel.available))
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .where(StockLevel.sku_id.in_(wanted), Warehouse.is_active.is_(True))
        .group_by(StockLevel.sku_id)
    )
    for sku_id, available in rows:
        result[sku_id] = int(available or 0)
    return result


def _warehouse_view(w: Warehouse) -> WarehouseView:
    return WarehouseView(
        w.id, w.shop_id, w.code, w.name, w.country, w.region, w.city, w.address_line,
        w.postal_code, w.is_active,
    )  # fmt: skip


async def shop_warehouses(session: AsyncSession, *, shop_id: int) -> list[WarehouseView]:
    found = await session.scalars(
        select(Warehouse).where(Warehouse.shop_id == shop_id).order_by(Warehouse.code)
    )
    return [_warehouse_view(w) for w in found]


async def shop_warehouse(
    session: AsyncSession, *, shop_id: int, warehouse_id: int
) -> WarehouseView:
    found = await session.scalar(
        select(Warehouse).where(Warehouse.id == warehouse_id, Warehouse.shop_id == shop_id)
    )
    if found is None:
        raise warehouse_not_found()
    return _warehouse_view(found)


def _levels_query(shop_id: int):  # type: ignore[no-untyped-def]
    return (
        select(
            StockLevel.id,
            StockLevel.warehouse_id,
            Warehouse.code,
            StockLevel.sku_id,
            Sku.seller_sku,
            StockLevel.on_hand,
            StockLevel.available,
            StockLevel.reserved,
            StockLevel.committed,
            StockLevel.low_stock_threshold,
        )
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .join(Sku, Sku.id == StockLevel.sku_id)
        .where(StockLevel.shop_id == shop_id)
        .order_by(Sku.seller_sku, Warehouse.code)
    )


async def shop_stock(
    session: AsyncSession,
    *,
    shop_id: int,
    sku_id: int | None = None,
    warehouse_id: int | None = None,
    low_only: bool = False,
) -> list[StockLevelView]:
    """The shop's stock per SKU per warehouse (optionally one SKU, one warehouse, or only
    the levels at or below their low-stock threshold), in one query."""
    query = _levels_query(shop_id)
    if sku_id is not None:
        query = query.where(StockLevel.sku_id == sku_id)
    if warehouse_id is not None:
        query = query.where(StockLevel.warehouse_id == warehouse_id)
    if low_only:
        query = query.where(
            and_(
                StockLevel.low_stock_threshold.is_not(None),
                StockLevel.available <= StockLevel.low_stock_threshold,
            )
        )
    return [StockLevelView(*row) for row in await session.execute(query)]


async def low_stock(session: AsyncSession, *, shop_id: int) -> list[StockLevelView]:
    """The shop's levels whose available stock is at or below their threshold."""
    return await shop_stock(session, shop_id=shop_id, low_only=True)


async def sku_movements(
    session: AsyncSession,
    *,
    shop_id: int,
    sku_id: int,
    warehouse_id: int | None = None,
    limit: int = MOVEMENTS_PAGE,
    before_id: int | None = None,
) -> list[MovementView]:
    """A SKU's movements in the shop, newest first (page with `before_id`)."""
    query = (
        select(
            StockMovement.id,
            StockMovement.warehouse_id,
            StockMovement.sku_id,
            StockMovement.kind,
            StockMovement.delta_on_hand,
            StockMovement.delta_available,
            StockMovement.delta_reserved,
            StockMovement.delta_committed,
            StockMovement.reference,
            StockMovement.reason,
            StockMovement.actor_user_id,
            StockMovement.at,
        )
        .where(StockMovement.shop_id == shop_id, StockMovement.sku_id == sku_id)
        .order_by(StockMovement.id.desc())
        .limit(max(1, min(limit, MOVEMENTS_PAGE)))
    )
    if warehouse_id is not None:
        query = query.where(StockMovement.warehouse_id == warehouse_id)
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return [MovementView(*row) for row in await session.execute(query)]


async def shop_sku_exists(session: AsyncSession, *, shop_id: int, sku_id: int) -> bool:
    found = await session.scalar(select(Sku.id).where(Sku.id == sku_id, Sku.shop_id == shop_id))
    return found is not None


@dataclass(frozen=True, slots=True)
class SkuChoice:
    id: int
    seller_sku: str


async def shop_skus(
    session: AsyncSession, *, shop_id: int, limit: int = MAX_SKUS
) -> list[SkuChoice]:
    """The shop's active SKUs by seller code, for stock forms (one query)."""
    found = await session.execute(
        select(Sku.id, Sku.seller_sku)
        .where(Sku.shop_id == shop_id, Sku.is_active.is_(True))
        .order_by(Sku.seller_sku)
        .limit(limit)
    )
    return [SkuChoice(*row) for row in found]
