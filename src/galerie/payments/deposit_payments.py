"""Paying a shop's deposit through the provider (galerie.deposits keeps the records and
moves the money; this module drives the provider, which lives at this layer).

`start_deposit_payment`: a seller who may publish the shop (SELLER_CATALOG_MANAGE in its
organisation) opens a checkout session for the shop's shortfall on the provider's hosted
page; its reference is `deposit:<shop id>`; a pending, unexpired one for the same amount is
reused. Their webhooks are applied by deposit_events.apply_deposit_event, the
branch apply_provider_event takes for those references, in the webhook's transaction."""

from __future__ import annotations

from datetime import datetime

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import (
    DepositCovered,
    ShopNotFound,
    add_deposit_payment,
    deposit_reference,
    open_deposit_payment,
)
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Conflict
from galerie.payments.port import PaymentProvider
from galerie.payments.services import StartedPayment
from galerie.sellers import ShopStatus, deposit_terms

ACTION = "deposits.payment.start"


async def start_deposit_payment(
    db: Database, provider: PaymentProvider, *, actor: Principal, shop_id: int,
    return_url: str, cancel_url: str, now: datetime, audit: AuditContext,
) -> StartedPayment:  # fmt: skip
    """The hosted page where the seller pays the shop's deposit shortfall. ShopNotFound for
    another organisation's shop; DepositCovered when nothing is owed."""
    async with db.reading() as session:
        terms = await deposit_terms(session, shop_id=shop_id)
    if terms is None or not (
        actor.is_operator
        or any(m.organisation_id == terms.organisation_id for m in actor.memberships)
    ):
        raise ShopNotFound()
    await require_permission(
        db, actor=actor, permission=Permission.SELLER_CATALOG_MANAGE,
        organisation_id=terms.organisation_id, audit=audit, action=ACTION, now=now,
        target_type="shop", target_id=shop_id,
    )  # fmt: skip
    if terms.status == ShopStatus.CLOSED.value:
        raise Conflict("This shop is closed.", code="shop_closed")
    amount = terms.shortfall
    if amount.minor <= 0:
        raise DepositCovered()
    reuse = await open_deposit_payment(db, shop_id=shop_id, amount=amount, now=now)
    if reuse is not None:
        return StartedPayment(reuse.deposit_payment_id, reuse.hosted_url, True)
    session_ = await provider.create_checkout_session(
        reference=deposit_reference(shop_id), amount=amount, return_url=return_url,
        cancel_url=cancel_url,
    )  # fmt: skip
    payment_id = await add_deposit_payment(
        db, shop_id=shop_id, organisation_id=terms.organisation_id, started_by=actor.user_id,
        provider=provider.name, provider_payment_id=session_.provider_payment_id,
        hosted_url=session_.url, expires_at=session_.expires_at, amount=amount, now=now,
    )  # fmt: skip
    return StartedPayment(payment_id, session_.url, False)
