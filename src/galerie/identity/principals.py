"""Resolving the principal of a request: a hot path (every signed-in page, every API call),
so hand-written SQL on the driver connection, ONE round trip (ARCHITECTURE.md): the user
(and, for a token, the token's scope) in one row, its operator roles and seller memberships
in the rows that follow, one UNION ALL over a CTE.
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

# The user's row (kind 'user'), then one row per operator role and per seller membership:
# ONE statement for the whole principal. Columns: kind, id, email, display_name, language,
# token permissions, organisation id (the token's, or the membership's), token expiry,
# role, organisation name.
_GRANT_ROWS = """
UNION ALL
SELECT 'operator', NULL, NULL, NULL, NULL, NULL, CAST(NULL AS BIGINT), NULL, r.role, NULL
FROM operator_role_grants r JOIN p ON r.user_id = p.id
UNION ALL
SELECT 'member', NULL, NULL, NULL, NULL, NULL, m.organisation_id, NULL, m.role, o.name
FROM seller_memberships m JOIN p ON m.user_id = p.id
JOIN seller_organisations o ON o.id = m.organisation_id
"""
_USER_ROW = """
WITH p AS (SELECT id, email, display_name, preferred_language
           FROM users WHERE id = $1 AND is_active = $2)
SELECT 'user', id, email, display_name, preferred_language, NULL, NULL, NULL, NULL, NULL
FROM p"""
_BY_DIGEST_ROW = """
WITH p AS (SELECT u.id, u.email, u.display_name, u.preferred_language,
                  t.permissions, t.organisation_id, t.expires_at
           FROM api_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.digest = $1 AND t.revoked_at IS NULL AND u.is_active = $2)
SELECT 'user', id, email, display_name, preferred_language, permissions, organisation_id,
       expires_at, NULL, NULL
FROM p"""
_USER = "".join((_USER_ROW, _GRANT_ROWS))
_BY_DIGEST = "".join((_BY_DIGEST_ROW, _GRANT_ROWS))


def _utc(value: Any) -> datetime:
    """A timestamp as the driver returns it: aware on PostgreSQL, text on SQLite (UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _user_row(rows: Sequence[Sequence[Any]]) -> Sequence[Any] | None:
    return next((row for row in rows if row[0] == "user"), None)


def _principal(user: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Principal:
    operator_roles = frozenset(
        OperatorRole(row[8])
        for row in rows
        if row[0] == "operator" and row[8] in OperatorRole._value2member_map_
    )
    memberships = tuple(
        sorted(
            (
                Membership(
                    organisation_id=row[6], organisation_name=row[9], role=SellerRole(row[8])
                )
                for row in rows
                if row[0] == "member" and row[8] in SellerRole._value2member_map_
            ),
            key=lambda m: m.organisation_id,
        )
    )
    permissions, seller_permissions = permissions_for(
        operator_roles=operator_roles, memberships=memberships
    )
    return Principal(
        user_id=user[1],
        email=user[2],
        display_name=user[3],
        language=user[4],
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
    rows = await raw.fetch(_USER, user_id, True)
    user = _user_row(rows)
    return None if user is None else _principal(user, rows)


async def principal_of_token(raw: RawSQL, token: str, *, now: datetime) -> Principal | None:
    """The principal a bearer token stands for, narrowed to the token's scope.

    Fails closed: an empty or blank token, an unknown, revoked or expired one, or one whose
    user is no longer active gives None."""
    found = await token_principal(raw, token, now=now)
    return None if found is None else found[0]


async def token_principal(
    raw: RawSQL, token: str, *, now: datetime, digest: str | None = None
) -> tuple[Principal, datetime | None] | None:
    """As principal_of_token, with the token's expiry (None: it does not expire), for
    the principal cache (principal_cache.Resolved). `digest`: the token's, when the
    caller has it already (the cache's key)."""
    if not token or not token.strip():
        return None
    rows = await raw.fetch(_BY_DIGEST, digest or token_digest(token), True)
    user = _user_row(rows)
    if user is None:
        return None
    expires_at = None if user[7] is None else _utc(user[7])
    if expires_at is not None and expires_at <= now:
        return None
    permissions = user[5] if isinstance(user[5], list) else json.loads(user[5] or "[]")
    return narrow_to_token(_principal(user, rows), permissions, user[6]), expires_at


async def user_principal(raw: RawSQL, user_id: int) -> tuple[Principal, None] | None:
    """As principal_of_user, for the principal cache (a session does not expire here)."""
    principal = await principal_of_user(raw, user_id)
    return None if principal is None else (principal, None)
