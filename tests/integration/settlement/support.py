"""What the settlement tests share: money put on a shop's payable, the ledger as a dict,
and the sandbox's payouts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry
from galerie.payments.sandbox.models import SandboxPayout
from galerie.settlement.models import Payout
from tests.integration.ledger.factories import cached_balances


async def fund(db: Database, shop_id: int, minor: int, now: datetime, key: str) -> None:
    """`minor` CNY on the shop's seller payable, from provider clearing."""
    async with db.transaction() as session:
        clearing = await account_for(
            session, kind=AccountKind.PROVIDER_CLEARING, currency="CNY", now=now
        )
        payable = await account_for(
            session, kind=AccountKind.SELLER_PAYABLE, currency="CNY", owner_id=shop_id, now=now
        )
        amount = Money(minor, "CNY")
        await post_entry(
            session, key=key, memo="test funds", now=now,
            lines=[debit(clearing.id, amount), credit(payable.id, amount)],
        )  # fmt: skip


async def ledger(db: Database) -> dict[tuple[str, int], int]:
    """(kind, owner) -> signed cached balance, non-zero ones; the journal agrees."""
    return await cached_balances(db)


async def payouts(db: Database) -> list[tuple[int, int, str]]:
    """(shop, amount, status) of our payouts, in order."""
    async with db.reading() as session:
        rows = await session.execute(
            select(Payout.shop_id, Payout.amount_minor, Payout.status).order_by(Payout.id)
        )
        return [(int(s), int(a), str(st)) for s, a, st in rows]


async def sandbox_payouts(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(SandboxPayout)) or 0)
