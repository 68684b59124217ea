"""The hosted payment page's use cases: show a checkout session, and press one of its
buttons (pay, fail, abandon).

A button moves the session out of `open` with one conditional UPDATE (rules.TRANSITIONS;
a session past its expiry cannot move), records when, and queues the outcome's webhook in
the same transaction. Pressing the same button again (a double click, a refresh) finds the
session already in that state and changes nothing; another button is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import Money
from galerie.payments.errors import CheckoutSessionClosed, CheckoutSessionNotFound
from galerie.payments.sandbox.events import changed_rows, queue_event
from galerie.payments.sandbox.models import SandboxPayment
from galerie.payments.sandbox.rules import (
    MAX_TEXT,
    OUTCOME_EVENTS,
    OUTCOMES,
    HostedAction,
    SessionStatus,
    sources_of,
)


@dataclass(frozen=True, slots=True)
class HostedSession:
    session_token: str
    provider_payment_id: str
    reference: str
    amount: Money
    status: SessionStatus
    return_url: str
    cancel_url: str
    expires_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.status is SessionStatus.OPEN and now < self.expires_at

    @property
    def next_url(self) -> str:
        """Where the shopper goes once the page is done with."""
        return self.cancel_url if self.status is SessionStatus.ABANDONED else self.return_url


async def _read(session: AsyncSession, session_token: str) -> HostedSession:
    payment = (
        await session.scalar(
            select(SandboxPayment).where(SandboxPayment.session_token == session_token)
        )
        if 0 < len(session_token) <= MAX_TEXT
        else None
    )
    if payment is None:
        raise CheckoutSessionNotFound("No such payment page.")
    return HostedSession(
        session_token=payment.session_token, provider_payment_id=payment.provider_payment_id,
        reference=payment.reference, amount=Money(payment.amount_minor, payment.currency),
        status=SessionStatus(payment.status), return_url=payment.return_url,
        cancel_url=payment.cancel_url, expires_at=payment.expires_at,
    )  # fmt: skip


async def hosted_session(db: Database, *, session_token: str) -> HostedSession:
    async with db.reading() as session:
        return await _read(session, session_token)


async def complete_session(
    db: Database, *, session_token: str, action: HostedAction, now: datetime
) -> HostedSession:
    """Apply a button of the hosted page; returns the session in its new state."""
    target = OUTCOMES[action]
    async with db.transaction() as session:
        moved = await changed_rows(
            session,
            update(SandboxPayment)
            .where(
                SandboxPayment.session_token == session_token,
                SandboxPayment.status.in_(sources_of(target)),
                SandboxPayment.expires_at > now,
            )
            .values(status=target.value, completed_at=now)
            .execution_options(synchronize_session=False),
        )
        current = await _read(session, session_token)
        if not moved:
            if current.status is target:
                return current
            raise CheckoutSessionClosed("This payment page can no longer be used.")
        event_type = OUTCOME_EVENTS.get(target)
        if event_type is not None:
            await queue_event(session, event_type=event_type, data=_payment_data(current),
                              url=await _webhook_url(session, session_token), now=now)  # fmt: skip
        return current


def _payment_data(current: HostedSession) -> dict[str, object]:
    return {
        "object": "payment", "id": current.provider_payment_id, "reference": current.reference,
        "amount": current.amount.minor, "currency": current.amount.currency,
        "status": current.status.value,
    }  # fmt: skip


async def _webhook_url(session: AsyncSession, session_token: str) -> str:
    url = await session.scalar(
        select(SandboxPayment.webhook_url).where(SandboxPayment.session_token == session_token)
    )
    assert url is not None
    return url
