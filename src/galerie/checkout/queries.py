"""Reads the checkout needs beside the orders' own: the names of the shops of a buyer's
orders (one query, on the sellers' `shops` table by id, as the cart's read does), and the
quote's address with every shop's shipping templates in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import column, select, table

from galerie.cart import ADDRESS_COLUMNS, AddressView, address_not_found, address_of
from galerie.db import Database, RawSQL
from galerie.shipping import TEMPLATE_COLUMNS, ShippingTemplate, template_read

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


_ADDRESS_AND_TEMPLATES = (
    "SELECT "  # noqa: S608 - fixed fragments, bound values
    + ", ".join(f"a.{name}" for name in ADDRESS_COLUMNS)
    + ", "
    + ", ".join(f"t.{name}" for name in TEMPLATE_COLUMNS)
    + " FROM shopper_addresses a LEFT JOIN shipping_templates t ON t.shop_id IN ({marks}) "
    "WHERE a.id = $1 AND a.user_id = $2 ORDER BY t.shop_id, t.name, t.id"
)


async def address_and_templates(
    raw: RawSQL, *, user_id: int, address_id: int, shop_ids: Sequence[int]
) -> tuple[AddressView, dict[int, list[ShippingTemplate]]]:
    """The shopper's own address (another's is NotFound `address_not_found`) and the
    templates of the shops, each shop's by name: ONE statement, a row per template (the
    address repeated; one row of NULL template columns when there are none)."""
    marks = ", ".join(f"${i}" for i in range(3, len(shop_ids) + 3)) or "NULL"
    sql = _ADDRESS_AND_TEMPLATES.format(marks=marks)
    rows = await raw.fetch(sql, address_id, user_id, *shop_ids)
    if not rows:
        raise address_not_found()
    width = len(ADDRESS_COLUMNS)
    found: dict[int, list[ShippingTemplate]] = {shop_id: [] for shop_id in shop_ids}
    for row in rows:
        if row[width] is not None:
            template = template_read(raw, row[width:])
            found[template.shop_id].append(template)
    return address_of(rows[0][:width]), found
