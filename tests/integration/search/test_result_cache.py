"""Searches answered from the result cache stay correct: any index change is seen (at once
with a refresh interval of 0, within the interval otherwise), on both databases."""

from __future__ import annotations

from galerie.db import Database
from galerie.search import configure_result_cache, reindex_product, search_products
from tests.integration.search.conftest import Labelled
from tests.integration.search.counting import counted_statements


async def ids(db: Database, text: str) -> set[int]:
    result = await search_products(db, text=text, language="en", per_page=100)
    return {card.product_id for card in result.items}


async def test_a_repeated_search_costs_only_the_generation_check(
    db: Database, labelled: Labelled
) -> None:
    first = await search_products(db, text="jam", language="en")
    async with counted_statements(db) as statements:
        again = await search_products(db, text="jam", language="en")
    assert again == first
    assert len(statements) == 1, statements
    assert "search_state" in statements[0]


async def test_a_delisting_is_seen_by_the_next_search(db: Database, labelled: Labelled) -> None:
    blueberry = labelled.p["blueberry"]
    assert blueberry in await ids(db, "jam")
    await labelled.factory.set_status("products", blueberry, "delisted")
    assert blueberry in await ids(db, "jam")  # the index has not heard of it yet
    await reindex_product(db, product_id=blueberry)
    assert blueberry not in await ids(db, "jam")


async def test_between_checks_a_hit_sends_nothing_and_a_change_waits_for_the_next_check(
    db: Database, labelled: Labelled
) -> None:
    cache = configure_result_cache(db, refresh_seconds=60)
    now = [1000.0]
    cache.clock = lambda: now[0]
    blueberry = labelled.p["blueberry"]
    assert blueberry in await ids(db, "jam")
    await labelled.factory.set_status("products", blueberry, "delisted")
    await reindex_product(db, product_id=blueberry)
    async with counted_statements(db) as statements:
        assert blueberry in await ids(db, "jam")  # served from the cache, unchecked
    assert statements == []
    now[0] += 60
    assert blueberry not in await ids(db, "jam")


async def test_without_a_cache_every_search_runs(db: Database, labelled: Labelled) -> None:
    configure_result_cache(db, refresh_seconds=0, capacity=0)
    await search_products(db, text="蓝莓", language="en")
    async with counted_statements(db) as statements:
        await search_products(db, text="蓝莓", language="en")
    assert len(statements) == 1, statements
    assert "search_state" not in statements[0]
