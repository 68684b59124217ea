"""Fulfilment rules, pure: carrier codes and tracking numbers, quantities per line, the
automatic confirmation deadline and its one extension."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from galerie.kernel import Conflict, ValidationFailed

EXTENSION: Final = timedelta(days=5)
MAX_PARCEL_LINES: Final = 200
MAX_QUANTITY: Final = 100_000
_CARRIER = re.compile(r"^[a-z0-9][a-z0-9-]{1,29}$")
_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")


def carrier_of(value: object) -> str:
    code = str(value or "").strip().lower()
    if not _CARRIER.match(code):
        raise ValidationFailed(
            "A carrier code is 2 to 30 letters, digits or dashes.",
            field="carrier",
            code="bad_carrier",
        )
    return code


def tracking_number_of(value: object) -> str:
    number = str(value or "").strip().upper()
    if not _TRACKING.match(number):
        raise ValidationFailed(
            "A tracking number is 4 to 40 letters, digits or dashes.",
            field="tracking_number",
            code="bad_tracking_number",
        )
    return number


def parcel_quantities(wanted: Sequence[tuple[int, int]], left: Mapping[int, int]) -> dict[int, int]:
    """Order line id -> units for a parcel, checked against what is left to ship per line.
    Raises ValidationFailed (empty, unknown line, not a positive quantity, repeated line)
    or Conflict `over_shipment`."""
    if not wanted or len(wanted) > MAX_PARCEL_LINES:
        raise ValidationFailed("Ship at least one unit.", field="lines", code="empty_shipment")
    chosen: dict[int, int] = {}
    for line_id, quantity in wanted:
        if line_id not in left or line_id in chosen:
            raise ValidationFailed("Unknown order line.", field="lines", code="unknown_line")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ValidationFailed(
                "Quantities are whole numbers.", field="lines", code="bad_quantity"
            )
        if quantity == 0:
            continue
        if not 0 < quantity <= MAX_QUANTITY:
            raise ValidationFailed("Quantities are positive.", field="lines", code="bad_quantity")
        if quantity > left[line_id]:
            raise Conflict(
                "More units than the order has left to ship.",
                code="over_shipment",
                order_line_id=line_id,
                left=left[line_id],
            )
        chosen[line_id] = quantity
    if not chosen:
        raise ValidationFailed("Ship at least one unit.", field="lines", code="empty_shipment")
    return chosen


def confirm_by(shipped_at: datetime, auto_confirm_days: int) -> datetime:
    """The automatic confirmation deadline: the last shipment plus the method's days."""
    return shipped_at + timedelta(days=auto_confirm_days)


def may_extend(*, deadline: datetime, extended_at: datetime | None, now: datetime) -> bool:
    return extended_at is None and now < deadline
