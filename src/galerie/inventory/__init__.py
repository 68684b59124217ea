"""Inventory: warehouses, stock per SKU per warehouse, movements, reservations. Public surface.

Seller use cases (each owns one transaction): warehouses (create, update, deactivate,
reactivate), receive_stock, adjust_stock, set_low_stock_threshold. Checkout primitives (run
inside the caller's transaction, never commit): reserve_stock, release_reservation,
commit_reservation, release_commitment, ship_stock. Reads: available_by_sku, shop_stock,
low_stock, sku_movements, shop_warehouses; recompute_stock_from_movements checks a level
against its movements."""

from galerie.inventory.errors import InsufficientStock, StockWouldGoNegative
from galerie.inventory.events import StockLevelChanged, StockLevelLow
from galerie.inventory.levels import Level
from galerie.inventory.queries import (
    MovementView,
    SkuChoice,
    StockLevelView,
    WarehouseView,
    available_by_sku,
    available_sql,
    low_stock,
    shop_sku_exists,
    shop_skus,
    shop_stock,
    shop_warehouse,
    shop_warehouses,
    sku_movements,
)
from galerie.inventory.reservations import (
    Reservation,
    commit_reservation,
    release_commitment,
    release_reservation,
    reserve_items,
    reserve_stock,
    ship_stock,
)
from galerie.inventory.reserving_last import HeldItem, HeldWrite, reserve_items_last
from galerie.inventory.rules import MAX_QUANTITY, Delta, MovementKind, WarehouseForm
from galerie.inventory.services import (
    StockCheck,
    adjust_stock,
    receive_stock,
    recompute_stock_from_movements,
    set_low_stock_threshold,
)
from galerie.inventory.warehouses import (
    create_warehouse,
    deactivate_warehouse,
    reactivate_warehouse,
    update_warehouse,
)

__all__ = [
    "MAX_QUANTITY",
    "Delta",
    "HeldItem",
    "HeldWrite",
    "InsufficientStock",
    "Level",
    "MovementKind",
    "MovementView",
    "Reservation",
    "SkuChoice",
    "StockCheck",
    "StockLevelChanged",
    "StockLevelLow",
    "StockLevelView",
    "StockWouldGoNegative",
    "WarehouseForm",
    "WarehouseView",
    "adjust_stock",
    "available_by_sku",
    "available_sql",
    "commit_reservation",
    "create_warehouse",
    "deactivate_warehouse",
    "low_stock",
    "reactivate_warehouse",
    "receive_stock",
    "recompute_stock_from_movements",
    "release_commitment",
    "release_reservation",
    "reserve_items",
    "reserve_items_last",
    "reserve_stock",
    "set_low_stock_threshold",
    "ship_stock",
    "shop_sku_exists",
    "shop_skus",
    "shop_stock",
    "shop_warehouse",
    "shop_warehouses",
    "sku_movements",
    "update_warehouse",
]
