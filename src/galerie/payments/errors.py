"""Payment provider refusals, each with a stable code (the web layer maps them by class).

Any adapter of the PaymentProvider port raises these, so the payments domain handles one
set of errors whatever the provider."""

from __future__ import annotations

from galerie.kernel import Conflict, DomainError, NotFound, ValidationFailed


class WebhookRejected(DomainError):
    """A webhook that must change nothing: `code` says why (malformed_signature,
    stale_signature, bad_signature, malformed_event). Answer it with a 400."""

    default_code = "webhook_rejected"


class ProviderPaymentNotFound(NotFound):
    default_code = "provider_payment_not_found"


class CheckoutSessionNotFound(NotFound):
    default_code = "checkout_session_not_found"


class CheckoutSessionClosed(Conflict):
    """The hosted page was already paid, failed, abandoned or expired: nothing changed."""

    default_code = "checkout_session_closed"


class PaymentNotCaptured(Conflict):
    """Only a succeeded (captured) payment can be refunded."""

    default_code = "payment_not_captured"


class RefundExceedsCaptured(Conflict):
    """The refunds of a payment would add up to more than was captured: nothing changed."""

    default_code = "refund_exceeds_captured"


class ProviderIdempotencyConflict(Conflict):
    """The idempotency key was already used for a refund or payout with other values."""

    default_code = "provider_idempotency_key_reused"


class BadProviderAmount(ValidationFailed):
    """Amounts sent to a provider are positive, in the payment's currency."""

    default_code = "bad_provider_amount"


class GroupNotPayable(Conflict):
    """The payment group is paid, closed or cancelled, or past its pay-by time."""

    default_code = "payment_group_not_payable"


# --- refunds (payments/refunds.py) ---


class BadRefund(ValidationFailed):
    """A refund asked with a non-positive amount, a line of another order, an amount and a
    line together, or no reason: nothing changed."""

    default_code = "bad_refund"


class RefundExceedsPaid(Conflict):
    """The refund would take the order's refunds (or the line's) above what was paid for
    it: nothing changed."""

    default_code = "refund_exceeds_paid"


class RefundNotCovered(Conflict):
    """After release, the shop's payable and deposit together cannot cover the seller's
    part of the refund: nothing changed."""

    default_code = "refund_not_covered"


class OrderNotRefundable(Conflict):
    """The order holds no captured money (never paid through the provider)."""

    default_code = "order_not_refundable"


class RefundKeyReused(Conflict):
    """A refund was already made under this key for another order, line or amount."""

    default_code = "refund_key_reused"


class RefundNotFound(NotFound):
    default_code = "refund_not_found"
