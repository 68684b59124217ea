"""The console side of the API, with real ids: each operation refuses sellers, shoppers,
operators of another role (403) and anonymous callers (401), and changes nothing; the
queue filters and pages."""

from __future__ import annotations

from typing import Any

import httpx

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.sellers.factories import insert_application, insert_shop
from tests.web.test_api_sellers_support import Callers, call, callers, state

__all__ = ["callers"]  # the fixture, used by name
REASON = {"reason": "Because."}


async def _rows(db: Database, clock: FixedClock, callers: Callers) -> dict[str, int]:
    now, org = clock.now(), callers.org
    return {
        "app": await insert_application(db, now, organisation_id=org, status="under_review"),
        "live": await insert_shop(db, now, organisation_id=org, status="live"),
        "suspended": await insert_shop(db, now, organisation_id=org, status="suspended"),
        "preparing": await insert_shop(db, now, organisation_id=org, deposit_paid=False),
    }


def _routes(rows: dict[str, int], doc: int) -> list[tuple[str, str, dict[str, Any] | None, str]]:
    """(method, path, body, the operator role that may call it)."""
    app = f"/api/v1/console/applications/{rows['app']}"
    shops = "/api/v1/console/shops"
    return [
        ("GET", "/api/v1/console/applications", None, "vetting"),
        ("GET", app, None, "vetting"),
        ("GET", f"{app}/documents/{doc}", None, "vetting"),
        ("POST", f"{app}/assign", {"reviewer_user_id": None}, "vetting"),
        ("POST", f"{app}/request-changes", REASON, "vetting"),
        ("POST", f"{app}/approve", REASON, "vetting"),
        ("POST", f"{app}/reject", REASON, "vetting"),
        ("POST", f"{shops}/{rows['live']}/suspend", REASON, "moderation"),
        ("POST", f"{shops}/{rows['suspended']}/reinstate", REASON, "moderation"),
        ("POST", f"{shops}/{rows['live']}/close", REASON, "moderation"),
        ("POST", f"{shops}/{rows['preparing']}/deposit-paid", None, "finance"),
    ]


async def test_console_operations_refuse_everyone_without_the_role(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    rows = await _rows(db, clock, callers)
    detail = await client.get(
        f"/api/v1/console/applications/{rows['app']}", headers=callers["admin"]
    )
    doc = detail.json()["documents"][0]["id"]
    before = await state(db)
    expected, seen = [], []
    for method, path, body, role in _routes(rows, doc):
        others = {"vetting", "moderation", "finance", "support"} - {role}
        refused = [(who, 403) for who in ("owner", "rival", "shopper", *sorted(others))]
        for who, status in [*refused, ("anonymous", 401)]:
            response = await call(client, method, path, callers[who], body)
            expected.append((who, method, path, status))
            seen.append((who, method, path, response.status_code))
    assert seen == expected
    assert await state(db) == before


async def test_the_queue_filters_and_pages(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    now, org = clock.now(), callers.org
    waiting = [
        await insert_application(db, now, organisation_id=org, status="under_review")
        for _ in range(3)
    ]
    returned = await insert_application(db, now, organisation_id=org, status="changes_requested")
    await insert_application(db, now, organisation_id=org, status="draft")
    vetting = callers["vetting"]
    everything = await client.get("/api/v1/console/applications", headers=vetting)
    assert sorted(a["id"] for a in everything.json()["items"]) == [*waiting, returned]
    page = await client.get(
        "/api/v1/console/applications?status=under_review&size=2&page=2", headers=vetting
    )
    assert (page.json()["total"], page.json()["pages"], len(page.json()["items"])) == (3, 2, 1)
    changes = await client.get(
        "/api/v1/console/applications?status=changes_requested", headers=vetting
    )
    assert [a["id"] for a in changes.json()["items"]] == [returned]
    bad = await client.get("/api/v1/console/applications?size=500", headers=vetting)
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")


async def test_decisions_in_the_wrong_state_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, callers: Callers
) -> None:
    draft = await insert_application(db, clock.now(), organisation_id=callers.org)
    preparing = await insert_shop(db, clock.now(), organisation_id=callers.org)
    before = await state(db)
    approve = await client.post(
        f"/api/v1/console/applications/{draft}/approve", json=REASON, headers=callers["vetting"]
    )
    assert (approve.status_code, approve.json()["code"]) == (409, "transition_not_allowed")
    suspend = await client.post(
        f"/api/v1/console/shops/{preparing}/suspend", json=REASON, headers=callers["moderation"]
    )
    assert (suspend.status_code, suspend.json()["code"]) == (409, "transition_not_allowed")
    missing = await client.post(
        "/api/v1/console/shops/999999/suspend", json=REASON, headers=callers["moderation"]
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "shop_not_found")
    smuggled = await client.post(
        f"/api/v1/console/shops/{preparing}/suspend",
        json={**REASON, "status": "closed"},
        headers=callers["moderation"],
    )
    assert smuggled.status_code == 400
    assert await state(db) == before
