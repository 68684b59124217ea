"""The address book pages: signed-in only, add / edit / make default / remove, bad input
shown on the form with nothing written, another shopper's address 404 on every route."""

from __future__ import annotations

import httpx
from litestar import Litestar

from galerie.cart import AddressForm, add_address, shopper_addresses
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.factories import make_user
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form

FORM = {
    "recipient": "Chen Wei",
    "phone": "+86 21 5555 0101",
    "country": "CN",
    "province": "Shanghai",
    "city": "Shanghai",
    "district": "Huangpu",
    "line1": "1 Nanjing Road",
    "postcode": "200001",
}


async def book(db: Database, user_id: int) -> list[tuple[str, bool]]:
    async with db.reading() as session:
        found = await shopper_addresses(session, user_id=user_id)
    return [(a.city, a.is_default) for a in found]


async def test_a_shopper_keeps_an_address_book(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    assert (await client.get("/account/addresses")).status_code in {302, 303}
    user = (await make_user(db, now=clock.now())).user_id
    await sign_in_as(client, app, user)
    assert (await client.get("/account/addresses")).status_code == 200
    assert (await post_form(client, "/account/addresses", FORM)).status_code == 303
    second = {**FORM, "city": "Hangzhou", "make_default": "1"}
    assert (await post_form(client, "/account/addresses", second)).status_code == 303
    assert await book(db, user) == [("Hangzhou", True), ("Shanghai", False)]

    bad = await post_form(
        client, "/account/addresses", {**FORM, "country": "ZZ"}, headers={"Accept-Language": "en"}
    )
    assert bad.status_code == 422
    assert "Use the two-letter ISO 3166 country code" in bad.text
    assert len(await book(db, user)) == 2

    async with db.reading() as session:
        ids = {a.city: a.id for a in await shopper_addresses(session, user_id=user)}
    page = await client.get(f"/account/addresses/{ids['Shanghai']}")
    assert "Huangpu" in page.text
    saved = await post_form(
        client, f"/account/addresses/{ids['Shanghai']}", {**FORM, "city": "Suzhou"}
    )
    assert saved.status_code == 303
    made = await post_form(client, f"/account/addresses/{ids['Shanghai']}/default", {})
    assert made.status_code == 303
    assert await book(db, user) == [("Suzhou", True), ("Hangzhou", False)]
    removed = await post_form(client, f"/account/addresses/{ids['Shanghai']}/delete", {})
    assert removed.status_code == 303
    assert await book(db, user) == [("Hangzhou", True)]


async def test_another_shoppers_address_is_404_on_every_route(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    alice = (await make_user(db, now=clock.now())).user_id
    hers = await add_address(
        db, user_id=alice, form=AddressForm(**FORM), make_default=True, now=clock.now()
    )
    await sign_in_as(client, app, (await make_user(db, now=clock.now())).user_id)
    path = f"/account/addresses/{hers}"
    answers = [
        (await client.get(path)).status_code,
        (await post_form(client, path, {**FORM, "city": "Elsewhere"})).status_code,
        (await post_form(client, path + "/default", {})).status_code,
        (await post_form(client, path + "/delete", {})).status_code,
    ]
    assert answers == [404, 404, 404, 404]
    assert await book(db, alice) == [("Shanghai", True)]
