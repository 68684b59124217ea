"""Reads for identity: finding a user by e-mail, listing an organisation's members (1 query
each). Resolving a principal is a hot path and lives in principals.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.identity.models import (
    SellerMembership,
    User,
)
from galerie.identity.rules import SellerRole


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
