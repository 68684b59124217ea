"""apply_provider_event's branch for deposit payments (checkout sessions whose reference is
`deposit:<shop id>`): in the webhook's transaction, a success credits the shop's deposit
once (galerie.deposits.settle_deposit_payment), a failure closes the payment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.deposits import DEPOSIT_REFERENCE_PREFIX, settle_deposit_payment
from galerie.payments.port import ProviderEvent, ProviderEventType

SETTLING = (ProviderEventType.PAYMENT_SUCCEEDED, ProviderEventType.PAYMENT_FAILED)


def is_deposit_event(event: ProviderEvent) -> bool:
    return (event.reference or "").startswith(DEPOSIT_REFERENCE_PREFIX)


async def apply_deposit_event(session: AsyncSession, event: ProviderEvent, now: datetime) -> str:
    if event.type not in SETTLING:
        return "ignored"
    return await settle_deposit_payment(
        session, provider_payment_id=event.object_id,
        succeeded=event.type == ProviderEventType.PAYMENT_SUCCEEDED, captured=event.amount,
        now=now,
    )  # fmt: skip
