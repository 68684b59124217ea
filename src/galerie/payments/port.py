"""The PaymentProvider port: what Galerie asks of a payment provider, whoever it is.

The shopper pays on the provider's hosted page (`create_checkout_session`); the outcome
arrives later as signed webhooks (`verify_webhook` turns the raw request into a
`ProviderEvent` or refuses it); refunds and payouts go through the same port, each with an
idempotency key so a retried call never moves money twice; `list_records` gives the
provider's own records for reconciliation. Amounts are `Money` (integer minor units).

Adapters: galerie.payments.sandbox (the built-in fake that behaves like a real provider).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from galerie.kernel import Money


class ProviderEventType(StrEnum):
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    REFUND_SUCCEEDED = "refund.succeeded"
    PAYOUT_PAID = "payout.paid"


class RecordKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"
    PAYOUT = "payout"


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    """Send the shopper to `url`; the provider's id of the payment is how its webhooks,
    refunds and records refer to it."""

    provider_payment_id: str
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ProviderRefund:
    refund_id: str
    provider_payment_id: str
    amount: Money
    idempotency_key: str
    replayed: bool  # the key was used before with the same values: nothing new happened


@dataclass(frozen=True, slots=True)
class ProviderPayout:
    payout_id: str
    destination: str
    amount: Money
    idempotency_key: str
    replayed: bool


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """One of the provider's records. `reference` is ours (payments), `payment_id` the
    refunded payment (refunds), `destination` the seller's account (payouts)."""

    kind: RecordKind
    record_id: str
    amount: Money
    status: str
    created_at: datetime
    reference: str | None = None
    payment_id: str | None = None
    destination: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A verified webhook. `event_id` is unique per event (deliveries repeat it: dedupe on
    it); `object_id` is the payment, refund or payout the event is about."""

    event_id: str
    type: ProviderEventType
    created_at: datetime
    object_id: str
    amount: Money
    reference: str | None = None
    payment_id: str | None = None
    destination: str | None = None


class PaymentProvider(Protocol):
    @property
    def name(self) -> str:
        """The provider's name as configured (GALERIE_PAYMENT_PROVIDER)."""
        ...

    async def create_checkout_session(
        self,
        *,
        reference: str,
        amount: Money,
        return_url: str,
        cancel_url: str,
        webhook_url: str | None = None,
    ) -> CheckoutSession:
        """A hosted payment page for `amount`; `reference` is ours (a payment group's
        payment) and comes back in the payment's webhooks and records."""
        ...

    async def refund(
        self, *, provider_payment_id: str, amount: Money, idempotency_key: str
    ) -> ProviderRefund:
        """Refund part or all of a captured payment; the refunds of one payment never add
        up to more than it captured (RefundExceedsCaptured)."""
        ...

    async def payout(
        self, *, destination: str, amount: Money, idempotency_key: str
    ) -> ProviderPayout:
        """Pay `amount` out to a seller's account; one payout per idempotency key."""
        ...

    async def list_records(
        self, *, created_from: datetime, created_to: datetime
    ) -> list[ProviderRecord]:
        """Every payment, refund and payout created in [created_from, created_to), oldest
        first, as the provider records them."""
        ...

    def verify_webhook(
        self, raw_body: bytes, headers: Mapping[str, str], *, now: datetime
    ) -> ProviderEvent:
        """The event of a webhook request, from its raw body and headers; WebhookRejected
        when the signature is missing, malformed, forged, or older than 300 seconds, or
        when the body is not an event."""
        ...
