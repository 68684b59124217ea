"""Checkout refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict, ValidationFailed


class CheckoutBlocked(Conflict):
    """The checkout cannot be placed as quoted: the cart is empty, a line carries a blocking
    warning (`cart_has_problems`), a shop does not ship to the address
    (`does_not_ship_there`, `no_shipping_template`), no address was chosen
    (`address_required`) or the cart mixes currencies (`mixed_currencies`). The first
    blocker's code is the error's; every blocker is in `details["blockers"]`."""

    default_code = "checkout_blocked"


class UnknownShippingMethod(ValidationFailed):
    """The method chosen for a shop is not one of the shop's options for this address."""

    default_code = "shipping_method_unavailable"
