"""A stateful model of checkouts over two shops (one SKU each): place, pay, cancel, close
unpaid groups, ship, receive stock, in any order. After every step the stock rows equal
the model, every part is >= 0, on_hand = available + reserved + committed, and the
orders' own quantities explain the stock: reserved = the lines of unpaid orders,
committed = the unshipped units of paid ones, and exactly the shipped orders have a receipt
timer. Refusals happen exactly when the model says
(and then nothing changes, since everything still equals the model).

Hypothesis drives synchronous rules, so the test runs its own event loop against a
database of its own (SQLite always; PostgreSQL too when a server answers)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from galerie.db import Database
from galerie.fulfilment import record_shipment
from galerie.fulfilment.models import ReceiptTimer
from galerie.identity import SellerRole
from galerie.inventory import InsufficientStock, create_warehouse
from galerie.inventory.models import StockLevel
from galerie.kernel import Conflict
from galerie.orders import (
    Actor,
    TransitionNotAllowed,
    cancel_order,
    close_unpaid_groups,
    mark_group_paid,
    place_order,
)
from galerie.orders.models import Order, OrderLine
from tests.conftest import _postgres_reachable, drop_at_the_end, migrated_database
from tests.factories import make_user
from tests.integration.inventory.factories import warehouse_form
from tests.integration.orders.factories import ADDRESS, ShopSetup, insert_live_sku, ship, stock
from tests.integration.sellers.factories import insert_shop, load_categories

T = TypeVar("T")
START = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
QUANTITY = st.integers(min_value=0, max_value=4)
PICK = st.integers(min_value=0, max_value=1_000)
SETTINGS = settings(
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True, slots=True)
class Harness:
    loop: asyncio.AbstractEventLoop
    db: Database
    organisation_id: int
    owner_id: int
    buyer_id: int

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)


@dataclass
class ModelOrder:
    id: int
    group: int
    shop: int
    lines: dict[int, int]
    status: str = "awaiting_payment"
    shipped: dict[int, int] = field(default_factory=dict)


class OrderMachine(RuleBasedStateMachine):
    harness: ClassVar[Harness]

    examples: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        h = self.harness
        # Each example lives a day before the previous one, so the unpaid groups that
        # earlier examples left (in the shared database) never fall due in this one.
        type(self).examples += 1
        self.now = START - timedelta(days=type(self).examples)
        self.shops: list[ShopSetup] = []
        self.skus: list[int] = []
        for code in ("A", "B"):
            shop_id = h.run(
                insert_shop(h.db, START, organisation_id=h.organisation_id, status="live")
            )
            warehouse = h.run(
                create_warehouse(h.db, shop_id=shop_id, form=warehouse_form(code), now=START)
            )
            shop = ShopSetup(shop_id, warehouse, h.owner_id)
            self.shops.append(shop)
            self.skus.append(h.run(insert_live_sku(h.db, START, shop_id=shop_id)))
        for shop, sku in zip(self.shops, self.skus, strict=True):
            h.run(stock(h.db, self.now, shop, sku, 8))
        self.stock = {sku: [8, 0, 0] for sku in self.skus}  # available, reserved, committed
        self.orders: list[ModelOrder] = []
        self.groups: dict[int, tuple[str, datetime]] = {}  # id -> (status, pay_by)

    @rule(index=st.integers(0, 1), quantity=st.integers(1, 6))
    def receive(self, index: int, quantity: int) -> None:
        sku = self.skus[index]
        self.harness.run(stock(self.harness.db, self.now, self.shops[index], sku, quantity))
        self.stock[sku][0] += quantity

    @rule(a=QUANTITY, b=QUANTITY)
    def place(self, a: int, b: int) -> None:
        wanted = {sku: q for sku, q in zip(self.skus, (a, b), strict=True) if q}
        if not wanted:
            return
        shops = [s.shop_id for s, q in zip(self.shops, (a, b), strict=True) if q]
        possible = all(self.stock[sku][0] >= q for sku, q in wanted.items())

        async def go() -> Any:
            async with self.harness.db.transaction() as session:
                return await place_order(
                    session,
                    buyer_id=self.harness.buyer_id,
                    lines=list(wanted.items()),
                    shipping=ship(*shops),
                    address=ADDRESS,
                    now=self.now,
                )

        try:
            group = self.harness.run(go())
        except InsufficientStock:
            assert not possible
            return
        assert possible
        self.groups[group.id] = ("awaiting_payment", group.pay_by)
        for order in group.orders:
            lines = {line.sku_id: line.quantity for line in order.lines}
            self.orders.append(ModelOrder(order.id, group.id, order.shop_id, lines))
            for sku, q in lines.items():
                self.stock[sku][0] -= q
                self.stock[sku][1] += q

    @rule(pick=PICK)
    def pay(self, pick: int) -> None:
        order = self._pick(pick)
        if order is None:
            return
        group_id = order.group
        status, pay_by = self.groups[group_id]

        async def go() -> int:
            async with self.harness.db.transaction() as session:
                moved = await mark_group_paid(session, payment_group_id=group_id, now=self.now)
                return len(moved)

        try:
            self.harness.run(go())
        except Conflict:
            assert status in ("closed", "cancelled")
            return
        assert status in ("awaiting_payment", "paid")
        self.groups[group_id] = ("paid", pay_by)
        for order in self.orders:
            if order.group == group_id and order.status == "awaiting_payment":
                order.status = "paid"
                for sku, q in order.lines.items():
                    self.stock[sku][1] -= q
                    self.stock[sku][2] += q

    def _pick(self, pick: int) -> ModelOrder | None:
        """Mostly an order still in play (closed and cancelled ones refuse everything)."""
        live = [o for o in self.orders if o.status not in ("closed", "cancelled")]
        among = live if live and pick % 4 else self.orders
        return among[pick % len(among)] if among else None

    @rule(pick=PICK)
    def cancel(self, pick: int) -> None:
        order = self._pick(pick)
        if order is None:
            return
        allowed = order.status in ("awaiting_payment", "paid")
        try:
            self.harness.run(
                cancel_order(
                    self.harness.db,
                    order_id=order.id,
                    actor=Actor.buyer(self.harness.buyer_id),
                    reason="changed my mind",
                    now=self.now,
                )
            )
        except TransitionNotAllowed:
            assert not allowed
            return
        assert allowed
        part = 1 if order.status == "awaiting_payment" else 2
        for sku, q in order.lines.items():
            self.stock[sku][part] -= q
            self.stock[sku][0] += q
        was_unpaid = order.status == "awaiting_payment"
        order.status = "cancelled"
        if was_unpaid and not any(
            o.group == order.group and o.status == "awaiting_payment" for o in self.orders
        ):
            self.groups[order.group] = ("cancelled", self.groups[order.group][1])

    @rule(minutes=st.sampled_from([1, 10, 20]))
    def close_unpaid(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        closed = self.harness.run(close_unpaid_groups(self.harness.db, now=self.now))
        due = [
            g
            for g, (status, pay_by) in self.groups.items()
            if status == "awaiting_payment" and pay_by <= self.now
        ]
        assert closed == len(due)
        for group_id in due:
            self.groups[group_id] = ("closed", self.groups[group_id][1])
            for order in self.orders:
                if order.group == group_id and order.status == "awaiting_payment":
                    order.status = "closed"
                    for sku, q in order.lines.items():
                        self.stock[sku][1] -= q
                        self.stock[sku][0] += q

    @rule(pick=PICK, quantity=st.integers(1, 3))
    def ship_units(self, pick: int, quantity: int) -> None:
        order = self._pick(pick)
        if order is None:
            return
        sku = next(iter(order.lines))
        left = order.lines[sku] - order.shipped.get(sku, 0)
        shippable = order.status in ("paid", "partly_shipped")
        seller = Actor.seller(self.harness.owner_id, order.shop)
        try:
            self.harness.run(
                record_shipment(
                    self.harness.db,
                    order_id=order.id,
                    quantities={sku: quantity},
                    actor=seller,
                    now=self.now,
                )
            )
        except TransitionNotAllowed:
            assert not shippable
            return
        except Conflict as refused:
            code = refused.code
            assert code == "over_shipment"
            assert shippable
            assert quantity > left
            return
        assert shippable
        assert quantity <= left
        order.shipped[sku] = order.shipped.get(sku, 0) + quantity
        self.stock[sku][2] -= quantity
        done = all(order.shipped.get(s, 0) == q for s, q in order.lines.items())
        order.status = "shipped" if done else "partly_shipped"

    @invariant()
    def stock_and_orders_agree(self) -> None:
        async def read() -> tuple[
            list[StockLevel], dict[int, str], dict[tuple[int, str], int], set[int]
        ]:
            async with self.harness.db.reading() as session:
                levels = list(
                    await session.scalars(
                        select(StockLevel).where(StockLevel.sku_id.in_(self.skus))
                    )
                )
                found = await session.execute(
                    select(Order.id, Order.status).where(Order.id.in_([o.id for o in self.orders]))
                )
                statuses = {row[0]: row[1] for row in found}
                held = (
                    await session.execute(
                        select(
                            OrderLine.sku_id,
                            Order.status,
                            func.sum(OrderLine.quantity - OrderLine.shipped_quantity),
                        )
                        .join(Order, Order.id == OrderLine.order_id)
                        .where(OrderLine.sku_id.in_(self.skus))
                        .group_by(OrderLine.sku_id, Order.status)
                    )
                ).all()
                timed = set(
                    await session.scalars(
                        select(ReceiptTimer.order_id).where(
                            ReceiptTimer.order_id.in_([o.id for o in self.orders])
                        )
                    )
                )
            return levels, statuses, {(r[0], r[1]): int(r[2]) for r in held}, timed

        levels, statuses, held, timed = self.harness.run(read())
        for level in levels:
            assert min(level.available, level.reserved, level.committed) >= 0
            assert level.on_hand == level.available + level.reserved + level.committed
            assert [level.available, level.reserved, level.committed] == self.stock[level.sku_id]
            assert level.reserved == held.get((level.sku_id, "awaiting_payment"), 0)
            assert level.committed == held.get((level.sku_id, "paid"), 0) + held.get(
                (level.sku_id, "partly_shipped"), 0
            )
        assert statuses == {o.id: o.status for o in self.orders}
        assert timed == {o.id for o in self.orders if o.status == "shipped"}  # receipt timers


async def _prepare(url: str, tmp: Path) -> tuple[Database, int, int, int]:
    db = Database.from_url(url)
    await load_categories(db, START, tmp)
    owner = await make_user(db, now=START, seller_role=SellerRole.OWNER)
    buyer = await make_user(db, now=START)
    assert owner.organisation_id is not None
    return db, owner.organisation_id, owner.user_id, buyer.user_id


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_stock_and_orders_agree_after_every_step(backend_name: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    url = ""
    try:
        if backend_name == "postgresql" and not loop.run_until_complete(_postgres_reachable()):
            pytest.skip("no PostgreSQL server")
        url = loop.run_until_complete(migrated_database(backend_name, tmp_path, "orders-machine"))
        db, organisation_id, owner_id, buyer_id = loop.run_until_complete(_prepare(url, tmp_path))
        harness = Harness(loop, db, organisation_id, owner_id, buyer_id)
        machine = type("Machine", (OrderMachine,), {"harness": harness})
        try:
            run_state_machine_as_test(machine, settings=SETTINGS)  # type: ignore[no-untyped-call]
        finally:
            loop.run_until_complete(db.dispose())
    finally:
        if backend_name == "postgresql" and url:
            drop_at_the_end(url)
        loop.close()
