"""Release holds: an open reason (a refund request, a dispute) pauses a shop order's escrow
release; lifting the last one of a completed order releases it. In the caller's transaction.

A hold is a row per (order, reason) in `release_holds`; the order's figures row
(`order_money.release_holds`) counts the open ones and is locked first by every step, so a
hold and the release of one order never cross: either the hold comes first and the release
answers `on_hold`, or the release comes first and the hold answers `already_released`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import ValidationFailed
from galerie.orders.models import Order
from galerie.payments.order_money import changed, ensure_figures, insert_ignore, lock_figures
from galerie.payments.refund_models import OrderMoney, ReleaseHold
from galerie.payments.release import COMPLETED, release_escrow

REASON_LENGTH = 60


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text or len(text) > REASON_LENGTH:
        raise ValidationFailed(
            f"a hold's reason is 1 to {REASON_LENGTH} characters", field="reason",
            code="bad_release_hold",
        )  # fmt: skip
    return text


async def hold_release(session: AsyncSession, *, order_id: int, reason: str, now: datetime) -> str:
    """Pause the order's escrow release for `reason` (e.g. `refund-request:<id>`):
    `held`, `already_held` (this reason is open), `already_released` or `nothing_held`
    (the order holds no captured money). Runs in the caller's transaction."""
    reason = _reason(reason)
    if not await ensure_figures(session, order_id, now):
        return "nothing_held"
    figures = await lock_figures(session, order_id)
    if figures.released:
        return "already_released"
    values = {"order_id": order_id, "reason": reason, "opened_at": now}
    if not await insert_ignore(session, ReleaseHold, values, ["order_id", "reason"]):
        return "already_held"
    await changed(
        session,
        update(OrderMoney)
        .where(OrderMoney.order_id == order_id)
        .values(release_holds=OrderMoney.release_holds + 1),
    )
    return "held"


async def lift_release_hold(
    session: AsyncSession, *, order_id: int, reason: str, now: datetime
) -> str:
    """Close the order's hold for `reason`: `not_held` when none is open, `lifted`, or the
    release's outcome when this was the last hold of a completed order (`released`...).
    At-least-once safe: lifting twice finds nothing the second time."""
    reason = _reason(reason)
    if not await ensure_figures(session, order_id, now):
        return "not_held"
    await lock_figures(session, order_id)
    gone = await changed(
        session,
        delete(ReleaseHold).where(ReleaseHold.order_id == order_id, ReleaseHold.reason == reason),
    )
    if not gone:
        return "not_held"
    await changed(
        session,
        update(OrderMoney)
        .where(OrderMoney.order_id == order_id)
        .values(release_holds=OrderMoney.release_holds - 1),
    )
    figures = await lock_figures(session, order_id)
    status = await session.scalar(select(Order.status).where(Order.id == order_id))
    if figures.release_holds == 0 and status == COMPLETED:
        return await release_escrow(session, order_id=order_id, now=now)
    return "lifted"


async def open_holds(session: AsyncSession, order_id: int) -> list[str]:
    """The reasons of the order's open holds, oldest first."""
    rows = await session.scalars(
        select(ReleaseHold.reason).where(ReleaseHold.order_id == order_id).order_by(ReleaseHold.id)
    )
    return list(rows)
