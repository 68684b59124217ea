"""Outbox handlers that keep the index in step with the catalog, the stock and the shops.
Each re-reads what it needs by id inside the delivery's transaction, so applying an event
twice, or late, changes nothing more (the dispatcher also records each delivery once).

`SEARCH_HANDLERS` maps event name -> (stable handler name, function); the composition root
(galerie.workers.build_handlers) wraps them as outbox EventHandlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.events import ProductChanged
from galerie.db import RawSQL
from galerie.inventory.events import StockLevelChanged
from galerie.kernel import DomainEvent
from galerie.search.indexing import refresh_products, refresh_shop, refresh_sku
from galerie.sellers import (
    ShopClosed,
    ShopPublished,
    ShopReinstated,
    ShopRestricted,
    ShopRestrictionLifted,
    ShopSuspended,
)

SearchHandler = Callable[[DomainEvent, AsyncSession], Awaitable[None]]


async def on_product_changed(event: DomainEvent, session: AsyncSession) -> None:
    assert isinstance(event, ProductChanged)
    await refresh_products(await RawSQL.of(session), [event.product_id])


IN_STOCK_SQL = (
    "SELECT d.in_stock FROM skus k JOIN search_documents d ON d.product_id = k.product_id "
    "WHERE k.id = $1"
)


async def on_stock_level_changed(event: DomainEvent, session: AsyncSession) -> None:
    """Only `in_stock` of a document depends on stock. A SKU that still has units cannot
    turn an in-stock document out of stock, so that case (every sale but the last) costs
    one read and leaves the index, and its generation, alone. Anything else re-reads the
    product: the event may be stale, the state it leads to is not."""
    assert isinstance(event, StockLevelChanged)
    sql = await RawSQL.of(session)
    if event.available > 0:
        row = await sql.fetchrow(IN_STOCK_SQL, event.sku_id)
        if row is not None and bool(row[0]):
            return
    await refresh_sku(sql, event.sku_id)


async def on_shop_changed(event: DomainEvent, session: AsyncSession) -> None:
    shop_id = getattr(event, "shop_id", None)
    if not isinstance(shop_id, int):
        raise TypeError(f"{event.name} carries no shop_id")
    await refresh_shop(await RawSQL.of(session), shop_id)


SEARCH_HANDLERS: dict[str, tuple[str, SearchHandler]] = {
    ProductChanged.name: ("search.index.product_changed", on_product_changed),
    StockLevelChanged.name: ("search.index.stock_level_changed", on_stock_level_changed),
    **{
        event.name: (f"search.index.{event.name}", on_shop_changed)
        for event in (
            ShopPublished,
            ShopSuspended,
            ShopReinstated,
            ShopClosed,
            ShopRestricted,
            ShopRestrictionLifted,
        )
    },
}
