"""Cart rules: pure, no I/O. Quantities, limits, and the warnings a line can carry.

A line holds 1 to 99 units (MAX_LINE_QUANTITY), fewer when the SKU sets a per-buyer limit;
a cart holds at most MAX_LINES lines. Warnings are computed on every read, never stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from galerie.cart.models import MAX_LINE_QUANTITY
from galerie.catalog import ListingStatus, is_public
from galerie.kernel import ValidationFailed

MAX_LINES: Final = 100
_DIGITS: Final = re.compile(r"^[0-9]{1,9}$")


class LineProblem(StrEnum):
    PRICE_CHANGED = "price_changed"
    NOT_ENOUGH_STOCK = "not_enough_stock"
    OUT_OF_STOCK = "out_of_stock"
    UNAVAILABLE = "unavailable"  # the listing is no longer live, or the SKU is inactive
    SHOP_UNAVAILABLE = "shop_unavailable"  # the shop is suspended or closed
    ABOVE_LIMIT = "above_limit"  # the per-buyer limit went down since the line was added


# Problems that stop a line from being ordered (a changed price only needs a look).
BLOCKING: Final = frozenset(
    {
        LineProblem.NOT_ENOUGH_STOCK,
        LineProblem.OUT_OF_STOCK,
        LineProblem.UNAVAILABLE,
        LineProblem.SHOP_UNAVAILABLE,
        LineProblem.ABOVE_LIMIT,
    }
)


def quantity_of(value: object) -> int:
    """A whole number of units from 1 to 99: an int, or a string of digits (forms).
    Zero, negative, fractional, boolean and non-numeric values are refused."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    if number is None or number < 1:
        raise ValidationFailed(
            "Enter a whole number of at least 1.", field="quantity", code="bad_quantity"
        )
    if number > MAX_LINE_QUANTITY:
        raise ValidationFailed(
            f"At most {MAX_LINE_QUANTITY} of one item.",
            field="quantity",
            code="quantity_above_limit",
            limit=MAX_LINE_QUANTITY,
        )
    return number


def line_limit(per_buyer_limit: int | None) -> int:
    """The most units of a SKU one cart line may hold."""
    if per_buyer_limit is not None and per_buyer_limit > 0:
        return min(per_buyer_limit, MAX_LINE_QUANTITY)
    return MAX_LINE_QUANTITY


def above_limit(quantity: int, limit: int) -> ValidationFailed:
    return ValidationFailed(
        f"At most {limit} of this item per shopper.",
        field="quantity",
        code="quantity_above_limit",
        limit=limit,
        asked=quantity,
    )


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What a line's warnings are computed from, as read."""

    quantity: int
    price_seen_minor: int
    currency_seen: str
    price_minor: int
    currency: str
    sku_active: bool
    product_status: str
    shop_status: str
    available: int
    limit: int


def line_problems(facts: LineFacts) -> tuple[LineProblem, ...]:
    """The warnings of a line, most serious first."""
    problems: list[LineProblem] = []
    if not is_public(ListingStatus.LIVE, facts.shop_status):
        problems.append(LineProblem.SHOP_UNAVAILABLE)
    elif not (facts.sku_active and is_public(facts.product_status, facts.shop_status)):
        problems.append(LineProblem.UNAVAILABLE)
    if facts.available <= 0:
        problems.append(LineProblem.OUT_OF_STOCK)
    elif facts.available < facts.quantity:
        problems.append(LineProblem.NOT_ENOUGH_STOCK)
    if facts.quantity > facts.limit:
        problems.append(LineProblem.ABOVE_LIMIT)
    if (facts.price_minor, facts.currency) != (facts.price_seen_minor, facts.currency_seen):
        problems.append(LineProblem.PRICE_CHANGED)
    return tuple(problems)
