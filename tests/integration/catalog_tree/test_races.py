"""Concurrent adds on a database of their own (separate connections, committed data): ids
are allocated without a gap or a clash, and two adds of one name land once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from galerie.audit import AuditContext
from galerie.catalog import CategoryNames, add_category, move_category
from galerie.catalog.models import OPERATOR_IDS_FROM
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock
from tests.integration.catalog_products.factories import HOME, make_world
from tests.integration.catalog_tree.support import count_categories, place

RACERS = 6


async def test_concurrent_adds_get_distinct_ids_and_one_name_lands_once(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    racers = [Database.from_url(fresh_url) for _ in range(RACERS)]
    try:
        world = await make_world(setup, clock.now(), tmp_path)
        admin = world.people["admin"]
        before = await count_categories(setup)

        async def add(db: Database, name: str) -> int:
            return await add_category(
                db, actor=admin, parent_id=HOME, names=CategoryNames(name), now=clock.now(),
                audit=AuditContext(),
            )  # fmt: skip

        ids = await asyncio.gather(*(add(db, f"Shelf {n}") for n, db in enumerate(racers)))
        assert sorted(ids) == list(range(OPERATOR_IDS_FROM, OPERATOR_IDS_FROM + RACERS))
        same = await asyncio.gather(
            add(racers[0], "Vases"), add(racers[1], "vases"), return_exceptions=True
        )
        landed = [r for r in same if isinstance(r, int)]
        refused = [r for r in same if isinstance(r, BaseException)]
        assert len(landed) == 1
        assert [(type(r), getattr(r, "code", None)) for r in refused] == [
            (Conflict, "category_name_taken")
        ]
        assert await count_categories(setup) == before + RACERS + 1
    finally:
        for db in (setup, *racers):
            await db.dispose()


async def test_two_crossing_moves_never_make_a_cycle(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    first, second = Database.from_url(fresh_url), Database.from_url(fresh_url)
    try:
        world = await make_world(setup, clock.now(), tmp_path)
        admin, audit = world.people["admin"], AuditContext()
        a = await add_category(
            setup, actor=admin, parent_id=HOME, names=CategoryNames("A"), now=clock.now(),
            audit=audit,
        )  # fmt: skip
        b = await add_category(
            setup, actor=admin, parent_id=HOME, names=CategoryNames("B"), now=clock.now(),
            audit=audit,
        )  # fmt: skip
        results = await asyncio.gather(
            move_category(first, actor=admin, category_id=a, parent_id=b, now=clock.now(),
                          audit=audit),
            move_category(second, actor=admin, category_id=b, parent_id=a, now=clock.now(),
                          audit=audit),
            return_exceptions=True,
        )  # fmt: skip
        refused = [r for r in results if isinstance(r, BaseException)]
        assert [getattr(r, "code", r) for r in refused] == ["category_cycle"]
        assert {await place(setup, a), await place(setup, b)} in (
            {(b, "Home & Garden > B > A", 2, HOME), (HOME, "Home & Garden > B", 1, HOME)},
            {(a, "Home & Garden > A > B", 2, HOME), (HOME, "Home & Garden > A", 1, HOME)},
        )
    finally:
        for db in (setup, first, second):
            await db.dispose()
