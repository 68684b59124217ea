"""The seller centre's webhook pages: add an endpoint (URL and events), see and rotate its
secret, disable and enable it, send a test event, read the delivery log and send a failed
delivery again, delete it; bad input is shown on the form and changes nothing; a forged
form changes nothing; every id-bearing route with another organisation's endpoint or
delivery is a 404 with nothing changed; staff get 403."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select, update

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.identity.models import User
from galerie.kernel import FixedClock
from galerie.web.app import all_handlers
from galerie.webhooks import send_test_event
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_user
from tests.integration.webhooks.support import endpoint
from tests.web.sessions import sign_in_as
from tests.web.test_api_seller_webhooks import fail_all, state
from tests.web.test_pages_support import post_form

FORM = [
    ("url", "http://127.0.0.1:9000/hooks"),
    ("event_types", "order.paid"),
    ("event_types", "order.shipped"),
]


# The id-bearing routes of galerie.web.seller.webhooks, all tried below by another
# organisation's owner (test_every_id_bearing_route_is_listed keeps this list complete).
ID_ROUTES = {
    ("POST", "/seller/webhooks/{endpoint_id:int}"),
    ("POST", "/seller/webhooks/{endpoint_id:int}/secret"),
    ("POST", "/seller/webhooks/{endpoint_id:int}/active"),
    ("POST", "/seller/webhooks/{endpoint_id:int}/delete"),
    ("POST", "/seller/webhooks/{endpoint_id:int}/test"),
    ("POST", "/seller/webhooks/{endpoint_id:int}/deliveries/{delivery_id:int}/retry"),
}


def test_every_id_bearing_route_is_listed(app: Litestar) -> None:
    found = {
        (method, path)
        for path, handler in all_handlers(app)
        for method in getattr(handler, "http_methods", ())
        if handler.fn.__module__ == "galerie.web.seller.webhooks" and "{" in path
    }
    assert found == {*ID_ROUTES, ("GET", "/seller/webhooks/{endpoint_id:int}")}


@dataclass(frozen=True)
class Setting:
    org: int
    rival_endpoint: int
    rival_delivery: int


@pytest.fixture
async def setting(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> Setting:
    now = clock.now()
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    rival = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    assert rival.organisation_id is not None
    theirs = await endpoint(db, now, rival.organisation_id)
    await send_test_event(db, organisation_id=rival.organisation_id, endpoint_id=theirs.id, now=now)
    async with db.reading() as session:
        delivery = await session.scalar(
            select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == theirs.id)
        )
    assert delivery is not None
    await sign_in_as(client, app, owner.user_id)
    return Setting(owner.organisation_id, theirs.id, delivery)


async def _ours(db: Database, org: int) -> WebhookEndpoint:
    async with db.reading() as session:
        found = await session.scalar(
            select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == org)
        )
    assert found is not None
    return found


async def test_an_endpoint_is_added_tested_rotated_switched_and_deleted(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    home = await client.get("/seller")
    assert 'href="/seller/webhooks"' in home.text
    empty = await client.get("/seller/webhooks")
    assert "No webhook endpoints yet." in empty.text
    added = await post_form(client, "/seller/webhooks", FORM)
    assert added.status_code == 303
    made = await _ours(db, setting.org)
    assert added.headers["location"] == f"/seller/webhooks/{made.id}"
    assert made.event_types == ["order.paid", "order.shipped"]
    page = await client.get(f"/seller/webhooks/{made.id}")
    assert made.secret in page.text
    assert "Nothing sent to this endpoint yet." in page.text
    path = f"/seller/webhooks/{made.id}"
    assert (await post_form(client, f"{path}/secret", {})).status_code == 303
    rotated = await _ours(db, setting.org)
    assert rotated.secret != made.secret
    assert (await post_form(client, f"{path}/active", {"active": "0"})).status_code == 303
    assert not (await _ours(db, setting.org)).is_active
    refused = await post_form(client, f"{path}/test", {})
    assert refused.status_code == 409
    assert "This endpoint is disabled: enable it to send a test event." in refused.text
    assert (await post_form(client, f"{path}/active", {"active": "1"})).status_code == 303
    assert (await post_form(client, f"{path}/test", {})).status_code == 303
    log = await client.get(path)
    assert "<code>webhook.test</code>" in log.text
    assert "Waiting to be sent" in log.text
    await fail_all(db)
    failed = await client.get(path)
    assert "Send again now" in failed.text
    async with db.reading() as session:
        ours = await session.scalar(
            select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == made.id)
        )
    retried = await post_form(client, f"{path}/deliveries/{ours}/retry", {})
    assert retried.status_code == 303
    assert "Waiting to be sent" in (await client.get(path)).text
    assert (await post_form(client, f"{path}/delete", {})).status_code == 303
    assert (await client.get(path)).status_code == 404


async def test_the_url_and_events_are_edited(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    await post_form(client, "/seller/webhooks", FORM)
    made = await _ours(db, setting.org)
    saved = await post_form(
        client,
        f"/seller/webhooks/{made.id}",
        [("url", "https://erp.example.com/v2"), ("event_types", "order.cancelled")],
    )
    assert saved.status_code == 303
    changed = await _ours(db, setting.org)
    assert (changed.url, changed.event_types) == ("https://erp.example.com/v2", ["order.cancelled"])
    bad = await post_form(client, f"/seller/webhooks/{made.id}", [("url", "ftp://x.example")])
    assert bad.status_code == 422
    assert (await _ours(db, setting.org)).url == "https://erp.example.com/v2"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([("url", "http://erp.example.com/hooks"), ("event_types", "order.paid")], "https://"),
        ([("url", "https://erp.example.com/hooks")], "Choose at least one event."),
        (
            [("url", "https://erp.example.com/hooks"), ("event_types", "order.refunded")],
            "Choose among the events offered.",
        ),
        ([("event_types", "order.paid")], "This field is required."),
    ],
)
async def test_bad_input_is_shown_on_the_form_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    setting: Setting,
    fields: list[tuple[str, str]],
    message: str,
) -> None:
    before = await state(db)
    response = await post_form(client, "/seller/webhooks", fields)
    assert response.status_code == 422
    assert message in response.text
    assert await state(db) == before


async def test_a_forged_form_changes_nothing(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    before = await state(db)
    response = await post_form(client, "/seller/webhooks", FORM, csrf=None)
    assert response.status_code == 403
    assert await state(db) == before


async def test_another_organisations_ids_are_404_and_change_nothing(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    await post_form(client, "/seller/webhooks", FORM)
    ours = (await _ours(db, setting.org)).id
    await fail_all(db)
    theirs = f"/seller/webhooks/{setting.rival_endpoint}"
    before = await state(db)
    assert (await client.get(theirs)).status_code == 404
    posts = [
        (theirs, FORM),
        (f"{theirs}/secret", []),
        (f"{theirs}/active", [("active", "0")]),
        (f"{theirs}/delete", []),
        (f"{theirs}/test", []),
        (f"{theirs}/deliveries/{setting.rival_delivery}/retry", []),
        (f"/seller/webhooks/{ours}/deliveries/{setting.rival_delivery}/retry", []),
    ]
    assert len(posts) == len(ID_ROUTES) + 1  # retry: on their endpoint and on ours
    for path, fields in posts:
        response = await post_form(client, path, fields)
        assert response.status_code == 404, path
    assert await state(db) == before


async def test_staff_are_refused_and_managers_allowed(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, setting: Setting
) -> None:
    staff = await make_user(
        db, now=clock.now(), seller_role=SellerRole.STAFF, organisation_id=setting.org
    )
    manager = await make_user(
        db, now=clock.now(), seller_role=SellerRole.MANAGER, organisation_id=setting.org
    )
    client.cookies.clear()
    await sign_in_as(client, app, staff.user_id)
    assert (await client.get("/seller/webhooks")).status_code == 403
    assert 'href="/seller/webhooks"' not in (await client.get("/seller")).text
    before = await state(db)
    assert (await post_form(client, "/seller/webhooks", FORM)).status_code == 403
    assert await state(db) == before
    client.cookies.clear()
    await sign_in_as(client, app, manager.user_id)
    assert (await client.get("/seller/webhooks")).status_code == 200


async def test_the_pages_speak_french_and_chinese(
    client: httpx.AsyncClient, db: Database, setting: Setting
) -> None:
    await post_form(client, "/seller/webhooks", FORM)
    made = await _ours(db, setting.org)
    for language, expected in (("fr", "Renouveler le secret"), ("zh-CN", "更换密钥")):
        async with db.transaction() as session:
            await session.execute(update(User).values(preferred_language=language))
        page = await client.get(f"/seller/webhooks/{made.id}")
        assert expected in page.text
