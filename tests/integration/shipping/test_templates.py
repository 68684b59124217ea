"""Shipping templates on both databases: saved and read back whole, one shop's templates
invisible to another, bad input and duplicates refused with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Money, NotFound, ValidationFailed
from galerie.shipping import (
    Destination,
    Rate,
    Region,
    RegionRate,
    ShippingRefused,
    TemplateSpec,
    create_shipping_template,
    delete_shipping_template,
    quote_shop_order,
    quote_shop_shipping,
    shop_shipping_template,
    shop_shipping_templates,
    update_shipping_template,
)
from galerie.shipping.models import ShippingTemplateRow
from tests.web.storefront_catalog_factories import Shops, make_shops


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: Path) -> Shops:
    return await make_shops(db, clock, tmp_path)


def express(name: str = "Express", **changes: object) -> TemplateSpec:
    values: dict[str, object] = {
        "name": name,
        "method": "express",
        "charge_by": "weight",
        "currency": "CNY",
        "region_rates": (
            RegionRate(Region(frozenset({"CN"}), frozenset({"FR-IDF"})), Rate(1000, 500)),
        ),
        "rest_of_world": Rate(9000, 3000),
        "free_above": Money(30_000, "CNY"),
    }
    values.update(changes)
    return TemplateSpec(**values)  # type: ignore[arg-type]


async def count_templates(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(ShippingTemplateRow)) or 0)


async def test_a_template_is_saved_and_read_back_whole(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    template_id = await create_shipping_template(
        db, shop_id=shops.live, spec=express(), now=clock.now()
    )
    async with db.reading() as session:
        [found] = await shop_shipping_templates(session, shop_id=shops.live)
    assert found.id == template_id
    assert found.spec == express().checked()
    options = quote_shop_shipping([found], [(2, 800)], Money(100, "CNY"), Destination("FR", "IDF"))
    assert [(o.fee.minor, o.auto_confirm_days) for o in options] == [(1500, 10)]
    async with db.reading() as session:
        quoted = await quote_shop_order(
            session, shop_id=shops.live, lines=[(1, 2500)], goods_total=Money(100, "CNY"),
            destination=Destination("US"),
        )  # fmt: skip
        with pytest.raises(ShippingRefused):
            await quote_shop_order(
                session, shop_id=shops.preparing, lines=[(1, 1)], goods_total=Money(1, "CNY"),
                destination=Destination("CN"),
            )  # fmt: skip
    assert [(o.template_id, o.fee.minor) for o in quoted] == [(template_id, 9000 + 2 * 3000)]


async def test_bad_input_writes_nothing(db: Database, clock: FixedClock, shops: Shops) -> None:
    bad = [
        express(rest_of_world=Rate(-1, 0)),
        express(region_rates=(RegionRate(Region(frozenset({"ZZ"})), Rate(1, 1)),)),
        express(region_rates=(RegionRate(Region(), Rate(1, 1)),)),
        express(free_above=Money(100, "EUR")),
    ]
    for spec in bad:
        with pytest.raises(ValidationFailed):
            await create_shipping_template(db, shop_id=shops.live, spec=spec, now=clock.now())
    assert await count_templates(db) == 0


async def test_a_name_is_unique_within_the_shop(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    await create_shipping_template(db, shop_id=shops.live, spec=express(), now=clock.now())
    with pytest.raises(Conflict) as refused:
        await create_shipping_template(db, shop_id=shops.live, spec=express(), now=clock.now())
    assert refused.value.code == "template_name_taken"
    await create_shipping_template(db, shop_id=shops.preparing, spec=express(), now=clock.now())
    assert await count_templates(db) == 2


async def test_another_shops_template_cannot_be_read_changed_or_deleted(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    template_id = await create_shipping_template(
        db, shop_id=shops.live, spec=express(), now=clock.now()
    )
    other = shops.preparing
    with pytest.raises(NotFound):
        await update_shipping_template(
            db, shop_id=other, template_id=template_id, spec=express("Mine"), now=clock.now()
        )
    with pytest.raises(NotFound):
        await delete_shipping_template(db, shop_id=other, template_id=template_id)
    async with db.reading() as session:
        with pytest.raises(NotFound):
            await shop_shipping_template(session, shop_id=other, template_id=template_id)
        kept = await shop_shipping_template(session, shop_id=shops.live, template_id=template_id)
    assert kept.spec.name == "Express"


async def test_update_replaces_and_delete_removes(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    template_id = await create_shipping_template(
        db, shop_id=shops.live, spec=express(), now=clock.now()
    )
    surface = express("Surface", method="surface", rest_of_world=None, free_above=None)
    await update_shipping_template(
        db, shop_id=shops.live, template_id=template_id, spec=surface, now=clock.now()
    )
    async with db.reading() as session:
        found = await shop_shipping_template(session, shop_id=shops.live, template_id=template_id)
    assert found.spec == surface.checked()
    with pytest.raises(ValidationFailed):
        await update_shipping_template(
            db, shop_id=shops.live, template_id=template_id,
            spec=express(rest_of_world=Rate(1, -1)), now=clock.now(),
        )  # fmt: skip
    await delete_shipping_template(db, shop_id=shops.live, template_id=template_id)
    assert await count_templates(db) == 0
