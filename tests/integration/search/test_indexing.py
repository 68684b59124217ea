"""The index follows the catalog: use cases and the outbox handlers registered in
galerie.workers.build_handlers, on both databases; applying anything twice changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from galerie.catalog.events import ProductChanged
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.inventory.events import StockLevelChanged
from galerie.kernel import DomainEvent, FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.search import (
    SEARCH_HANDLERS,
    SearchFilters,
    rebuild_index,
    reindex_product,
    reindex_shop,
    search_products,
)
from galerie.sellers import ShopReinstated, ShopSuspended
from galerie.workers import OutboxDispatcher, build_handlers
from tests.integration.search.conftest import Labelled


async def snapshot(db: Database) -> dict[str, list[Any]]:
    async with db.reading() as session:
        documents = await session.execute(
            text("SELECT * FROM search_documents ORDER BY product_id")
        )
        categories = await session.execute(
            text("SELECT * FROM search_categories ORDER BY product_id, category_id")
        )
        terms = await session.execute(text("SELECT term FROM search_terms ORDER BY term"))
        return {
            "documents": [tuple(row) for row in documents],
            "categories": [tuple(row) for row in categories],
            "terms": [row[0] for row in terms],
        }


async def found(db: Database, query: str, language: str = "en", **filters: Any) -> set[int]:
    result = await search_products(
        db, text=query, language=language, filters=SearchFilters(**filters), per_page=100
    )
    return {card.product_id for card in result.items}


async def dispatch(db: Database, clock: FixedClock, tmp_path: Path, *events: DomainEvent) -> None:
    """Record the events in the outbox and deliver them with the application's handlers
    (only the search ones: the seller mails are tested elsewhere)."""
    async with db.transaction() as session:
        for event in events:
            record_event(session, event, now=clock.now())
    handlers = {
        name: tuple(h for h in group if h.name.startswith("search."))
        for name, group in build_handlers(
            mailer=OutboxFolderMailer(tmp_path), secret_key="k" * 32, base_url="http://test"
        ).items()
    }
    await OutboxDispatcher(db, handlers, clock).dispatch_pending()


def test_the_search_handlers_are_registered() -> None:
    registered = {
        h.name: event
        for event, group in build_handlers(
            mailer=OutboxFolderMailer(Path("/nonexistent")),
            secret_key="k" * 32,
            base_url="http://t",
        ).items()
        for h in group
    }
    assert {name: registered.get(name) for name, _ in SEARCH_HANDLERS.values()} == {
        "search.index.product_changed": "ProductChanged",
        "search.index.stock_level_changed": "StockLevelChanged",
        "search.index.ShopPublished": "ShopPublished",
        "search.index.ShopSuspended": "ShopSuspended",
        "search.index.ShopReinstated": "ShopReinstated",
        "search.index.ShopRestricted": "ShopRestricted",
        "search.index.ShopRestrictionLifted": "ShopRestrictionLifted",
        "search.index.ShopClosed": "ShopClosed",
    }


async def test_rebuilding_twice_changes_nothing(db: Database, labelled: Labelled) -> None:
    before = await snapshot(db)
    assert len(before["documents"]) == 6
    assert await rebuild_index(db) == 6
    assert await snapshot(db) == before


async def test_a_delisted_product_leaves_and_a_relisted_one_returns(
    db: Database, labelled: Labelled, clock: FixedClock, tmp_path: Path
) -> None:
    blueberry = labelled.p["blueberry"]
    await labelled.factory.set_status("products", blueberry, "delisted")
    event = ProductChanged(product_id=blueberry, shop_id=labelled.flagship, status="delisted")
    await dispatch(db, clock, tmp_path, event)
    assert await found(db, "jam") == {labelled.p["strawberry"]}
    after_delisting = await snapshot(db)
    async with db.transaction() as session:  # the handler applied once more: nothing changes
        await SEARCH_HANDLERS[ProductChanged.name][1](event, session)
    assert await snapshot(db) == after_delisting
    await labelled.factory.set_status("products", blueberry, "live")
    assert await reindex_product(db, product_id=blueberry) is True
    assert await found(db, "蓝莓", "zh-CN") == {blueberry}


async def test_a_pending_product_becomes_searchable_when_it_goes_live(
    db: Database, labelled: Labelled, clock: FixedClock, tmp_path: Path
) -> None:
    pending = labelled.p["pending"]
    assert await found(db, "gift box") == set()
    await labelled.factory.set_status("products", pending, "live")
    await dispatch(
        db,
        clock,
        tmp_path,
        ProductChanged(product_id=pending, shop_id=labelled.flagship, status="live"),
    )
    assert await found(db, "gift box") == {pending}
    assert await found(db, "礼盒", "zh-CN") == {pending}


async def test_stock_changes_move_the_in_stock_flag(
    db: Database, labelled: Labelled, clock: FixedClock, tmp_path: Path
) -> None:
    strawberry = labelled.p["strawberry"]
    assert strawberry not in await found(db, "jam", in_stock=True)
    sku = await labelled.factory.set_stock(strawberry, 5)
    await dispatch(
        db, clock, tmp_path, StockLevelChanged(shop_id=labelled.market, sku_id=sku, available=5)
    )
    assert strawberry in await found(db, "jam", in_stock=True)
    sku = await labelled.factory.set_stock(strawberry, 0)
    await dispatch(
        db, clock, tmp_path, StockLevelChanged(shop_id=labelled.market, sku_id=sku, available=0)
    )
    assert strawberry not in await found(db, "jam", in_stock=True)


async def generation(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(text("SELECT generation FROM search_state")) or 0)


async def test_a_sale_that_leaves_units_keeps_the_index_and_its_generation(
    db: Database, labelled: Labelled, clock: FixedClock, tmp_path: Path
) -> None:
    blueberry = labelled.p["blueberry"]  # in stock
    sku = await labelled.factory.set_stock(blueberry, 4)
    before, stamp = await snapshot(db), await generation(db)
    event = StockLevelChanged(shop_id=labelled.flagship, sku_id=sku, available=4)
    await dispatch(db, clock, tmp_path, event)
    assert (await snapshot(db), await generation(db)) == (before, stamp)
    await labelled.factory.set_stock(blueberry, 0)  # the last unit went: re-read, out of stock
    event = StockLevelChanged(shop_id=labelled.flagship, sku_id=sku, available=0)
    await dispatch(db, clock, tmp_path, event)
    assert blueberry not in await found(db, "jam", in_stock=True)
    assert await generation(db) > stamp


async def test_a_suspended_shop_disappears_and_returns_when_reinstated(
    db: Database, labelled: Labelled, clock: FixedClock, tmp_path: Path
) -> None:
    before = await snapshot(db)
    flagship = labelled.flagship
    shop_event: dict[str, Any] = {
        "shop_id": flagship,
        "organisation_id": labelled.factory.organisation_id or 0,
    }
    await labelled.factory.set_status("shops", flagship, "suspended")
    await dispatch(
        db, clock, tmp_path, ShopSuspended(**shop_event, from_status="live", to_status="suspended")
    )
    assert await found(db, "") == {labelled.p[k] for k in ("strawberry", "wok", "cream")}
    assert await found(db, "", shop_id=flagship) == set()
    await labelled.factory.set_status("shops", flagship, "live")
    await dispatch(
        db, clock, tmp_path, ShopReinstated(**shop_event, from_status="suspended", to_status="live")
    )
    assert await snapshot(db) == before


async def test_reindexing_a_shop_picks_up_a_shop_put_live(db: Database, labelled: Labelled) -> None:
    shady = labelled.suspended
    await labelled.factory.set_status("shops", shady, "live")
    assert await reindex_shop(db, shop_id=shady) == 1
    assert await found(db, "blueberry jam") == {labelled.p["blueberry"], labelled.p["suspended"]}
    await labelled.factory.set_status("shops", shady, "closed")
    assert await reindex_shop(db, shop_id=shady) == 0
    assert await found(db, "blueberry jam") == {labelled.p["blueberry"]}


async def test_an_unknown_product_is_simply_not_indexed(db: Database, labelled: Labelled) -> None:
    before = await snapshot(db)
    assert await reindex_product(db, product_id=999_999) is False
    assert await snapshot(db) == before


async def test_every_shop_handler_applied_twice_changes_nothing(
    db: Database, labelled: Labelled
) -> None:
    await labelled.factory.set_status("shops", labelled.market, "suspended")
    event = ShopSuspended(
        shop_id=labelled.market,
        organisation_id=labelled.factory.organisation_id or 0,
        from_status="live",
        to_status="suspended",
    )
    _, handler = SEARCH_HANDLERS[ShopSuspended.name]
    async with db.transaction() as session:
        await handler(event, session)
    once = await snapshot(db)
    async with db.transaction() as session:
        await handler(event, session)
    assert await snapshot(db) == once
    assert len(once["documents"]) == 3
