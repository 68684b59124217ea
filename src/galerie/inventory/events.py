"""Inventory events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class StockLevelChanged(DomainEvent, frozen=True, kw_only=True):
    """The available stock of a SKU changed (search keeps its in-stock flag from this)."""

    shop_id: int
    sku_id: int
    available: int


class StockLevelLow(DomainEvent, frozen=True, kw_only=True):
    """Available stock of a SKU in a warehouse fell to or below its low-stock threshold."""

    shop_id: int
    sku_id: int
    warehouse_id: int
    available: int
    threshold: int
