"""Resolving the principal of a request: a hot path (every signed-in page, every API call),
so hand-written SQL on the driver connection, two round trips (ARCHITECTURE.md):

1. the user (and, for a token, the token's scope) in one row;
2. the user's operator roles and seller memberships together, in one UNION ALL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import RawSQL
from galerie.identity.rules import (
    Membership,
    OperatorRole,
    Principal,
    SellerRole,
    narrow_to_token,
    permissions_for,
)
from galerie.kernel import token_digest

_USER = """
SELECT id, email, display_name, preferred_language
FROM users WHERE id = $1 AND is_active = $2
"""
_BY_DIGEST = """
SELECT u.id, u.email, u.display_name, u.preferred_language,
       t.permissions, t.organisation_id, t.expires_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.digest = $1 AND t.revoked_at IS NULL AND u.is_active = $2
"""
_GRANTS = """
SELECT 'operator', r.role, NULL, NULL FROM operator_role_grants r WHERE r.user_id = $1
UNION ALL
SELECT 'member', m.role, m.organisation_id, o.name
FROM seller_memberships m JOIN seller_organisations o ON o.id = m.organisation_id
WHERE m.user_id = $1
"""


def _utc(value: Any) -> datetime:
    """A timestamp as the driver returns it: aware on PostgreSQL, text on SQLite (UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


async def _principal(raw: RawSQL, user: Sequence[Any]) -> Principal:
    grants = await raw.fetch(_GRANTS, user[0])
    operator_roles = frozenset(
        OperatorRole(role)
        for kind, role, _org, _name in grants
        if kind == "operator" and role in OperatorRole._value2member_map_
    )
    memberships = tuple(
        sorted(
            (
                Membership(organisation_id=org, organisation_name=name, role=SellerRole(role))
                for kind, role, org, name in grants
                if kind == "member" and role in SellerRole._value2member_map_
            ),
            key=lambda m: m.organisation_id,
        )
    )
    permissions, seller_permissions = permissions_for(
        operator_roles=operator_roles, memberships=memberships
    )
    return Principal(
        user_id=user[0],
        email=user[1],
        display_name=user[2],
        language=user[3],
        operator_roles=operator_roles,
        memberships=memberships,
        permissions=permissions,
        seller_permissions=seller_permissions,
    )


async def load_principal(session: AsyncSession, user_id: int) -> Principal | None:
    """The principal for an active user, with its roles and memberships; None otherwise."""
    return await principal_of_user(await RawSQL.of(session), user_id)


async def principal_for_token(
    session: AsyncSession, token: str, *, now: datetime
) -> Principal | None:
    return await principal_of_token(await RawSQL.of(session), token, now=now)


async def principal_of_user(raw: RawSQL, user_id: int) -> Principal | None:
    """As load_principal, on a given raw connection (e.g. Database.hot_reads())."""
    user = await raw.fetchrow(_USER, user_id, True)
    return None if user is None else await _principal(raw, user)


async def principal_of_token(raw: RawSQL, token: str, *, now: datetime) -> Principal | None:
    """The principal a bearer token stands for, narrowed to the token's scope.

    Fails closed: an empty or blank token, an unknown, revoked or expired one, or one whose
    user is no longer active gives None."""
    if not token or not token.strip():
        return None
    row = await raw.fetchrow(_BY_DIGEST, token_digest(token), True)
    if row is None:
        return None
    if row[6] is not None and _utc(row[6]) <= now:
        return None
    principal = await _principal(raw, row)
    permissions = row[4] if isinstance(row[4], list) else json.loads(row[4] or "[]")
    return narrow_to_token(principal, permissions, row[5])
