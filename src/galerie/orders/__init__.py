"""Orders: payment groups, shop orders, their lines and status history, idempotency keys.
Public surface.

Placing (inside the caller's transaction, never commits):
    place_order(session, *, buyer_id, lines=[(sku_id, quantity)], shipping={shop_id:
    ShippingChoice(method_code, fee: Money, auto_confirm_days)}, address={...}, now,
    pay_within=30 min) -> PlacedGroup
        Prices from the catalog (never the client's), live products of live shops only,
        one currency, per-buyer limits against the buyer's open orders, stock reserved per
        SKU; one payment group, one order per shop, lines, history, OrderPlaced per order.
        Any refusal (ValidationFailed, ItemUnavailable, ShopUnavailable, MixedCurrencies,
        PerBuyerLimitExceeded, inventory's InsufficientStock) rolls back the whole checkout.
    place_order_once(db, *, idempotency_key, buyer_id, ...) -> StoredResponse(201, body)
        The same in its own transaction, once per (buyer, Idempotency-Key): replays the
        stored response; IdempotencyKeyReused (different body), IdempotencyInProgress.
    run_once(db, *, scope, key, request, now, work) / purge_idempotency_keys(db, *, now)
        The idempotency service itself, for other requests that must run once (payments).

After placement:
    mark_group_paid(session, *, payment_group_id, now)   every unpaid order -> paid,
        reservations committed; idempotent (the payments domain calls it).
    cancel_order(db, *, order_id, actor, reason, now)    before shipment; stock released.
    close_unpaid_groups(db, *, now) -> int               the timer: past pay-by, unpaid
        groups close with their orders, stock released; running twice closes once.
    ship_units(session, *, order_id, quantities, actor, now)   units shipped: paid ->
        partly_shipped -> shipped, inside the caller's transaction; only the fulfilment
        domain calls it (it adds the parcel and the receipt timer).
    transition(session, order_id, to, *, reason, actor, now)   the one status changer
        (states.TRANSITIONS is the machine, as data); refusals: TransitionNotAllowed
        (`transition_not_allowed`), StaleState, OrderNotFound.

Reads: buyer_payment_groups, buyer_payment_group, seller_orders (OrderFilter), order_detail (guarded by
ownership: buyer, the shop's seller, operators; others get OrderNotFound).

Actors: Actor.buyer(user_id), Actor.seller(user_id, shop_id), Actor.operator(user_id),
Actor.system(). The web layer establishes which shop a seller acts for."""

from galerie.orders.checkout import checkout_request, place_order_once, placed_body
from galerie.orders.errors import (
    IdempotencyInProgress,
    IdempotencyKeyReused,
    ItemUnavailable,
    MixedCurrencies,
    OrderNotFound,
    PaymentGroupNotFound,
    PerBuyerLimitExceeded,
    ShopUnavailable,
    StaleState,
    TransitionNotAllowed,
)
from galerie.orders.events import OrderPlaced, OrderStatusChanged
from galerie.orders.idempotency import (
    KEEP_FOR,
    StoredResponse,
    fingerprint_of,
    purge_idempotency_keys,
    run_once,
)
from galerie.orders.lifecycle import cancel_order, close_unpaid_groups, mark_group_paid
from galerie.orders.machine import Moved, transition
from galerie.orders.offers import Offer
from galerie.orders.one_statement import IdsAhead, ids_ahead
from galerie.orders.placing import (
    DEFAULT_PAY_WITHIN,
    PlacedGroup,
    PlacedLine,
    PlacedOrder,
    place_order,
)
from galerie.orders.queries import (
    GroupView,
    HistoryView,
    LineView,
    OrderDetail,
    OrderFilter,
    OrderSummary,
    buyer_payment_group,
    buyer_payment_groups,
    order_detail,
    seller_orders,
)
from galerie.orders.rules import ShippingChoice
from galerie.orders.shipments import ship_units
from galerie.orders.states import (
    TRANSITIONS,
    Actor,
    ActorKind,
    GroupStatus,
    OrderStatus,
)

__all__ = [
    "DEFAULT_PAY_WITHIN",
    "KEEP_FOR",
    "TRANSITIONS",
    "Actor",
    "ActorKind",
    "GroupStatus",
    "GroupView",
    "HistoryView",
    "IdempotencyInProgress",
    "IdempotencyKeyReused",
    "IdsAhead",
    "ItemUnavailable",
    "LineView",
    "MixedCurrencies",
    "Moved",
    "Offer",
    "OrderDetail",
    "OrderFilter",
    "OrderNotFound",
    "OrderPlaced",
    "OrderStatus",
    "OrderStatusChanged",
    "OrderSummary",
    "PaymentGroupNotFound",
    "PerBuyerLimitExceeded",
    "PlacedGroup",
    "PlacedLine",
    "PlacedOrder",
    "ShippingChoice",
    "ShopUnavailable",
    "StaleState",
    "StoredResponse",
    "TransitionNotAllowed",
    "buyer_payment_group",
    "buyer_payment_groups",
    "cancel_order",
    "checkout_request",
    "close_unpaid_groups",
    "fingerprint_of",
    "ids_ahead",
    "mark_group_paid",
    "order_detail",
    "place_order",
    "place_order_once",
    "placed_body",
    "purge_idempotency_keys",
    "run_once",
    "seller_orders",
    "ship_units",
    "transition",
]
