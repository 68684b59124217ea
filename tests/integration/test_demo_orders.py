"""The demo's orders: the whole seed (with the catalog part) through the real catalog for a
few products per shop, then every order and group status, multi-shop checkouts, a parcel in
transit and one delivered, stock accounting that adds up, and a second seed that changes
nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from galerie.catalog.drafts import ProductDraft
from galerie.db import Database
from galerie.demo import seed_demo
from galerie.demo.catalog_seed import OTHER_SHOPS, plan_products
from galerie.demo.orders_seed import STORIES, seed_demo_orders
from galerie.fulfilment import order_fulfilment
from galerie.fulfilment.models import Parcel, ParcelLine
from galerie.identity.models import User
from galerie.imports import catalog_writer
from galerie.imports.ports import DraftProblemLike, SavedProductLike
from galerie.inventory.models import StockLevel, StockMovement
from galerie.kernel import FixedClock
from galerie.orders import Actor, GroupStatus, OrderStatus
from galerie.orders.models import Order, OrderLine, OrderStatusHistory, PaymentGroup
from galerie.shipping import TrackingStatus
from galerie.storage import InMemoryStorage

PER_SHOP = 8  # products each shop really saves; the others are skipped
AUTO_REASON = "confirmed automatically at the deadline"
COUNTED = (PaymentGroup, Order, OrderLine, OrderStatusHistory, Parcel, StockMovement)


@dataclass(frozen=True, slots=True)
class Skipped:
    product_id: int
    outcome: str
    status: str


class FewProducts:
    """The real catalog writer for each shop's first PER_SHOP products (the orders need
    live SKUs in the database); the rest are skipped, to keep the test short."""

    def __init__(self) -> None:
        self.real = catalog_writer()
        self.seen: Counter[int] = Counter()

    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[DraftProblemLike, ...]:
        return await self.real.validate_product_draft(db, shop_id=shop_id, draft=draft)

    async def save_product(
        self,
        db: Database,
        *,
        actor_user_id: int | None,
        shop_id: int,
        draft: ProductDraft,
        now: datetime,
        submit: bool = True,
    ) -> SavedProductLike:
        self.seen[shop_id] += 1
        if self.seen[shop_id] > PER_SHOP:
            return Skipped(0, "unchanged", "draft")
        return await self.real.save_product(
            db, actor_user_id=actor_user_id, shop_id=shop_id, draft=draft, now=now, submit=submit
        )


async def _storage() -> InMemoryStorage:
    """Thumbnails already stored: the seed draws no pictures."""
    storage = InMemoryStorage()
    for plan in OTHER_SHOPS:
        for product in plan_products(plan):
            key = f"demo/products/{plan.slug}/{product.seller_ref}.thumb.png"
            await storage.put(key, b"png", content_type="image/png")
    return storage


async def _seeded(db: Database, clock: FixedClock, tmp_path: Path) -> InMemoryStorage:
    storage = await _storage()
    assert await seed_demo(db, clock, storage=storage, var_dir=tmp_path, catalog=FewProducts())
    return storage


async def _counts(db: Database) -> dict[str, int]:
    async with db.reading() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }


async def test_the_demo_shoppers_have_orders_in_every_state(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _seeded(db, clock, tmp_path)
    async with db.reading() as session:
        groups = dict((await session.execute(
            select(PaymentGroup.id, PaymentGroup.status))).tuples().all())  # fmt: skip
        orders = (await session.execute(
            select(Order.payment_group_id, Order.shop_id, Order.status, Order.buyer_id)
        )).tuples().all()  # fmt: skip
        buyers = set((await session.scalars(select(User.email).where(
            User.id.in_({o[3] for o in orders})))).all())  # fmt: skip
        auto = await session.scalar(select(func.count()).select_from(OrderStatusHistory).where(
            OrderStatusHistory.to_status == "completed", OrderStatusHistory.reason == AUTO_REASON
        ))  # fmt: skip
        by_buyer = await session.scalar(select(func.count()).select_from(OrderStatusHistory).where(
            OrderStatusHistory.to_status == "completed", OrderStatusHistory.actor_kind == "buyer"
        ))  # fmt: skip
    assert len(groups) == len(STORIES) == 20
    assert buyers == {story.shopper for story in STORIES}
    assert set(groups.values()) == set(GroupStatus)
    assert {status for _, _, status, _ in orders} == set(OrderStatus)
    assert auto
    assert by_buyer
    shops_of: defaultdict[int, set[int]] = defaultdict(set)
    for group_id, shop_id, _, _ in orders:
        shops_of[group_id].add(shop_id)
    multi = [shops for shops in shops_of.values() if len(shops) > 1]
    assert len(multi) >= 2
    assert len(set().union(*multi)) >= 4
    assert len({shop for _, shop, _, _ in orders}) >= 4


async def test_parcels_are_tracked_the_stock_adds_up_and_a_second_seed_changes_nothing(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    storage = await _seeded(db, clock, tmp_path)
    async with db.reading() as session:
        shipped = (await session.execute(select(Order.id, Order.buyer_id).where(
            Order.id.in_(select(Parcel.order_id))).order_by(Order.id))).tuples().all()  # fmt: skip
        misplaced = await session.scalar(
            select(func.count())
            .select_from(ParcelLine)
            .join(Parcel, Parcel.id == ParcelLine.parcel_id)
            .join(OrderLine, OrderLine.id == ParcelLine.order_line_id)
            .where(Parcel.warehouse_id != OrderLine.warehouse_id)
        )
        levels = (await session.execute(select(
            StockLevel.on_hand, StockLevel.available, StockLevel.reserved, StockLevel.committed
        ))).tuples().all()  # fmt: skip
        lines = (await session.execute(
            select(Order.status, OrderLine.quantity, OrderLine.shipped_quantity)
            .join(Order, Order.id == OrderLine.order_id)
        )).tuples().all()  # fmt: skip
    seen = set()  # the parcels as their buyers see them on the order page
    for order_id, buyer_id in shipped:
        view = await order_fulfilment(
            db, order_id=order_id, actor=Actor.buyer(buyer_id), now=clock.now()
        )
        seen |= {(p.status, p.events[-1].status if p.events else None) for p in view.parcels}
    assert ("shipped", TrackingStatus.IN_TRANSIT) in seen
    assert ("delivered", TrackingStatus.DELIVERED) in seen
    assert misplaced == 0
    assert all(on_hand == a + r + c for on_hand, a, r, c in levels)
    reserved = sum(q for status, q, _ in lines if status == OrderStatus.AWAITING_PAYMENT)
    held = {OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED}
    committed = sum(q - shipped for status, q, shipped in lines if status in held)
    assert (sum(lv[2] for lv in levels), sum(lv[3] for lv in levels)) == (reserved, committed)
    assert reserved > 0
    assert committed > 0
    before = await _counts(db)  # a second seed changes nothing
    assert before["orders"] > len(STORIES)
    assert await seed_demo(db, clock, storage=storage, var_dir=tmp_path) is False
    assert await seed_demo_orders(db, clock) == 0
    assert await _counts(db) == before
