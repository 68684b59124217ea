"""Payouts: a shop's seller payable paid to its bank account through the provider's port.

Three steps, each one transaction, each safe to repeat:
1. `_reserve`: the payout row (unique business key) and the entry `payout:<id>` (seller
   payable -> payouts in transit) together. The ledger's conditional UPDATE refuses to take
   the payable below zero, so however many requests race, their total never exceeds the
   balance; a refused one leaves nothing (PayoutExceedsBalance).
2. `_send`: the provider's payout under the payout's key as idempotency key (a retry pays
   once); accepted -> `sent` with the provider's id; refused (a DomainError) -> `failed`
   and the reversing entry `payout-failed:<id>` gives the money back to the payable. Any
   other error (the provider unreachable) leaves it `requested`: `send_requested_payouts`
   (the payout run) tries again under the same key.
3. `confirm_payout`: the provider's `payout.paid` -> `paid` and `payout-paid:<id>` (payouts
   in transit -> provider clearing), once: the status moves by a conditional UPDATE and the
   entry has its key."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, Outcome, record_audit
from galerie.db import Database
from galerie.kernel import DomainError, Money
from galerie.ledger import (
    AccountKind,
    BalanceWouldGoNegative,
    account_for,
    credit,
    debit,
    find_entry,
    post_entry,
    reverse_entry,
)
from galerie.payments import PaymentProvider, ProviderEvent, ProviderEventType
from galerie.sellers.models import SellerApplication, Shop
from galerie.settlement.balance import available_payable, fees_owed
from galerie.settlement.errors import (
    BadPayoutAmount,
    NoPayoutDestination,
    PayoutExceedsBalance,
    PayoutNotFound,
)
from galerie.settlement.models import Payout
from galerie.settlement.rules import PayoutStatus, payout_key_for_request, sources_of

log = logging.getLogger("galerie.settlement.payouts")
PAYOUT_ACTION = "settlement.payout.request"


@dataclass(frozen=True, slots=True)
class PayoutView:
    id: int
    shop_id: int
    run_id: int | None
    key: str
    amount: Money
    status: PayoutStatus
    provider_payout_id: str | None
    failure: str | None
    created_at: datetime


def view_of(row: Payout) -> PayoutView:
    return PayoutView(
        id=row.id, shop_id=row.shop_id, run_id=row.run_id, key=row.key,
        amount=Money(row.amount_minor, row.currency), status=PayoutStatus(row.status),
        provider_payout_id=row.provider_payout_id, failure=row.failure,
        created_at=row.created_at,
    )  # fmt: skip


async def destination_of(session: AsyncSession, shop_id: int) -> str | None:
    """The shop's bank account (from the application that opened it)."""
    found = await session.scalar(
        select(SellerApplication.bank_account_number)
        .join(Shop, Shop.application_id == SellerApplication.id)
        .where(Shop.id == shop_id)
    )
    return str(found) if found else None


async def _insert_payout(session: AsyncSession, values: dict[str, object]) -> int | None:
    """Insert a payout unless its key exists; its id, or None when it existed."""
    dialect = (await session.connection()).dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    inserted = await session.scalar(
        maker(Payout).values(**values).on_conflict_do_nothing(index_elements=["key"])
        .returning(Payout.id)
    )  # fmt: skip
    return None if inserted is None else int(inserted)


async def reserve_payout(
    session: AsyncSession,
    *,
    shop_id: int,
    amount: Money,
    key: str,
    provider: str,
    now: datetime,
    run_id: int | None = None,
    requested_by: int | None = None,
) -> PayoutView | None:
    """In the caller's transaction: the payout row and its entry, or None when a payout
    under `key` exists already (nothing written). PayoutExceedsBalance or
    NoPayoutDestination having written nothing (the caller's transaction rolls back)."""
    if amount.minor <= 0:
        raise BadPayoutAmount("A payout is a positive amount.", field="amount")
    destination = await destination_of(session, shop_id)
    if destination is None:
        raise NoPayoutDestination("This shop has no bank account to pay to.", shop_id=shop_id)
    payout_id = await _insert_payout(session, {
        "shop_id": shop_id, "run_id": run_id, "key": key, "amount_minor": amount.minor,
        "currency": amount.currency, "status": PayoutStatus.REQUESTED.value,
        "destination": destination, "provider": provider, "requested_by": requested_by,
        "created_at": now, "updated_at": now,
    })  # fmt: skip
    if payout_id is None:
        return None
    if run_id is None:  # a seller's request leaves what the shop owes of its annual fees
        owed = await fees_owed(session, shop_id=shop_id, currency=amount.currency)
        left = await available_payable(session, shop_id=shop_id, currency=amount.currency)
        if amount > left - owed:
            raise PayoutExceedsBalance(
                "The payout is above the available balance.", available=(left - owed).minor
            )
    payable = await account_for(
        session, kind=AccountKind.SELLER_PAYABLE, currency=amount.currency, owner_id=shop_id,
        now=now,
    )  # fmt: skip
    transit = await account_for(
        session, kind=AccountKind.PAYOUTS_IN_TRANSIT, currency=amount.currency, now=now
    )
    try:
        await post_entry(
            session, key=f"payout:{payout_id}", memo=f"payout {payout_id} requested", now=now,
            lines=[debit(payable.id, amount), credit(transit.id, amount)],
        )  # fmt: skip
    except BalanceWouldGoNegative as exc:
        raise PayoutExceedsBalance(
            "The payout is above the available balance.", available=exc.details.get("balance")
        ) from None
    row = await session.get(Payout, payout_id)
    assert row is not None
    return view_of(row)


async def request_payout(
    db: Database,
    provider: PaymentProvider,
    *,
    shop_id: int,
    amount: Money,
    now: datetime,
    token: str | None = None,
    requested_by: int | None = None,
    audit: AuditContext | None = None,
) -> PayoutView:
    """A seller's payout of `amount` (at most the available payable), sent at once. The
    same `token` (a form's) pays once: a repeat answers the payout already made. With an
    `audit` context, one audit record `settlement.payout.request` (succeeded, in the same
    transaction, or refused)."""
    key = payout_key_for_request(shop_id, token or secrets.token_hex(12))
    try:
        async with db.transaction() as session:
            made = await reserve_payout(
                session, shop_id=shop_id, amount=amount, key=key, provider=provider.name,
                now=now, requested_by=requested_by,
            )  # fmt: skip
            if audit is not None and made is not None:
                record_audit(
                    session, context=audit, action=PAYOUT_ACTION, now=now,
                    target_type="payout", target_id=made.id,
                    details={"shop_id": shop_id, "amount": amount.minor,
                             "currency": amount.currency},
                )  # fmt: skip
    except DomainError as refusal:
        if audit is not None:
            async with db.transaction() as session:
                record_audit(
                    session, context=audit, action=PAYOUT_ACTION, now=now,
                    outcome=Outcome.REFUSED, target_type="shop", target_id=shop_id,
                    reason=refusal.code, details={"amount": amount.minor},
                )  # fmt: skip
        raise
    if made is None:
        return await _by_key(db, key)
    return await send_payout(db, provider, payout_id=made.id, now=now)


async def _by_key(db: Database, key: str) -> PayoutView:
    async with db.reading() as session:
        row = await session.scalar(select(Payout).where(Payout.key == key))
    if row is None:
        raise PayoutNotFound("No such payout.")
    return view_of(row)


async def _move(
    session: AsyncSession, payout_id: int, target: PayoutStatus, now: datetime, **values: object
) -> bool:
    """The one conditional UPDATE that moves a payout along PAYOUT_TRANSITIONS."""
    result = await session.execute(
        update(Payout)
        .where(Payout.id == payout_id, Payout.status.in_(sources_of(target)))
        .values(status=target.value, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def send_payout(
    db: Database, provider: PaymentProvider, *, payout_id: int, now: datetime
) -> PayoutView:
    """Ask the provider to pay a requested payout (see the module); its new state."""
    async with db.reading() as session:
        row = await session.get(Payout, payout_id)
    if row is None:
        raise PayoutNotFound("No such payout.")
    if row.status == PayoutStatus.REQUESTED.value:
        try:
            sent = await provider.payout(
                destination=row.destination, amount=Money(row.amount_minor, row.currency),
                idempotency_key=row.key,
            )  # fmt: skip
        except DomainError as exc:
            await fail_payout(db, payout_id=payout_id, reason=exc.code, now=now)
        else:
            async with db.transaction() as session:
                await _move(
                    session, payout_id, PayoutStatus.SENT, now,
                    provider_payout_id=sent.payout_id,
                )  # fmt: skip
    return await _reload(db, payout_id)


async def _reload(db: Database, payout_id: int) -> PayoutView:
    async with db.reading() as session:
        row = await session.get(Payout, payout_id)
    assert row is not None
    return view_of(row)


async def fail_payout(db: Database, *, payout_id: int, reason: str, now: datetime) -> bool:
    """The provider refused the payout: `failed`, and its money back to the payable by the
    reversing entry `payout-failed:<id>`, once. False when it was no longer in flight."""
    async with db.transaction() as session:
        if not await _move(session, payout_id, PayoutStatus.FAILED, now, failure=reason[:200]):
            return False
        entry = await find_entry(session, key=f"payout:{payout_id}")
        assert entry is not None
        await reverse_entry(
            session, entry_id=entry.id, key=f"payout-failed:{payout_id}",
            memo=f"payout {payout_id} failed: money returned", now=now,
        )  # fmt: skip
        return True


async def confirm_payout(
    db: Database, *, provider_payout_id: str, amount: Money, now: datetime
) -> str:
    """The provider says the payout reached the bank: `paid`, in transit -> provider
    clearing (`payout-paid:<id>`), once. The outcome: paid, duplicate, unknown (not ours),
    or amount_mismatch (nothing changed)."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(Payout).where(Payout.provider_payout_id == provider_payout_id)
        )
        if row is None:
            return "unknown"
        if (row.amount_minor, row.currency) != (amount.minor, amount.currency):
            return "amount_mismatch"
        if not await _move(session, row.id, PayoutStatus.PAID, now):
            return "duplicate"
        transit = await account_for(
            session, kind=AccountKind.PAYOUTS_IN_TRANSIT, currency=amount.currency, now=now
        )
        clearing = await account_for(
            session, kind=AccountKind.PROVIDER_CLEARING, currency=amount.currency, now=now
        )
        await post_entry(
            session, key=f"payout-paid:{row.id}", memo=f"payout {row.id} paid", now=now,
            lines=[debit(transit.id, amount), credit(clearing.id, amount)],
        )  # fmt: skip
        return "paid"


async def shop_payouts(db: Database, *, shop_id: int, limit: int = 100) -> list[PayoutView]:
    """The shop's payouts, newest first."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(Payout).where(Payout.shop_id == shop_id).order_by(Payout.id.desc()).limit(limit)
        )
        return [view_of(row) for row in rows]


async def apply_payout_event(db: Database, *, event: ProviderEvent, now: datetime) -> str | None:
    """A verified provider event about a payout: `payout.paid` confirms it (see
    confirm_payout); None for events of other kinds (not settlement's)."""
    if event.type != ProviderEventType.PAYOUT_PAID:
        return None
    return await confirm_payout(
        db, provider_payout_id=event.object_id, amount=event.amount, now=now
    )
