"""Moving a shop's deposit in the ledger, inside the caller's transaction (never commits),
and what follows from the new balance.

Money in: `receive_deposit` debits provider clearing (the provider, or the platform's bank
for a transfer recorded by finance) and credits the shop's `deposits_held` account. Money
out: `take_from_deposit` debits deposits held and credits the deduction's destination;
the ledger refuses to take deposits held below zero (BalanceWouldGoNegative). Each posts
once under its business key (a replay posts nothing and is reported as such).

A payment or transfer that makes a preparing shop's deposit whole emits the sellers
domain's ShopDepositPaid (its mail tells the seller the shop may be published). After every
movement, `follow_balance` compares the deposit held with the requirement:
below it, a live shop without a running countdown gets one (deadline in 15 days) and the
seller is asked to top up (DepositTopUpRequested); at or above it, a running countdown ends
`topped_up` and a restriction it caused is lifted (the shop goes live again)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db.outbox import record_event
from galerie.deposits.errors import ShopNotFound
from galerie.deposits.events import DepositMoved, DepositTopUpRequested
from galerie.deposits.models import DepositCountdown
from galerie.deposits.rules import TOP_UP_PERIOD, CountdownStatus
from galerie.kernel import Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry
from galerie.sellers import (
    DepositTerms,
    ShopDepositPaid,
    ShopStatus,
    deposit_terms,
    lift_shop_restriction,
)

LIFTED_REASON = "The deposit was topped up to the requirement."


async def terms_of(session: AsyncSession, shop_id: int) -> DepositTerms:
    terms = await deposit_terms(session, shop_id=shop_id)
    if terms is None:
        raise ShopNotFound()
    return terms


async def _account(
    session: AsyncSession, kind: AccountKind, currency: str, now: datetime, owner: int | None
) -> int:
    return (await account_for(session, kind=kind, currency=currency, now=now, owner_id=owner)).id


async def receive_deposit(
    session: AsyncSession, *, shop_id: int, amount: Money, key: str, memo: str, now: datetime,
    actor_user_id: int | None = None,
) -> bool:  # fmt: skip
    """Credit the shop's deposit with `amount` under `key`; False when the key was posted
    before (nothing new happened)."""
    clearing = await _account(session, AccountKind.PROVIDER_CLEARING, amount.currency, now, None)
    held = await _account(session, AccountKind.DEPOSITS_HELD, amount.currency, now, shop_id)
    posted = await post_entry(
        session, key=key, lines=[debit(clearing, amount), credit(held, amount)], memo=memo, now=now
    )
    if posted.replayed:
        return False
    await _moved(session, shop_id, amount.minor, amount.currency, key, actor_user_id, now)
    return True


async def take_from_deposit(
    session: AsyncSession, *, shop_id: int, amount: Money, destination: AccountKind, key: str,
    memo: str, now: datetime, actor_user_id: int | None = None,
) -> bool:  # fmt: skip
    """Move `amount` from the shop's deposit to `destination`; the ledger refuses to take
    the deposit below zero. False when the key was posted before."""
    held = await _account(session, AccountKind.DEPOSITS_HELD, amount.currency, now, shop_id)
    to = await _account(session, destination, amount.currency, now, None)
    posted = await post_entry(
        session, key=key, lines=[debit(held, amount), credit(to, amount)], memo=memo, now=now
    )
    if posted.replayed:
        return False
    await _moved(session, shop_id, -amount.minor, amount.currency, key, actor_user_id, now)
    return True


async def note_deposit_taken(
    session: AsyncSession, *, shop_id: int, amount: Money, key: str, now: datetime
) -> None:
    """Another domain's posting (`key`) just took `amount` from the shop's deposit (a refund
    clawed back after release): the DepositMoved event and the top-up countdown follow, as
    for a deduction."""
    await _moved(session, shop_id, -amount.minor, amount.currency, key, None, now)


async def _moved(
    session: AsyncSession, shop_id: int, signed: int, currency: str, key: str,
    actor_user_id: int | None, now: datetime,
) -> None:  # fmt: skip
    terms = await terms_of(session, shop_id)
    record_event(
        session,
        DepositMoved(
            shop_id=shop_id, organisation_id=terms.organisation_id, amount_minor=signed,
            currency=currency, held_minor=terms.held.minor, entry_key=key,
            actor_user_id=actor_user_id,
        ),
        now=now,
    )  # fmt: skip
    covered_now = terms.held.minor >= terms.required.minor > terms.held.minor - signed
    if covered_now and terms.status == ShopStatus.PREPARING.value and actor_user_id is not None:
        record_event(  # the seller may publish now (the sellers domain's mail says so)
            session,
            ShopDepositPaid(
                shop_id=shop_id, organisation_id=terms.organisation_id,
                actor_user_id=actor_user_id,
            ),
            now=now,
        )  # fmt: skip
    await follow_balance(session, terms, now)


async def follow_balance(session: AsyncSession, terms: DepositTerms, now: datetime) -> None:
    """Start, end or lift the top-up countdown by the deposit held now."""
    if terms.held.minor >= terms.required.minor:
        await _end(session, terms.shop_id, CountdownStatus.RUNNING, CountdownStatus.TOPPED_UP, now)
        if await _end(
            session, terms.shop_id, CountdownStatus.RESTRICTED, CountdownStatus.LIFTED, now
        ):
            await lift_shop_restriction(
                session, shop_id=terms.shop_id, reason=LIFTED_REASON, now=now
            )
        return
    if terms.status != ShopStatus.LIVE.value or await _open_countdown(session, terms.shop_id):
        return
    deadline = now + TOP_UP_PERIOD
    session.add(
        DepositCountdown(
            shop_id=terms.shop_id, organisation_id=terms.organisation_id,
            status=CountdownStatus.RUNNING.value, started_at=now, deadline=deadline,
        )
    )  # fmt: skip
    await session.flush()  # the partial unique index refuses a second open countdown
    record_event(
        session,
        DepositTopUpRequested(
            shop_id=terms.shop_id, organisation_id=terms.organisation_id,
            shortfall_minor=terms.shortfall.minor, currency=terms.required.currency,
            deadline=deadline,
        ),
        now=now,
    )  # fmt: skip


async def _open_countdown(session: AsyncSession, shop_id: int) -> bool:
    found = await session.scalar(
        select(DepositCountdown.id).where(
            DepositCountdown.shop_id == shop_id,
            DepositCountdown.status.in_(
                [CountdownStatus.RUNNING.value, CountdownStatus.RESTRICTED.value]
            ),
        )
    )
    return found is not None


async def _end(
    session: AsyncSession, shop_id: int, start: CountdownStatus, end: CountdownStatus,
    now: datetime,
) -> bool:  # fmt: skip
    result = await session.execute(
        update(DepositCountdown)
        .where(DepositCountdown.shop_id == shop_id, DepositCountdown.status == start.value)
        .values(status=end.value, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
