"""Set-up for the checkout tests: the orders' market (three live shops, a buyer), shipping
templates per shop (express and surface to China, the first shop also to France), a saved
address in China and one in Japan (where nobody ships), and a cart filled through the
cart's own service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from galerie.cart import AddressForm, CartOwner, add_address, add_to_cart, cart_view
from galerie.db import Database
from galerie.shipping import Rate, Region, RegionRate, TemplateSpec, create_shipping_template
from tests.integration.orders.factories import Market, insert_live_sku, stock


@dataclass(frozen=True)
class Checkout:
    market: Market
    china: int  # the buyer's default address
    japan: int
    skus: list[int]  # one per shop, 1000 CNY minor each, 5 in stock


def template(method: str, first: int, *, countries: tuple[str, ...] = ("CN",)) -> TemplateSpec:
    return TemplateSpec(
        name=f"{method} {first}",
        method=method,
        charge_by="count",
        currency="CNY",
        region_rates=(RegionRate(Region(frozenset(countries)), Rate(first, 100)),),
    )


async def address(db: Database, now: datetime, user_id: int, country: str) -> int:
    form = AddressForm(
        recipient="Chen Wei", phone="+86 21 5555 0101", country=country, city="Shanghai",
        line1="88 Century Avenue",
    )  # fmt: skip
    return await add_address(db, user_id=user_id, form=form, make_default=False, now=now)


async def make_checkout(db: Database, now: datetime, market: Market) -> Checkout:
    skus = []
    for shop in market.shops:
        await create_shipping_template(
            db, shop_id=shop.shop_id, spec=template("express", 800), now=now
        )
        await create_shipping_template(
            db, shop_id=shop.shop_id, spec=template("surface", 300), now=now
        )
        sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
        await stock(db, now, shop, sku, 5)
        skus.append(sku)
    china = await address(db, now, market.buyer_id, "CN")
    japan = await address(db, now, market.buyer_id, "JP")
    return Checkout(market, china, japan, skus)


async def fill_cart(
    db: Database, now: datetime, user_id: int, lines: list[tuple[int, int]]
) -> None:
    for sku, quantity in lines:
        await add_to_cart(db, owner=CartOwner.user(user_id), sku_id=sku, quantity=quantity, now=now)


async def cart_lines(db: Database, user_id: int) -> list[tuple[int, int]]:
    view = await cart_view(db, owner=CartOwner.user(user_id), language="en")
    return sorted((line.sku_id, line.quantity) for line in view.lines)
