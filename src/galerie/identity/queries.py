"""Reads for identity: resolving the principal of a session or a token (2 queries), finding
a user by e-mail, listing an organisation's members (1 query each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.identity.models import (
    ApiToken,
    OperatorRoleGrant,
    SellerMembership,
    SellerOrganisation,
    User,
)
from galerie.identity.rules import (
    Membership,
    OperatorRole,
    Principal,
    SellerRole,
    narrow_to_token,
    permissions_for,
)
from galerie.kernel import token_digest


async def load_principal(session: AsyncSession, user_id: int) -> Principal | None:
    """The principal for an active user, with its roles and memberships; None otherwise."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    roles = await session.scalars(
        select(OperatorRoleGrant.role).where(OperatorRoleGrant.user_id == user_id)
    )
    rows = await session.execute(
        select(SellerMembership.organisation_id, SellerOrganisation.name, SellerMembership.role)
        .join(SellerOrganisation, SellerOrganisation.id == SellerMembership.organisation_id)
        .where(SellerMembership.user_id == user_id)
        .order_by(SellerMembership.organisation_id)
    )
    operator_roles = frozenset(
        OperatorRole(r) for r in roles if r in OperatorRole._value2member_map_
    )
    memberships = tuple(
        Membership(organisation_id=org_id, organisation_name=name, role=SellerRole(role))
        for org_id, name, role in rows
        if role in SellerRole._value2member_map_
    )
    permissions, seller_permissions = permissions_for(
        operator_roles=operator_roles, memberships=memberships
    )
    return Principal(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        language=user.preferred_language,
        operator_roles=operator_roles,
        memberships=memberships,
        permissions=permissions,
        seller_permissions=seller_permissions,
    )


async def principal_for_token(
    session: AsyncSession, token: str, *, now: datetime
) -> Principal | None:
    """The principal a bearer token stands for, narrowed to the token's scope.

    Fails closed: an empty or blank token, an unknown, revoked or expired one gives None."""
    if not token or not token.strip():
        return None
    row = await session.scalar(select(ApiToken).where(ApiToken.digest == token_digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    principal = await load_principal(session, row.user_id)
    if principal is None:
        return None
    return narrow_to_token(principal, row.permissions or [], row.organisation_id)


async def touch_token(session: AsyncSession, token: str, *, now: datetime) -> None:
    await session.execute(
        update(ApiToken).where(ApiToken.digest == token_digest(token)).values(last_used_at=now)
    )


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    email: str
    display_name: str
    preferred_language: str
    is_active: bool
    totp_enabled: bool
    created_at: datetime


async def find_user_by_email(session: AsyncSession, email: str) -> UserView | None:
    """The account using `email` (compared stripped and lower-cased), or None."""
    row = await session.scalar(select(User).where(User.email == email.strip().lower()))
    if row is None:
        return None
    return UserView(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        preferred_language=row.preferred_language,
        is_active=row.is_active,
        totp_enabled=row.totp_enabled_at is not None,
        created_at=row.created_at,
    )


@dataclass(frozen=True, slots=True)
class SellerMemberView:
    membership_id: int
    user_id: int
    email: str
    display_name: str
    role: SellerRole
    acting_for_brand: str | None
    created_at: datetime


async def list_seller_members(
    session: AsyncSession, *, organisation_id: int
) -> list[SellerMemberView]:
    """The members of one organisation, oldest first (one query)."""
    rows = await session.execute(
        select(
            SellerMembership.id,
            SellerMembership.user_id,
            User.email,
            User.display_name,
            SellerMembership.role,
            SellerMembership.acting_for_brand,
            SellerMembership.created_at,
        )
        .join(User, User.id == SellerMembership.user_id)
        .where(SellerMembership.organisation_id == organisation_id)
        .order_by(SellerMembership.id)
    )
    return [
        SellerMemberView(
            membership_id=r[0],
            user_id=r[1],
            email=r[2],
            display_name=r[3],
            role=SellerRole(r[4]),
            acting_for_brand=r[5],
            created_at=r[6],
        )
        for r in rows
    ]
