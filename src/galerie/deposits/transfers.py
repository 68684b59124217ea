"""Deposits received outside the payment provider: finance records a bank transfer that
covers a shop's shortfall (CONSOLE_FINANCE, audited once). It replaces the sellers issue's
`deposit_paid` flag: the money is now journalled (provider clearing -> deposits held), so
publishing, the shop lists and the API all read one figure, the ledger's.

The entry's key is the shop and the deposit as it stands (`deposit-transfer:<shop>:<id of
the deposit account's latest journal line>`): two operators recording the same shortfall at
once post one entry, recording it again once covered changes nothing (DepositCovered), and
a shortfall after a deduction is a new one, whatever the balance."""

from __future__ import annotations

from datetime import datetime

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.deposits.errors import DepositCovered
from galerie.deposits.holding import receive_deposit, terms_of
from galerie.deposits.rules import transfer_key
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Money
from galerie.ledger import AccountKind, account_for, last_line_id

ACTION = "deposits.transfer.record"


async def record_deposit_transfer(
    db: Database, *, actor: Principal, shop_id: int, reference: str, now: datetime,
    audit: AuditContext,
) -> Money:  # fmt: skip
    """Record a bank transfer of the shop's whole shortfall; returns the amount posted.
    DepositCovered (nothing changes) when the deposit already covers the requirement."""
    context = await require_permission(
        db, actor=actor, permission=Permission.CONSOLE_FINANCE, audit=audit, action=ACTION,
        now=now, target_type="shop", target_id=shop_id,
    )  # fmt: skip
    async with db.transaction() as session:
        terms = await terms_of(session, shop_id)
        amount = terms.shortfall
        if amount.minor <= 0:
            raise DepositCovered()
        held = await account_for(
            session, kind=AccountKind.DEPOSITS_HELD, currency=amount.currency, now=now,
            owner_id=shop_id,
        )  # fmt: skip
        key = transfer_key(shop_id, await last_line_id(session, account_id=held.id))
        if not await receive_deposit(
            session, shop_id=shop_id, amount=amount, key=key,
            memo="deposit received by bank transfer", now=now, actor_user_id=actor.user_id,
        ):  # fmt: skip
            raise DepositCovered()
        record_audit(
            session, context=context, action=ACTION, now=now, target_type="shop",
            target_id=shop_id, reason=reference.strip()[:200] or None,
            details={"organisation_id": terms.organisation_id, "amount_minor": amount.minor,
                     "currency": amount.currency, "entry_key": key},
        )  # fmt: skip
        return amount
