"""TOTP second factor (RFC 6238, 30-second steps, 6 digits) with pyotp.

Enrolment stores the secret with `totp_enabled_at` unset; confirming with a valid code turns
the factor on. A code is accepted for the current step and one step either side, and each
step is accepted once: `totp_last_step` only moves forwards, by a conditional UPDATE.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity._sql import changed_rows
from galerie.identity.events import TotpEnabled
from galerie.identity.guards import acting_as
from galerie.identity.models import User
from galerie.identity.throttle import LoginThrottle
from galerie.kernel import Conflict, NotFound, Unauthenticated

STEP_SECONDS = 30
ISSUER = "Galerie"


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    secret: str
    provisioning_uri: str


def invalid_code() -> Unauthenticated:
    return Unauthenticated("That code is not valid.", code="invalid_code")


def matching_step(secret: str, code: str, *, now: datetime, after: int | None) -> int | None:
    """The time step (now's, the one before or the one after) whose code is `code`,
    provided it is later than `after`; None when no step matches."""
    digits = code.replace(" ", "")
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(str(totp.generate_otp(step)), digits):
            return step
    return None


async def _user_for_update(session: AsyncSession, user_id: int) -> User:
    user = await session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None or not user.is_active:
        raise NotFound("No such account.", code="user_not_found")
    if user.totp_enabled_at is not None:
        raise Conflict("Two-step sign-in is already on.", code="totp_already_enabled")
    return user


async def begin_totp_enrolment(db: Database, *, user_id: int, now: datetime) -> TotpEnrolment:
    """Make a new secret for the person to add to their authenticator app. Nothing is
    required of them until they confirm it; starting again replaces the pending secret."""
    secret = pyotp.random_base32()
    async with db.transaction() as session:
        user = await _user_for_update(session, user_id)
        user.totp_secret = secret
        user.totp_last_step = None
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return TotpEnrolment(secret=secret, provisioning_uri=str(uri))


async def confirm_totp_enrolment(
    db: Database, *, user_id: int, code: str, now: datetime, audit: AuditContext
) -> None:
    """Turn the second factor on once the person shows a valid code for the pending secret."""
    async with db.transaction() as session:
        user = await _user_for_update(session, user_id)
        if user.totp_secret is None:
            raise Conflict("Start setting up two-step sign-in first.", code="no_totp_enrolment")
        step = matching_step(user.totp_secret, code, now=now, after=None)
        if step is None:
            raise invalid_code()
        user.totp_enabled_at = now
        user.totp_last_step = step
        record_audit(
            session,
            context=acting_as(audit, user_id) if audit.actor_user_id is None else audit,
            action="identity.totp_enabled",
            now=now,
            target_type="user",
            target_id=user_id,
        )
        record_event(session, TotpEnabled(user_id=user_id), now=now)


async def verify_second_factor(
    db: Database,
    *,
    user_id: int,
    code: str,
    ip_address: str,
    throttle: LoginThrottle,
    now: datetime,
) -> None:
    """Check a code after the password. Failures count against the account's sign-in
    throttle (the same counter as wrong passwords) and the address's; a person without a
    confirmed second factor is refused as if the code were wrong."""
    async with db.reading() as session:
        row = (
            await session.execute(
                select(User.email, User.totp_secret, User.totp_last_step).where(
                    User.id == user_id, User.is_active.is_(True), User.totp_enabled_at.is_not(None)
                )
            )
        ).one_or_none()
    account = row.email if row is not None else f"user-id:{user_id}"
    await throttle.check(email=account, ip_address=ip_address)
    step = None if row is None else matching_step(row[1], code, now=now, after=row[2])
    if step is None or not await _advance_step(db, user_id=user_id, step=step):
        await throttle.record_failure(email=account, ip_address=ip_address)
        raise invalid_code()
    await throttle.reset(email=account)


async def _advance_step(db: Database, *, user_id: int, step: int) -> bool:
    """Record `step` as used unless it (or a later one) already was: False on a replay."""
    async with db.transaction() as session:
        changed = await changed_rows(
            session,
            update(User)
            .where(
                User.id == user_id,
                User.totp_enabled_at.is_not(None),
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step),
        )
        return changed == 1
