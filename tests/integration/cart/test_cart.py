"""The cart on both databases: adding and changing lines, limits, bad input (nothing
changes), the warnings computed on read, guest carts merged on sign-in, and another
shopper's lines out of reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.cart import (
    CartOwner,
    LineProblem,
    add_to_cart,
    cart_view,
    merge_guest_cart,
    new_guest_token,
    purge_guest_carts,
    remove_cart_line,
    set_line_quantity,
)
from galerie.cart.models import Cart, CartLine
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Money, NotFound, ValidationFailed
from galerie.workers.timers import run_timers
from tests.factories import make_user
from tests.integration.cart.factories import (
    change_product,
    change_shop,
    change_sku,
    make_goods,
    set_stock,
)
from tests.web.storefront_catalog_factories import Shops


async def shopper(db: Database, clock: FixedClock) -> CartOwner:
    return CartOwner.user((await make_user(db, now=clock.now())).user_id)


async def lines_of(db: Database, owner: CartOwner) -> list[tuple[int, int]]:
    view = await cart_view(db, owner=owner, language="en")
    return [(line.sku_id, line.quantity) for line in view.lines]


async def table_counts(db: Database) -> tuple[int, int]:
    async with db.reading() as session:
        carts = await session.scalar(select(func.count()).select_from(Cart))
        lines = await session.scalar(select(func.count()).select_from(CartLine))
    return int(carts or 0), int(lines or 0)


async def test_adding_twice_adds_the_quantities_and_groups_by_shop(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    owner = await shopper(db, clock)
    tea = await make_goods(db, clock.now(), shops.live)
    await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=2, now=clock.now())
    await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity="3", now=clock.now())
    await add_to_cart(db, owner=owner, sku_id=tea.skus[1], quantity=1, now=clock.now())

    view = await cart_view(db, owner=owner, language="fr")
    [group] = view.shops
    assert group.shop_id == shops.live
    assert [(line.sku_id, line.quantity, line.variant) for line in group.lines] == [
        (tea.skus[0], 5, "S0"),
        (tea.skus[1], 1, "S1"),
    ]
    assert group.lines[0].title == "Jasmine tea (fr)"
    assert group.totals == [Money(5 * 1999 + 2999, "CNY")]
    assert all(line.problems == () for line in view.lines)
    assert view.item_count == 6
    assert view.orderable


@pytest.mark.parametrize(
    "quantity", [0, -1, 1.5, "1.5", "abc", "", " ", True, None, 100, "100", "1e2"]
)
async def test_bad_quantities_are_refused_and_change_nothing(
    db: Database, clock: FixedClock, shops: Shops, quantity: object
) -> None:
    owner = await shopper(db, clock)
    tea = await make_goods(db, clock.now(), shops.live)
    line = await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=2, now=clock.now())
    with pytest.raises(ValidationFailed):
        await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=quantity, now=clock.now())
    with pytest.raises(ValidationFailed):
        await set_line_quantity(db, owner=owner, line_id=line, quantity=quantity, now=clock.now())
    assert await lines_of(db, owner) == [(tea.skus[0], 2)]


async def test_the_per_buyer_limit_and_the_stock_bound_a_line(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    owner = await shopper(db, clock)
    tea = await make_goods(db, clock.now(), shops.live, stock=(3, 200))
    await change_sku(db, tea.skus[1], per_buyer_limit=2)
    line = await add_to_cart(db, owner=owner, sku_id=tea.skus[1], quantity=2, now=clock.now())
    with pytest.raises(ValidationFailed) as refused:
        await add_to_cart(db, owner=owner, sku_id=tea.skus[1], quantity=1, now=clock.now())
    assert (refused.value.code, refused.value.details["limit"]) == ("quantity_above_limit", 2)
    with pytest.raises(ValidationFailed):
        await set_line_quantity(db, owner=owner, line_id=line, quantity=3, now=clock.now())
    with pytest.raises(Conflict) as short:
        await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=4, now=clock.now())
    assert short.value.code == "not_enough_stock"
    assert await lines_of(db, owner) == [(tea.skus[1], 2)]


async def test_what_cannot_be_bought_cannot_be_added(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    owner = await shopper(db, clock)
    hidden = await make_goods(db, clock.now(), shops.preparing)
    delisted = await make_goods(db, clock.now(), shops.live)
    await change_product(db, delisted.product_id, status="delisted")
    for sku in (hidden.skus[0], delisted.skus[0], 999_999_999):
        with pytest.raises(NotFound):
            await add_to_cart(db, owner=owner, sku_id=sku, quantity=1, now=clock.now())
    assert await table_counts(db) == (0, 0)


async def test_each_warning_is_computed_on_read(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    owner = await shopper(db, clock)
    goods = [await make_goods(db, clock.now(), shops.live, title=f"T{n}") for n in range(6)]
    for item in goods:
        await add_to_cart(db, owner=owner, sku_id=item.skus[0], quantity=3, now=clock.now())
    await change_sku(db, goods[0].skus[0], price_minor=2500)
    await set_stock(db, goods[1].skus[0], 2)
    await set_stock(db, goods[2].skus[0], 0)
    await change_product(db, goods[3].product_id, status="delisted")
    await change_sku(db, goods[4].skus[0], is_active=False)
    await change_sku(db, goods[5].skus[0], per_buyer_limit=2)

    view = await cart_view(db, owner=owner, language="en")
    problems = {line.title: line.problems for line in view.lines}
    assert problems == {
        "T0": (LineProblem.PRICE_CHANGED,),
        "T1": (LineProblem.NOT_ENOUGH_STOCK,),
        "T2": (LineProblem.OUT_OF_STOCK,),
        "T3": (LineProblem.UNAVAILABLE,),
        "T4": (LineProblem.UNAVAILABLE,),
        "T5": (LineProblem.ABOVE_LIMIT,),
    }
    price_changed = view.lines[0]
    assert (price_changed.price_seen.minor, price_changed.unit_price.minor) == (1999, 2500)
    assert not view.orderable
    assert view.shops[0].totals == [Money(3 * 2500, "CNY")]  # only the orderable line

    await change_shop(db, shops.live, status="suspended")
    view = await cart_view(db, owner=owner, language="en")
    assert all(line.problems[0] == LineProblem.SHOP_UNAVAILABLE for line in view.lines)


async def test_a_guest_cart_merges_into_the_shoppers_on_sign_in(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    owner = await shopper(db, clock)
    assert owner.user_id is not None
    token = new_guest_token()
    guest = CartOwner.guest(token)
    tea = await make_goods(db, clock.now(), shops.live, stock=(500, 500, 500), prices=(1, 2, 3))
    await change_sku(db, tea.skus[1], per_buyer_limit=5)
    await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=2, now=clock.now())
    await add_to_cart(db, owner=owner, sku_id=tea.skus[1], quantity=4, now=clock.now())
    later = clock.now() + timedelta(minutes=5)
    await add_to_cart(db, owner=guest, sku_id=tea.skus[0], quantity=3, now=later)
    await add_to_cart(db, owner=guest, sku_id=tea.skus[1], quantity=4, now=later)
    await add_to_cart(db, owner=guest, sku_id=tea.skus[2], quantity=1, now=later)

    merged = await merge_guest_cart(db, guest_token=token, user_id=owner.user_id, now=later)

    assert merged == 3
    assert sorted(await lines_of(db, owner)) == [
        (tea.skus[0], 5),
        (tea.skus[1], 5),
        (tea.skus[2], 1),
    ]
    assert await lines_of(db, guest) == []
    assert await table_counts(db) == (1, 3)
    assert await merge_guest_cart(db, guest_token=token, user_id=owner.user_id, now=later) == 0


async def test_another_shoppers_line_is_out_of_reach(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    alice, bob = await shopper(db, clock), await shopper(db, clock)
    guest = CartOwner.guest(new_guest_token())
    tea = await make_goods(db, clock.now(), shops.live)
    line = await add_to_cart(db, owner=alice, sku_id=tea.skus[0], quantity=2, now=clock.now())
    for intruder in (bob, guest):
        with pytest.raises(NotFound):
            await set_line_quantity(db, owner=intruder, line_id=line, quantity=1, now=clock.now())
        with pytest.raises(NotFound):
            await remove_cart_line(db, owner=intruder, line_id=line)
    assert await lines_of(db, alice) == [(tea.skus[0], 2)]
    await set_line_quantity(db, owner=alice, line_id=line, quantity=7, now=clock.now())
    assert await lines_of(db, alice) == [(tea.skus[0], 7)]
    await remove_cart_line(db, owner=alice, line_id=line)
    assert await lines_of(db, alice) == []
    with pytest.raises(NotFound):
        await remove_cart_line(db, owner=alice, line_id=line)


async def test_stale_guest_carts_are_purged_and_nothing_else(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    old, fresh = CartOwner.guest(new_guest_token()), CartOwner.guest(new_guest_token())
    shopper_cart = await shopper(db, clock)
    long_ago = clock.now() - timedelta(days=40)
    await add_to_cart(db, owner=old, sku_id=tea.skus[0], quantity=1, now=long_ago)
    await add_to_cart(db, owner=shopper_cart, sku_id=tea.skus[0], quantity=1, now=long_ago)
    await add_to_cart(db, owner=fresh, sku_id=tea.skus[0], quantity=1, now=clock.now())

    purged = await purge_guest_carts(db, older_than=clock.now() - timedelta(days=30))

    assert purged == 1
    assert await lines_of(db, old) == []
    assert await lines_of(db, fresh) == [(tea.skus[0], 1)]
    assert await lines_of(db, shopper_cart) == [(tea.skus[0], 1)]
    assert await table_counts(db) == (2, 2)


async def test_the_workers_hourly_timers_purge_stale_guest_carts(
    db: Database, clock: FixedClock, shops: Shops
) -> None:
    tea = await make_goods(db, clock.now(), shops.live)
    old, fresh = CartOwner.guest(new_guest_token()), CartOwner.guest(new_guest_token())
    await add_to_cart(db, owner=old, sku_id=tea.skus[0], quantity=1, now=clock.now())
    await add_to_cart(
        db, owner=fresh, sku_id=tea.skus[0], quantity=1, now=clock.now() + timedelta(days=29)
    )
    clock.advance(timedelta(days=31))
    assert (await run_timers(db, clock))["guest_carts"] == 1
    assert (await run_timers(db, clock))["guest_carts"] == 0
    assert await lines_of(db, fresh) == [(tea.skus[0], 1)]
