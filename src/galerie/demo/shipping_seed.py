"""Seeding the demo's shipping templates and shoppers' addresses, through the services.

Every shop that sells gets an express template (mainland China, Hong Kong, Macao and Taiwan
at one rate, the far west dearer, the rest of the world dearer still, free above 199 yuan);
the Chinese shops add surface mail. The demo shoppers each keep a default address.
Idempotent: a shop that has templates, or a shopper who has addresses, is left alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from galerie.cart import AddressForm, add_address
from galerie.cart.models import ShopperAddress
from galerie.db import Database
from galerie.demo.stock_seed import WAREHOUSES
from galerie.identity.models import User
from galerie.kernel import Clock, Money
from galerie.sellers.models import Shop
from galerie.shipping import Rate, Region, RegionRate, TemplateSpec, create_shipping_template
from galerie.shipping.models import ShippingTemplateRow

GREATER_CHINA = Region(frozenset({"CN", "HK", "MO", "TW"}))
FAR_WEST = Region(provinces=frozenset({"CN-XZ", "CN-XJ"}))
ADDRESSES = {
    "chen.wei@example.test": AddressForm(
        "陈伟", "+86 21 5555 0101", "CN", "上海市", "南京东路 100 号", province="CN-SH",
        district="黄浦区", postcode="200001",
    ),
    "amelie@example.test": AddressForm(
        "Amélie Durand", "+33 4 72 00 00 00", "FR", "Lyon", "12 rue de la République",
        province="FR-ARA", postcode="69002",
    ),
    "sam@example.test": AddressForm(
        "Sam Taylor", "+44 20 7946 0000", "GB", "London", "221 Baker Street", postcode="NW1 6XE"
    ),
}  # fmt: skip


def demo_templates(country: str) -> list[TemplateSpec]:
    express = TemplateSpec(
        name="Express",
        method="express",
        charge_by="weight",
        currency="CNY",
        region_rates=(
            RegionRate(GREATER_CHINA, Rate(1000, 500)),
            RegionRate(FAR_WEST, Rate(2500, 1500)),
        ),
        rest_of_world=Rate(9000, 3000),
        free_above=Money(19_900, "CNY"),
    )
    surface = TemplateSpec(
        name="Surface mail",
        method="surface",
        charge_by="count",
        currency="CNY",
        region_rates=(RegionRate(GREATER_CHINA, Rate(600, 200)),),
    )
    return [express, surface] if country == "CN" else [express]


async def seed_demo_shipping(db: Database, clock: Clock) -> int:
    """Templates and addresses; returns the number of templates written."""
    now = clock.now()
    async with db.reading() as session:
        shops = dict((await session.execute(
            select(Shop.slug, Shop.id).where(Shop.slug.in_(WAREHOUSES)))).tuples().all())  # fmt: skip
        done = set((await session.scalars(select(ShippingTemplateRow.shop_id))).all())
    written = 0
    for slug, shop_id in sorted(shops.items()):
        if shop_id in done:
            continue
        for spec in demo_templates(WAREHOUSES[slug][0]):
            await create_shipping_template(db, shop_id=shop_id, spec=spec, now=now)
            written += 1
    await _seed_addresses(db, now)
    return written


async def _seed_addresses(db: Database, now: datetime) -> None:
    async with db.reading() as session:
        users = dict((await session.execute(
            select(User.email, User.id).where(User.email.in_(ADDRESSES)))).tuples().all())  # fmt: skip
        kept = set((await session.scalars(select(ShopperAddress.user_id))).all())
    for email, form in ADDRESSES.items():
        user_id = users.get(email)
        if user_id is not None and user_id not in kept:
            await add_address(db, user_id=user_id, form=form, make_default=True, now=now)
