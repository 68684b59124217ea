"""Seller organisations and their members (owner, manager, staff, agency operator acting
for a brand). Managing members needs SELLER_MEMBERS_MANAGE in that organisation; a refusal
is audited (see guards). An organisation always keeps at least one owner: changes that
could remove the last one lock the organisation row first, so two owners demoting each
other at once cannot both succeed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity.events import (
    SellerMemberAdded,
    SellerMemberRemoved,
    SellerMemberRoleChanged,
    SellerOrganisationCreated,
)
from galerie.identity.guards import record_privileged, require_permission
from galerie.identity.models import SellerMembership, SellerOrganisation, User
from galerie.identity.rules import Permission, Principal, SellerRole
from galerie.identity.validation import (
    MAX_BRAND,
    MAX_ORGANISATION_NAME,
    check_text,
    normalise_email,
)
from galerie.kernel import Conflict, NotFound, ValidationFailed

MEMBERSHIP = "seller_membership"


def _role_and_brand(role: str, acting_for_brand: str | None) -> tuple[SellerRole, str | None]:
    """An agency operator must name the brand it acts for; no other role may name one."""
    if role not in SellerRole._value2member_map_:
        raise ValidationFailed("Unknown seller role.", field="role", code="unknown_role")
    chosen = SellerRole(role)
    brand = (acting_for_brand or "").strip()
    if chosen is SellerRole.AGENCY and not brand:
        raise ValidationFailed(
            "Name the brand the agency acts for.", field="acting_for_brand", code="brand_required"
        )
    if chosen is not SellerRole.AGENCY and brand:
        raise ValidationFailed(
            "Only an agency operator acts for a brand.",
            field="acting_for_brand",
            code="brand_not_allowed",
        )
    if not brand:
        return chosen, None
    return chosen, check_text(
        brand, field="acting_for_brand", max_length=MAX_BRAND, code="bad_brand"
    )


async def _may_manage_members(
    db: Database,
    actor: Principal,
    organisation_id: int,
    audit: AuditContext,
    action: str,
    now: datetime,
    target: tuple[str, int],
) -> AuditContext:
    return await require_permission(
        db,
        actor=actor,
        permission=Permission.SELLER_MEMBERS_MANAGE,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target_type=target[0],
        target_id=target[1],
    )


async def create_seller_organisation(
    db: Database, *, name: str, owner_user_id: int, now: datetime, audit: AuditContext
) -> int:
    """Create an organisation whose first member is its owner; returns its id."""
    label = check_text(
        name, field="name", max_length=MAX_ORGANISATION_NAME, code="bad_organisation_name"
    )
    async with db.transaction() as session:
        owner = await session.get(User, owner_user_id)
        if owner is None or not owner.is_active:
            raise NotFound("No such account.", code="user_not_found")
        organisation = SellerOrganisation(name=label, created_at=now)
        session.add(organisation)
        await session.flush()
        owner_role = SellerRole.OWNER.value
        session.add(
            SellerMembership(
                organisation_id=organisation.id, user_id=owner.id, role=owner_role, created_at=now
            )
        )
        record_privileged(
            session,
            context=audit,
            action="identity.seller_organisation_created",
            now=now,
            target_type="seller_organisation",
            target_id=organisation.id,
            details={"owner_user_id": owner.id},
            event=SellerOrganisationCreated(
                organisation_id=organisation.id, organisation_name=label, owner_user_id=owner.id
            ),
        )
        return organisation.id


async def add_seller_member(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    email: str,
    role: SellerRole,
    acting_for_brand: str | None,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Add a person who already has an account; returns the membership id."""
    action = "identity.seller_member_added"
    target = ("seller_organisation", organisation_id)
    context = await _may_manage_members(db, actor, organisation_id, audit, action, now, target)
    chosen, brand = _role_and_brand(role, acting_for_brand)
    address = normalise_email(email)
    async with db.transaction() as session:
        user_id = await _active_user_id(session, address)
        member = await _insert_membership(session, organisation_id, user_id, chosen, brand, now)
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type=MEMBERSHIP,
            target_id=member.id,
            details={"organisation_id": organisation_id, "user_id": user_id, "role": chosen.value},
            event=SellerMemberAdded(
                organisation_id=organisation_id,
                user_id=user_id,
                role=chosen.value,
                acting_for_brand=brand,
            ),
        )
        return member.id


async def _active_user_id(session: AsyncSession, email: str) -> int:
    user_id = await session.scalar(
        select(User.id).where(User.email == email, User.is_active.is_(True))
    )
    if user_id is None:
        raise NotFound(
            "No account uses this e-mail; ask the person to sign up first.",
            code="user_not_found",
        )
    return user_id


async def _insert_membership(
    session: AsyncSession,
    organisation_id: int,
    user_id: int,
    role: SellerRole,
    brand: str | None,
    now: datetime,
) -> SellerMembership:
    """Insert a membership; the unique (organisation, user) constraint decides duplicates."""
    member = SellerMembership(
        organisation_id=organisation_id,
        user_id=user_id,
        role=role.value,
        acting_for_brand=brand,
        created_at=now,
    )
    session.add(member)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("This person is already a member.", code="already_member") from exc
    return member


async def change_seller_member_role(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    membership_id: int,
    role: SellerRole,
    acting_for_brand: str | None = None,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Change a member's role (and brand, for an agency operator). Asking for the role and
    brand the member already has changes nothing and records nothing."""
    action = "identity.seller_member_role_changed"
    target = (MEMBERSHIP, membership_id)
    context = await _may_manage_members(db, actor, organisation_id, audit, action, now, target)
    chosen, brand = _role_and_brand(role, acting_for_brand)
    async with db.transaction() as session:
        member = await _locked_membership(session, organisation_id, membership_id)
        old_role = member.role
        if old_role == chosen.value and member.acting_for_brand == brand:
            return
        member.role, member.acting_for_brand = chosen.value, brand
        await session.flush()
        await _require_an_owner(session, organisation_id)
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type=MEMBERSHIP,
            target_id=membership_id,
            details={"organisation_id": organisation_id, "from": old_role, "to": chosen.value},
            event=SellerMemberRoleChanged(
                organisation_id=organisation_id,
                user_id=member.user_id,
                old_role=old_role,
                new_role=chosen.value,
                acting_for_brand=brand,
            ),
        )


async def remove_seller_member(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    membership_id: int,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Remove a member; the last owner cannot be removed (Conflict "last_owner")."""
    action = "identity.seller_member_removed"
    target = (MEMBERSHIP, membership_id)
    context = await _may_manage_members(db, actor, organisation_id, audit, action, now, target)
    async with db.transaction() as session:
        member = await _locked_membership(session, organisation_id, membership_id)
        user_id, role = member.user_id, member.role
        await session.delete(member)
        await session.flush()
        await _require_an_owner(session, organisation_id)
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type=MEMBERSHIP,
            target_id=membership_id,
            details={"organisation_id": organisation_id, "user_id": user_id, "role": role},
            event=SellerMemberRemoved(organisation_id=organisation_id, user_id=user_id, role=role),
        )


async def _locked_membership(
    session: AsyncSession, organisation_id: int, membership_id: int
) -> SellerMembership:
    """Lock the organisation row (serialising changes to its members; SQLite's single
    writer already does), then load the member; one of another organisation is NotFound."""
    await session.execute(
        select(SellerOrganisation.id)
        .where(SellerOrganisation.id == organisation_id)
        .with_for_update()
    )
    member = await session.scalar(
        select(SellerMembership).where(
            SellerMembership.id == membership_id,
            SellerMembership.organisation_id == organisation_id,
        )
    )
    if member is None:
        raise NotFound("No such member.", code="member_not_found")
    return member


async def _require_an_owner(session: AsyncSession, organisation_id: int) -> None:
    owners = await session.scalar(
        select(func.count())
        .select_from(SellerMembership)
        .where(
            SellerMembership.organisation_id == organisation_id,
            SellerMembership.role == SellerRole.OWNER.value,
        )
    )
    if not owners:
        raise Conflict("An organisation needs at least one owner.", code="last_owner")
