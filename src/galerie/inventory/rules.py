"""Inventory rules: pure checks and arithmetic, no I/O.

A change of a stock level is a `Delta` of its four parts; the stock identity
(on_hand = available + reserved + committed) holds for every delta by construction and is a
CHECK in both databases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from galerie.kernel import ValidationFailed

MAX_QUANTITY = 10_000_000  # any one receipt, adjustment, reservation or count
MAX_THRESHOLD = 1_000_000
MAX_REASON = 500
MAX_REFERENCE = 100
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"
    COMMITMENT = "commitment"
    SHIPMENT = "shipment"


@dataclass(frozen=True, slots=True)
class Delta:
    """The change of each part of a stock level; on_hand follows from the other three."""

    available: int = 0
    reserved: int = 0
    committed: int = 0

    @property
    def on_hand(self) -> int:
        return self.available + self.reserved + self.committed


def receipt(quantity: int) -> Delta:
    return Delta(available=quantity)


def reservation(quantity: int) -> Delta:
    return Delta(available=-quantity, reserved=quantity)


def release(quantity: int) -> Delta:
    return Delta(available=quantity, reserved=-quantity)


def commitment(quantity: int) -> Delta:
    return Delta(reserved=-quantity, committed=quantity)


def shipment(quantity: int) -> Delta:
    return Delta(committed=-quantity)


def quantity_of(value: int, *, field: str = "quantity") -> int:
    """A positive whole quantity of at most MAX_QUANTITY."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed("Enter a whole number above zero.", field=field, code="bad_quantity")
    if value > MAX_QUANTITY:
        raise ValidationFailed(
            f"At most {MAX_QUANTITY:,} units at a time.", field=field, code="quantity_too_large"
        )
    return value


def adjustment_of(*, delta: int | None, counted: int | None) -> tuple[int | None, int | None]:
    """Exactly one of a signed non-zero delta or a counted on-hand figure, both bounded."""
    if (delta is None) == (counted is None):
        raise ValidationFailed(
            "Give either a change or a counted quantity.", field="delta", code="bad_adjustment"
        )
    if delta is not None:
        if isinstance(delta, bool) or delta == 0:
            raise ValidationFailed("The change cannot be zero.", field="delta", code="bad_quantity")
        quantity_of(abs(delta), field="delta")
        return delta, None
    assert counted is not None
    if isinstance(counted, bool) or counted < 0:
        raise ValidationFailed("A count cannot be negative.", field="counted", code="bad_quantity")
    if counted > MAX_QUANTITY:
        raise ValidationFailed(
            f"At most {MAX_QUANTITY:,} units.", field="counted", code="quantity_too_large"
        )
    return None, counted


def threshold_of(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or value < 0 or value > MAX_THRESHOLD:
        raise ValidationFailed(
            f"Enter a number from 0 to {MAX_THRESHOLD:,}.", field="threshold", code="bad_threshold"
        )
    return value


def crossed_low(*, before: int, after: int, threshold: int | None) -> bool:
    """True once per crossing: available went from above the threshold to at or below it."""
    return threshold is not None and before > threshold >= after


def label(value: str | None, *, field: str, max_length: int, required: bool = True) -> str:
    """Stripped one-line text without control characters."""
    cleaned = (value or "").strip()
    if (required and not cleaned) or len(cleaned) > max_length:
        low = 1 if required else 0
        raise ValidationFailed(
            f"Enter between {low} and {max_length} characters.", field=field, code=f"bad_{field}"
        )
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationFailed(
            "Control characters are not allowed.", field=field, code=f"bad_{field}"
        )
    return cleaned


def reason_of(value: str | None) -> str:
    if value is None or not value.strip():
        raise ValidationFailed("Give a reason.", field="reason", code="reason_required")
    return label(value, field="reason", max_length=MAX_REASON)


def reference_of(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return label(value, field="reference", max_length=MAX_REFERENCE)


@dataclass(frozen=True, slots=True)
class WarehouseForm:
    code: str
    name: str
    country: str
    city: str
    address_line: str
    region: str = ""
    postal_code: str = ""

    def cleaned(self) -> WarehouseForm:
        code = self.code.strip()
        if not _CODE.match(code):
            raise ValidationFailed(
                "Use 1 to 40 letters, digits, dots, dashes or underscores.",
                field="code",
                code="bad_code",
            )
        country = self.country.strip().upper()
        if not _COUNTRY.match(country):
            raise ValidationFailed(
                "Use the two-letter country code.", field="country", code="bad_country"
            )
        return WarehouseForm(
            code=code,
            name=label(self.name, field="name", max_length=120),
            country=country,
            city=label(self.city, field="city", max_length=100),
            address_line=label(self.address_line, field="address_line", max_length=300),
            region=label(self.region, field="region", max_length=100, required=False),
            postal_code=label(self.postal_code, field="postal_code", max_length=20, required=False),
        )
