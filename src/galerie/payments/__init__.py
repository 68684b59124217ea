"""Payments: the PaymentProvider port, the errors every adapter raises, and paying a
payment group through it. Public surface.

    start_payment(db, provider, *, buyer_id, payment_group_id, return_url, cancel_url, now)
        -> StartedPayment (the hosted page to send the buyer to; a pending one is reused)
    apply_provider_event(db, *, provider, event, now) -> outcome
        a verified webhook's event, applied once: a payment succeeded pays the group
        (orders.mark_group_paid) in the same transaction; duplicates and reordered events
        change nothing; a wrong amount is flagged `amount_mismatch`; money for a group
        closed or already paid is `refund_due`.
    release_escrow(session, *, order_id, now) -> outcome
        a received order's escrow to its shop's payable minus the commission of each
        line's category (recorded on the line), once (`release:<order>`); run by the
        outbox handler `release_handler(clock)` on OrderStatusChanged to completed.
    payment_provider_for(settings, db, clock) -> the configured provider, or None

    finance_overview(db, *, currency, start, end) -> FinanceOverview
        the console's finance figures from the ledger (DayFigures, ShopFigures).

The built-in adapter is galerie.payments.sandbox (a fake of a real provider)."""

from galerie.payments.errors import (
    BadProviderAmount,
    CheckoutSessionClosed,
    CheckoutSessionNotFound,
    GroupNotPayable,
    PaymentNotCaptured,
    ProviderIdempotencyConflict,
    ProviderPaymentNotFound,
    RefundExceedsCaptured,
    WebhookRejected,
)
from galerie.payments.finance import DayFigures, FinanceOverview, ShopFigures, finance_overview
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
from galerie.payments.release import DEFAULT_COMMISSION_BP, release_escrow, release_handler
from galerie.payments.services import StartedPayment, apply_provider_event, start_payment

__all__ = [
    "DEFAULT_COMMISSION_BP",
    "BadProviderAmount",
    "CheckoutSession",
    "CheckoutSessionClosed",
    "CheckoutSessionNotFound",
    "DayFigures",
    "FinanceOverview",
    "GroupNotPayable",
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
    "RefundExceedsCaptured",
    "ShopFigures",
    "StartedPayment",
    "WebhookRejected",
    "apply_provider_event",
    "finance_overview",
    "payment_provider_for",
    "release_escrow",
    "release_handler",
    "start_payment",
]
