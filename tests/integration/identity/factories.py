"""Factories and inspection helpers for identity's integration tests.

Users are inserted directly with one cached argon2 hash of PASSWORD, so that set-up costs no
hashing; the services under test are always called for real."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.identity import OperatorRole, Principal, SellerRole, hash_password, load_principal
from galerie.identity.models import OperatorRoleGrant, SellerMembership, SellerOrganisation, User
from galerie.models import metadata

PASSWORD = "Lantern-orchid-4417"
WATCHED_TABLES = (
    "users",
    "operator_role_grants",
    "seller_organisations",
    "seller_memberships",
    "api_tokens",
    "seller_invitations",
    "audit_records",
    "outbox_events",
)

Snapshot = dict[str, list[tuple[Any, ...]]]


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


async def make_user(
    db: Database,
    now: datetime,
    email: str,
    *,
    active: bool = True,
    language: str = "en",
    password_hash_value: str | None = None,
) -> int:
    async with db.transaction() as session:
        user = User(
            email=email,
            display_name=email.split("@")[0].title(),
            password_hash=password_hash_value or password_hash(),
            preferred_language=language,
            is_active=active,
            created_at=now,
        )
        session.add(user)
        await session.flush()
        return user.id


async def make_operator(db: Database, now: datetime, email: str, *roles: OperatorRole) -> int:
    user_id = await make_user(db, now, email)
    async with db.transaction() as session:
        for role in roles:
            session.add(OperatorRoleGrant(user_id=user_id, role=role.value, granted_at=now))
    return user_id


async def make_organisation(
    db: Database, now: datetime, name: str, members: dict[int, SellerRole]
) -> tuple[int, dict[int, int]]:
    """An organisation with `members` (user id -> role); returns its id and the membership
    ids by user id."""
    async with db.transaction() as session:
        organisation = SellerOrganisation(name=name, created_at=now)
        session.add(organisation)
        await session.flush()
        rows = {
            user_id: SellerMembership(
                organisation_id=organisation.id,
                user_id=user_id,
                role=role.value,
                acting_for_brand="Maison Lune" if role is SellerRole.AGENCY else None,
                created_at=now,
            )
            for user_id, role in members.items()
        }
        session.add_all(rows.values())
        await session.flush()
        return organisation.id, {user_id: row.id for user_id, row in rows.items()}


async def user_row(db: Database, user_id: int) -> User:
    async with db.reading() as session:
        user = await session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


async def principal(db: Database, user_id: int) -> Principal:
    async with db.reading() as session:
        found = await load_principal(session, user_id)
    assert found is not None
    return found


async def snapshot(db: Database) -> Snapshot:
    """Every row of every table identity writes to, in key order."""
    result: Snapshot = {}
    async with db.reading() as session:
        for name in WATCHED_TABLES:
            table = metadata.tables[name]
            rows = await session.execute(select(table).order_by(*table.primary_key.columns))
            result[name] = [tuple(row) for row in rows]
    return result


async def audit_records(db: Database) -> list[AuditRecord]:
    async with db.reading() as session:
        return list(await session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


async def outbox(db: Database) -> list[tuple[str, dict[str, Any]]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(OutboxEvent.event_name, OutboxEvent.payload).order_by(OutboxEvent.id)
        )
        return [(name, payload) for name, payload in rows]


def only_new_audit_row(before: Snapshot, after: Snapshot) -> tuple[Any, ...]:
    """Assert that nothing but one audit row was added between the snapshots; return it."""
    for name in WATCHED_TABLES:
        if name != "audit_records":
            assert after[name] == before[name], name
    assert after["audit_records"][: len(before["audit_records"])] == before["audit_records"]
    added = after["audit_records"][len(before["audit_records"]) :]
    assert len(added) == 1, added
    return added[0]
