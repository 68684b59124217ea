"""Revoking and listing personal API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    ApiTokenView,
    Audience,
    IssuedToken,
    Principal,
    issue_api_token,
    list_api_tokens,
    principal_for_token,
    revoke_api_token,
)
from galerie.identity.models import ApiToken
from galerie.kernel import Conflict, FixedClock, NotFound
from tests.integration.identity.factories import audit_records, make_user, outbox, snapshot


async def issue(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    user_id: int,
    *permissions: str,
    name: str = "My script",
) -> IssuedToken:
    return await issue_api_token(
        db,
        user_id=user_id,
        name=name,
        audience=Audience.SHOPPER,
        permissions=list(permissions),
        organisation_id=None,
        expires_at=None,
        now=clock.now(),
        audit=audit,
    )


async def resolve(db: Database, token: str, now: datetime) -> Principal | None:
    async with db.reading() as session:
        return await principal_for_token(session, token, now=now)


async def test_revoking_an_own_token_writes_one_audit_record(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    issued = await issue(db, clock, audit, user_id, "account.view")
    clock.advance(timedelta(minutes=5))
    before = await snapshot(db)

    await revoke_api_token(db, user_id=user_id, token_id=issued.id, now=clock.now(), audit=audit)

    async with db.reading() as session:
        row = await session.get(ApiToken, issued.id, populate_existing=True)
    assert row is not None
    assert row.revoked_at == clock.now()
    records = (await audit_records(db))[len(before["audit_records"]) :]
    assert [(r.action, r.actor_user_id, r.target_id) for r in records] == [
        ("identity.token_revoked", user_id, str(issued.id))
    ]
    assert (await outbox(db))[-1] == (
        "ApiTokenRevoked",
        {"token_id": issued.id, "user_id": user_id},
    )
    assert await resolve(db, issued.token, clock.now()) is None


async def test_someone_elses_token_is_not_found_and_keeps_working(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    ana = await make_user(db, clock.now(), "ana@example.com")
    bob = await make_user(db, clock.now(), "bob@example.com")
    issued = await issue(db, clock, audit, ana, "account.view")
    before = await snapshot(db)

    for token_id in (issued.id, 987654):
        with pytest.raises(NotFound) as caught:
            await revoke_api_token(db, user_id=bob, token_id=token_id, now=clock.now(), audit=audit)
        assert caught.value.code == "token_not_found"

    assert await snapshot(db) == before
    assert await resolve(db, issued.token, clock.now()) is not None


async def test_revoking_twice_is_a_conflict_that_changes_nothing(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    issued = await issue(db, clock, audit, user_id, "account.view")
    await revoke_api_token(db, user_id=user_id, token_id=issued.id, now=clock.now(), audit=audit)
    before = await snapshot(db)

    with pytest.raises(Conflict) as caught:
        await revoke_api_token(
            db, user_id=user_id, token_id=issued.id, now=clock.now(), audit=audit
        )

    assert caught.value.code == "token_revoked"
    assert await snapshot(db) == before


async def test_listing_shows_own_tokens_newest_first_without_digests(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    ana = await make_user(db, clock.now(), "ana@example.com")
    bob = await make_user(db, clock.now(), "bob@example.com")
    first = await issue(db, clock, audit, ana, "account.view", name="first")
    clock.advance(timedelta(minutes=1))
    second = await issue(db, clock, audit, ana, "account.view", "account.manage", name="second")
    await issue(db, clock, audit, bob, "account.view", name="bob's")
    await revoke_api_token(db, user_id=ana, token_id=first.id, now=clock.now(), audit=audit)

    async with db.reading() as session:
        views = await list_api_tokens(session, user_id=ana)

    start = clock.now() - timedelta(minutes=1)
    assert views == [
        ApiTokenView(
            id=second.id,
            name="second",
            prefix=second.prefix,
            audience="shopper",
            organisation_id=None,
            permissions=("account.manage", "account.view"),
            created_at=clock.now(),
            expires_at=None,
            revoked_at=None,
            last_used_at=None,
        ),
        ApiTokenView(
            id=first.id,
            name="first",
            prefix=first.prefix,
            audience="shopper",
            organisation_id=None,
            permissions=("account.view",),
            created_at=start,
            expires_at=None,
            revoked_at=clock.now(),
            last_used_at=None,
        ),
    ]
    assert not any(hasattr(view, "digest") for view in views)
