"""The system's deposit restriction of a shop, inside the caller's transaction (the
deposits domain calls these; they never commit): `restrict_shop` moves a live shop to
`restricted` (hidden from the storefront and search, no new orders), `lift_shop_restriction`
moves a restricted one back to live. Both go through machine.transition_shop (one history
row, one audit record with no actor, one event) and answer False, changing nothing, when the
shop is not in the state they start from (suspended or closed meanwhile)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.kernel import Money
from galerie.sellers.machine import Subject, transition_shop
from galerie.sellers.models import Shop
from galerie.sellers.states import ShopAction, ShopStatus

SYSTEM = AuditContext(extra={"by": "deposits"})


async def _move(
    session: AsyncSession, shop_id: int, start: ShopStatus, action: ShopAction, reason: str,
    now: datetime,
) -> bool:  # fmt: skip
    row = (
        await session.execute(select(Shop.organisation_id, Shop.status).where(Shop.id == shop_id))
    ).first()
    if row is None or row[1] != start.value:
        return False
    subject = Subject(shop_id, int(row[0]), str(row[1]))
    await transition_shop(
        session, subject=subject, action=action, actor=None, context=SYSTEM, now=now,
        reason=reason,
    )  # fmt: skip
    return True


async def restrict_shop(session: AsyncSession, *, shop_id: int, reason: str, now: datetime) -> bool:
    """live -> restricted, by the system; False (nothing changed) from any other state."""
    return await _move(session, shop_id, ShopStatus.LIVE, ShopAction.RESTRICT, reason, now)


async def lift_shop_restriction(
    session: AsyncSession, *, shop_id: int, reason: str, now: datetime
) -> bool:
    """restricted -> live, by the system; False (nothing changed) from any other state."""
    return await _move(
        session, shop_id, ShopStatus.RESTRICTED, ShopAction.LIFT_RESTRICTION, reason, now
    )


@dataclass(frozen=True, slots=True)
class DepositTerms:
    """What the deposits domain needs of a shop: its owner, status and the deposit it must
    hold (in the deposit currency) with what it holds now (the ledger's figure)."""

    shop_id: int
    organisation_id: int
    status: str
    required: Money
    held: Money

    @property
    def shortfall(self) -> Money:
        return Money(max(self.required.minor - self.held.minor, 0), self.required.currency)


async def deposit_terms(session: AsyncSession, *, shop_id: int) -> DepositTerms | None:
    """The shop's deposit terms as read in the caller's transaction; None when no such shop."""
    row = (
        await session.execute(
            select(
                Shop.organisation_id, Shop.status, Shop.deposit_required_minor,
                Shop.deposit_currency, Shop.deposit_held_minor,
            ).where(Shop.id == shop_id)
        )
    ).first()  # fmt: skip
    if row is None:
        return None
    currency = str(row[3])
    return DepositTerms(
        shop_id,
        int(row[0]),
        str(row[1]),
        Money(int(row[2]), currency),
        Money(int(row[4]), currency),
    )
