"""Extensions: a seller of a preparing or live shop applies to add categories (a new top
level, or a category needing a qualification the shop lacks) or brands to it, through the same vetting as an opening application.

An extension is a `SellerApplication` of kind "extension" tied to the shop (`shop_id`); its
legal entity is copied from the shop's opening application, and `category_ids` and
`brand_ids` hold only what it adds. From there it is an application like any other: the
seller uploads the documents (trademark certificates, authorisations, qualifications),
submits, the automatic checks run (rules.check_extension), the operator decides. On
approval the shop's categories, brands and qualifications grow (opening.extend_shop)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog import categories_by_ids
from galerie.db import Database
from galerie.identity import Principal
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.sellers.access import guard, visible_or_not_found
from galerie.sellers.applications import TARGET
from galerie.sellers.checks import shop_facts
from galerie.sellers.models import ApplicationHistory, Brand, SellerApplication, Shop
from galerie.sellers.rules import ApplicationKind, ShopType
from galerie.sellers.states import APPLICANT, SHOP_MAY_SELL, ApplicationStatus
from galerie.sellers.validation import MAX_BRANDS, MAX_CATEGORIES

COPIED = (
    "applicant_kind",
    "legal_name",
    "registration_number",
    "country",
    "address",
    "legal_representative",
    "contact_email",
    "contact_phone",
    "bank_account_holder",
    "bank_account_number",
    "shop_type",
)


def _ids(values: tuple[int, ...], *, field: str, limit: int) -> list[int]:
    unique = sorted(set(values))
    if len(unique) > limit or any(v <= 0 for v in unique):
        raise ValidationFailed(f"Choose at most {limit}.", field=field, code=f"bad_{field}")
    return unique


async def extendable_shop(session: AsyncSession, shop_id: int) -> Shop:
    """The shop, locked, if it may be extended (preparing or live); Conflict otherwise."""
    shop = await session.get(Shop, shop_id, with_for_update=True)
    assert shop is not None
    if shop.status not in SHOP_MAY_SELL:
        raise Conflict(
            "Only a preparing or live shop can add categories or brands.",
            code="shop_not_extendable",
            status=shop.status,
        )
    return shop


async def _what_it_adds(
    session: AsyncSession, shop: Shop, category_ids: list[int], brand_ids: list[int]
) -> None:
    found = await categories_by_ids(session, category_ids)
    if set(found) != set(category_ids) or not all(v.is_active for v in found.values()):
        raise ValidationFailed("Unknown category.", field="category_ids", code="unknown_category")
    brands = set(await session.scalars(select(Brand.id).where(Brand.id.in_(brand_ids))))
    if brands != set(brand_ids):
        raise ValidationFailed("Unknown brand.", field="brand_ids", code="unknown_brand")
    if brand_ids and shop.shop_type == ShopType.INDIVIDUAL:
        raise ValidationFailed(
            "An individual shop sells without brands.",
            field="brand_ids",
            code="individual_shop_has_no_brands",
        )
    held = await shop_facts(session, shop.id)
    # A category is new if its top level is not held, or it needs a qualification the
    # shop lacks (a medicine subcategory under an approved health category).
    held_categories = [
        v
        for v in found.values()
        if v.top_level_id in held.top_level_ids
        and (v.requires_qualification is None or v.requires_qualification in held.qualifications)
    ]
    if held_categories or set(brand_ids) & held.brand_ids:
        raise ValidationFailed(
            "The shop already holds one of these.", field="category_ids", code="already_allowed"
        )
    if not category_ids and not brand_ids:
        raise ValidationFailed(
            "Choose a category or a brand to add.", field="category_ids", code="nothing_to_add"
        )


async def _shop_organisation(db: Database, actor: Principal, shop_id: int) -> int:
    async with db.reading() as session:
        org = await session.scalar(select(Shop.organisation_id).where(Shop.id == shop_id))
    return visible_or_not_found(actor, org, "shop")


async def apply_for_extension(
    db: Database,
    *,
    actor: Principal,
    shop_id: int,
    category_ids: tuple[int, ...],
    brand_ids: tuple[int, ...],
    now: datetime,
    audit: AuditContext,
) -> int:
    """Start a draft extension of the shop adding these top-level categories and brands
    (none of which it already holds); returns the new application's id."""
    org = await _shop_organisation(db, actor, shop_id)
    action = "sellers.seller_application.create"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=("shop", shop_id),
    )
    categories = _ids(category_ids, field="category_ids", limit=MAX_CATEGORIES)
    brands = _ids(brand_ids, field="brand_ids", limit=MAX_BRANDS)
    async with db.transaction() as session:
        shop = await extendable_shop(session, shop_id)
        await _what_it_adds(session, shop, categories, brands)
        opening = await session.get(SellerApplication, shop.application_id)
        if opening is None:  # pragma: no cover - a foreign key keeps it
            raise NotFound("No such shop.", code="shop_not_found")
        app = SellerApplication(
            organisation_id=org,
            kind=ApplicationKind.EXTENSION.value,
            shop_id=shop_id,
            category_ids=categories,
            brand_ids=brands,
            status=ApplicationStatus.DRAFT.value,
            submissions=0,
            created_at=now,
            updated_at=now,
            **{name: getattr(opening, name) for name in COPIED},
        )
        session.add(app)
        await session.flush()
        session.add(
            ApplicationHistory(
                application_id=app.id,
                organisation_id=org,
                from_status=None,
                to_status=app.status,
                action="create",
                actor_user_id=actor.user_id,
                at=now,
            )
        )
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=app.id,
            details={"organisation_id": org, "kind": app.kind, "shop_id": shop_id},
        )
        return app.id
