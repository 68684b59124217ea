"""The console's category tree API through HTTP: create, read, PATCH (rename, move, switch),
problem+json refusals with stable codes that change nothing, callers without the category
permission refused, and the routes in the OpenAPI schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from galerie.catalog.models import OPERATOR_IDS_FROM
from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog_products.factories import APPAREL, CLOTHING, HOME, make_world
from tests.integration.catalog_tree.support import tree
from tests.web.test_api_sellers_support import token_for

BASE = "/api/v1/console/categories"


@dataclass
class Callers:
    headers: dict[str, dict[str, str]]

    def __getitem__(self, role: str) -> dict[str, str]:
        return self.headers[role]


@pytest.fixture
async def callers(db: Database, clock: FixedClock, tmp_path: Path) -> Callers:
    world = await make_world(db, clock.now(), tmp_path)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ("admin", "moderation", "vetting", "owner", "shopper"):
        token = await token_for(db, clock, world.people, role)
        headers[role] = {"Authorization": f"Bearer {token}"}
    return Callers(headers)


async def test_an_admin_builds_and_reshapes_the_tree(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    created = await client.post(
        BASE, json={"name_en": "Crafts", "name_fr": "Artisanat"}, headers=callers["admin"]
    )
    assert created.status_code == 201, created.text
    root = created.json()
    assert (root["id"], root["path"], root["depth"], root["parent_id"]) == (
        OPERATOR_IDS_FROM,
        "Crafts",
        0,
        None,
    )
    child = (
        await client.post(
            BASE, json={"name_en": "Pottery", "parent_id": root["id"]}, headers=callers["admin"]
        )
    ).json()
    assert child["top_level_id"] == root["id"]
    renamed = await client.patch(
        f"{BASE}/{root['id']}",
        json={"names": {"name_en": "Handicrafts", "name_zh_cn": "手工艺"}},
        headers=callers["admin"],
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["names"] == {"en": "Handicrafts", "zh-CN": "手工艺"}
    assert renamed.json()["children"] == [
        {"id": child["id"], "name_en": "Pottery", "own_active": True}
    ]
    moved = await client.patch(
        f"{BASE}/{root['id']}", json={"parent": {"parent_id": HOME}}, headers=callers["admin"]
    )
    assert (moved.json()["path"], moved.json()["top_level_id"]) == (
        "Home & Garden > Handicrafts",
        HOME,
    )
    read = await client.get(f"{BASE}/{child['id']}", headers=callers["admin"])
    assert (read.json()["path"], read.json()["depth"]) == (
        "Home & Garden > Handicrafts > Pottery",
        2,
    )
    off = await client.patch(f"{BASE}/{HOME}", json={"is_active": False}, headers=callers["admin"])
    assert (off.json()["is_active"], off.json()["own_active"]) == (False, False)
    below = (await client.get(f"{BASE}/{child['id']}", headers=callers["admin"])).json()
    assert (below["is_active"], below["own_active"]) == (False, True)
    back = await client.patch(
        f"{BASE}/{root['id']}", json={"parent": {"parent_id": None}}, headers=callers["admin"]
    )
    assert (back.json()["path"], back.json()["is_active"]) == ("Handicrafts", True)


REFUSALS = [
    ("post", BASE, {"name_en": "  "}, 422, "name_required"),
    ("post", BASE, {"name_en": "A > B", "parent_id": HOME}, 422, "name_invalid"),
    ("post", BASE, {"name_en": "Vases", "parent_id": 999_999}, 422, "unknown_parent"),
    ("post", BASE, {"name_en": "clothing", "parent_id": APPAREL}, 409, "category_name_taken"),
    ("post", BASE, {"name_en": "Vases", "colour": "red"}, 400, "bad_request"),
    ("patch", f"{BASE}/{APPAREL}", {"parent": {"parent_id": CLOTHING}}, 422, "category_cycle"),
    ("patch", f"{BASE}/{HOME}", {"parent": {"parent_id": APPAREL}}, 409, "top_level_in_use"),
    ("patch", f"{BASE}/{APPAREL}", {"is_active": False, "names": {"name_en": "X"}}, 422,
     "one_change_per_request"),
    ("patch", f"{BASE}/{APPAREL}", {}, 422, "one_change_per_request"),
    ("patch", f"{BASE}/123456789", {"is_active": False}, 404, "category_not_found"),
    ("patch", f"{BASE}/{CLOTHING}", {"names": {"name_en": "x" * 201}}, 422, "name_too_long"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "payload", "status", "code"), REFUSALS)
async def test_bad_requests_get_a_problem_and_change_nothing(
    client: httpx.AsyncClient,
    db: Database,
    callers: Callers,
    method: str,
    path: str,
    payload: dict[str, object],
    status: int,
    code: str,
) -> None:
    before = await tree(db)
    answer = await client.request(method.upper(), path, json=payload, headers=callers["admin"])
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert await tree(db) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("moderation", 403), ("vetting", 403), ("owner", 403), ("shopper", 403), ("anonymous", 401)],
)
async def test_only_category_operators_may_call(
    client: httpx.AsyncClient, db: Database, callers: Callers, role: str, status: int
) -> None:
    before = await tree(db)
    calls = [
        ("POST", BASE, {"name_en": "Vases", "parent_id": HOME}),
        ("PATCH", f"{BASE}/{HOME}", {"is_active": False}),
        ("PATCH", f"{BASE}/{CLOTHING}", {"parent": {"parent_id": HOME}}),
        ("GET", f"{BASE}/{HOME}", None),
    ]
    for method, path, payload in calls:
        answer = await client.request(method, path, json=payload, headers=callers[role])
        assert answer.status_code == status, (method, path)
    assert await tree(db) == before


async def test_the_schema_lists_the_tree_routes(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    assert "post" in paths[BASE]
    assert {"get", "patch"} <= set(paths[BASE + "/{category_id}"])
