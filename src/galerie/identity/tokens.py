"""Personal API tokens for the JSON API, scoped by audience, organisation and permissions.

Only a token's SHA-256 digest is stored; the token itself is shown once, when issued.
A token never grants more than its list, nor more than the person's roles grant at the time
of each request (see rules.narrow_to_token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity.events import ApiTokenIssued, ApiTokenRevoked
from galerie.identity.guards import acting_as, record_privileged
from galerie.identity.models import ApiToken
from galerie.identity.principals import load_principal
from galerie.identity.rules import Audience, Permission, token_scope_problem
from galerie.identity.validation import MAX_TOKEN_NAME, check_future, check_text
from galerie.kernel import Conflict, NotFound, ValidationFailed, new_token, token_digest

TOKEN_PREFIX = "gal_"  # noqa: S105 - a marker, not a secret
SHOWN_PREFIX = 12  # "gal_" and 8 characters, enough to tell tokens apart


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    token: str
    prefix: str


@dataclass(frozen=True, slots=True)
class ApiTokenView:
    id: int
    name: str
    prefix: str
    audience: str
    organisation_id: int | None
    permissions: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _bad_scope(message: str, field: str = "permissions") -> ValidationFailed:
    return ValidationFailed(message, field=field, code="bad_scope")


def _requested(audience: str, permissions: list[str]) -> tuple[Audience, frozenset[Permission]]:
    if audience not in Audience._value2member_map_:
        raise _bad_scope("Unknown audience.", field="audience")
    if not permissions:
        raise _bad_scope("A token needs at least one permission.")
    unknown = sorted(str(p) for p in permissions if p not in Permission._value2member_map_)
    if unknown:
        raise _bad_scope(f"Unknown permissions: {', '.join(unknown)}.")
    return Audience(audience), frozenset(Permission(p) for p in permissions)


async def _check_scope(
    session: AsyncSession,
    user_id: int,
    audience: Audience,
    permissions: frozenset[Permission],
    organisation_id: int | None,
) -> None:
    """Refuse a scope the person's current roles and memberships do not cover."""
    principal = await load_principal(session, user_id)
    if principal is None:
        raise NotFound("No such account.", code="user_not_found")
    problem = token_scope_problem(
        principal, audience=audience, permissions=permissions, organisation_id=organisation_id
    )
    if problem is not None:
        raise _bad_scope(problem)


async def issue_api_token(
    db: Database,
    *,
    user_id: int,
    name: str,
    audience: Audience,
    permissions: list[str],
    organisation_id: int | None,
    expires_at: datetime | None,
    now: datetime,
    audit: AuditContext,
) -> IssuedToken:
    """Issue a token; the returned `token` is the only time anyone sees it."""
    label = check_text(name, field="name", max_length=MAX_TOKEN_NAME, code="bad_token_name")
    scope, wanted = _requested(audience, permissions)
    check_future(expires_at, now=now, field="expires_at")
    token = TOKEN_PREFIX + new_token(32)
    async with db.transaction() as session:
        await _check_scope(session, user_id, scope, wanted, organisation_id)
        row = ApiToken(
            user_id=user_id,
            name=label,
            digest=token_digest(token),
            prefix=token[:SHOWN_PREFIX],
            audience=scope.value,
            organisation_id=organisation_id,
            permissions=sorted(p.value for p in wanted),
            created_at=now,
            expires_at=expires_at,
        )
        session.add(row)
        await session.flush()
        record_privileged(
            session,
            context=acting_as(audit, user_id),
            action="identity.token_issued",
            now=now,
            target_type="api_token",
            target_id=row.id,
            details={"organisation_id": organisation_id, "permissions": row.permissions},
            event=ApiTokenIssued(
                token_id=row.id,
                user_id=user_id,
                audience=scope.value,
                organisation_id=organisation_id,
            ),
        )
        return IssuedToken(id=row.id, token=token, prefix=row.prefix)


async def revoke_api_token(
    db: Database, *, user_id: int, token_id: int, now: datetime, audit: AuditContext
) -> None:
    """Revoke one of the person's own tokens; another person's token is NotFound."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.user_id == user_id)
            .with_for_update()
        )
        if row is None:
            raise NotFound("No such token.", code="token_not_found")
        if row.revoked_at is not None:
            raise Conflict("This token is already revoked.", code="token_revoked")
        row.revoked_at = now
        record_privileged(
            session,
            context=acting_as(audit, user_id),
            action="identity.token_revoked",
            now=now,
            target_type="api_token",
            target_id=row.id,
            event=ApiTokenRevoked(token_id=row.id, user_id=user_id),
        )


async def list_api_tokens(session: AsyncSession, *, user_id: int) -> list[ApiTokenView]:
    """The person's tokens, newest first, without their digests (one query)."""
    rows = await session.execute(
        select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.prefix,
            ApiToken.audience,
            ApiToken.organisation_id,
            ApiToken.permissions,
            ApiToken.created_at,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
        )
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.id.desc())
    )
    return [
        ApiTokenView(
            id=r.id,
            name=r.name,
            prefix=r.prefix,
            audience=r.audience,
            organisation_id=r.organisation_id,
            permissions=tuple(str(p) for p in r.permissions or ()),
            created_at=r.created_at,
            expires_at=r.expires_at,
            revoked_at=r.revoked_at,
            last_used_at=r.last_used_at,
        )
        for r in rows
    ]
