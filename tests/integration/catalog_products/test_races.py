"""Real races on a database of its own (separate connections, committed data): two saves of
the same product, and a delist racing a withdrawal. Exactly one lands per product state;
the other is a Conflict (or, for the same content, "unchanged") and leaves nothing half
written."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.catalog import delist_product, save_product, withdraw_listing
from galerie.catalog.product_models import ListingHistory, Product
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock
from tests.integration.catalog_products.factories import home_draft, make_world


async def test_two_saves_of_one_product_never_interleave(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    first, second = Database.from_url(fresh_url), Database.from_url(fresh_url)
    try:
        world = await make_world(setup, clock.now(), tmp_path)
        saved = await save_product(
            setup, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
        )
        drafts = [home_draft(titles={"en": "Blue vase"}), home_draft(titles={"en": "Green vase"})]
        results = await asyncio.gather(
            *(
                save_product(db, actor_user_id=None, shop_id=world.shop, draft=d, now=clock.now())
                for db, d in zip((first, second), drafts, strict=True)
            ),
            return_exceptions=True,
        )
        outcomes = sorted(
            r.outcome if not isinstance(r, BaseException) else type(r).__name__ for r in results
        )
        async with setup.reading() as session:
            product = await session.get(Product, saved.product_id)
            assert product is not None
            versions = product.version
        # Serialised (SQLite's BEGIN IMMEDIATE, or PostgreSQL's row lock then a new read):
        # either both land one after the other, or the loser is a stale-state Conflict.
        assert outcomes in (["updated", "updated"], ["Conflict", "updated"])
        assert versions == 1 + outcomes.count("updated")
        for r in results:
            if isinstance(r, BaseException):
                assert isinstance(r, Conflict)
                assert r.code == "stale_state"
    finally:
        for db in (setup, first, second):
            await db.dispose()


async def test_a_delist_racing_a_withdrawal_lands_once(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    first, second = Database.from_url(fresh_url), Database.from_url(fresh_url)
    try:
        world = await make_world(setup, clock.now(), tmp_path)
        saved = await save_product(
            setup, actor_user_id=None, shop_id=world.shop, draft=home_draft(), now=clock.now()
        )
        results = await asyncio.gather(
            delist_product(
                first,
                actor=world.people["moderation"],
                product_id=saved.product_id,
                reason="Complaint",
                now=clock.now(),
                audit=AuditContext(),
            ),
            withdraw_listing(
                second,
                actor_user_id=None,
                shop_id=world.shop,
                product_id=saved.product_id,
                now=clock.now(),
            ),
            return_exceptions=True,
        )
        landed = [r for r in results if isinstance(r, str)]
        refused = [r for r in results if isinstance(r, BaseException)]
        assert len(landed) == 1
        assert len(refused) == 1
        assert isinstance(refused[0], Conflict)
        async with setup.reading() as session:
            product = await session.get(Product, saved.product_id)
            history = await session.scalar(
                select(func.count())
                .select_from(ListingHistory)
                .where(ListingHistory.product_id == saved.product_id)
            )
        assert product is not None
        assert product.status == landed[0]
        assert history == 4  # created, submitted, passed, and the one that landed
    finally:
        for db in (setup, first, second):
            await db.dispose()
