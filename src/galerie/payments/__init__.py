"""Payments: the PaymentProvider port, the errors every adapter raises, and paying a
payment group through it. Public surface.

    start_payment(db, provider, *, buyer_id, payment_group_id, return_url, cancel_url, now)
        -> StartedPayment (the hosted page to send the buyer to; a pending one is reused)
    apply_provider_event(db, *, provider, event, now) -> outcome
        a verified webhook's event, applied once: a payment succeeded pays the group
        (orders.paying, one raw transaction: payments.capture); duplicates and reordered events
        change nothing; a wrong amount is flagged `amount_mismatch`; money for a group
        closed or already paid is `refund_due`.
    release_escrow(session, *, order_id, now) -> outcome
        a received order's escrow to its shop's payable minus the commission of each
        line's category (recorded on the line), once (`release:<order>`); run by the
        outbox handler `release_handler(clock)` on OrderStatusChanged to completed.
    payment_provider_for(settings, db, clock) -> the configured provider, or None
    start_deposit_payment(db, provider, *, actor, shop_id, return_url, cancel_url, now, audit)
        -> StartedPayment (a seller pays its shop's deposit shortfall on the hosted page;
        the webhook credits the deposit once, `deposit:<payment>`, galerie.deposits)

    finance_overview(db, *, currency, start, end) -> FinanceOverview
        the console's finance figures from the ledger (DayFigures, ShopFigures).
Refunds (refunds.py, refund_sending.py, holds.py, refund_handlers.py; ADR 0014):
    refund_order(session, *, order_id, reason, key, now, amount=None, line_id=None, audit=None)
        -> RecordedRefund: all that remains, `amount` of the goods, or all or `amount` of one
        line; before release out of escrow, after release clawed back from the shop's
        payable then deposit with the commission returned; never more than paid (conditional
        UPDATEs); recorded `pending`, journalled `refund:<key>`, audited; a replay by key
        writes nothing. In the caller's transaction.
    refund_shop_order(db, provider, *, ...) -> RecordedRefund: the use case: refund_order,
        commit, then send_refund.
    send_refund(db, provider, *, refund_id, now) / send_pending_refunds(db, provider, *, now)
        the provider asked with the refund's idempotency key; `succeeded` journals
        `refund-paid:<key>`; the timer retries pending ones.
    hold_release / lift_release_hold(session, *, order_id, reason, now): a release hold
        pauses release_escrow (`on_hold`); lifting the last one of a completed order
        releases it.
    cancellation_refund_handler(clock): OrderStatusChanged paid -> cancelled refunds in full.

The built-in adapter is galerie.payments.sandbox (a fake of a real provider)."""

from galerie.payments.deposit_payments import start_deposit_payment
from galerie.payments.errors import (
    BadProviderAmount,
    BadRefund,
    CheckoutSessionClosed,
    CheckoutSessionNotFound,
    GroupNotPayable,
    OrderNotRefundable,
    PaymentNotCaptured,
    ProviderIdempotencyConflict,
    ProviderPaymentNotFound,
    RefundExceedsCaptured,
    RefundExceedsPaid,
    RefundKeyReused,
    RefundNotCovered,
    RefundNotFound,
    WebhookRejected,
)
from galerie.payments.finance import DayFigures, FinanceOverview, ShopFigures, finance_overview
from galerie.payments.holds import hold_release, lift_release_hold, open_holds
from galerie.payments.port import (
    CheckoutSession,
    PaymentProvider,
    ProviderEvent,
    ProviderEventType,
    ProviderPayout,
    ProviderRecord,
    ProviderRefund,
    RecordKind,
)
from galerie.payments.providers import payment_provider_for
from galerie.payments.refund_handlers import cancellation_refund_handler, refunds_cancellation
from galerie.payments.refund_sending import (
    apply_refund_event,
    refund_shop_order,
    send_pending_refunds,
    send_refund,
    settle_refund,
)
from galerie.payments.refunds import RecordedRefund, refund_order
from galerie.payments.release import (
    DEFAULT_COMMISSION_BP,
    release_escrow,
    release_handler,
    releases_escrow,
)
from galerie.payments.services import StartedPayment, apply_provider_event, start_payment

__all__ = [
    "DEFAULT_COMMISSION_BP",
    "BadProviderAmount",
    # --- refunds and release holds ---
    "BadRefund",
    "CheckoutSession",
    "CheckoutSessionClosed",
    "CheckoutSessionNotFound",
    "DayFigures",
    "FinanceOverview",
    "GroupNotPayable",
    "OrderNotRefundable",
    "PaymentNotCaptured",
    "PaymentProvider",
    "ProviderEvent",
    "ProviderEventType",
    "ProviderIdempotencyConflict",
    "ProviderPaymentNotFound",
    "ProviderPayout",
    "ProviderRecord",
    "ProviderRefund",
    "RecordKind",
    "RecordedRefund",
    "RefundExceedsCaptured",
    "RefundExceedsPaid",
    "RefundKeyReused",
    "RefundNotCovered",
    "RefundNotFound",
    "ShopFigures",
    "StartedPayment",
    "WebhookRejected",
    "apply_provider_event",
    "apply_refund_event",
    "cancellation_refund_handler",
    "finance_overview",
    "hold_release",
    "lift_release_hold",
    "open_holds",
    "payment_provider_for",
    "refund_order",
    "refund_shop_order",
    "refunds_cancellation",
    "release_escrow",
    "release_handler",
    "releases_escrow",
    "send_pending_refunds",
    "send_refund",
    "settle_refund",
    "start_deposit_payment",
    "start_payment",
]
