"""Pure checkout rules: quantities, shipping choices, the address snapshot, order numbers,
totals. No I/O."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from galerie.kernel import Money, ValidationFailed
from galerie.orders.errors import MixedCurrencies

MAX_LINES = 100  # distinct SKUs in one checkout
MAX_LINE_QUANTITY = 10_000
MAX_ADDRESS_BYTES = 4_000
MAX_REASON = 500
MIN_AUTO_CONFIRM_DAYS = 1
MAX_AUTO_CONFIRM_DAYS = 90


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """The buyer's shipping method for one shop, as quoted by the shipping domain."""

    method_code: str
    fee: Money
    auto_confirm_days: int


def quantity_of(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed(
            "Enter a whole number above zero.", field="quantity", code="bad_quantity"
        )
    if value > MAX_LINE_QUANTITY:
        raise ValidationFailed(
            f"At most {MAX_LINE_QUANTITY:,} units of an item.",
            field="quantity",
            code="quantity_too_large",
        )
    return value


def merged_lines(lines: Sequence[tuple[int, int]]) -> dict[int, int]:
    """SKU id -> quantity, duplicates added up, each quantity checked; sorted by SKU id
    (so stock rows are locked in one order by every checkout)."""
    if not lines:
        raise ValidationFailed("The order has no items.", field="lines", code="empty_order")
    merged: dict[int, int] = {}
    for sku_id, quantity in lines:
        if isinstance(sku_id, bool) or not isinstance(sku_id, int) or sku_id <= 0:
            raise ValidationFailed("Unknown item.", field="sku_id", code="bad_sku")
        merged[sku_id] = quantity_of(merged.get(sku_id, 0) + quantity_of(quantity))
    if len(merged) > MAX_LINES:
        raise ValidationFailed(
            f"At most {MAX_LINES} different items per order.",
            field="lines",
            code="too_many_lines",
        )
    return dict(sorted(merged.items()))


def checked_shipping(choice: ShippingChoice, currency: str) -> ShippingChoice:
    code = choice.method_code.strip() if isinstance(choice.method_code, str) else ""
    if not code or len(code) > 40:
        raise ValidationFailed("Choose a shipping method.", field="shipping", code="bad_shipping")
    if choice.fee.minor < 0:
        raise ValidationFailed("A fee cannot be negative.", field="shipping", code="bad_shipping")
    if choice.fee.currency != currency:
        raise MixedCurrencies("Shipping is priced in another currency.", field="shipping")
    days = choice.auto_confirm_days
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not (MIN_AUTO_CONFIRM_DAYS <= days <= MAX_AUTO_CONFIRM_DAYS)
    ):
        raise ValidationFailed(
            "Auto-confirm takes 1 to 90 days.", field="shipping", code="bad_shipping"
        )
    return ShippingChoice(code, choice.fee, days)


_SCALARS = frozenset({str, int, bool, type(None)})  # JSON's own, read back as they are


def address_snapshot(address: Mapping[str, Any]) -> dict[str, Any]:
    """The address as JSON, as it was at checkout: a non-empty mapping of strings to
    JSON values, at most 4,000 bytes."""
    if not isinstance(address, Mapping) or not address:
        raise ValidationFailed("Give a delivery address.", field="address", code="bad_address")
    try:
        text = json.dumps(dict(address), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("Unreadable address.", field="address", code="bad_address") from exc
    if len(text.encode()) > MAX_ADDRESS_BYTES or not all(isinstance(k, str) for k in address):
        raise ValidationFailed("The address is too long.", field="address", code="bad_address")
    if all(type(value) in _SCALARS for value in address.values()):
        return dict(address)  # what the JSON round trip below would give, at less cost
    snapshot: dict[str, Any] = json.loads(text)
    return snapshot


def reason_of(value: str | None, *, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise ValidationFailed("Give a reason.", field="reason", code="reason_required")
        return None
    if len(cleaned) > MAX_REASON or any(unicodedata.category(c) == "Cc" for c in cleaned):
        raise ValidationFailed(
            f"Give a reason of at most {MAX_REASON} characters.",
            field="reason",
            code="bad_reason",
        )
    return cleaned


def order_number(placed_at: datetime, group_id: int, position: int) -> str:
    """Digits people can read out: the day, the payment group, the shop's position."""
    return f"{placed_at:%Y%m%d}{group_id:010d}{position:02d}"
