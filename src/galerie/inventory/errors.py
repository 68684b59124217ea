"""Inventory refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict


class InsufficientStock(Conflict):
    """No stock level of the SKU (or of the given warehouse) has the quantity available, or
    not enough is reserved or committed for a release, commitment or shipment. Nothing
    changed."""

    default_code = "insufficient_stock"


class StockWouldGoNegative(Conflict):
    """An adjustment would leave a part of the stock below zero. Nothing changed."""

    default_code = "stock_would_go_negative"
