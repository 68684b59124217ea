"""Shops: the lifecycle (publish, suspend, reinstate, close) and decoration. Publishing
needs the deposit held (galerie.deposits moves it in the ledger) to cover the deposit
required. Sellers act on their own shop (SELLER_CATALOG_MANAGE); sanctions are for operators
with CONSOLE_MODERATION and need a reason; every status change goes through
machine.transition_shop (one history row, one audit record, one event)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import Conflict, Forbidden, ValidationFailed
from galerie.sellers.access import guard, visible_or_not_found
from galerie.sellers.events import ShopDecorated
from galerie.sellers.machine import Subject, transition_shop
from galerie.sellers.models import Shop
from galerie.sellers.states import APPLICANT, SHOP_TRANSITIONS, ShopAction, ShopStatus
from galerie.sellers.validation import LANGUAGES, slug, text

TARGET = "shop"
MAX_NAVIGATION = 20
SHOP_ACTION_PERMISSIONS = {
    action: step.permission for (_, action), step in SHOP_TRANSITIONS.items()
}


async def shop_owner(db: Database, actor: Principal, shop_id: int) -> int:
    async with db.reading() as session:
        org = await session.scalar(select(Shop.organisation_id).where(Shop.id == shop_id))
    return visible_or_not_found(actor, org, TARGET)


async def change_shop_status(
    db: Database,
    *,
    actor: Principal,
    shop_id: int,
    action: ShopAction,
    reason: str | None = None,
    now: datetime,
    audit: AuditContext,
) -> ShopStatus:
    """Publish (needs the deposit paid), suspend, reinstate or close a shop; returns the
    new status."""
    org = await shop_owner(db, actor, shop_id)
    permission = SHOP_ACTION_PERMISSIONS[action]
    if permission is None:  # restrict / lift: the system's steps (galerie.deposits)
        raise Forbidden("You are not allowed to do this.", code="forbidden")
    context = await guard(
        db,
        actor=actor,
        permission=permission,
        organisation_id=org,
        audit=audit,
        action=f"sellers.shop.{action.value}",
        now=now,
        target=(TARGET, shop_id),
    )
    async with db.transaction() as session:
        shop = await _shop(session, shop_id)
        if (
            action is ShopAction.PUBLISH
            and shop.status == ShopStatus.PREPARING
            and shop.deposit_held_minor < shop.deposit_required_minor
        ):
            raise Conflict("Pay the deposit before opening the shop.", code="deposit_not_paid")
        subject = Subject(shop.id, org, shop.status)
        step = await transition_shop(
            session,
            subject=subject,
            action=action,
            actor=actor,
            context=context,
            now=now,
            reason=reason,
        )
        return ShopStatus(step.to)


async def _shop(session: AsyncSession, shop_id: int) -> Shop:
    shop = await session.get(Shop, shop_id, with_for_update=True, populate_existing=True)
    assert shop is not None
    return shop


@dataclass(frozen=True, slots=True)
class Decoration:
    name: str
    slug: str
    descriptions: dict[str, str] = field(default_factory=dict)
    navigation: tuple[str, ...] = ()
    logo_key: str | None = None
    banner_key: str | None = None

    def cleaned(self) -> Decoration:
        unknown = set(self.descriptions) - set(LANGUAGES)
        if unknown:
            raise ValidationFailed(
                "Unsupported language.", field="descriptions", code="unsupported_language"
            )
        if len(self.navigation) > MAX_NAVIGATION:
            raise ValidationFailed(
                "Too many navigation entries.", field="navigation", code="bad_navigation"
            )
        return Decoration(
            name=text(self.name, field="name", max_length=120),
            slug=slug(self.slug),
            descriptions={
                lang: text(body, field="descriptions", max_length=5000, multiline=True)
                for lang, body in self.descriptions.items()
                if body.strip()
            },
            navigation=tuple(text(n, field="navigation", max_length=60) for n in self.navigation),
            logo_key=self.logo_key,
            banner_key=self.banner_key,
        )


async def decorate_shop(
    db: Database,
    *,
    actor: Principal,
    shop_id: int,
    decoration: Decoration,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Set the shop's name, slug (unique), descriptions (zh-CN, en, fr), navigation, logo
    and banner (storage keys). A closed shop is not decorated."""
    org = await shop_owner(db, actor, shop_id)
    action = "sellers.shop.decorate"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=(TARGET, shop_id),
    )
    clean = decoration.cleaned()
    async with db.transaction() as session:
        shop = await _shop(session, shop_id)
        if shop.status == ShopStatus.CLOSED:
            raise Conflict("This shop is closed.", code="shop_closed")
        shop.name, shop.slug = clean.name, clean.slug
        shop.descriptions, shop.navigation = dict(clean.descriptions), list(clean.navigation)
        shop.logo_key, shop.banner_key = clean.logo_key, clean.banner_key
        shop.updated_at = now
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("Another shop uses this address.", code="slug_taken") from exc
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=shop_id,
            details={"organisation_id": org, "slug": clean.slug},
        )
        record_event(
            session,
            ShopDecorated(shop_id=shop_id, organisation_id=org, actor_user_id=actor.user_id),
            now=now,
        )
