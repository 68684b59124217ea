"""Set-up for the inventory tests: a shop (through the sellers' factories), products and
SKUs inserted straight as rows, warehouses, and counts of the inventory tables."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.catalog.product_models import Product, Sku
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import SellerRole
from galerie.inventory import WarehouseForm, create_warehouse
from galerie.inventory.models import StockLevel, StockMovement, Warehouse
from tests.factories import make_user
from tests.integration.sellers.factories import HOME, insert_shop, load_categories

_numbers = itertools.count(1)


async def insert_sku(db: Database, now: datetime, *, shop_id: int) -> int:
    """A draft product with one SKU in `shop_id`; returns the SKU's id."""
    n = next(_numbers)
    async with db.transaction() as session:
        product = Product(
            shop_id=shop_id,
            seller_ref=f"P{n}",
            category_id=HOME,
            default_language="en",
            status="draft",
            findings=[],
            option_axes=[],
            attributes={},
            currency="CNY",
            min_price_minor=1000,
            max_price_minor=1000,
            content_hash="0" * 64,
            created_at=now,
            updated_at=now,
        )
        session.add(product)
        await session.flush()
        sku = Sku(
            product_id=product.id,
            shop_id=shop_id,
            seller_sku=f"SKU-{n:05d}",
            options={},
            price_minor=1000,
            currency="CNY",
            created_at=now,
            updated_at=now,
        )
        session.add(sku)
        await session.flush()
        return sku.id


def warehouse_form(code: str = "SH1", **changes: str) -> WarehouseForm:
    values = {
        "code": code,
        "name": "Shanghai Pudong",
        "country": "CN",
        "city": "Shanghai",
        "address_line": "88 Century Avenue",
        "region": "Shanghai",
        "postal_code": "200120",
    }
    values.update(changes)
    return WarehouseForm(**values)


@dataclass(frozen=True, slots=True)
class Stockroom:
    """Two shops of two organisations, each with a warehouse and a SKU."""

    org: int
    shop: int
    warehouse: int
    sku: int
    owner_user: int
    rival_org: int
    rival_shop: int
    rival_warehouse: int
    rival_sku: int


async def make_stockroom(db: Database, now: datetime, tmp: Path) -> Stockroom:
    await load_categories(db, now, tmp)
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    rival = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    assert rival.organisation_id is not None
    shop = await insert_shop(db, now, organisation_id=owner.organisation_id)
    rival_shop = await insert_shop(db, now, organisation_id=rival.organisation_id)
    return Stockroom(
        org=owner.organisation_id,
        shop=shop,
        warehouse=await create_warehouse(db, shop_id=shop, form=warehouse_form(), now=now),
        sku=await insert_sku(db, now, shop_id=shop),
        owner_user=owner.user_id,
        rival_org=rival.organisation_id,
        rival_shop=rival_shop,
        rival_warehouse=await create_warehouse(
            db, shop_id=rival_shop, form=warehouse_form(), now=now
        ),
        rival_sku=await insert_sku(db, now, shop_id=rival_shop),
    )


COUNTED = {
    "warehouses": Warehouse,
    "levels": StockLevel,
    "movements": StockMovement,
    "outbox": OutboxEvent,
}


async def counts(db: Database) -> dict[str, int]:
    result: dict[str, int] = {}
    async with db.reading() as session:
        for name, model in COUNTED.items():
            result[name] = await session.scalar(select(func.count()).select_from(model)) or 0
        adjustments = select(func.count()).where(AuditRecord.action == "inventory.stock.adjust")
        result["audit_adjustments"] = await session.scalar(adjustments) or 0
    return result


async def snapshot(db: Database) -> list[tuple[int, int, int, int, int, int | None]]:
    """Every stock level's parts, to prove a refusal changed nothing."""
    async with db.reading() as session:
        rows = await session.execute(
            select(
                StockLevel.id,
                StockLevel.on_hand,
                StockLevel.available,
                StockLevel.reserved,
                StockLevel.committed,
                StockLevel.low_stock_threshold,
            ).order_by(StockLevel.id)
        )
        return [tuple(r) for r in rows]


async def events(db: Database, name: str) -> list[dict[str, object]]:
    async with db.reading() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.event_name == name)
            .order_by(OutboxEvent.id)
        )
        return list(rows)
