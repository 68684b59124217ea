"""Shops in every state for the storefront's catalog pages: one live shop (and its rival
organisation's live shop), a suspended and a preparing one, all of the same organisation
as `people.org` unless told otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.sellers.models import Shop
from tests.integration.sellers.factories import (
    APPAREL,
    HOME,
    People,
    insert_shop,
    load_categories,
    make_people,
)


@dataclass
class Shops:
    people: People
    live: int
    suspended: int
    preparing: int
    slugs: dict[int, str]


async def make_shops(db: Database, clock: FixedClock, tmp: Path) -> Shops:
    await load_categories(db, clock.now(), tmp)
    people = await make_people(db, clock.now())
    ids = {}
    for status in ("live", "suspended", "preparing"):
        ids[status] = await insert_shop(
            db, clock.now(), organisation_id=people.org, status=status, top_levels=(HOME, APPAREL)
        )
    slugs = {}
    async with db.reading() as session:
        for shop_id in ids.values():
            shop = await session.get(Shop, shop_id)
            assert shop is not None
            slugs[shop_id] = shop.slug
    return Shops(people, ids["live"], ids["suspended"], ids["preparing"], slugs)
