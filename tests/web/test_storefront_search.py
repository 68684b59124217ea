"""The search page, the header's autocomplete and the shop's own search box, over the
labelled catalog of the search tests (zh-CN / en / fr products, three hidden ones), on both
databases: cards, facet counts and links, chips, did-you-mean, bounds, inert text, budget."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.search import reindex_product
from tests.integration.search.conftest import FOOD, JAMS, Labelled, build_labelled
from tests.web.statement_counter import counting_statements

PRODUCT_LINK = re.compile(r'<a href="/products/(\d+)">')


@pytest.fixture
async def labelled(db: Database, clock: FixedClock) -> Labelled:
    return await build_labelled(db, clock)


def found(page: str, labelled: Labelled) -> list[str]:
    by_id = {product_id: label for label, product_id in labelled.p.items()}
    return [by_id[int(n)] for n in PRODUCT_LINK.findall(page)]


async def search(
    client: httpx.AsyncClient, language: str = "en", **params: object
) -> httpx.Response:
    return await client.get(
        "/search",
        params=params,  # type: ignore[arg-type]
        headers={"Accept-Language": language},
    )


@pytest.mark.parametrize(
    ("language", "text", "sort", "expected", "title"),
    [
        ("zh-CN", "果酱", "sales", ["strawberry", "blueberry"], "草莓果酱"),
        ("en", "jam", "price_desc", ["blueberry", "strawberry"], "Blueberry jam"),
        ("fr", "creme", "", ["cream"], "Crème de marrons"),
        ("fr", "confiture", "price_asc", ["strawberry", "blueberry"], "Confiture de fraises"),
    ],
)
async def test_a_query_in_each_language_finds_its_cards(
    client: httpx.AsyncClient,
    labelled: Labelled,
    language: str,
    text: str,
    sort: str,
    expected: list[str],
    title: str,
) -> None:
    page = await search(client, language, q=text, sort=sort)
    assert page.status_code == 200
    assert found(page.text, labelled) == expected
    assert f'<span class="product-title">{html.escape(title)}</span>' in page.text
    assert f"<title>{_title(language, text)} · Galerie</title>" in page.text


def _title(language: str, text: str) -> str:
    return {"zh-CN": "搜索：%s", "en": "Search: %s", "fr": "Recherche : %s"}[language] % text


async def test_cards_show_price_and_shop_link(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    page = await search(client, q="blueberry")
    assert "CN¥39.00" in page.text
    assert f'<a href="/search?shop={labelled.flagship}">Lune Flagship</a>' in page.text
    assert "1 product" in page.text


async def test_facets_show_counts_and_narrow_the_results(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    page = await search(client, q="jam")
    brand_link = f"/search?q=jam&amp;brand={labelled.lune}"
    assert f'<a href="{brand_link}">' in page.text
    assert re.search(
        rf'<a href="{re.escape(brand_link)}">.*?Lune</a> <span class="muted">\(1\)', page.text
    )
    food = f'<a href="/search?q=jam&amp;category={FOOD}"><span class="check" aria-hidden="true">'
    assert f'{food}☐</span> Food</a> <span class="muted">(2)</span>' in page.text  # both jams
    assert "Clear all filters" not in page.text  # no filter chosen, no chips
    narrowed = await client.get(html.unescape(brand_link))
    assert found(narrowed.text, labelled) == ["blueberry"]
    # the chosen brand is a chip whose link removes it and keeps the text
    assert 'href="/search?q=jam" aria-label="Remove the filter Lune"' in narrowed.text
    stocked = await search(client, q="jam", in_stock="1")
    assert found(stocked.text, labelled) == ["blueberry"]
    assert 'aria-label="Remove the filter In stock"' in stocked.text


async def test_a_category_filter_shows_its_trail_and_children(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    page = await search(client, "fr", category=FOOD)
    assert sorted(found(page.text, labelled)) == ["blueberry", "cream", "strawberry"]
    assert f'href="/search?category={JAMS}"' in page.text  # the child, in the facet
    assert '<span aria-current="page">Alimentation</span>' in page.text
    assert (await search(client, category=424242)).status_code == 400


async def test_the_shop_search_shows_only_that_shop(
    client: httpx.AsyncClient, db: Database, labelled: Labelled
) -> None:
    page = await search(client, q="jam", shop=labelled.market)
    assert found(page.text, labelled) == ["strawberry"]
    assert "In the shop Petit Marché" in page.text
    slug = await _slug(db, labelled.market)
    shop_page = await client.get(f"/shops/{slug}")
    assert f'<input type="hidden" name="shop" value="{labelled.market}">' in shop_page.text
    assert 'action="/search"' in shop_page.text


async def _slug(db: Database, shop_id: int) -> str:
    async with db.hot_reads() as sql:
        row = await sql.fetchrow("SELECT slug FROM shops WHERE id = $1", shop_id)
    assert row is not None
    return str(row[0])


async def test_hidden_products_never_appear(client: httpx.AsyncClient, labelled: Labelled) -> None:
    for language, text in (("en", "blueberry jam"), ("zh-CN", "蓝莓果酱"), ("en", "")):
        page = await search(client, language, q=text)
        names = found(page.text, labelled)
        assert not {"pending", "delisted", "suspended"} & set(names), (text, names)
    inside = await search(client, shop=labelled.suspended)
    assert found(inside.text, labelled) == []
    assert "No products match your search." in inside.text


async def test_did_you_mean_offers_the_correction(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    page = await search(client, q="bluebery jam")
    assert found(page.text, labelled) == ["blueberry"]
    assert 'Did you mean <a href="/search?q=blueberry+jam">blueberry jam</a>?' in page.text
    exact = await search(client, q="blueberry jam")
    assert "Did you mean" not in exact.text


async def test_seller_text_is_inert(
    client: httpx.AsyncClient, db: Database, labelled: Labelled
) -> None:
    evil = "<script>alert(1)</script>"
    product = await labelled.factory.product(
        shop_id=labelled.market, category_id=JAMS, price=500, titles={"en": f"Jam {evil}"}
    )
    await reindex_product(db, product_id=product)
    page = await search(client, q="jam")
    assert evil not in page.text
    assert "Jam &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    echoed = await search(client, q=evil)
    assert evil not in echoed.text


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "cheapest"},
        {"page": "0"},
        {"page": "1001"},
        {"page": "abc"},
        {"q": "x" * 201},
        {"category": "food"},
        {"brand": "-1"},
        {"shop_type": "pirate"},
        {"price_min": "500", "price_max": "100"},
        {"rating_min": "6"},
        {"in_stock": "maybe"},
    ],
)
async def test_bad_parameters_are_a_friendly_400(
    client: httpx.AsyncClient, labelled: Labelled, params: dict[str, str]
) -> None:
    answer = await search(client, **params)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text
    assert "SELECT" not in answer.text


async def test_a_far_page_is_empty_not_an_error(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    page = await search(client, q="jam", page="3")
    assert page.status_code == 200
    assert found(page.text, labelled) == []
    assert '<a href="/search?q=jam">Back to the first page</a>' in page.text


async def test_the_header_has_the_search_box_and_autocomplete(
    client: httpx.AsyncClient, labelled: Labelled
) -> None:
    home = await client.get("/", headers={"Accept-Language": "en"})
    assert 'hx-get="/search/suggest"' in home.text
    assert 'action="/search"' in home.text
    assert '<a href="/categories">Categories</a>' in home.text
    answer = await client.get(
        "/search/suggest", params={"q": "blue"}, headers={"Accept-Language": "fr"}
    )
    assert answer.status_code == 200
    assert (
        f'<a href="/products/{labelled.p["blueberry"]}">Confiture de myrtilles</a>' in answer.text
    )
    assert PRODUCT_LINK.findall(answer.text) == [str(labelled.p["blueberry"])]
    empty = await client.get("/search/suggest", params={"q": " "})
    assert (empty.status_code, empty.text.strip()) == (200, "")
    assert (await client.get("/search/suggest", params={"q": "x" * 201})).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"q": "果酱"},
        {"q": "bluebery jam", "sort": "sales"},
        {"q": "jam", "category": FOOD, "brand": "1", "in_stock": "1"},
    ],
)
async def test_the_search_page_spends_at_most_three_statements(
    client: httpx.AsyncClient, db: Database, labelled: Labelled, params: dict[str, object]
) -> None:
    async with counting_statements(db) as counted:
        page = await search(client, "zh-CN", **params)
    ours = [sql for sql in counted.seen if not sql.startswith("--")]  # not FTS5's own reads
    assert page.status_code == 200
    assert len(ours) <= 3, ours
