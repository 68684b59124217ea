"""Seller use cases on products: validate a draft, save it (an upsert on the shop's
seller_ref, a no-op when nothing changed), submit and withdraw a listing.

The web layer checks who may act for the shop (SELLER_CATALOG_EDIT within the shop's
organisation); these services trust `shop_id` and never let a product of another shop be
touched through it (a product id outside the shop is NotFound)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.category_settings import attribute_specs, review_required
from galerie.catalog.drafts import ProductDraft
from galerie.catalog.errors import DraftProblem, InvalidProduct
from galerie.catalog.events import ProductChanged
from galerie.catalog.listing import ListingAction, ListingActor, ListingStatus, transition
from galerie.catalog.product_models import ListingHistory, Product, Sku
from galerie.catalog.product_rules import LISTING_FINDINGS, check_draft, content_hash
from galerie.catalog.product_writes import write_content
from galerie.catalog.shop_rights import listing_rights_problems
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.kernel import Conflict, NotFound

Outcome = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class SavedProduct:
    product_id: int
    outcome: Outcome
    status: str


async def _sku_clashes(
    session: AsyncSession, shop_id: int, product_id: int | None, draft: ProductDraft
) -> list[DraftProblem]:
    codes = [v.seller_sku for v in draft.variants]
    if not codes:
        return []
    rows = await session.execute(
        select(Sku.seller_sku, Sku.product_id).where(
            Sku.shop_id == shop_id, Sku.seller_sku.in_(codes)
        )
    )
    taken = {code for code, owner in rows.tuples() if owner != product_id}
    return [
        DraftProblem(
            f"variants[{n}].seller_sku",
            "seller_sku_taken",
            f"SKU code {code} belongs to another product of the shop.",
        )
        for n, code in enumerate(codes)
        if code in taken
    ]


async def _product_id(session: AsyncSession, shop_id: int, seller_ref: str) -> int | None:
    found: int | None = await session.scalar(
        select(Product.id).where(Product.shop_id == shop_id, Product.seller_ref == seller_ref)
    )
    return found


async def draft_problems(
    session: AsyncSession, shop_id: int, draft: ProductDraft
) -> list[DraftProblem]:
    """Every problem: the shop's rights, the pure rules with the category's attributes, and
    SKU codes held by another product of the shop."""
    problems = await listing_rights_problems(
        session, shop_id=shop_id, category_id=draft.category_id, brand_id=draft.brand_id
    )
    specs = await attribute_specs(session, draft.category_id)
    problems += check_draft(draft, specs)
    product_id = await _product_id(session, shop_id, draft.seller_ref)
    problems += await _sku_clashes(session, shop_id, product_id, draft)
    return problems


async def validate_product_draft(
    db: Database, *, shop_id: int, draft: ProductDraft
) -> tuple[DraftProblem, ...]:
    """Every problem of the draft for the shop (read-only). Problems whose code is in
    LISTING_FINDINGS (prohibited words, price spread) do not stop a save: the listing is
    rejected with them when submitted."""
    async with db.reading() as session:
        return tuple(await draft_problems(session, shop_id, draft))


def _findings(problems: list[DraftProblem]) -> list[dict[str, str]]:
    return [{"field": p.field, "code": p.code, "message": p.message} for p in problems]


async def run_checks(
    session: AsyncSession,
    *,
    product_id: int,
    shop_id: int,
    category_id: int,
    status: str,
    findings: list[DraftProblem],
    actor_user_id: int | None,
    now: datetime,
) -> str:
    """The automatic checks on a submitted or changed listing: rejected with findings,
    pending for an operator where the category asks for review, otherwise live."""
    if status in (ListingStatus.DRAFT, ListingStatus.REJECTED):
        status = await transition(
            session,
            product_id=product_id,
            shop_id=shop_id,
            status=status,
            action=ListingAction.SUBMIT,
            by=ListingActor.SELLER,
            actor_user_id=actor_user_id,
            now=now,
        )
    if status not in (ListingStatus.PENDING, ListingStatus.LIVE):
        return status
    common = {"product_id": product_id, "shop_id": shop_id, "actor_user_id": None, "now": now}
    if findings:
        return await transition(
            session,
            **common,  # type: ignore[arg-type]
            status=status,
            action=ListingAction.FAIL_CHECKS,
            by=ListingActor.SYSTEM,
            findings=_findings(findings),
        )
    if await review_required(session, category_id):
        if status == ListingStatus.LIVE:
            return await transition(
                session,
                **common,  # type: ignore[arg-type]
                status=status,
                action=ListingAction.HOLD_FOR_REVIEW,
                by=ListingActor.SYSTEM,
            )
        return status
    if status == ListingStatus.PENDING:
        return await transition(
            session,
            **common,  # type: ignore[arg-type]
            status=status,
            action=ListingAction.PASS_CHECKS,
            by=ListingActor.SYSTEM,
        )
    return status


async def save_product(
    db: Database,
    *,
    actor_user_id: int | None,
    shop_id: int,
    draft: ProductDraft,
    now: datetime,
    submit: bool = True,
) -> SavedProduct:
    """Create or update the shop's product `draft.seller_ref` in one transaction. An
    identical draft writes nothing ("unchanged"); any refusing problem raises InvalidProduct
    and writes nothing. With `submit`, a draft or rejected listing goes through the checks;
    a changed live or pending listing always does."""
    async with db.transaction() as session:
        problems = await draft_problems(session, shop_id, draft)
        if any(p.code not in LISTING_FINDINGS for p in problems):
            raise InvalidProduct(tuple(problems))
        digest = content_hash(draft)
        existing = await session.scalar(
            select(Product).where(
                Product.shop_id == shop_id, Product.seller_ref == draft.seller_ref
            )
        )
        changed = existing is None or existing.content_hash != digest
        resubmit = submit and existing is not None and existing.status == ListingStatus.DRAFT
        if existing is not None and not changed and not resubmit:
            return SavedProduct(existing.id, "unchanged", existing.status)
        outcome: Outcome = "created" if existing is None else "updated"
        product = existing
        if changed:
            try:
                product = await write_content(session, shop_id, existing, draft, digest, now)
            except IntegrityError as exc:
                raise Conflict(
                    "The product was saved concurrently.", code="product_conflict"
                ) from exc
        assert product is not None
        if existing is None:
            session.add(_created_history(product, actor_user_id, now))
        status = product.status
        if submit or status in (ListingStatus.LIVE, ListingStatus.PENDING):
            status = await run_checks(
                session,
                product_id=product.id,
                shop_id=shop_id,
                category_id=draft.category_id,
                status=status,
                findings=problems,
                actor_user_id=actor_user_id,
                now=now,
            )
        if status == product.status:  # no transition, so no event yet
            record_event(
                session,
                ProductChanged(product_id=product.id, shop_id=shop_id, status=status),
                now=now,
            )
        return SavedProduct(product.id, outcome, status)


def _created_history(product: Product, actor_user_id: int | None, now: datetime) -> ListingHistory:
    return ListingHistory(
        product_id=product.id,
        shop_id=product.shop_id,
        from_status=None,
        to_status=ListingStatus.DRAFT.value,
        action="create",
        actor_user_id=actor_user_id,
        at=now,
    )


async def shop_product(session: AsyncSession, shop_id: int, product_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None or product.shop_id != shop_id:
        raise NotFound("No such product.", code="product_not_found")
    return product
