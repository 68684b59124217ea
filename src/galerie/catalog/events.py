"""Catalog events, written to the outbox in the transaction that caused them. The search
index follows the catalog through these (search re-reads the product by id, so a payload
never carries stale content)."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class ProductChanged(DomainEvent, frozen=True, kw_only=True):
    """A product's content, variants, images or listing status changed (created included).
    Consumers re-read the product; a product that is no longer shown to shoppers is removed
    from what they keep."""

    product_id: int
    shop_id: int
    status: str


class ShopListingsChanged(DomainEvent, frozen=True, kw_only=True):
    """Every listing of a shop changed visibility at once (the shop was suspended, reinstated,
    closed or published). Consumers re-read the shop's products."""

    shop_id: int


class StockLevelLow(DomainEvent, frozen=True, kw_only=True):
    """Available stock of a SKU in a warehouse fell to or below its low-stock threshold."""

    shop_id: int
    sku_id: int
    warehouse_id: int
    available: int
    threshold: int
