"""Cart: one cart per shopper (a guest's too, known by the digest of its cookie's token),
its lines grouped by shop with warnings computed on read, and shoppers' saved addresses.
Public surface.

Use cases: add_to_cart, set_line_quantity, remove_cart_line, remove_ordered_lines and
forget_ordered_lines (in the checkout's transaction), merge_guest_cart (on sign-in), purge_guest_carts (a timer's);
add_address, update_address, set_default_address, delete_address.
Reads: cart_view / read_cart (one statement), read_items (the same view of items not in a
cart: buy now), shopper_addresses, shopper_address."""

from galerie.cart.addresses import (
    ADDRESS_COLUMNS,
    MAX_ADDRESSES,
    AddressForm,
    AddressView,
    add_address,
    address_not_found,
    address_of,
    delete_address,
    set_default_address,
    shopper_address,
    shopper_addresses,
    update_address,
)
from galerie.cart.models import MAX_LINE_QUANTITY
from galerie.cart.owners import CartOwner, new_guest_token
from galerie.cart.queries import (
    CartLineView,
    CartView,
    LineImage,
    ShopGroup,
    cart_view,
    read_cart,
    read_items,
)
from galerie.cart.rules import BLOCKING, MAX_LINES, LineProblem, line_limit, quantity_of
from galerie.cart.services import (
    add_to_cart,
    forget_ordered_lines,
    merge_guest_cart,
    purge_guest_carts,
    remove_cart_line,
    remove_ordered_lines,
    set_line_quantity,
)

__all__ = [
    "ADDRESS_COLUMNS",
    "BLOCKING",
    "MAX_ADDRESSES",
    "MAX_LINES",
    "MAX_LINE_QUANTITY",
    "AddressForm",
    "AddressView",
    "CartLineView",
    "CartOwner",
    "CartView",
    "LineImage",
    "LineProblem",
    "ShopGroup",
    "add_address",
    "add_to_cart",
    "address_not_found",
    "address_of",
    "cart_view",
    "delete_address",
    "forget_ordered_lines",
    "line_limit",
    "merge_guest_cart",
    "new_guest_token",
    "purge_guest_carts",
    "quantity_of",
    "read_cart",
    "read_items",
    "remove_cart_line",
    "remove_ordered_lines",
    "set_default_address",
    "set_line_quantity",
    "shopper_address",
    "shopper_addresses",
    "update_address",
]
