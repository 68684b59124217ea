"""Shipping templates in the seller centre and the seller API: members who manage the
catalog create, edit and delete them; staff only read; another organisation's shop is 404;
bad input (negative fees, unknown codes, empty regions, a threshold in another currency) is
refused clearly and writes nothing."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.shipping import shop_shipping_templates
from tests.factories import make_token
from tests.web.sessions import sign_in_as
from tests.web.storefront_catalog_factories import Shops, make_shops
from tests.web.test_pages_support import post_form

FORM = {
    "name": "Express CN",
    "method": "express",
    "charge_by": "weight",
    "currency": "CNY",
    "regions": "CN, HK: 10.00 + 5.00\nCN-XZ: 30 + 20",
    "ships_elsewhere": "1",
    "rest_first": "90.00",
    "rest_additional": "30.00",
    "free_above": "199.00",
}
BODY = {
    "name": "Surface",
    "method": "surface",
    "charge_by": "count",
    "currency": "CNY",
    "regions": [
        {"countries": ["CN"], "provinces": [], "first_minor": 800, "additional_minor": 200}
    ],
    "rest_of_world": None,
    "free_above": {"minor": 9900, "currency": "CNY"},
}


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: object) -> Shops:
    return await make_shops(db, clock, tmp_path)  # type: ignore[arg-type]


async def templates(db: Database, shop_id: int) -> list[tuple[str, str]]:
    async with db.reading() as session:
        found = await shop_shipping_templates(session, shop_id=shop_id)
    return [(t.spec.name, str(t.spec.method)) for t in found]


async def test_the_owner_creates_edits_and_deletes_a_template_through_the_pages(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    await sign_in_as(client, app, shops.people["owner"].user_id)
    base = f"/seller/shops/{shops.live}/shipping"
    assert (await client.get(base + "/new")).status_code == 200
    created = await post_form(client, base, FORM)
    assert (created.status_code, created.headers["location"]) == (303, base)
    listing = await client.get(base, headers={"Accept-Language": "en"})
    assert "Express CN" in listing.text
    assert "CN¥199.00" in listing.text
    async with db.reading() as session:
        [found] = await shop_shipping_templates(session, shop_id=shops.live)
    assert found.spec.region_rates[1].rate.first == 3000
    edit = await client.get(f"{base}/{found.id}")
    assert "CN-XZ: 30.00 + 20.00" in edit.text
    saved = await post_form(client, f"{base}/{found.id}", {**FORM, "method": "surface"})
    assert saved.status_code == 303
    assert await templates(db, shops.live) == [("Express CN", "surface")]
    removed = await post_form(client, f"{base}/{found.id}/delete", {})
    assert removed.status_code == 303
    assert await templates(db, shops.live) == []


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"regions": "CN: -1.00 + 5.00"}, "A fee cannot be negative."),
        ({"regions": "ZZ: 1.00 + 1.00"}, "Use two-letter ISO 3166 country codes"),
        ({"regions": ": 1.00 + 1.00"}, "A region needs at least one country or province."),
        ({"regions": "CN 1.00"}, "Line 1: write the codes"),
        ({"regions": "CN: 1.001 + 1"}, "Enter an amount such as 12.50"),
        ({"regions": "", "ships_elsewhere": ""}, "Give at least one region"),
        ({"currency": "XYZ"}, "Use a currency code the market accepts"),
    ],
)
async def test_bad_templates_are_refused_on_the_page_and_write_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops,
    changes: dict[str, str], text: str,
) -> None:  # fmt: skip
    await sign_in_as(client, app, shops.people["owner"].user_id)
    response = await post_form(
        client, f"/seller/shops/{shops.live}/shipping", {**FORM, **changes},
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert response.status_code == 422
    assert text in response.text
    assert await templates(db, shops.live) == []


async def test_staff_read_but_cannot_change_and_other_organisations_see_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    base = f"/seller/shops/{shops.live}/shipping"
    await sign_in_as(client, app, shops.people["staff"].user_id)
    assert (await client.get(base)).status_code == 200
    assert (await post_form(client, base, FORM)).status_code == 403
    client.cookies.clear()
    await sign_in_as(client, app, shops.people["rival"].user_id)
    assert (await client.get(base)).status_code == 404
    assert (await post_form(client, base, FORM)).status_code == 404
    assert await templates(db, shops.live) == []


async def test_the_seller_api_manages_templates_and_refuses_bad_input(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, shops: Shops
) -> None:
    token = await make_token(
        db, user_id=shops.people["owner"].user_id, now=clock.now(),
        permissions=["seller.centre.view", "seller.catalog.manage"],
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/organisations/{shops.people.org}/shops/{shops.live}/shipping-templates"
    created = await client.post(base, json=BODY, headers=headers)
    assert created.status_code == 201, created.text
    out = created.json()
    assert (out["auto_confirm_days"], out["free_above"]) == (30, {"minor": 9900, "currency": "CNY"})
    bad_bodies = [
        {**BODY, "name": "A", "free_above": {"minor": 9900, "currency": "EUR"}},
        {**BODY, "name": "B", "regions": [{**BODY["regions"][0], "first_minor": -1}]},  # type: ignore[index, dict-item]
        {**BODY, "name": "C", "regions": [{**BODY["regions"][0], "countries": ["QQ"]}]},  # type: ignore[index, dict-item]
        {**BODY, "name": "D", "regions": [{"first_minor": 1, "additional_minor": 1}]},
    ]
    codes = []
    for body in bad_bodies:
        refused = await client.post(base, json=body, headers=headers)
        codes.append((refused.status_code, refused.json()["code"]))
    assert codes == [
        (422, "currency_mismatch"), (422, "negative_fee"), (422, "unknown_country"),
        (422, "empty_region"),
    ]  # fmt: skip
    smuggled = await client.post(base, json={**BODY, "shop_id": shops.preparing}, headers=headers)
    assert smuggled.status_code == 400
    template = out["id"]
    replaced = await client.put(
        f"{base}/{template}", json={**BODY, "method": "virtual"}, headers=headers
    )
    assert replaced.json()["auto_confirm_days"] == 3
    assert [t["name"] for t in (await client.get(base, headers=headers)).json()] == ["Surface"]

    rival_token = await make_token(
        db, user_id=shops.people["rival"].user_id, now=clock.now(),
        permissions=["seller.centre.view", "seller.catalog.manage"],
    )  # fmt: skip
    rival = {"Authorization": f"Bearer {rival_token}"}
    other = f"/api/v1/organisations/{shops.people.rival_org}/shops/{shops.live}/shipping-templates"
    answers = [
        (await client.get(other, headers=rival)).status_code,
        (await client.get(f"{other}/{template}", headers=rival)).status_code,
        (await client.put(f"{other}/{template}", json=BODY, headers=rival)).status_code,
        (await client.delete(f"{other}/{template}", headers=rival)).status_code,
    ]
    assert answers == [404, 404, 404, 404]
    gone = await client.delete(f"{base}/{template}", headers=headers)
    assert gone.status_code == 204
    assert await templates(db, shops.live) == []
