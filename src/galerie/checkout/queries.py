"""Reads the checkout needs beside the orders' own: the names of the shops of a buyer's
orders (one query, on the sellers' `shops` table by id, as the cart's read does), and the
quote's address with every shop's shipping templates in one statement (on PostgreSQL with
the cart's read: `AddressAhead`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import column, select, table

from galerie.cart import ADDRESS_COLUMNS, AddressView, CartOwner, address_not_found, address_of
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


# The address's columns then a template's, on one row per template of the shops ({shops}).
_COLUMNS = ", ".join(
    [f"a.{name}" for name in ADDRESS_COLUMNS] + [f"t.{name}" for name in TEMPLATE_COLUMNS]
)
_FROM = (
    " FROM shopper_addresses a LEFT JOIN shipping_templates t ON t.shop_id IN ({shops}) "
    "WHERE a.id = $1 AND a.user_id = $2 ORDER BY t.shop_id, t.name, t.id"
)
_ADDRESS_AND_TEMPLATES = "SELECT " + _COLUMNS + _FROM
_AHEAD = "SELECT ARRAY(SELECT ROW(" + _COLUMNS + ")" + _FROM + ")"
_SHOPS_OF_SKUS = "SELECT shop_id FROM skus WHERE id = ANY($3::bigint[])"
_SHOPS_OF_CART = (
    "SELECT l.shop_id FROM carts c JOIN cart_lines l ON l.cart_id = c.id WHERE c.{owner} = $3"
)


@dataclass(slots=True)
class AddressAhead:
    """`address_and_templates` read with the cart's read (PostgreSQL: `RawSQL.lead`, one
    round trip fewer): the templates of the shops of the cart, or of the SKUs bought now,
    taken before the cart is read, and kept to the shops the cart then shows."""

    rows: list[Sequence[Any]] = field(default_factory=list)

    @classmethod
    async def send(
        cls,
        raw: RawSQL,
        *,
        user_id: int,
        address_id: int,
        owner: CartOwner,
        skus: Sequence[int] | None,
    ) -> AddressAhead:
        ahead = cls()

        async def then(row: Sequence[Any] | None) -> None:
            ahead.rows = list(row[0]) if row is not None else []

        if skus is not None:
            sql, shops = _AHEAD.format(shops=_SHOPS_OF_SKUS), list(skus)
        else:
            sql = _AHEAD.format(shops=_SHOPS_OF_CART.format(owner=owner.column))
            shops = owner.key
        await raw.lead(sql, address_id, user_id, shops, then=then, outside_transaction=True)
        return ahead

    def result(
        self, raw: RawSQL, shop_ids: Sequence[int]
    ) -> tuple[AddressView, dict[int, list[ShippingTemplate]]]:
        return _address_and_templates(raw, self.rows, shop_ids)


async def address_and_templates(
    raw: RawSQL, *, user_id: int, address_id: int, shop_ids: Sequence[int]
) -> tuple[AddressView, dict[int, list[ShippingTemplate]]]:
    """The shopper's own address (another's is NotFound `address_not_found`) and the
    templates of the shops, each shop's by name: ONE statement, a row per template (the
    address repeated; one row of NULL template columns when there are none)."""
    marks = ", ".join(f"${i}" for i in range(3, len(shop_ids) + 3)) or "NULL"
    sql = _ADDRESS_AND_TEMPLATES.format(shops=marks)
    return _address_and_templates(
        raw, await raw.fetch(sql, address_id, user_id, *shop_ids), shop_ids
    )


def _address_and_templates(
    raw: RawSQL, rows: Sequence[Sequence[Any]], shop_ids: Sequence[int]
) -> tuple[AddressView, dict[int, list[ShippingTemplate]]]:
    if not rows:
        raise address_not_found()
    width = len(ADDRESS_COLUMNS)
    found: dict[int, list[ShippingTemplate]] = {shop_id: [] for shop_id in shop_ids}
    for row in rows:
        if row[width] is not None and row[width + 1] in found:
            template = template_read(row[width:])
            found[template.shop_id].append(template)
    return address_of(rows[0][:width]), found
