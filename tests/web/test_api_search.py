"""The public search API over the labelled catalog, on both databases."""

from __future__ import annotations

import httpx
import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from tests.integration.search.conftest import FOOD, JAMS, Labelled, build_labelled


@pytest.fixture
async def labelled(db: Database, clock: FixedClock) -> Labelled:
    return await build_labelled(db, clock)


async def test_search_answers_cards_and_facets(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    answer = await client.get(
        "/api/v1/search", params={"q": "果酱", "lang": "zh-CN", "sort": "sales"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [item["product_id"] for item in body["items"]] == [
        labelled.p["strawberry"],
        labelled.p["blueberry"],
    ]
    assert body["items"][0] == {
        "product_id": labelled.p["strawberry"],
        "shop_id": labelled.market,
        "shop_name": "Petit Marché",
        "shop_type": "individual",
        "title": "草莓果酱",
        "language": "zh-CN",
        "price_minor": 2500,
        "currency": "CNY",
        "rating": 3.0,
        "rating_count": 1,
        "sales_count": 300,
        "in_stock": False,
        "image_key": None,
        "image_url": None,
    }
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (2, 1, 24, 1)
    assert body["facets"]["categories"] == [{"key": str(FOOD), "label": "食品", "count": 2}]
    assert body["facets"]["in_stock"] == 1
    assert body["corrections"] == {}


async def test_search_filters_from_the_query_string(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    params: list[tuple[str, str | int | float | bool | None]] = [
        ("category", JAMS),
        ("brand", labelled.lune),
        ("brand", labelled.sunny),
        ("shop_type", "flagship"),
        ("price_max", 5000),
        ("rating_min", 4),
        ("in_stock", "true"),
        ("lang", "fr"),
    ]
    body = (await client.get("/api/v1/search", params=params)).json()
    assert [item["title"] for item in body["items"]] == ["Confiture de myrtilles"]
    inside: dict[str, str | int] = {"q": "bluebery", "shop": labelled.market}
    assert (await client.get("/api/v1/search", params=inside)).json()["items"] == []
    typo = (await client.get("/api/v1/search", params={"q": "bluebery"})).json()
    assert typo["corrections"] == {"bluebery": ["blueberry"]}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"per_page": 101}, 400),
        ({"per_page": 0}, 400),
        ({"page": 0}, 400),
        ({"page": 1001}, 400),
        ({"q": "x" * 201}, 400),
        ({"lang": "de"}, 400),
        ({"sort": "cheapest"}, 400),
        ({"price_min": -1}, 400),
        ({"rating_min": 6}, 400),
        ({"shop_type": "pirate"}, 400),
        ({"category": "food"}, 400),
        ({"brand": list(range(1, 22))}, 400),
        ({"price_min": 500, "price_max": 100}, 422),  # parses, but breaks a rule
    ],
)
async def test_bad_parameters_are_a_clean_4xx(
    client: httpx.AsyncClient, labelled: Labelled, params: dict[str, object], status: int
) -> None:
    answer = await client.get("/api/v1/search", params=params)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    assert "Traceback" not in answer.text
    assert "SELECT" not in answer.text


async def test_suggest(client: httpx.AsyncClient, labelled: Labelled) -> None:
    answer = await client.get("/api/v1/search/suggest", params={"q": "blue", "lang": "fr"})
    assert answer.status_code == 200
    assert answer.json() == {
        "items": [{"product_id": labelled.p["blueberry"], "title": "Confiture de myrtilles"}]
    }
    too_many = await client.get("/api/v1/search/suggest", params={"q": "blue", "limit": 21})
    assert too_many.status_code == 400
    missing = await client.get("/api/v1/search/suggest")
    assert missing.status_code == 400


async def test_openapi_lists_the_search_routes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    assert {"/api/v1/search", "/api/v1/search/suggest"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "lang", "category", "brand", "shop", "sort", "page", "per_page"} <= parameters
