"""Reads the checkout's pages need beside the orders' own: the names of the shops of a
buyer's orders (one query, on the sellers' `shops` table by id, as the cart's read does)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import column, select, table

from galerie.db import Database

_SHOPS = table("shops", column("id"), column("name"), column("slug"))


@dataclass(frozen=True, slots=True)
class ShopLabel:
    name: str
    slug: str


async def shop_labels(db: Database, shop_ids: Iterable[int]) -> dict[int, ShopLabel]:
    """Shop id -> its name and slug, for the given ids (one query; none for no ids)."""
    wanted = sorted(set(shop_ids))
    if not wanted:
        return {}
    async with db.reading() as session:
        rows = await session.execute(
            select(_SHOPS.c.id, _SHOPS.c.name, _SHOPS.c.slug).where(_SHOPS.c.id.in_(wanted))
        )
        return {int(r[0]): ShopLabel(r[1], r[2]) for r in rows}
