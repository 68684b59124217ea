"""Fulfilment refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict, NotFound


class ParcelNotFound(NotFound):
    default_code = "parcel_not_found"


class DuplicateTrackingNumber(Conflict):
    """The carrier already has a parcel with this tracking number. Nothing changed."""

    default_code = "duplicate_tracking_number"


class ExtensionRefused(Conflict):
    """The confirmation deadline was already extended, has passed, or the order is not
    waiting for the buyer's confirmation. Nothing changed."""

    default_code = "extension_refused"
