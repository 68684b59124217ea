"""Quoting a cart on both databases: per-shop goods and shipping (the cheapest method by
default, or the one chosen), totals across shops; a shop that does not ship to the address
and a line with a warning block placing, with their codes; nothing is written."""

from __future__ import annotations

import pytest

from galerie.cart import CartOwner
from galerie.checkout import UnknownShippingMethod, quote_checkout
from galerie.db import Database
from galerie.kernel import FixedClock, Money, NotFound
from galerie.shipping import create_shipping_template
from tests.integration.cart.factories import set_stock
from tests.integration.checkout.factories import Checkout, address, fill_cart, template
from tests.integration.orders.factories import counts


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def test_two_shops_with_shipping_add_up(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    s0, s1 = (s.shop_id for s in shop3.market.shops[:2])
    await fill_cart(db, clock.now(), buyer, [(shop3.skus[0], 2), (shop3.skus[1], 1)])
    before = await counts(db)
    quote = await quote_checkout(
        db, owner=CartOwner.user(buyer), address_id=shop3.china, currency="CNY"
    )
    assert quote.placeable
    assert quote.blockers == []
    by_shop = {s.shop_id: s for s in quote.shops}
    assert [o.method.value for o in by_shop[s0].options] == ["surface", "express"]
    cheapest = by_shop[s0].chosen
    assert cheapest is not None
    assert cheapest.method.value == "surface"
    assert (by_shop[s0].goods_total, cheapest.fee, by_shop[s0].total) == (
        cny(2000),
        cny(400),
        cny(2400),
    )
    assert cheapest.auto_confirm_days == 30
    assert (by_shop[s1].goods_total, by_shop[s1].total) == (cny(1000), cny(1300))
    assert (quote.goods_total, quote.shipping_total, quote.total) == (
        cny(3000),
        cny(700),
        cny(3700),
    )
    express = await quote_checkout(
        db, owner=CartOwner.user(buyer), address_id=shop3.china, methods={s0: "express"},
        currency="CNY",
    )  # fmt: skip
    chosen = {s.shop_id: s.chosen for s in express.shops}[s0]
    assert chosen is not None
    assert (chosen.fee, chosen.auto_confirm_days) == (cny(900), 10)
    assert express.total == cny(4200)
    assert await counts(db) == before  # a quote writes nothing


async def test_a_shop_that_does_not_ship_there_blocks_with_its_code(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    s0, s1 = (s.shop_id for s in shop3.market.shops[:2])
    await create_shipping_template(
        db, shop_id=s0, spec=template("express", 5000, countries=("JP",)), now=clock.now()
    )
    await fill_cart(db, clock.now(), buyer, [(shop3.skus[0], 1), (shop3.skus[1], 1)])
    quote = await quote_checkout(
        db, owner=CartOwner.user(buyer), address_id=shop3.japan, currency="CNY"
    )
    assert not quote.placeable
    assert [(b.code, b.shop_id) for b in quote.blockers] == [("does_not_ship_there", s1)]
    refused = {s.shop_id: s for s in quote.shops}[s1]
    assert (refused.options, refused.chosen, refused.refusal) == ([], None, "does_not_ship_there")


async def test_warnings_and_missing_things_block(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    owner = CartOwner.user(buyer)
    empty = await quote_checkout(db, owner=owner, address_id=shop3.china, currency="CNY")
    assert [b.code for b in empty.blockers] == ["cart_empty"]
    await fill_cart(db, clock.now(), buyer, [(shop3.skus[0], 3)])
    no_address = await quote_checkout(db, owner=owner, address_id=None, currency="CNY")
    assert [b.code for b in no_address.blockers] == ["address_required"]
    await set_stock(db, shop3.skus[0], 2)
    short = await quote_checkout(db, owner=owner, address_id=shop3.china, currency="CNY")
    assert [b.code for b in short.blockers] == ["cart_has_problems"]
    assert short.blockers[0].line_id == short.shops[0].lines[0].id


async def test_bad_choices_and_other_peoples_addresses_are_refused(
    db: Database, clock: FixedClock, shop3: Checkout
) -> None:
    buyer = shop3.market.buyer_id
    await fill_cart(db, clock.now(), buyer, [(shop3.skus[0], 1)])
    owner, shop = CartOwner.user(buyer), shop3.market.shops[0].shop_id
    with pytest.raises(UnknownShippingMethod):
        await quote_checkout(
            db, owner=owner, address_id=shop3.china, methods={shop: "virtual"}, currency="CNY"
        )
    with pytest.raises(UnknownShippingMethod):  # a shop not in the cart
        await quote_checkout(
            db, owner=owner, address_id=shop3.china, methods={shop + 999: "express"},
            currency="CNY",
        )  # fmt: skip
    theirs = await address(db, clock.now(), shop3.market.other_buyer_id, "CN")
    with pytest.raises(NotFound) as caught:
        await quote_checkout(db, owner=owner, address_id=theirs, currency="CNY")
    assert caught.value.code == "address_not_found"
