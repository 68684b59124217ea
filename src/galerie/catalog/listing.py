"""The listing state machine, as data: a product is drafted, submitted (pending), passes the
automatic checks or an operator's review (live) or fails them (rejected); operators delist
live products with a reason; sellers withdraw a listing back to draft and resubmit it.

`transition()` is the only code that changes `products.status`: it checks the step against
LISTING_TRANSITIONS, moves the status with one conditional UPDATE on the expected status
(rowcount 0: Conflict "stale_state"), appends one listing_history row and emits one
ProductChanged. It never commits: the calling use case owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.events import ProductChanged
from galerie.catalog.product_models import ListingHistory, Product
from galerie.db.outbox import record_event
from galerie.kernel import Conflict, ValidationFailed


class ListingStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    LIVE = "live"
    REJECTED = "rejected"
    DELISTED = "delisted"


class ListingAction(StrEnum):
    SUBMIT = "submit"  # seller: send a draft or a rejected listing to the checks
    PASS_CHECKS = "pass_checks"  # noqa: S105 - system: automatic checks passed, no review configured
    FAIL_CHECKS = "fail_checks"  # system: automatic checks found problems
    HOLD_FOR_REVIEW = "hold_for_review"  # system: a live listing changed in a reviewed category
    APPROVE = "approve"  # operator
    REJECT = "reject"  # operator, with a reason
    DELIST = "delist"  # operator, with a reason
    WITHDRAW = "withdraw"  # seller: back to draft


class ListingActor(StrEnum):
    SELLER = "seller"
    SYSTEM = "system"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class ListingStep:
    to: ListingStatus
    by: ListingActor
    reason_required: bool = False


_S, _A, _B = ListingStatus, ListingAction, ListingActor
LISTING_TRANSITIONS: dict[tuple[ListingStatus, ListingAction], ListingStep] = {
    (_S.DRAFT, _A.SUBMIT): ListingStep(_S.PENDING, _B.SELLER),
    (_S.REJECTED, _A.SUBMIT): ListingStep(_S.PENDING, _B.SELLER),
    (_S.PENDING, _A.PASS_CHECKS): ListingStep(_S.LIVE, _B.SYSTEM),
    (_S.PENDING, _A.FAIL_CHECKS): ListingStep(_S.REJECTED, _B.SYSTEM),
    (_S.LIVE, _A.FAIL_CHECKS): ListingStep(_S.REJECTED, _B.SYSTEM),
    (_S.LIVE, _A.HOLD_FOR_REVIEW): ListingStep(_S.PENDING, _B.SYSTEM),
    (_S.PENDING, _A.APPROVE): ListingStep(_S.LIVE, _B.OPERATOR),
    (_S.PENDING, _A.REJECT): ListingStep(_S.REJECTED, _B.OPERATOR, reason_required=True),
    (_S.LIVE, _A.DELIST): ListingStep(_S.DELISTED, _B.OPERATOR, reason_required=True),
    (_S.PENDING, _A.WITHDRAW): ListingStep(_S.DRAFT, _B.SELLER),
    (_S.LIVE, _A.WITHDRAW): ListingStep(_S.DRAFT, _B.SELLER),
    (_S.REJECTED, _A.WITHDRAW): ListingStep(_S.DRAFT, _B.SELLER),
}
MAX_REASON = 2000


def listing_step(status: str, action: ListingAction, by: ListingActor) -> ListingStep | None:
    """The step `by` may take from `status` with `action`, or None when it is not allowed."""
    try:
        step = LISTING_TRANSITIONS.get((ListingStatus(status), action))
    except ValueError:
        return None
    return step if step is not None and step.by == by else None


def _reason(step: ListingStep, reason: str | None) -> str | None:
    text = (reason or "").strip()
    if step.reason_required and not text:
        raise ValidationFailed("A reason is required.", code="reason_required", field="reason")
    if len(text) > MAX_REASON:
        raise ValidationFailed("The reason is too long.", code="reason_too_long", field="reason")
    return text or None


async def transition(
    session: AsyncSession,
    *,
    product_id: int,
    shop_id: int,
    status: str,
    action: ListingAction,
    by: ListingActor,
    actor_user_id: int | None,
    now: datetime,
    reason: str | None = None,
    findings: list[dict[str, str]] | None = None,
) -> ListingStatus:
    """Move the product from `status` (as the caller read it) with `action`."""
    step = listing_step(status, action, by)
    if step is None:
        raise Conflict(
            "This action is not allowed in the current state.",
            code="transition_not_allowed",
            status=status,
        )
    why = _reason(step, reason)
    values: dict[str, Any] = {
        "status": step.to.value,
        "status_reason": why,
        "findings": findings or [],
        "updated_at": now,
    }
    if step.to == ListingStatus.LIVE:
        values["listed_at"] = now
    result = await session.execute(
        update(Product)
        .where(Product.id == product_id, Product.status == status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise Conflict("Someone else changed this first; reload and retry.", code="stale_state")
    session.add(
        ListingHistory(
            product_id=product_id,
            shop_id=shop_id,
            from_status=status,
            to_status=step.to.value,
            action=action.value,
            actor_user_id=actor_user_id,
            reason=why,
            at=now,
        )
    )
    record_event(
        session, ProductChanged(product_id=product_id, shop_id=shop_id, status=step.to), now=now
    )
    return step.to
