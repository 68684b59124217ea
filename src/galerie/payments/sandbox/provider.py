"""The sandbox provider: the PaymentProvider port played by a fake of a real provider that
ships in src/ (ARCHITECTURE.md, habit 7), with its own tables, its hosted payment page
(galerie.web.sandbox_pay) and its signed webhooks (delivery.SandboxWebhookSender).

Each call is one transaction of the sandbox's own. A refund raises the payment's refunded
total with one conditional UPDATE (`refunded_minor + amount <= amount_minor`), so however
many refunds race, their total never exceeds what was captured; refunds and payouts are
unique by idempotency key (INSERT ... ON CONFLICT DO NOTHING, then the stored one is
replayed, or refused if its values differ)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import Clock, Money
from galerie.payments.errors import (
    BadProviderAmount,
    PaymentNotCaptured,
    ProviderIdempotencyConflict,
    ProviderPaymentNotFound,
    RefundExceedsCaptured,
)
from galerie.payments.port import (
    CheckoutSession,
    ProviderEvent,
    ProviderEventType,
    ProviderPayout,
    ProviderRecord,
    ProviderRefund,
)
from galerie.payments.sandbox.events import changed_rows, insert_once, queue_event
from galerie.payments.sandbox.models import SandboxPayment, SandboxPayout, SandboxRefund
from galerie.payments.sandbox.records import list_records
from galerie.payments.sandbox.rules import (
    NAME,
    SESSION_LIFE,
    SessionStatus,
    clean_text,
    clean_url,
    new_id,
    parse_event,
)
from galerie.payments.sandbox.signing import SIGNATURE_HEADER, header_of, verify_signature

PAGE_PATH = "/sandbox/pay/"


def _positive(amount: Money) -> Money:
    if amount.minor <= 0:
        raise BadProviderAmount("A provider amount is positive.", field="amount")
    return amount


class SandboxProvider:
    """`page_base_url` is where the hosted page is served (the app's base URL);
    `webhook_url` is the account's endpoint, used for payouts and when a checkout names
    none; `webhook_secret` signs every webhook and verifies them on our side."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        webhook_secret: str,
        page_base_url: str,
        webhook_url: str,
    ) -> None:
        if not webhook_secret:
            raise ValueError("the sandbox needs a webhook secret")
        self._db, self._clock, self._secret = db, clock, webhook_secret
        self.page_base_url = page_base_url.rstrip("/")
        self.webhook_url = webhook_url

    @property
    def name(self) -> str:
        return NAME

    async def create_checkout_session(
        self,
        *,
        reference: str,
        amount: Money,
        return_url: str,
        cancel_url: str,
        webhook_url: str | None = None,
    ) -> CheckoutSession:
        now = self._clock.now()
        payment = SandboxPayment(
            provider_payment_id=new_id("sbpay"), session_token=new_id("sbcs"),
            reference=clean_text(reference, "reference"), amount_minor=_positive(amount).minor,
            refunded_minor=0, currency=amount.currency, status=SessionStatus.OPEN.value,
            return_url=clean_url(return_url, "return_url"),
            cancel_url=clean_url(cancel_url, "cancel_url"),
            webhook_url=clean_url(webhook_url or self.webhook_url, "webhook_url"),
            created_at=now, expires_at=now + SESSION_LIFE,
        )  # fmt: skip
        async with self._db.transaction() as session:
            session.add(payment)
        return CheckoutSession(
            provider_payment_id=payment.provider_payment_id,
            url=f"{self.page_base_url}{PAGE_PATH}{payment.session_token}",
            expires_at=payment.expires_at,
        )

    async def refund(
        self, *, provider_payment_id: str, amount: Money, idempotency_key: str
    ) -> ProviderRefund:
        key = clean_text(idempotency_key, "idempotency_key")
        now = self._clock.now()
        async with self._db.transaction() as session:
            payment = await _payment(session, provider_payment_id)
            if amount.currency != payment.currency:
                raise BadProviderAmount("Refund in the payment's currency.", field="amount")
            refund_id = new_id("sbre")
            values = {
                "refund_id": refund_id, "payment_id": payment.id, "idempotency_key": key,
                "amount_minor": _positive(amount).minor, "currency": amount.currency,
                "created_at": now,
            }  # fmt: skip
            if not await insert_once(session, SandboxRefund, values, "idempotency_key"):
                return await _replayed_refund(session, key, payment, amount)
            await _raise_refunded(session, payment, amount)
            await queue_event(
                session, event_type=ProviderEventType.REFUND_SUCCEEDED,
                data={"object": "refund", "id": refund_id, "payment": payment.provider_payment_id,
                      "reference": payment.reference, "amount": amount.minor,
                      "currency": amount.currency},
                url=payment.webhook_url, now=now,
            )  # fmt: skip
        return ProviderRefund(refund_id, payment.provider_payment_id, amount, key, replayed=False)

    async def payout(
        self, *, destination: str, amount: Money, idempotency_key: str
    ) -> ProviderPayout:
        key = clean_text(idempotency_key, "idempotency_key")
        destination = clean_text(destination, "destination")
        now = self._clock.now()
        payout_id = new_id("sbpo")
        values = {
            "payout_id": payout_id, "destination": destination, "idempotency_key": key,
            "amount_minor": _positive(amount).minor, "currency": amount.currency,
            "created_at": now,
        }  # fmt: skip
        async with self._db.transaction() as session:
            if not await insert_once(session, SandboxPayout, values, "idempotency_key"):
                return await _replayed_payout(session, key, destination, amount)
            await queue_event(
                session, event_type=ProviderEventType.PAYOUT_PAID,
                data={"object": "payout", "id": payout_id, "destination": destination,
                      "amount": amount.minor, "currency": amount.currency},
                url=self.webhook_url, now=now,
            )  # fmt: skip
        return ProviderPayout(payout_id, destination, amount, key, replayed=False)

    async def list_records(
        self, *, created_from: datetime, created_to: datetime
    ) -> list[ProviderRecord]:
        async with self._db.reading() as session:
            return await list_records(session, created_from=created_from, created_to=created_to)

    def verify_webhook(
        self, raw_body: bytes, headers: Mapping[str, str], *, now: datetime
    ) -> ProviderEvent:
        verify_signature(self._secret, header_of(headers, SIGNATURE_HEADER), raw_body, now=now)
        return parse_event(raw_body)


async def _payment(session: AsyncSession, provider_payment_id: str) -> Any:
    row = (
        await session.execute(
            select(
                SandboxPayment.id, SandboxPayment.provider_payment_id, SandboxPayment.currency,
                SandboxPayment.reference, SandboxPayment.webhook_url,
            ).where(SandboxPayment.provider_payment_id == provider_payment_id)
        )
    ).first()  # fmt: skip
    if row is None:
        raise ProviderPaymentNotFound("No such payment at the provider.")
    return row


async def _raise_refunded(session: AsyncSession, payment: Any, amount: Money) -> None:
    """The one conditional UPDATE that keeps refunds within the captured amount."""
    raised = await changed_rows(
        session,
        update(SandboxPayment)
        .where(
            SandboxPayment.id == payment.id,
            SandboxPayment.status == SessionStatus.SUCCEEDED.value,
            SandboxPayment.refunded_minor + amount.minor <= SandboxPayment.amount_minor,
        )
        .values(refunded_minor=SandboxPayment.refunded_minor + amount.minor)
        .execution_options(synchronize_session=False),
    )
    if raised == 1:
        return
    status, captured, refunded = (
        await session.execute(
            select(
                SandboxPayment.status, SandboxPayment.amount_minor, SandboxPayment.refunded_minor
            ).where(SandboxPayment.id == payment.id)
        )
    ).one()
    if status != SessionStatus.SUCCEEDED.value:
        raise PaymentNotCaptured("Only a succeeded payment can be refunded.")
    raise RefundExceedsCaptured(
        "The refunds would exceed the captured amount.", captured=captured, refunded=refunded
    )


async def _replayed_refund(
    session: AsyncSession, key: str, payment: Any, amount: Money
) -> ProviderRefund:
    stored = await session.scalar(select(SandboxRefund).where(SandboxRefund.idempotency_key == key))
    if stored is None or (stored.payment_id, stored.amount_minor, stored.currency) != (
        payment.id, amount.minor, amount.currency,
    ):  # fmt: skip
        raise ProviderIdempotencyConflict("This idempotency key was used for another refund.")
    return ProviderRefund(stored.refund_id, payment.provider_payment_id, amount, key, replayed=True)


async def _replayed_payout(
    session: AsyncSession, key: str, destination: str, amount: Money
) -> ProviderPayout:
    stored = await session.scalar(select(SandboxPayout).where(SandboxPayout.idempotency_key == key))
    if stored is None or (stored.destination, stored.amount_minor, stored.currency) != (
        destination, amount.minor, amount.currency,
    ):  # fmt: skip
        raise ProviderIdempotencyConflict("This idempotency key was used for another payout.")
    return ProviderPayout(stored.payout_id, destination, amount, key, replayed=True)
