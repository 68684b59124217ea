"""Factories: rows for tests, written straight through the ORM in the caller's transaction.

They set up state; the behaviour under test always goes through the real services and app."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from galerie.db import Database
from galerie.identity import OperatorRole, SellerRole
from galerie.identity.models import (
    ApiToken,
    OperatorRoleGrant,
    SellerMembership,
    SellerOrganisation,
    User,
)
from galerie.kernel import new_token, token_digest

_sequence = itertools.count(1)
# The secret key and base URL of the tests' settings (tests/conftest.py), for mail links.
SECRET = "test-secret-" + "x" * 32
BASE_URL = "http://127.0.0.1:8000"
# Not a usable hash: factory users sign in through a session, never with a password.
UNUSABLE_HASH = "!factory-user"


@dataclass(frozen=True, slots=True)
class Made:
    user_id: int
    email: str
    organisation_id: int | None = None


async def make_user(
    db: Database,
    *,
    now: datetime,
    operator_roles: tuple[OperatorRole, ...] = (),
    seller_role: SellerRole | None = None,
    organisation_id: int | None = None,
    display_name: str | None = None,
) -> Made:
    n = next(_sequence)
    email = f"user{n}@factory.test"
    async with db.transaction() as session:
        user = User(
            email=email,
            display_name=display_name or f"User {n}",
            password_hash=UNUSABLE_HASH,
            preferred_language="en",
            is_active=True,
            created_at=now,
        )
        session.add(user)
        await session.flush()
        for role in operator_roles:
            session.add(OperatorRoleGrant(user_id=user.id, role=role.value, granted_at=now))
        if seller_role is not None:
            if organisation_id is None:
                organisation = SellerOrganisation(name=f"Organisation {n}", created_at=now)
                session.add(organisation)
                await session.flush()
                organisation_id = organisation.id
            session.add(
                SellerMembership(
                    organisation_id=organisation_id,
                    user_id=user.id,
                    role=seller_role.value,
                    created_at=now,
                )
            )
        return Made(user_id=user.id, email=email, organisation_id=organisation_id)


async def make_token(
    db: Database,
    *,
    user_id: int,
    now: datetime,
    permissions: list[str],
    audience: str = "shopper",
    organisation_id: int | None = None,
    expires_at: datetime | None = None,
    revoked_at: datetime | None = None,
) -> str:
    token = "gal_" + new_token(32)
    async with db.transaction() as session:
        session.add(
            ApiToken(
                user_id=user_id,
                name="factory token",
                digest=token_digest(token),
                prefix=token[:12],
                audience=audience,
                organisation_id=organisation_id,
                permissions=permissions,
                created_at=now,
                expires_at=expires_at,
                revoked_at=revoked_at,
            )
        )
    return token
