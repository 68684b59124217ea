"""Wire types of the seller inventory API and the mapping from the inventory read models.

Bodies forbid unknown fields (a body naming `shop_id`, `available` or `on_hand` is refused
with 400, never applied); quantities are bounded here and again by the services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from galerie.inventory import (
    MAX_QUANTITY,
    Level,
    MovementView,
    StockLevelView,
    WarehouseForm,
    WarehouseView,
)

Id = Annotated[int, msgspec.Meta(ge=1)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=MAX_QUANTITY)]
SignedQuantity = Annotated[int, msgspec.Meta(ge=-MAX_QUANTITY, le=MAX_QUANTITY)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_QUANTITY)]
Threshold = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class WarehouseBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(max_length=40)]
    name: Annotated[str, msgspec.Meta(max_length=120)]
    country: Annotated[str, msgspec.Meta(max_length=2)]
    city: Annotated[str, msgspec.Meta(max_length=100)]
    address_line: Annotated[str, msgspec.Meta(max_length=300)]
    region: Annotated[str, msgspec.Meta(max_length=100)] = ""
    postal_code: Annotated[str, msgspec.Meta(max_length=20)] = ""

    def form(self) -> WarehouseForm:
        return WarehouseForm(
            code=self.code,
            name=self.name,
            country=self.country,
            city=self.city,
            address_line=self.address_line,
            region=self.region,
            postal_code=self.postal_code,
        )


class WarehouseOut(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    country: str
    region: str
    city: str
    address_line: str
    postal_code: str
    is_active: bool


def warehouse_out(w: WarehouseView) -> WarehouseOut:
    return WarehouseOut(
        id=w.id,
        code=w.code,
        name=w.name,
        country=w.country,
        region=w.region,
        city=w.city,
        address_line=w.address_line,
        postal_code=w.postal_code,
        is_active=w.is_active,
    )


class ReceiptBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Goods received into a warehouse."""

    warehouse_id: Id
    sku_id: Id
    quantity: Quantity
    reference: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class AdjustmentBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A correction with its reason: a signed `delta` of available units, or the `counted`
    units on hand (exactly one of them)."""

    warehouse_id: Id
    sku_id: Id
    reason: Annotated[str, msgspec.Meta(max_length=500)]
    delta: SignedQuantity | None = None
    counted: Count | None = None


class ThresholdBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Alert when available falls to `threshold` or below; null: never."""

    warehouse_id: Id
    sku_id: Id
    threshold: Threshold | None


class StockLevelOut(msgspec.Struct, frozen=True):
    id: int
    warehouse_id: int
    sku_id: int
    on_hand: int
    available: int
    reserved: int
    committed: int
    low_stock_threshold: int | None
    is_low: bool
    seller_sku: str | None = None
    warehouse_code: str | None = None


def level_out(level: StockLevelView) -> StockLevelOut:
    return StockLevelOut(
        id=level.id,
        warehouse_id=level.warehouse_id,
        sku_id=level.sku_id,
        on_hand=level.on_hand,
        available=level.available,
        reserved=level.reserved,
        committed=level.committed,
        low_stock_threshold=level.low_stock_threshold,
        is_low=level.is_low,
        seller_sku=level.seller_sku,
        warehouse_code=level.warehouse_code,
    )


def changed_out(level: Level) -> StockLevelOut:
    threshold = level.low_stock_threshold
    return StockLevelOut(
        id=level.id,
        warehouse_id=level.warehouse_id,
        sku_id=level.sku_id,
        on_hand=level.on_hand,
        available=level.available,
        reserved=level.reserved,
        committed=level.committed,
        low_stock_threshold=threshold,
        is_low=threshold is not None and level.available <= threshold,
    )


class MovementOut(msgspec.Struct, frozen=True):
    id: int
    warehouse_id: int
    sku_id: int
    kind: str
    delta_on_hand: int
    delta_available: int
    delta_reserved: int
    delta_committed: int
    reference: str | None
    reason: str | None
    actor_user_id: int | None
    at: datetime


def movement_out(m: MovementView) -> MovementOut:
    return MovementOut(
        id=m.id,
        warehouse_id=m.warehouse_id,
        sku_id=m.sku_id,
        kind=m.kind,
        delta_on_hand=m.delta_on_hand,
        delta_available=m.delta_available,
        delta_reserved=m.delta_reserved,
        delta_committed=m.delta_committed,
        reference=m.reference,
        reason=m.reason,
        actor_user_id=m.actor_user_id,
        at=m.at,
    )
