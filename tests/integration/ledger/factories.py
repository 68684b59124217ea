"""Ledger test helpers: a small chart of accounts for one shop order in one currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import (
    Account,
    AccountKind,
    account_for,
    balance_of,
    check_balances,
    pending_column,
)
from galerie.ledger.models import JournalEntry, JournalLine, LedgerAccount


@dataclass(frozen=True, slots=True)
class Chart:
    clearing: Account
    escrow: Account
    payable: Account
    commission: Account
    in_transit: Account


async def make_chart(
    db: Database, now: datetime, *, order: int = 1, shop: int = 1, currency: str = "CNY"
) -> Chart:
    async with db.transaction() as session:

        async def get(kind: AccountKind, owner: int | None = None) -> Account:
            return await account_for(session, kind=kind, currency=currency, owner_id=owner, now=now)

        return Chart(
            clearing=await get(AccountKind.PROVIDER_CLEARING),
            escrow=await get(AccountKind.ESCROW, order),
            payable=await get(AccountKind.SELLER_PAYABLE, shop),
            commission=await get(AccountKind.COMMISSION_REVENUE),
            in_transit=await get(AccountKind.PAYOUTS_IN_TRANSIT),
        )


async def balances(db: Database, *accounts: Account) -> list[int]:
    """Natural balances in minor units, in the order given."""
    async with db.reading() as session:
        found: list[Money] = [await balance_of(session, account_id=a.id) for a in accounts]
    return [m.minor for m in found]


async def journal_size(db: Database) -> tuple[int, int]:
    async with db.reading() as session:
        entries = await session.scalar(select(func.count()).select_from(JournalEntry))
        lines = await session.scalar(select(func.count()).select_from(JournalLine))
    return int(entries or 0), int(lines or 0)


async def cached_balances(db: Database) -> dict[tuple[str, int], int]:
    """(account kind, owner) -> signed cached balance (debit positive: the column plus the
    deltas not folded yet, ADR 0017), non-zero ones; and the journal agrees with them."""
    assert (await check_balances(db)).ok
    async with db.reading() as session:
        rows = await session.execute(
            select(
                LedgerAccount.kind,
                LedgerAccount.owner_id,
                LedgerAccount.balance_minor + pending_column(),
            )
        )
        return {(kind, owner): balance for kind, owner, balance in rows if balance}
