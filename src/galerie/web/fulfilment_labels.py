"""Words the order and fulfilment pages share (the buyer's account, the seller centre, the
console): order and payment group statuses, parcel statuses, tracking events and the
messages of refusals, by stable code. Every page names a status with these, nowhere else."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_, gettext

# The one wording of order statuses: the buyer's pages, the seller centre and the console.
ORDER_STATUS_LABELS: Final[dict[str, str]] = {
    "awaiting_payment": N_("Awaiting payment"),
    "paid": N_("Paid, to ship"),
    "partly_shipped": N_("Partly shipped"),
    "shipped": N_("Shipped, awaiting receipt"),
    "completed": N_("Received"),
    "closed": N_("Closed unpaid"),
    "cancelled": N_("Cancelled"),
}
# A payment group (a buyer's checkout) in the same words where they mean the same.
GROUP_STATUS_LABELS: Final[dict[str, str]] = {
    "awaiting_payment": ORDER_STATUS_LABELS["awaiting_payment"],
    "paid": N_("Paid"),
    "closed": ORDER_STATUS_LABELS["closed"],
    "cancelled": ORDER_STATUS_LABELS["cancelled"],
}
PARCEL_STATUS_LABELS: Final[dict[str, str]] = {
    "shipped": N_("On its way"),
    "delivered": N_("Delivered"),
}
TRACKING_LABELS: Final[dict[str, str]] = {
    "picked_up": N_("Picked up by the carrier"),
    "in_transit": N_("In transit"),
    "out_for_delivery": N_("Out for delivery"),
    "delivered": N_("Delivered"),
}
REFUSALS: Final[dict[str, str]] = {
    "over_shipment": N_("More units than the order has left to ship."),
    "empty_shipment": N_("Ship at least one unit."),
    "bad_quantity": N_("Quantities are whole numbers, zero or more."),
    "unknown_line": N_("Unknown order line."),
    "wrong_warehouse": N_("These units are held in another warehouse."),
    "several_warehouses": N_("A parcel ships from one warehouse: choose its lines."),
    "bad_carrier": N_("A carrier code is 2 to 30 letters, digits or dashes."),
    "bad_tracking_number": N_("A tracking number is 4 to 40 letters, digits or dashes."),
    "tracking_number_required": N_("Enter the tracking number this carrier gave you."),
    "duplicate_tracking_number": N_("This carrier already has a parcel with this tracking number."),
    "transition_not_allowed": N_("This order cannot do that in its current state."),
    "stale_state": N_("Someone else changed this order first; reload and retry."),
    "extension_refused": N_("The confirmation deadline can be extended once, before it passes."),
    "order_not_found": N_("No such order in this shop."),
    "bad_warehouse": N_("A warehouse is its number."),
    "insufficient_stock": N_("Not enough committed stock in this warehouse."),
    "file_too_large": N_("The file is too large."),
    "bad_file": N_("The file is not UTF-8 text."),
    "missing_columns": N_("The header needs order_number, carrier and tracking_number."),
    "too_many_rows": N_("Too many rows."),
}
FALLBACK: Final = N_("This request was refused.")


def refusal_text(error: DomainError) -> str:
    """The refusal in the page's language."""
    return gettext(REFUSALS.get(error.code, FALLBACK))


def code_text(code: str | None) -> str:
    return gettext(REFUSALS.get(code or "", FALLBACK))


_ADDRESS_ORDER: Final = (
    "name", "recipient", "phone", "line", "line1", "line2", "district", "city", "province",
    "postcode", "country",
)  # fmt: skip


def address_lines(address: dict[str, object]) -> list[str]:
    """A delivery address as printed on a label: the recipient first, the country last."""
    known = [k for k in _ADDRESS_ORDER if k in address]
    rest = sorted(k for k in address if k not in _ADDRESS_ORDER)
    return [str(address[k]) for k in known + rest if str(address[k] or "").strip()]
