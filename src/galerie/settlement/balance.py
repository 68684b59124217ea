"""A shop's balance: what it may be paid (its seller payable), what escrow still holds for
its orders, what is on its way to its bank (payouts requested or sent) and its deposit.
Reads only; runs in the caller's transaction (or `shop_balance` in its own)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import AccountKind, find_account
from galerie.ledger.models import LedgerAccount
from galerie.orders.models import Order
from galerie.settlement.models import Payout
from galerie.settlement.rules import IN_TRANSIT


@dataclass(frozen=True, slots=True)
class ShopBalance:
    """`available`: the seller payable, what a payout may take; `in_escrow`: paid for its
    orders, not yet received; `in_transit`: payouts requested or sent, not yet confirmed;
    `deposit`: the deposit held; `fees_owed`: annual fees the payable could not pay yet
    (taken from it by the next payout run; a seller's payout request leaves them)."""

    shop_id: int
    available: Money
    in_escrow: Money
    in_transit: Money
    deposit: Money
    fees_owed: Money


async def available_payable(session: AsyncSession, *, shop_id: int, currency: str) -> Money:
    """The natural balance of the shop's seller payable (zero when it has none yet)."""
    account = await find_account(
        session, kind=AccountKind.SELLER_PAYABLE, currency=currency, owner_id=shop_id
    )
    return Money.zero(currency) if account is None else account.balance


async def _deposit(session: AsyncSession, shop_id: int, currency: str) -> Money:
    account = await find_account(
        session, kind=AccountKind.DEPOSITS_HELD, currency=currency, owner_id=shop_id
    )
    return Money.zero(currency) if account is None else account.balance


async def fees_owed(session: AsyncSession, *, shop_id: int, currency: str) -> Money:
    """What the shop owes of its annual fees (its fees receivable; zero when none)."""
    account = await find_account(
        session, kind=AccountKind.FEES_RECEIVABLE, currency=currency, owner_id=shop_id
    )
    return Money(max(account.balance.minor, 0) if account else 0, currency)


async def _in_escrow(session: AsyncSession, shop_id: int, currency: str) -> Money:
    # Escrow is credit-normal: the natural balance is the negated signed sum.
    signed = await session.scalar(
        select(func.coalesce(func.sum(LedgerAccount.balance_minor), 0)).where(
            LedgerAccount.kind == AccountKind.ESCROW.value,
            LedgerAccount.currency == currency,
            LedgerAccount.owner_id.in_(select(Order.id).where(Order.shop_id == shop_id)),
        )
    )
    return Money(-int(signed or 0), currency)


async def _in_transit(session: AsyncSession, shop_id: int, currency: str) -> Money:
    total = await session.scalar(
        select(func.coalesce(func.sum(Payout.amount_minor), 0)).where(
            Payout.shop_id == shop_id, Payout.currency == currency, Payout.status.in_(IN_TRANSIT)
        )
    )
    return Money(int(total or 0), currency)


async def balance_in(session: AsyncSession, *, shop_id: int, currency: str) -> ShopBalance:
    return ShopBalance(
        shop_id=shop_id,
        available=await available_payable(session, shop_id=shop_id, currency=currency),
        in_escrow=await _in_escrow(session, shop_id, currency),
        in_transit=await _in_transit(session, shop_id, currency),
        deposit=await _deposit(session, shop_id, currency),
        fees_owed=await fees_owed(session, shop_id=shop_id, currency=currency),
    )


async def shop_balance(db: Database, *, shop_id: int, currency: str) -> ShopBalance:
    """The shop's balance in `currency` (see ShopBalance)."""
    async with db.reading() as session:
        return await balance_in(session, shop_id=shop_id, currency=currency)
