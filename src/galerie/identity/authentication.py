"""Signing in with an e-mail and a password, throttled, with one answer for every failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.identity.models import OperatorRoleGrant, SellerMembership, User
from galerie.identity.passwords import (
    dummy_hash,
    hash_password,
    password_needs_rehash,
    verify_password,
)
from galerie.identity.rules import SellerRole
from galerie.identity.throttle import LoginThrottle
from galerie.kernel import Unauthenticated

WRONG_CREDENTIALS = "Wrong e-mail or password."


def invalid_credentials() -> Unauthenticated:
    """The one answer for an unknown e-mail, a wrong password and an inactive account."""
    return Unauthenticated(WRONG_CREDENTIALS, code="invalid_credentials")


@dataclass(frozen=True, slots=True)
class Authenticated:
    user_id: int
    second_factor_enrolled: bool
    second_factor_required: bool


@dataclass(frozen=True, slots=True)
class _Credentials:
    user_id: int
    password_hash: str
    is_active: bool
    totp_enabled: bool
    needs_second_factor: bool  # an operator or an owner of some seller organisation


async def _credentials(session: AsyncSession, email: str) -> _Credentials | None:
    """Everything sign-in needs about an account, in one query."""
    is_operator = exists().where(OperatorRoleGrant.user_id == User.id)
    is_owner = exists().where(
        SellerMembership.user_id == User.id, SellerMembership.role == SellerRole.OWNER.value
    )
    row = (
        await session.execute(
            select(
                User.id,
                User.password_hash,
                User.is_active,
                User.totp_enabled_at,
                is_operator.label("is_operator"),
                is_owner.label("is_owner"),
            ).where(User.email == email)
        )
    ).one_or_none()
    if row is None:
        return None
    user_id, password_hash, is_active, enabled_at, operator, owner = row
    return _Credentials(
        user_id, password_hash, bool(is_active), enabled_at is not None, bool(operator or owner)
    )


async def authenticate(
    db: Database,
    *,
    email: str,
    password: str,
    ip_address: str,
    throttle: LoginThrottle,
    require_totp_setting: bool,
    now: datetime,
) -> Authenticated:
    """Check an e-mail and password. Every failure is the same Unauthenticated
    ("invalid_credentials"); an unknown account still costs one argon2 verification.
    Raises RateLimited before checking anything once a counter is at its limit."""
    address = email.strip().lower()
    await throttle.check(email=address, ip_address=ip_address)
    async with db.reading() as session:
        found = await _credentials(session, address)
    if found is None:
        verify_password(dummy_hash(), password)
    if found is None or not (verify_password(found.password_hash, password) and found.is_active):
        await throttle.record_failure(email=address, ip_address=ip_address)
        raise invalid_credentials()
    await throttle.reset(email=address)
    if password_needs_rehash(found.password_hash):
        await _rehash(db, found, password)
    return Authenticated(
        user_id=found.user_id,
        second_factor_enrolled=found.totp_enabled,
        second_factor_required=require_totp_setting and found.needs_second_factor,
    )


async def _rehash(db: Database, found: _Credentials, password: str) -> None:
    """Store a hash with today's parameters; skipped if the hash changed meanwhile."""
    fresh = hash_password(password)
    async with db.transaction() as session:
        await session.execute(
            update(User)
            .where(User.id == found.user_id, User.password_hash == found.password_hash)
            .values(password_hash=fresh)
        )
