"""Orders refusals, each with a stable code (the web layer maps them by class)."""

from __future__ import annotations

from galerie.kernel import Conflict, NotFound, ValidationFailed


class OrderNotFound(NotFound):
    """No such order, or not one the caller may see (the same answer either way)."""

    default_code = "order_not_found"


class PaymentGroupNotFound(NotFound):
    default_code = "payment_group_not_found"


class ItemUnavailable(Conflict):
    """A SKU is unknown, inactive, or its product is not live. Nothing changed."""

    default_code = "item_unavailable"


class ShopUnavailable(Conflict):
    """The SKU's shop is not live (preparing, suspended or closed). Nothing changed."""

    default_code = "shop_unavailable"


class MixedCurrencies(ValidationFailed):
    """One checkout, one currency: items (and shipping fees) priced in another refuse it."""

    default_code = "mixed_currencies"


class PerBuyerLimitExceeded(Conflict):
    """The buyer's open orders plus this one would hold more of a SKU than its limit."""

    default_code = "per_buyer_limit_exceeded"


class TransitionNotAllowed(Conflict):
    """The order's state machine has no such step from its current status, or this actor
    may not take it."""

    default_code = "transition_not_allowed"


class StaleState(Conflict):
    """Someone changed the order first (the conditional update matched nothing)."""

    default_code = "stale_state"


class IdempotencyKeyReused(ValidationFailed):
    """The key was already used with a different request body."""

    default_code = "idempotency_key_reused"


class IdempotencyInProgress(Conflict):
    """A request with this key is still running; retry once it has finished."""

    default_code = "idempotency_in_progress"
