"""A stateful model of one SKU in two warehouses: receipts, adjustments (by change and by
count), reservations (any warehouse or a given one), releases, commitments and shipments in
any order. After every step the stored levels equal the model, every part is >= 0,
on_hand = available + reserved + committed, and each level equals the sum of its movements.
Refusals happen exactly when the model says they must (and then nothing changes, since the
levels still equal the model).

Hypothesis drives synchronous rules, so the test runs its own event loop against a database
of its own (SQLite always; PostgreSQL too when a server answers); each example gets a new
shop, two warehouses and a SKU."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.inventory import (
    InsufficientStock,
    Level,
    StockWouldGoNegative,
    adjust_stock,
    commit_reservation,
    create_warehouse,
    receive_stock,
    recompute_stock_from_movements,
    release_reservation,
    reserve_stock,
    ship_stock,
)
from galerie.inventory.models import StockLevel
from galerie.kernel import Conflict
from tests.conftest import _postgres_reachable, drop_at_the_end, migrated_database
from tests.factories import make_user
from tests.integration.inventory.factories import insert_sku, warehouse_form
from tests.integration.sellers.factories import insert_shop, load_categories

T = TypeVar("T")
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
WAREHOUSE = st.integers(min_value=0, max_value=1)
QUANTITY = st.integers(min_value=1, max_value=12)
SETTINGS = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True, slots=True)
class Harness:
    loop: asyncio.AbstractEventLoop
    db: Database
    organisation_id: int

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)


class StockMachine(RuleBasedStateMachine):
    harness: ClassVar[Harness]

    def __init__(self) -> None:
        super().__init__()
        h = self.harness
        self.shop = h.run(insert_shop(h.db, NOW, organisation_id=h.organisation_id))
        self.warehouses = [
            h.run(create_warehouse(h.db, shop_id=self.shop, form=warehouse_form(code), now=NOW))
            for code in ("A", "B")
        ]
        self.sku = h.run(insert_sku(h.db, NOW, shop_id=self.shop))
        # warehouse id -> [available, reserved, committed]
        self.model = {w: [0, 0, 0] for w in self.warehouses}

    def _inside(self, step: Callable[[AsyncSession], Awaitable[Level]]) -> Level:
        async def go() -> Level:
            async with self.harness.db.transaction() as session:
                return await step(session)

        return self.harness.run(go())

    def _where(self, index: int) -> dict[str, Any]:
        return {"warehouse_id": self.warehouses[index], "sku_id": self.sku, "now": NOW}

    @rule(index=WAREHOUSE, quantity=QUANTITY)
    def receive(self, index: int, quantity: int) -> None:
        self.harness.run(
            receive_stock(
                self.harness.db, shop_id=self.shop, quantity=quantity, **self._where(index)
            )
        )
        self.model[self.warehouses[index]][0] += quantity

    @rule(index=WAREHOUSE, delta=st.integers(min_value=-15, max_value=15).filter(bool))
    def adjust(self, index: int, delta: int) -> None:
        parts = self.model[self.warehouses[index]]
        allowed = parts[0] + delta >= 0
        try:
            self.harness.run(
                adjust_stock(
                    self.harness.db, shop_id=self.shop, delta=delta, reason="found or lost",
                    **self._where(index),
                )
            )  # fmt: skip
        except StockWouldGoNegative:
            assert not allowed
            return
        assert allowed
        parts[0] += delta

    @rule(index=WAREHOUSE, counted=st.integers(min_value=0, max_value=30))
    def count(self, index: int, counted: int) -> None:
        parts = self.model[self.warehouses[index]]
        held = parts[1] + parts[2]
        refusal: str | None = None
        try:
            self.harness.run(
                adjust_stock(
                    self.harness.db, shop_id=self.shop, counted=counted, reason="stock count",
                    **self._where(index),
                )
            )  # fmt: skip
        except Conflict as error:  # StockWouldGoNegative is a Conflict too
            refusal = error.code
        if counted < held:
            assert refusal == "stock_would_go_negative"
        elif counted == parts[0] + held:
            assert refusal == "no_change"
        else:
            assert refusal is None
            parts[0] = counted - held

    @rule(quantity=QUANTITY, given=st.none() | WAREHOUSE)
    def reserve(self, quantity: int, given: int | None) -> None:
        if given is None:
            candidates = [w for w in self.warehouses if self.model[w][0] >= quantity]
            most = max((self.model[w][0] for w in candidates), default=0)
            expected = {w for w in candidates if self.model[w][0] == most}
        else:
            wanted = self.warehouses[given]
            expected = {wanted} if self.model[wanted][0] >= quantity else set()
        options: dict[str, Any] = {} if given is None else {"warehouse_id": self.warehouses[given]}
        try:
            level = self._inside(
                lambda s: reserve_stock(
                    s, sku_id=self.sku, quantity=quantity, reference="order", now=NOW, **options
                )
            )
        except InsufficientStock:
            assert not expected
            return
        assert level.warehouse_id in expected
        self.model[level.warehouse_id][0] -= quantity
        self.model[level.warehouse_id][1] += quantity

    def _held_move(
        self, index: int, quantity: int, source: int, target: int | None, call: Any
    ) -> None:
        parts = self.model[self.warehouses[index]]
        try:
            self._inside(
                lambda s: call(s, quantity=quantity, reference="order", **self._where(index))
            )
        except InsufficientStock:
            assert parts[source] < quantity
            return
        assert parts[source] >= quantity
        parts[source] -= quantity
        if target is not None:
            parts[target] += quantity

    @rule(index=WAREHOUSE, quantity=QUANTITY)
    def release(self, index: int, quantity: int) -> None:
        self._held_move(index, quantity, 1, 0, release_reservation)

    @rule(index=WAREHOUSE, quantity=QUANTITY)
    def commit(self, index: int, quantity: int) -> None:
        self._held_move(index, quantity, 1, 2, commit_reservation)

    @rule(index=WAREHOUSE, quantity=QUANTITY)
    def ship(self, index: int, quantity: int) -> None:
        self._held_move(index, quantity, 2, None, ship_stock)

    @invariant()
    def levels_match_the_model_and_the_movements(self) -> None:
        async def levels() -> list[StockLevel]:
            async with self.harness.db.reading() as session:
                found = await session.scalars(
                    select(StockLevel).where(StockLevel.sku_id == self.sku)
                )
                return list(found)

        stored = {level.warehouse_id: level for level in self.harness.run(levels())}
        for warehouse, parts in self.model.items():
            level = stored.get(warehouse)
            if level is None:
                assert parts == [0, 0, 0]
                continue
            assert min(level.available, level.reserved, level.committed) >= 0
            assert level.on_hand == level.available + level.reserved + level.committed
            assert [level.available, level.reserved, level.committed] == parts
            check = self.harness.run(
                recompute_stock_from_movements(self.harness.db, stock_level_id=level.id)
            )
            assert check.balanced, check


async def _prepare(url: str, tmp: Path) -> tuple[Database, int]:
    db = Database.from_url(url)
    await load_categories(db, NOW, tmp)
    owner = await make_user(db, now=NOW, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    return db, owner.organisation_id


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_stock_identities_hold_after_every_step(backend_name: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    url = ""
    try:
        if backend_name == "postgresql" and not loop.run_until_complete(_postgres_reachable()):
            pytest.skip("no PostgreSQL server")
        url = loop.run_until_complete(migrated_database(backend_name, tmp_path, "machine"))
        db, organisation_id = loop.run_until_complete(_prepare(url, tmp_path))
        machine = type("Machine", (StockMachine,), {"harness": Harness(loop, db, organisation_id)})
        try:
            run_state_machine_as_test(machine, settings=SETTINGS)  # type: ignore[no-untyped-call]
        finally:
            loop.run_until_complete(db.dispose())
    finally:
        if backend_name == "postgresql" and url:
            drop_at_the_end(url)
        loop.close()
