"""Real races on separate connections to a database of its own (committed data): one
shopper's 40 simultaneous additions of a SKU limited to 5 per buyer (starting with no cart,
so the cart itself is created concurrently) leave one cart with one line of exactly 5; 20
simultaneous switches of the default address leave exactly one default."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from galerie.cart import AddressForm, CartOwner, add_address, add_to_cart, set_default_address
from galerie.cart.models import Cart, CartLine, ShopperAddress
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, ValidationFailed
from tests.factories import make_user
from tests.integration.cart.factories import change_sku, make_goods
from tests.web.storefront_catalog_factories import make_shops

CALLERS = 40
DATABASES = {"sqlite": 8, "postgresql": 2}


async def test_simultaneous_additions_never_pass_the_per_buyer_limit(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup = Database.from_url(fresh_url)
    callers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    try:
        shops = await make_shops(setup, clock, tmp_path)
        tea = await make_goods(setup, clock.now(), shops.live, stock=(100, 100))
        await change_sku(setup, tea.skus[0], per_buyer_limit=5)
        owner = CartOwner.user((await make_user(setup, now=clock.now())).user_id)

        async def add(n: int) -> str:
            db = callers[n % len(callers)]
            try:
                await add_to_cart(db, owner=owner, sku_id=tea.skus[0], quantity=1, now=clock.now())
            except ValidationFailed as error:
                return error.code
            return "added"

        outcomes = await asyncio.gather(*(add(n) for n in range(CALLERS)))

        assert outcomes.count("added") == 5
        assert outcomes.count("quantity_above_limit") == CALLERS - 5
        async with setup.reading() as session:
            carts = await session.scalar(select(func.count()).select_from(Cart))
            quantities = list(await session.scalars(select(CartLine.quantity)))
        assert (carts, quantities) == (1, [5])
    finally:
        for db in (setup, *callers):
            await db.dispose()


async def test_simultaneous_default_switches_leave_exactly_one_default(
    fresh_url: str, clock: FixedClock
) -> None:
    setup = Database.from_url(fresh_url)
    callers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    try:
        user = (await make_user(setup, now=clock.now())).user_id
        form = AddressForm("Ana", "+33 1 23 45 67 89", "FR", "Paris", "1 rue de Rivoli")
        ids = [
            await add_address(setup, user_id=user, form=form, make_default=False, now=clock.now())
            for _ in range(20)
        ]

        async def switch(n: int) -> str:
            db = callers[n % len(callers)]
            try:
                await set_default_address(db, user_id=user, address_id=ids[n], now=clock.now())
            except Conflict as error:
                return error.code
            return "switched"

        outcomes = await asyncio.gather(*(switch(n) for n in range(len(ids))))

        assert set(outcomes) <= {"switched", "address_conflict"}
        assert outcomes.count("switched") >= 1
        async with setup.reading() as session:
            defaults = await session.scalar(
                select(func.count()).where(ShopperAddress.is_default.is_(True))
            )
        assert defaults == 1
    finally:
        for db in (setup, *callers):
            await db.dispose()
