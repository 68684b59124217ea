"""Listing moderation: operators approve or reject pending listings and delist live ones
(CONSOLE_MODERATION; a reason is mandatory to reject or delist; each action is audited
once; a listing in an inactive category is not approved); sellers submit and withdraw their own listings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog.listing import ListingAction, ListingActor, transition
from galerie.catalog.product_models import Product
from galerie.catalog.product_queries import load_draft
from galerie.catalog.products import draft_problems, run_checks, shop_product
from galerie.catalog.queries import get_category
from galerie.db import Database
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Conflict, NotFound

TARGET = "product"


async def _refuse_inactive_category(session: AsyncSession, category_id: int) -> None:
    """No listing goes live in a category an operator deactivated (or under one)."""
    category = await get_category(session, category_id)
    if category is None or not category.is_active:
        raise Conflict(
            "This listing's category is inactive: the seller must choose another.",
            code="category_inactive",
        )


async def _moderate(
    db: Database,
    *,
    actor: Principal,
    product_id: int,
    action: ListingAction,
    reason: str | None,
    now: datetime,
    audit: AuditContext,
) -> str:
    name = f"catalog.listing.{action.value}"
    context = await require_permission(
        db,
        actor=actor,
        permission=Permission.CONSOLE_MODERATION,
        audit=audit,
        action=name,
        now=now,
        target_type=TARGET,
        target_id=product_id,
    )
    async with db.transaction() as session:
        row = (
            await session.execute(
                select(Product.shop_id, Product.status, Product.category_id).where(
                    Product.id == product_id
                )
            )
        ).one_or_none()
        if row is None:
            raise NotFound("No such product.", code="product_not_found")
        shop_id, status, category_id = row
        if action == ListingAction.APPROVE:
            await _refuse_inactive_category(session, category_id)
        new = await transition(
            session,
            product_id=product_id,
            shop_id=shop_id,
            status=status,
            action=action,
            by=ListingActor.OPERATOR,
            actor_user_id=actor.user_id,
            now=now,
            reason=reason,
        )
        record_audit(
            session,
            context=context,
            action=name,
            now=now,
            target_type=TARGET,
            target_id=product_id,
            reason=(reason or "").strip() or None,
            details={"shop_id": shop_id, "from": status, "to": new.value},
        )
        return new.value


async def approve_listing(
    db: Database,
    *,
    actor: Principal,
    product_id: int,
    now: datetime,
    audit: AuditContext,
    reason: str | None = None,
) -> str:
    """A pending listing goes live. Returns the new status."""
    return await _moderate(
        db,
        actor=actor,
        product_id=product_id,
        action=ListingAction.APPROVE,
        reason=reason,
        now=now,
        audit=audit,
    )


async def reject_listing(
    db: Database,
    *,
    actor: Principal,
    product_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
) -> str:
    """A pending listing is rejected, with a reason the seller sees."""
    return await _moderate(
        db,
        actor=actor,
        product_id=product_id,
        action=ListingAction.REJECT,
        reason=reason,
        now=now,
        audit=audit,
    )


async def delist_product(
    db: Database,
    *,
    actor: Principal,
    product_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
) -> str:
    """A live listing is taken down, with a reason the seller sees."""
    return await _moderate(
        db,
        actor=actor,
        product_id=product_id,
        action=ListingAction.DELIST,
        reason=reason,
        now=now,
        audit=audit,
    )


async def submit_listing(
    db: Database, *, actor_user_id: int | None, shop_id: int, product_id: int, now: datetime
) -> str:
    """Send a draft or rejected listing of the shop through the automatic checks (and to
    review where configured). Returns the new status."""
    async with db.transaction() as session:
        product = await shop_product(session, shop_id, product_id)
        draft = await load_draft(session, product_id)
        problems = await draft_problems(session, shop_id, draft)
        await transition(
            session,
            product_id=product_id,
            shop_id=shop_id,
            status=product.status,
            action=ListingAction.SUBMIT,
            by=ListingActor.SELLER,
            actor_user_id=actor_user_id,
            now=now,
        )
        return await run_checks(
            session,
            product_id=product_id,
            shop_id=shop_id,
            category_id=product.category_id,
            status="pending",
            findings=problems,
            actor_user_id=actor_user_id,
            now=now,
        )


async def withdraw_listing(
    db: Database, *, actor_user_id: int | None, shop_id: int, product_id: int, now: datetime
) -> str:
    """Take the shop's own pending, live or rejected listing back to draft."""
    async with db.transaction() as session:
        product = await shop_product(session, shop_id, product_id)
        new = await transition(
            session,
            product_id=product_id,
            shop_id=shop_id,
            status=product.status,
            action=ListingAction.WITHDRAW,
            by=ListingActor.SELLER,
            actor_user_id=actor_user_id,
            now=now,
        )
        return new.value
