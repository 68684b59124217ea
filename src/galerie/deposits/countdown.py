"""The deposit timer: a shop whose deposit stayed below the requirement past its top-up
deadline is restricted (galerie.sellers.restrict_shop: hidden, no new orders).

`restrict_overdue_shops` is run by the worker's hourly timers (workers.timers). Each due
countdown is taken by one conditional UPDATE from `running` (so two workers, or two passes,
restrict a shop once) in its own transaction, together with the shop's transition. A top-up
before the deadline ended the countdown (`topped_up`), so it is never due; a top-up after
the restriction lifts it (holding.follow_balance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from galerie.db import Database
from galerie.deposits.models import DepositCountdown
from galerie.deposits.rules import CountdownStatus
from galerie.sellers import restrict_shop

RESTRICTED_REASON = "The deposit stayed below the requirement past the top-up deadline."
BATCH = 100


async def restrict_overdue_shops(db: Database, *, now: datetime) -> int:
    """Restrict every shop whose top-up deadline passed; returns how many were restricted."""
    async with db.reading() as session:
        due = list(
            await session.scalars(
                select(DepositCountdown.id)
                .where(
                    DepositCountdown.status == CountdownStatus.RUNNING.value,
                    DepositCountdown.deadline <= now,
                )
                .order_by(DepositCountdown.deadline, DepositCountdown.id)
                .limit(BATCH)
            )
        )
    done = 0
    for countdown_id in due:
        done += await _restrict(db, countdown_id, now)
    return done


async def _restrict(db: Database, countdown_id: int, now: datetime) -> int:
    async with db.transaction() as session:
        result = await session.execute(
            update(DepositCountdown)
            .where(
                DepositCountdown.id == countdown_id,
                DepositCountdown.status == CountdownStatus.RUNNING.value,
                DepositCountdown.deadline <= now,
            )
            .values(status=CountdownStatus.RESTRICTED.value)
            .returning(DepositCountdown.shop_id)
            .execution_options(synchronize_session=False)
        )
        shop_id = result.scalar_one_or_none()
        if shop_id is None:
            return 0  # topped up, or taken by another worker
        restricted = await restrict_shop(
            session, shop_id=int(shop_id), reason=RESTRICTED_REASON, now=now
        )
        return 1 if restricted else 0
