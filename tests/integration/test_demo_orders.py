"""The demo's orders: the whole seed (with the catalog part) through the real catalog for a
few products per shop, then every order and group status, multi-shop checkouts, a parcel in
transit and one delivered, stock accounting that adds up, and a second seed that changes
nothing. The demo is seeded once per backend for the run, with the real catalog for a few
products per shop (tests/integration/demo_support.py); each test reads it in a transaction
that is rolled back."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from galerie.db import Database
from galerie.demo import seed_demo
from galerie.demo.orders_seed import STORIES, seed_demo_orders
from galerie.fulfilment import order_fulfilment
from galerie.fulfilment.models import Parcel, ParcelLine
from galerie.identity.models import User
from galerie.inventory.models import StockLevel, StockMovement
from galerie.kernel import FixedClock
from galerie.orders import Actor, GroupStatus, OrderStatus
from galerie.orders.models import Order, OrderLine, OrderStatusHistory, PaymentGroup
from galerie.shipping import TrackingStatus
from tests.integration.demo_support import SeededDemo

AUTO_REASON = "confirmed automatically at the deadline"
COUNTED = (PaymentGroup, Order, OrderLine, OrderStatusHistory, Parcel, StockMovement)


async def _counts(db: Database) -> dict[str, int]:
    async with db.reading() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }


async def test_the_demo_shoppers_have_orders_in_every_state(
    full_db: Database, demo_full: SeededDemo
) -> None:
    db = full_db
    assert demo_full.first_seed is True
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
    full_db: Database, demo_full: SeededDemo, clock: FixedClock
) -> None:
    db, storage = full_db, demo_full.storage
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
    assert await seed_demo(db, clock, storage=storage, var_dir=demo_full.var_dir) is False
    assert await seed_demo_orders(db, clock) == 0
    assert await _counts(db) == before
