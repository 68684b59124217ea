"""Per-category settings the listing rules read: the attributes products carry (a
category's own and its ancestors') and whether listings need an operator's review (the
category's own flag, else its nearest ancestor's). Operators edit them (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog.models import Category
from galerie.catalog.product_models import CategoryAttribute
from galerie.catalog.product_rules import AXIS, AttributeSpec
from galerie.catalog.queries import _chains
from galerie.db import Database
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Conflict, NotFound, ValidationFailed

VALUE_TYPES = ("text", "number", "enum", "boolean")


@dataclass(frozen=True, slots=True)
class AttributeView:
    id: int
    category_id: int
    code: str
    names: dict[str, str]
    value_type: str
    unit: str | None
    required: bool
    options: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class AttributeForm:
    """What an operator submits to define or edit a category attribute."""

    code: str
    name_en: str
    value_type: str
    name_zh_cn: str | None = None
    name_fr: str | None = None
    unit: str | None = None
    required: bool = False
    options: tuple[str, ...] = ()
    position: int = 0


async def _chain_ids(session: AsyncSession, category_id: int) -> list[int]:
    chain = (await _chains(session, {category_id})).get(category_id, [])
    return [c.id for c in chain]


async def category_attributes(session: AsyncSession, category_id: int) -> list[AttributeView]:
    """The attributes of the category and its ancestors, root's first, by position."""
    ids = await _chain_ids(session, category_id)
    if not ids:
        return []
    rows = await session.scalars(
        select(CategoryAttribute).where(CategoryAttribute.category_id.in_(ids))
    )
    depth = {cid: n for n, cid in enumerate(reversed(ids))}
    ordered = sorted(rows, key=lambda a: (depth[a.category_id], a.position, a.code))
    return [_view(a) for a in ordered]


def _view(a: CategoryAttribute) -> AttributeView:
    names = {"en": a.name_en}
    if a.name_zh_cn:
        names["zh-CN"] = a.name_zh_cn
    if a.name_fr:
        names["fr"] = a.name_fr
    return AttributeView(
        id=a.id,
        category_id=a.category_id,
        code=a.code,
        names=names,
        value_type=a.value_type,
        unit=a.unit,
        required=a.required,
        options=tuple(a.options or ()),
        position=a.position,
    )


async def attribute_specs(session: AsyncSession, category_id: int) -> list[AttributeSpec]:
    return [
        AttributeSpec(code=a.code, value_type=a.value_type, required=a.required, options=a.options)
        for a in await category_attributes(session, category_id)
    ]


async def review_required(session: AsyncSession, category_id: int) -> bool:
    chain = (await _chains(session, {category_id})).get(category_id, [])
    return next((c.listing_review for c in chain if c.listing_review is not None), False)


def _checked(form: AttributeForm) -> AttributeForm:
    if not AXIS.fullmatch(form.code):
        raise ValidationFailed(
            "Code: lower-case letters, digits, _.", code="bad_code", field="code"
        )
    if not form.name_en.strip() or len(form.name_en) > 100:
        raise ValidationFailed("An English name is required.", code="bad_name", field="name_en")
    if form.value_type not in VALUE_TYPES:
        raise ValidationFailed("Unknown type.", code="bad_value_type", field="value_type")
    options = tuple(o.strip() for o in form.options if o.strip())
    if form.value_type == "enum" and not options:
        raise ValidationFailed("An enum needs values.", code="options_missing", field="options")
    if form.unit is not None and len(form.unit) > 10:
        raise ValidationFailed("Unit too long.", code="bad_unit", field="unit")
    return AttributeForm(
        code=form.code,
        name_en=form.name_en.strip(),
        value_type=form.value_type,
        name_zh_cn=(form.name_zh_cn or "").strip() or None,
        name_fr=(form.name_fr or "").strip() or None,
        unit=(form.unit or "").strip() or None,
        required=form.required,
        options=options if form.value_type == "enum" else (),
        position=form.position,
    )


async def _guard(
    db: Database,
    actor: Principal,
    audit: AuditContext,
    action: str,
    category_id: int,
    now: datetime,
) -> AuditContext:
    return await require_permission(
        db,
        actor=actor,
        permission=Permission.CONSOLE_CATEGORIES,
        audit=audit,
        action=action,
        now=now,
        target_type="category",
        target_id=category_id,
    )


async def define_category_attribute(
    db: Database,
    *,
    actor: Principal,
    category_id: int,
    form: AttributeForm,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Create the category's attribute `form.code`, or edit it if it exists; returns its id.
    Audited once."""
    action = "catalog.category.define_attribute"
    context = await _guard(db, actor, audit, action, category_id, now)
    checked = _checked(form)
    async with db.transaction() as session:
        if await session.get(Category, category_id) is None:
            raise NotFound("No such category.", code="category_not_found")
        row = await session.scalar(
            select(CategoryAttribute).where(
                CategoryAttribute.category_id == category_id, CategoryAttribute.code == checked.code
            )
        )
        if row is None:
            row = CategoryAttribute(category_id=category_id, code=checked.code, created_at=now)
            session.add(row)
        row.name_en, row.name_zh_cn, row.name_fr = (
            checked.name_en,
            checked.name_zh_cn,
            checked.name_fr,
        )
        row.value_type, row.unit, row.required = checked.value_type, checked.unit, checked.required
        row.options = list(checked.options) or None
        row.position = checked.position
        try:
            await session.flush()
        except IntegrityError as exc:  # pragma: no cover - a concurrent definition
            raise Conflict("Defined concurrently.", code="attribute_conflict") from exc
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type="category",
            target_id=category_id,
            details={"code": checked.code, "required": checked.required},
        )
        return row.id


async def set_category_terms(
    db: Database,
    *,
    actor: Principal,
    category_id: int,
    commission_rate_bp: int | None,
    listing_review: bool | None,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Set (or, with None, inherit) the category's commission rate in basis points and
    whether its listings need review. Audited once."""
    action = "catalog.category.set_terms"
    context = await _guard(db, actor, audit, action, category_id, now)
    if commission_rate_bp is not None and not 0 <= commission_rate_bp <= 10_000:
        raise ValidationFailed(
            "Commission: 0 to 10000 basis points.", code="bad_commission", field="commission"
        )
    async with db.transaction() as session:
        category = await session.get(Category, category_id)
        if category is None:
            raise NotFound("No such category.", code="category_not_found")
        before = {
            "commission_rate_bp": category.commission_rate_bp,
            "review": category.listing_review,
        }
        category.commission_rate_bp = commission_rate_bp
        category.listing_review = listing_review
        category.updated_at = now
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type="category",
            target_id=category_id,
            details={
                "before": before,
                "after": {"commission_rate_bp": commission_rate_bp, "review": listing_review},
            },
        )
