"""The seller webhooks API: the owner (and a manager) manage endpoints and read deliveries;
staff, agency, shoppers and operators get 403, anonymous callers 401; another
organisation's endpoint or delivery is 404 on every id-bearing route with nothing changed;
bad bodies and mass assignment are refused; the routes are in the OpenAPI schema."""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx
import pytest
from sqlalchemy import select, update

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.web.test_api_sellers_support import Callers, callers

__all__ = ["callers"]  # the fixture, used by name

BODY = {"url": "https://erp.example.com/hooks", "event_types": ["order.paid", "order.placed"]}


@dataclass(frozen=True)
class Hooks:
    base: str
    endpoint: int
    rival_endpoint: int
    rival_delivery: int


async def state(db: Database) -> list[tuple[object, ...]]:
    async with db.reading() as session:
        endpoints = await session.execute(
            select(
                WebhookEndpoint.id, WebhookEndpoint.url, WebhookEndpoint.secret,
                WebhookEndpoint.event_types, WebhookEndpoint.is_active,
            ).order_by(WebhookEndpoint.id)
        )  # fmt: skip
        deliveries = await session.execute(
            select(WebhookDelivery.id, WebhookDelivery.status, WebhookDelivery.attempts).order_by(
                WebhookDelivery.id
            )
        )
        return [tuple(r) for r in endpoints] + [tuple(r) for r in deliveries]


async def fail_all(db: Database) -> None:
    async with db.transaction() as session:
        await session.execute(update(WebhookDelivery).values(status="failed", attempts=8))


@pytest.fixture
async def hooks(client: httpx.AsyncClient, db: Database, callers: Callers) -> Hooks:
    base = f"/api/v1/organisations/{callers.org}/webhooks"
    rival_base = f"/api/v1/organisations/{callers.rival_org}/webhooks"
    ours = await client.post(base, json=BODY, headers=callers["owner"])
    theirs = await client.post(rival_base, json=BODY, headers=callers["rival"])
    assert (ours.status_code, theirs.status_code) == (201, 201)
    rival_id = theirs.json()["id"]
    tested = await client.post(f"{rival_base}/{rival_id}/test", headers=callers["rival"])
    assert tested.status_code == 202
    listed = await client.get(f"{rival_base}/{rival_id}/deliveries", headers=callers["rival"])
    return Hooks(base, ours.json()["id"], rival_id, listed.json()[0]["id"])


async def test_the_owner_manages_an_endpoint_end_to_end(
    client: httpx.AsyncClient, db: Database, callers: Callers, hooks: Hooks
) -> None:
    owner, base, made = callers["owner"], hooks.base, hooks.endpoint
    read = await client.get(f"{base}/{made}", headers=owner)
    assert read.status_code == 200
    assert read.json()["secret"].startswith("whsec_")
    assert read.json()["event_types"] == ["order.placed", "order.paid"]
    listed = await client.get(base, headers=owner)
    assert [(e["id"], e["is_active"]) for e in listed.json()] == [(made, True)]
    assert "secret" not in listed.json()[0]
    patched = await client.patch(
        f"{base}/{made}", json={"is_active": False, "event_types": ["order.shipped"]}, headers=owner
    )
    assert patched.status_code == 200
    assert (patched.json()["is_active"], patched.json()["event_types"]) == (
        False,
        ["order.shipped"],
    )
    assert patched.json()["url"] == BODY["url"]
    rotated = await client.post(f"{base}/{made}/rotate-secret", headers=owner)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != read.json()["secret"]
    disabled = await client.post(f"{base}/{made}/test", headers=owner)
    assert disabled.status_code == 409
    assert disabled.json()["code"] == "webhook_endpoint_disabled"
    await client.patch(f"{base}/{made}", json={"is_active": True}, headers=owner)
    tested = await client.post(f"{base}/{made}/test", headers=owner)
    assert tested.status_code == 202
    [delivery] = (await client.get(f"{base}/{made}/deliveries", headers=owner)).json()
    assert (delivery["event_id"], delivery["event_type"], delivery["status"]) == (
        tested.json()["event_id"],
        "webhook.test",
        "pending",
    )
    not_failed = await client.post(
        f"{base}/{made}/deliveries/{delivery['id']}/retry", headers=owner
    )
    assert not_failed.status_code == 409
    await fail_all(db)
    retried = await client.post(f"{base}/{made}/deliveries/{delivery['id']}/retry", headers=owner)
    assert retried.status_code == 202
    [again] = (await client.get(f"{base}/{made}/deliveries", headers=owner)).json()
    assert again["status"] == "pending"
    removed = await client.delete(f"{base}/{made}", headers=owner)
    assert removed.status_code == 204
    assert (await client.get(f"{base}/{made}", headers=owner)).status_code == 404


async def test_a_manager_may_and_staff_or_agency_may_not(
    client: httpx.AsyncClient, db: Database, callers: Callers, hooks: Hooks
) -> None:
    assert (await client.get(hooks.base, headers=callers["manager"])).status_code == 200
    before = await state(db)
    for role in ("staff", "agency", "shopper", "admin"):
        listed = await client.get(hooks.base, headers=callers[role])
        created = await client.post(hooks.base, json=BODY, headers=callers[role])
        assert (listed.status_code, created.status_code) == (403, 403), role
    anonymous = await client.post(hooks.base, json=BODY)
    assert anonymous.status_code == 401
    assert await state(db) == before


async def test_another_organisations_ids_are_404_and_change_nothing(
    client: httpx.AsyncClient, db: Database, callers: Callers, hooks: Hooks
) -> None:
    await fail_all(db)
    owner, base = callers["owner"], hooks.base
    theirs = f"{base}/{hooks.rival_endpoint}"
    ours = f"{base}/{hooks.endpoint}"
    before = await state(db)
    calls = [
        ("GET", theirs, None),
        ("PATCH", theirs, {"is_active": False}),
        ("DELETE", theirs, None),
        ("POST", f"{theirs}/rotate-secret", None),
        ("POST", f"{theirs}/test", None),
        ("GET", f"{theirs}/deliveries", None),
        ("POST", f"{theirs}/deliveries/{hooks.rival_delivery}/retry", None),
        ("POST", f"{ours}/deliveries/{hooks.rival_delivery}/retry", None),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers=owner)
        assert response.status_code == 404, (method, path)
    rival_path = f"/api/v1/organisations/{callers.rival_org}/webhooks/{hooks.rival_endpoint}"
    on_their_path = await client.delete(rival_path, headers=owner)
    assert on_their_path.status_code == 403
    assert await state(db) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"url": "http://erp.example.com/hooks", "event_types": ["order.paid"]}, 422),
        ({"url": "https://10.1.2.3/hooks", "event_types": ["order.paid"]}, 422),
        ({"url": "https://erp.example.com/hooks", "event_types": ["order.refunded"]}, 400),
        ({"url": "https://erp.example.com/hooks", "event_types": []}, 400),
        ({**BODY, "secret": "whsec_mine"}, 400),
        ({**BODY, "organisation_id": 1}, 400),
        ({"url": "https://erp.example.com/" + "a" * 600, "event_types": ["order.paid"]}, 400),
    ],
)
async def test_bad_bodies_are_refused_and_create_nothing(
    client: httpx.AsyncClient,
    db: Database,
    callers: Callers,
    hooks: Hooks,
    body: dict[str, object],
    status: int,
) -> None:
    before = await state(db)
    response = await client.post(hooks.base, json=body, headers=callers["owner"])
    assert response.status_code == status
    assert await state(db) == before


async def test_the_routes_are_in_the_openapi_schema(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    base = "/api/v1/organisations/{organisation_id}/webhooks"
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[base + "/{endpoint_id}"]) == {"get", "patch", "delete"}
    assert "post" in paths[base + "/{endpoint_id}/deliveries/{delivery_id}/retry"]


async def test_production_refuses_local_http_that_development_accepts(
    db: Database, settings: Settings, clock: FixedClock, callers: Callers, client: httpx.AsyncClient
) -> None:
    local = {"url": "http://127.0.0.1:9000/hooks", "event_types": ["order.paid"]}
    base = f"/api/v1/organisations/{callers.org}/webhooks"
    production = create_app(
        replace(settings, environment="production"), db=db, clock=clock, storage=InMemoryStorage()
    )
    transport = httpx.ASGITransport(app=production)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://127.0.0.1") as prod:
        refused = await prod.post(base, json=local, headers=callers["owner"])
    assert refused.status_code == 422
    assert refused.json()["code"] == "bad_webhook_url"
    accepted = await client.post(base, json=local, headers=callers["owner"])
    assert accepted.status_code == 201
