"""Accounts: shoppers register themselves; everyone may choose their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity._sql import changed_rows
from galerie.identity.events import ShopperRegistered
from galerie.identity.guards import acting_as
from galerie.identity.models import User
from galerie.identity.passwords import check_password_strength, hash_password
from galerie.identity.validation import check_display_name, check_language, normalise_email
from galerie.kernel import Conflict, NotFound


@dataclass(frozen=True, slots=True)
class NewAccount:
    """Validated input for a new user, with the password already hashed."""

    email: str
    display_name: str
    language: str
    password_hash: str


def prepare_account(*, email: str, password: str, display_name: str, language: str) -> NewAccount:
    """Validate every field (ValidationFailed on the first bad one) and hash the password.
    Hashing happens here, before any transaction, so no write lock is held during it."""
    address = normalise_email(email)
    name = check_display_name(display_name)
    chosen = check_language(language)
    check_password_strength(password, email=address)
    return NewAccount(address, name, chosen, hash_password(password))


async def insert_user(session: AsyncSession, account: NewAccount, *, now: datetime) -> User:
    """Insert the user; the unique constraint on e-mail decides duplicates (never commits)."""
    user = User(
        email=account.email,
        display_name=account.display_name,
        password_hash=account.password_hash,
        preferred_language=account.language,
        is_active=True,
        created_at=now,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "An account already uses this e-mail.", code="email_taken", field="email"
        ) from exc
    return user


async def register_shopper(
    db: Database,
    *,
    email: str,
    password: str,
    display_name: str,
    language: str,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Create a shopper account and return its user id."""
    account = prepare_account(
        email=email, password=password, display_name=display_name, language=language
    )
    async with db.transaction() as session:
        user = await insert_user(session, account, now=now)
        record_audit(
            session,
            context=acting_as(audit, user.id) if audit.actor_user_id is None else audit,
            action="identity.shopper_registered",
            now=now,
            target_type="user",
            target_id=user.id,
        )
        record_event(
            session,
            ShopperRegistered(user_id=user.id, email=user.email, language=account.language),
            now=now,
        )
        return user.id


async def set_preferred_language(
    db: Database, *, user_id: int, language: str, now: datetime
) -> None:
    """Change the language pages and e-mails use for this person."""
    chosen = check_language(language)
    async with db.transaction() as session:
        changed = await changed_rows(
            session, update(User).where(User.id == user_id).values(preferred_language=chosen)
        )
        if changed != 1:
            raise NotFound("No such account.", code="user_not_found")
