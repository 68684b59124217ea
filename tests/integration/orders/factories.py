"""Set-up for the orders tests: live shops (through the sellers' factories) with a
warehouse each, live products with one SKU inserted as rows, stock received through the
inventory service, buyers, and counts of every table a checkout writes."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from galerie.catalog.product_models import Product, ProductText, Sku
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import SellerRole
from galerie.identity.models import User
from galerie.inventory import create_warehouse, receive_stock
from galerie.inventory.models import StockLevel, StockMovement
from galerie.kernel import Money
from galerie.orders import ShippingChoice
from galerie.orders.models import (
    IdempotencyKey,
    Order,
    OrderLine,
    OrderStatusHistory,
    PaymentGroup,
)
from tests.factories import UNUSABLE_HASH, make_user
from tests.integration.inventory.factories import warehouse_form
from tests.integration.sellers.factories import HOME, insert_shop, load_categories

_numbers = itertools.count(1)
ADDRESS = {"name": "Chen Wei", "line": "88 Century Avenue", "city": "Shanghai", "country": "CN"}


@dataclass(frozen=True, slots=True)
class ShopSetup:
    shop_id: int
    warehouse_id: int
    owner_user_id: int


@dataclass(frozen=True, slots=True)
class Market:
    organisation_id: int
    owner_user_id: int
    buyer_id: int
    other_buyer_id: int
    shops: list[ShopSetup]


async def insert_live_sku(
    db: Database,
    now: datetime,
    *,
    shop_id: int,
    price_minor: int = 1000,
    currency: str = "CNY",
    per_buyer_limit: int | None = None,
    status: str = "live",
    options: dict[str, str] | None = None,
) -> int:
    """A product in `status` with its English title and one SKU (with `options`, its axes
    in that order); returns the SKU's id."""
    n = next(_numbers)
    async with db.transaction() as session:
        product = Product(
            shop_id=shop_id,
            seller_ref=f"OP{n}",
            category_id=HOME,
            default_language="en",
            status=status,
            findings=[],
            option_axes=list(options or {}),
            attributes={},
            currency=currency,
            min_price_minor=price_minor,
            max_price_minor=price_minor,
            content_hash="0" * 64,
            created_at=now,
            updated_at=now,
            listed_at=now if status == "live" else None,
        )
        session.add(product)
        await session.flush()
        session.add(
            ProductText(product_id=product.id, language="en", shop_id=shop_id, title=f"Teapot {n}")
        )
        sku = Sku(
            product_id=product.id,
            shop_id=shop_id,
            seller_sku=f"OSKU-{n:05d}",
            options=dict(options or {}),
            price_minor=price_minor,
            currency=currency,
            per_buyer_limit=per_buyer_limit,
            created_at=now,
            updated_at=now,
        )
        session.add(sku)
        await session.flush()
        return sku.id


async def stock(db: Database, now: datetime, shop: ShopSetup, sku_id: int, quantity: int) -> None:
    await receive_stock(
        db,
        shop_id=shop.shop_id,
        warehouse_id=shop.warehouse_id,
        sku_id=sku_id,
        quantity=quantity,
        now=now,
    )


async def make_market(db: Database, now: datetime, tmp: Path, *, shops: int = 3) -> Market:
    await load_categories(db, now, tmp)
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    setups = []
    for _ in range(shops):
        shop_id = await insert_shop(db, now, organisation_id=owner.organisation_id, status="live")
        warehouse = await create_warehouse(db, shop_id=shop_id, form=warehouse_form(), now=now)
        setups.append(ShopSetup(shop_id, warehouse, owner.user_id))
    buyer = await make_user(db, now=now)
    other = await make_user(db, now=now)
    return Market(owner.organisation_id, owner.user_id, buyer.user_id, other.user_id, setups)


async def insert_buyers(db: Database, now: datetime, count: int) -> list[int]:
    """`count` shoppers in one statement (for the races)."""
    n = next(_numbers)
    rows = [
        {
            "email": f"buyer{n}-{i}@orders.test",
            "display_name": f"Buyer {i}",
            "password_hash": UNUSABLE_HASH,
            "preferred_language": "en",
            "is_active": True,
            "created_at": now,
        }
        for i in range(count)
    ]
    async with db.transaction() as session:
        result = await session.execute(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows
        )
        return [row[0] for row in result]


def ship(
    *shop_ids: int, fee: int = 500, currency: str = "CNY", days: int = 10
) -> dict[int, ShippingChoice]:
    return {s: ShippingChoice("express", Money(fee, currency), days) for s in shop_ids}


COUNTED: dict[str, Any] = {
    "groups": PaymentGroup,
    "orders": Order,
    "lines": OrderLine,
    "history": OrderStatusHistory,
    "movements": StockMovement,
    "outbox": OutboxEvent,
    "keys": IdempotencyKey,
}


async def counts(db: Database) -> dict[str, int]:
    result: dict[str, int] = {}
    async with db.reading() as session:
        for name, model in COUNTED.items():
            result[name] = await session.scalar(select(func.count()).select_from(model)) or 0
    return result


async def levels(db: Database, sku_ids: Sequence[int]) -> dict[int, tuple[int, int, int, int]]:
    """SKU id -> (on_hand, available, reserved, committed), summed over warehouses."""
    async with db.reading() as session:
        rows = await session.execute(
            select(
                StockLevel.sku_id,
                func.sum(StockLevel.on_hand),
                func.sum(StockLevel.available),
                func.sum(StockLevel.reserved),
                func.sum(StockLevel.committed),
            )
            .where(StockLevel.sku_id.in_(list(sku_ids)))
            .group_by(StockLevel.sku_id)
        )
        return {r[0]: (int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}


async def order_status(db: Database, order_id: int) -> str:
    async with db.reading() as session:
        found = await session.scalar(select(Order.status).where(Order.id == order_id))
    assert found is not None
    return found
