"""Every id-bearing seller route, with real ids of organisation A's rows: the owner reads
them; another organisation's seller gets 404 on its own path and 403 on A's; a shopper
403; an anonymous caller 401; nothing changes. A token bound to one organisation is
refused on another's path even when its holder belongs to both."""

from __future__ import annotations

from typing import Any

import httpx

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.identity.models import SellerMembership
from galerie.kernel import FixedClock
from tests.factories import make_token
from tests.integration.sellers.factories import FOOD, insert_application, insert_shop
from tests.web.test_api_sellers_support import (
    SELLER_PERMISSIONS,
    Callers,
    application_body,
    call,
    callers,
    picture_files,
    state,
    upload_files,
)

__all__ = ["callers"]  # the fixture, used by name
DECORATION = {"name": "Stolen", "slug": "stolen-shop"}


async def _a_rows(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> dict[str, Any]:
    now, org = clock.now(), callers.org
    app_id = await insert_application(db, now, organisation_id=org)
    await insert_shop(db, now, organisation_id=org, status="preparing")
    await insert_shop(db, now, organisation_id=org, status="live")
    base = f"/api/v1/organisations/{org}"
    uploaded = await client.post(
        f"{base}/applications/{app_id}/documents", headers=callers["owner"], **upload_files()
    )
    shops = await client.get(f"{base}/shops", headers=callers["owner"])
    by_status = {s["status"]: s["slug"] for s in shops.json()}
    return {"app": app_id, "doc": uploaded.json()["id"], **by_status}


def _routes(rows: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None, bool]]:
    """(method, path under the organisation, JSON body or multipart, is multipart)."""
    app, doc, live, preparing = rows["app"], rows["doc"], rows["live"], rows["preparing"]
    return [
        ("GET", f"/applications/{app}", None, False),
        ("PUT", f"/applications/{app}", application_body(), False),
        ("POST", f"/applications/{app}/submit", None, False),
        ("GET", f"/applications/{app}/documents", None, False),
        ("POST", f"/applications/{app}/documents", upload_files(), True),
        ("GET", f"/applications/{app}/documents/{doc}", None, False),
        ("GET", f"/shops/{live}", None, False),
        ("GET", f"/shops/{preparing}", None, False),
        ("PUT", f"/shops/{live}/decoration", DECORATION, False),
        ("PUT", f"/shops/{preparing}/decoration", DECORATION, False),
        ("POST", f"/shops/{preparing}/publish", None, False),
        ("POST", f"/shops/{live}/extensions", {"category_ids": [FOOD]}, False),
        ("POST", f"/shops/{live}/pictures/logo", picture_files(), True),
    ]


ORGANISATION_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/applications", None),
    ("POST", "/applications", application_body()),
    ("GET", "/shops", None),
    ("POST", "/brands", {"name": "Lune", "owned": True}),
    (
        "POST",
        "/brand-authorisations",
        {"brand_id": 1, "exclusive": False, "valid_from": "2026-01-01", "valid_to": "2028-01-01"},
    ),
]


async def test_the_owner_reads_every_id_bearing_route(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    rows = await _a_rows(client, db, clock, callers)
    base = f"/api/v1/organisations/{callers.org}"
    reads = [path for method, path, _b, _m in _routes(rows) if method == "GET"]
    statuses = [(await client.get(base + p, headers=callers["owner"])).status_code for p in reads]
    assert statuses == [200] * len(reads)


async def test_no_one_else_gets_a_2xx_or_changes_anything(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    rows = await _a_rows(client, db, clock, callers)
    own, rival = (
        f"/api/v1/organisations/{callers.org}",
        f"/api/v1/organisations/{callers.rival_org}",
    )
    before = await state(db)
    expected, seen = [], []
    for method, path, body, multipart in _routes(rows):
        json_body, files = (None, body) if multipart else (body, None)
        attempts = [
            ("rival", rival + path, 404),
            ("rival", own + path, 403),
            ("shopper", own + path, 403),
            ("anonymous", own + path, 401),
        ]
        for role, url, status in attempts:
            response = await call(client, method, url, callers[role], json_body, files)
            expected.append((role, method, url, status))
            seen.append((role, method, url, response.status_code))
            assert response.headers["content-type"].startswith("application/problem+json")
    assert seen == expected
    assert await state(db) == before


async def test_organisation_routes_refuse_outsiders(
    client: httpx.AsyncClient, db: Database, callers: Callers
) -> None:
    own = f"/api/v1/organisations/{callers.org}"
    before = await state(db)
    expected, seen = [], []
    for method, path, body in ORGANISATION_ROUTES:
        for role, status in (("rival", 403), ("shopper", 403), ("anonymous", 401)):
            response = await call(client, method, own + path, callers[role], body)
            expected.append((role, method, path, status))
            seen.append((role, method, path, response.status_code))
    assert seen == expected
    assert await state(db) == before


async def test_a_token_bound_to_one_organisation_is_refused_on_another(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    now, owner = clock.now(), callers.people["owner"]
    async with db.transaction() as session:  # the owner also belongs to the rival organisation
        session.add(
            SellerMembership(
                organisation_id=callers.rival_org,
                user_id=owner.user_id,
                role=SellerRole.OWNER.value,
                created_at=now,
            )
        )
    rival_app = await insert_application(db, now, organisation_id=callers.rival_org)
    own_app = await insert_application(db, now, organisation_id=callers.org)
    unbound = await make_token(
        db, user_id=owner.user_id, now=now, permissions=SELLER_PERMISSIONS, audience="seller"
    )
    rival_path = f"/api/v1/organisations/{callers.rival_org}/applications"
    before = await state(db)
    bound = await client.get(rival_path, headers=callers["owner"])
    assert (bound.status_code, bound.json()["code"]) == (403, "forbidden")
    submitted = await client.post(f"{rival_path}/{rival_app}/submit", headers=callers["owner"])
    assert submitted.status_code == 403
    both = {"Authorization": f"Bearer {unbound}"}
    assert [a["id"] for a in (await client.get(rival_path, headers=both)).json()] == [rival_app]
    # Even someone who belongs to both cannot reach B's row through A's path.
    crossed = f"/api/v1/organisations/{callers.org}/applications/{rival_app}"
    assert (await client.get(crossed, headers=both)).status_code == 404
    assert (await client.post(f"{crossed}/submit", headers=both)).status_code == 404
    mine = f"/api/v1/organisations/{callers.org}/applications/{own_app}"
    assert (await client.get(mine, headers=both)).status_code == 200
    assert await state(db) == before
