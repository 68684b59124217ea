"""The seller catalog API and the console's listing and category endpoints, through HTTP:
upsert (created, unchanged, refused with every problem), read, list, update, submit,
withdraw, images; and every id-bearing route against outsiders (nothing changes)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.catalog_products.factories import HOME, World, counts, make_world
from tests.web.test_api_sellers_support import token_for


@dataclass
class Api:
    world: World
    headers: dict[str, dict[str, str]]

    def __getitem__(self, role: str) -> dict[str, str]:
        return self.headers[role]

    @property
    def base(self) -> str:
        return f"/api/v1/organisations/{self.world.people.org}/shops/{self.world.shop}/products"


@pytest.fixture
async def api(db: Database, clock: FixedClock, tmp_path: Path) -> Api:
    world = await make_world(db, clock.now(), tmp_path)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in world.people.principals:
        token = await token_for(db, clock, world.people, role)
        headers[role] = {"Authorization": f"Bearer {token}"}
    return Api(world, headers)


def body(ref: str = "VASE-1", **changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "seller_ref": ref,
        "category_id": HOME,
        "default_language": "fr",
        "titles": {"fr": "Vase céladon", "zh-CN": "青瓷花瓶"},
        "descriptions": {"fr": "Tourné à la main."},
        "option_axes": ["size"],
        "variants": [
            {
                "seller_sku": f"{ref}-S",
                "price": "129.00",
                "currency": "CNY",
                "options": {"size": "S"},
                "gtin": "4006381333931",
            },
            {
                "seller_sku": f"{ref}-L",
                "price": "199.50",
                "currency": "CNY",
                "options": {"size": "L"},
                "weight_grams": 900,
            },
        ],
    }
    found.update(changes)
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


async def test_a_seller_upserts_reads_lists_and_updates(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    created = await client.post(api.base, json=body(), headers=api["staff"])
    assert created.status_code == 200, created.text
    assert created.json() | {"product_id": 0} == {
        "product_id": 0,
        "outcome": "created",
        "status": "live",
    }
    product_id = created.json()["product_id"]
    before = await counts(db)
    again = await client.post(api.base, json=body(), headers=api["owner"])
    assert again.json() == {"product_id": product_id, "outcome": "unchanged", "status": "live"}
    assert await counts(db) == before
    read = (await client.get(f"{api.base}/{product_id}", headers=api["owner"])).json()
    assert (read["seller_ref"], read["titles"]["fr"], read["status"]) == (
        "VASE-1",
        "Vase céladon",
        "live",
    )
    assert [(v["seller_sku"], v["price"], v["currency"]) for v in read["variants"]] == [
        ("VASE-1-S", "129.00", "CNY"),
        ("VASE-1-L", "199.50", "CNY"),
    ]
    listed = (await client.get(api.base, params={"q": "céladon"}, headers=api["owner"])).json()
    assert [(p["id"], p["price_from"], p["price_to"]) for p in listed["items"]] == [
        (product_id, "129.00", "199.50")
    ]
    changed = body(titles={"fr": "Grand vase céladon"})
    updated = await client.put(f"{api.base}/{product_id}", json=changed, headers=api["manager"])
    assert updated.json() == {"product_id": product_id, "outcome": "updated", "status": "live"}
    renamed = await client.put(f"{api.base}/{product_id}", json=body("OTHER"), headers=api["owner"])
    assert (renamed.status_code, renamed.json()["code"]) == (422, "seller_ref_mismatch")


async def test_a_refused_draft_reports_every_problem_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    before = await counts(db)
    bad = body(
        titles={"zh-CN": "花瓶"},
        variants=[{"seller_sku": "V 1", "price": "1.00", "currency": "CNY", "gtin": "123"}],
    )
    response = await client.post(api.base, json=bad, headers=api["owner"])
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_product"
    assert [(p["field"], p["code"]) for p in response.json()["problems"]] == [
        ("variants[0].seller_sku", "bad_seller_sku"),
        ("titles.fr", "title_missing"),
        ("variants[0].options", "options_mismatch"),
        ("variants[0].gtin", "bad_gtin"),
    ]
    dry = await client.post(f"{api.base}/validate", json=bad, headers=api["owner"])
    assert dry.status_code == 200
    assert [p["code"] for p in dry.json()] == [p["code"] for p in response.json()["problems"]]
    assert (
        await client.post(f"{api.base}/validate", json=body(), headers=api["owner"])
    ).json() == []
    sneaky = await client.post(api.base, json=body(status="live"), headers=api["owner"])
    assert sneaky.status_code == 400
    money = await client.post(
        api.base,
        json=body(variants=[{"seller_sku": "A", "price": "1.001", "currency": "CNY"}]),
        headers=api["owner"],
    )
    assert (money.status_code, money.json()["code"]) == (422, "bad_amount")
    assert await counts(db) == before


async def test_submit_withdraw_and_images(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    saved = (
        await client.post(api.base, params={"submit": "false"}, json=body(), headers=api["owner"])
    ).json()
    assert saved["status"] == "draft"
    url = f"{api.base}/{saved['product_id']}"
    assert (await client.post(f"{url}/submit", headers=api["owner"])).json()["status"] == "live"
    assert (await client.post(f"{url}/withdraw", headers=api["owner"])).json()["status"] == "draft"
    again = await client.post(f"{url}/withdraw", headers=api["owner"])
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
    files = {"file": ("a.png", png(), "image/png")}
    first = await client.post(f"{url}/images", files=files, headers=api["owner"])
    assert first.status_code == 201, first.text
    second = (await client.post(f"{url}/images", files=files, headers=api["owner"])).json()
    ids = [i["id"] for i in second["images"]]
    assert [(i["width"], i["height"]) for i in second["images"]] == [(640, 480), (640, 480)]
    reordered = await client.put(
        f"{url}/images", json={"image_ids": ids[::-1]}, headers=api["owner"]
    )
    assert [i["id"] for i in reordered.json()["images"]] == ids[::-1]
    removed = await client.delete(f"{url}/images/{ids[0]}", headers=api["owner"])
    assert [i["id"] for i in removed.json()["images"]] == [ids[1]]
    bad = await client.post(
        f"{url}/images", files={"file": ("x.png", b"GIF89a", "image/png")}, headers=api["owner"]
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "unsupported_image")


async def test_every_id_bearing_route_refuses_outsiders(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    saved = (await client.post(api.base, json=body(), headers=api["owner"])).json()
    product = saved["product_id"]
    image = (
        await client.post(
            f"{api.base}/{product}/images",
            files={"file": ("a.png", png(), "image/png")},
            headers=api["owner"],
        )
    ).json()["images"][0]["id"]
    org, rival_org, shop = api.world.people.org, api.world.people.rival_org, api.world.shop
    routes: list[tuple[str, str, Any]] = [
        ("GET", "", None),
        ("POST", "", body("NEW-1")),
        ("POST", "/validate", body("NEW-2")),
        ("GET", f"/{product}", None),
        ("PUT", f"/{product}", body(titles={"fr": "Volé"})),
        ("POST", f"/{product}/submit", None),
        ("POST", f"/{product}/withdraw", None),
        ("POST", f"/{product}/images", "file"),
        ("PUT", f"/{product}/images", {"image_ids": [image]}),
        ("DELETE", f"/{product}/images/{image}", None),
    ]
    before = await counts(db)
    seen, expected = [], []
    for method, path, payload in routes:
        attempts = [
            ("rival", f"/api/v1/organisations/{rival_org}/shops/{shop}/products{path}", 404),
            ("rival", f"/api/v1/organisations/{org}/shops/{shop}/products{path}", 403),
            ("shopper", f"/api/v1/organisations/{org}/shops/{shop}/products{path}", 403),
            ("anonymous", f"/api/v1/organisations/{org}/shops/{shop}/products{path}", 401),
        ]
        for role, url, status in attempts:
            kwargs: dict[str, Any] = {"headers": api[role]}
            if payload == "file":
                kwargs["files"] = {"file": ("a.png", png(), "image/png")}
            elif payload is not None:
                kwargs["json"] = payload
            response = await client.request(method, url, **kwargs)
            seen.append((role, method, url, response.status_code))
            expected.append((role, method, url, status))
    assert seen == expected
    # The rival's own shop id on its own path does not reach A's product either.
    rival_base = f"/api/v1/organisations/{rival_org}/shops/{api.world.rival_shop}/products"
    assert (await client.get(f"{rival_base}/{product}", headers=api["rival"])).status_code == 404
    assert (
        await client.post(f"{rival_base}/{product}/withdraw", headers=api["rival"])
    ).status_code == 404
    after = await counts(db)
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


async def test_the_console_moderates_and_edits_categories(
    client: httpx.AsyncClient, db: Database, api: Api
) -> None:
    terms = await client.put(
        f"/api/v1/console/categories/{HOME}/terms",
        json={"listing_review": True, "commission_rate_bp": 400},
        headers=api["admin"],
    )
    assert terms.status_code == 204, terms.text
    attribute = {"name_en": "Material", "value_type": "enum", "options": ["porcelain", "glass"]}
    defined = await client.put(
        f"/api/v1/console/categories/{HOME}/attributes/material",
        json=attribute,
        headers=api["admin"],
    )
    assert [a["code"] for a in defined.json()] == ["material"]
    saved = (
        await client.post(
            api.base, json=body(attributes={"material": "glass"}), headers=api["owner"]
        )
    ).json()
    assert saved["status"] == "pending"
    product = saved["product_id"]
    queue = (await client.get("/api/v1/console/listings", headers=api["moderation"])).json()
    assert [p["id"] for p in queue["items"]] == [product]
    for role, status in (("owner", 403), ("shopper", 403), ("vetting", 403), ("anonymous", 401)):
        refused = await client.post(
            f"/api/v1/console/listings/{product}/approve", headers=api[role]
        )
        assert refused.status_code == status, role
    no_reason = await client.post(
        f"/api/v1/console/listings/{product}/reject", json={"reason": ""}, headers=api["moderation"]
    )
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")
    approved = await client.post(
        f"/api/v1/console/listings/{product}/approve", headers=api["moderation"]
    )
    assert approved.json() == {"product_id": product, "status": "live"}
    delisted = await client.post(
        f"/api/v1/console/listings/{product}/delist",
        json={"reason": "Complaint"},
        headers=api["moderation"],
    )
    assert delisted.json() == {"product_id": product, "status": "delisted"}
    gone = await client.get(
        "/api/v1/console/listings", params={"status": "delisted"}, headers=api["moderation"]
    )
    assert [p["id"] for p in gone.json()["items"]] == [product]
    read = (
        await client.get(f"/api/v1/console/listings/{product}", headers=api["moderation"])
    ).json()
    assert [h["action"] for h in read["history"]] == ["create", "submit", "approve", "delist"]
    assert (
        await client.get("/api/v1/console/listings/999999", headers=api["moderation"])
    ).status_code == 404


async def test_openapi_lists_the_catalog_routes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    paths = schema["paths"]
    products = "/api/v1/organisations/{organisation_id}/shops/{shop_id}/products"
    assert set(paths[products]) == {"get", "post"}
    assert set(paths[products + "/{product_id}"]) == {"get", "put"}
    assert "post" in paths[products + "/{product_id}/images"]
    assert "post" in paths["/api/v1/console/listings/{product_id}/delist"]
    assert "put" in paths["/api/v1/console/categories/{category_id}/terms"]
    body = schema["components"]["schemas"]
    assert any(name.endswith("ProductBody") for name in body)
