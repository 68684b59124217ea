"""Personal API tokens: issuing within the person's roles, resolving, narrowing, revoking."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    Audience,
    IssuedToken,
    OperatorRole,
    Permission,
    Principal,
    SellerRole,
    issue_api_token,
    principal_for_token,
    remove_seller_member,
    revoke_api_token,
)
from galerie.identity.models import ApiToken, User
from galerie.kernel import FixedClock, NotFound, ValidationFailed
from tests.integration.identity.factories import (
    audit_records,
    make_operator,
    make_organisation,
    make_user,
    outbox,
    principal,
    snapshot,
)


async def issue(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    user_id: int,
    *permissions: str,
    audience: Audience = Audience.SHOPPER,
    organisation_id: int | None = None,
    expires_at: datetime | None = None,
    name: str = "My script",
) -> IssuedToken:
    return await issue_api_token(
        db,
        user_id=user_id,
        name=name,
        audience=audience,
        permissions=list(permissions),
        organisation_id=organisation_id,
        expires_at=expires_at,
        now=clock.now(),
        audit=audit,
    )


async def resolve(db: Database, token: str, now: datetime) -> Principal | None:
    async with db.reading() as session:
        return await principal_for_token(session, token, now=now)


async def test_a_token_is_shown_once_and_only_its_digest_is_stored(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")

    issued = await issue(db, clock, audit, user_id, "account.view")

    assert issued.token.startswith("gal_")
    assert len(issued.token) == 4 + 43
    assert issued.prefix == issued.token[:12]
    async with db.reading() as session:
        row = await session.get(ApiToken, issued.id)
    assert row is not None
    assert row.digest == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in {row.digest, row.prefix, row.name}
    assert (row.user_id, row.audience, row.organisation_id, row.permissions) == (
        user_id,
        "shopper",
        None,
        ["account.view"],
    )
    assert (row.created_at, row.expires_at, row.revoked_at) == (clock.now(), None, None)


async def test_issuing_writes_one_audit_record_and_one_event(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")

    issued = await issue(db, clock, audit, user_id, "account.manage", "account.view")

    records = await audit_records(db)
    assert [
        (r.action, r.outcome, r.actor_user_id, r.target_type, r.target_id, r.details)
        for r in records
    ] == [
        (
            "identity.token_issued",
            "succeeded",
            user_id,
            "api_token",
            str(issued.id),
            {"organisation_id": None, "permissions": ["account.manage", "account.view"]},
        )
    ]
    assert await outbox(db) == [
        (
            "ApiTokenIssued",
            {
                "token_id": issued.id,
                "user_id": user_id,
                "audience": "shopper",
                "organisation_id": None,
            },
        )
    ]


async def test_a_token_grants_only_what_it_lists(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    assert (await principal(db, admin)).can(Permission.CONSOLE_OPERATORS_MANAGE)

    issued = await issue(db, clock, audit, admin, "console.view", audience=Audience.OPERATOR)

    found = await resolve(db, issued.token, clock.now())
    assert found is not None
    assert (found.user_id, found.via_token) == (admin, True)
    assert found.permissions == frozenset({Permission.CONSOLE_VIEW})
    assert not found.can(Permission.CONSOLE_OPERATORS_MANAGE)
    assert not found.can(Permission.ACCOUNT_VIEW)


async def test_a_seller_token_sees_only_its_organisation(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    mine, _ = await make_organisation(db, clock.now(), "Atelier", {user_id: SellerRole.MANAGER})
    other, _ = await make_organisation(db, clock.now(), "Other", {user_id: SellerRole.OWNER})

    issued = await issue(
        db,
        clock,
        audit,
        user_id,
        "seller.catalog.manage",
        audience=Audience.SELLER,
        organisation_id=mine,
    )

    found = await resolve(db, issued.token, clock.now())
    assert found is not None
    assert found.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=mine)
    assert not found.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=other)
    assert not found.can(Permission.SELLER_CATALOG_MANAGE)
    assert not found.can(Permission.SELLER_ORDERS_MANAGE, organisation_id=mine)
    assert not found.can(Permission.ACCOUNT_VIEW)
    assert [m.organisation_id for m in found.memberships] == [mine]


async def test_a_token_loses_what_the_roles_no_longer_grant(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    owner = await make_user(db, clock.now(), "owner@example.com")
    staff = await make_user(db, clock.now(), "staff@example.com")
    org, memberships = await make_organisation(
        db, clock.now(), "Atelier", {owner: SellerRole.OWNER, staff: SellerRole.STAFF}
    )
    issued = await issue(
        db,
        clock,
        audit,
        staff,
        "seller.orders.manage",
        audience=Audience.SELLER,
        organisation_id=org,
    )
    await remove_seller_member(
        db,
        actor=await principal(db, owner),
        organisation_id=org,
        membership_id=memberships[staff],
        now=clock.now(),
        audit=audit,
    )

    found = await resolve(db, issued.token, clock.now())

    assert found is not None
    assert found.seller_permissions == {}
    assert not found.can(Permission.SELLER_ORDERS_MANAGE, organisation_id=org)


async def test_empty_blank_unknown_revoked_and_expired_tokens_resolve_to_nobody(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    expiring = await issue(
        db, clock, audit, user_id, "account.view", expires_at=clock.now() + timedelta(hours=1)
    )
    revoked = await issue(db, clock, audit, user_id, "account.view")
    await revoke_api_token(db, user_id=user_id, token_id=revoked.id, now=clock.now(), audit=audit)
    now = clock.now()

    assert await resolve(db, expiring.token, now + timedelta(minutes=59)) is not None
    for token, when in [
        ("", now),
        ("   ", now),
        ("\t\n", now),
        ("gal_" + "x" * 43, now),
        (expiring.token[:-1], now),
        (expiring.prefix, now),
        (revoked.token, now),
        (expiring.token, now + timedelta(hours=1)),
        (expiring.token, now + timedelta(days=30)),
    ]:
        assert await resolve(db, token, when) is None, (token, when)


async def test_a_token_of_a_deactivated_person_resolves_to_nobody(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    issued = await issue(db, clock, audit, user_id, "account.view")
    assert await resolve(db, issued.token, clock.now()) is not None
    async with db.transaction() as session:
        await session.execute(update(User).where(User.id == user_id).values(is_active=False))

    assert await resolve(db, issued.token, clock.now()) is None


SELLER = Audience.SELLER
OPERATOR = Audience.OPERATOR
SHOPPER = Audience.SHOPPER


@pytest.mark.parametrize(
    ("who", "audience", "permissions", "organisation"),
    [
        ("shopper", SHOPPER, [], None),
        ("shopper", SHOPPER, ["account.view", "account.everything"], None),
        ("shopper", SHOPPER, [""], None),
        ("shopper", SHOPPER, ["account.view"], "mine"),
        ("shopper", SHOPPER, ["seller.centre.view"], None),
        ("shopper", SHOPPER, ["console.view"], None),
        ("shopper", OPERATOR, ["console.view"], None),
        ("support", OPERATOR, ["console.operators.manage"], None),
        ("support", OPERATOR, ["account.view"], None),
        ("support", OPERATOR, ["console.view"], "mine"),
        ("staff", SELLER, ["seller.centre.view"], None),
        ("staff", SELLER, ["seller.centre.view"], "other"),
        ("staff", SELLER, ["seller.members.manage"], "mine"),
        ("staff", SELLER, ["account.view"], "mine"),
        ("staff", "robot", ["account.view"], None),
    ],
)
async def test_a_scope_the_roles_do_not_cover_is_refused_and_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    who: str,
    audience: Any,
    permissions: list[str],
    organisation: str | None,
) -> None:
    shopper = await make_user(db, clock.now(), "shopper@example.com")
    support = await make_operator(db, clock.now(), "support@example.com", OperatorRole.SUPPORT)
    staff = await make_user(db, clock.now(), "staff@example.com")
    mine, _ = await make_organisation(db, clock.now(), "Mine", {staff: SellerRole.STAFF})
    other, _ = await make_organisation(db, clock.now(), "Other", {shopper: SellerRole.OWNER})
    user_id = {"shopper": shopper, "support": support, "staff": staff}[who]
    org = {"mine": mine, "other": other, None: None}[organisation]
    before = await snapshot(db)

    with pytest.raises(ValidationFailed) as caught:
        await issue(db, clock, audit, user_id, *permissions, audience=audience, organisation_id=org)

    assert caught.value.code == "bad_scope"
    assert caught.value.field in ("permissions", "audience")
    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("name", "expires_in", "field", "code"),
    [
        ("", timedelta(days=1), "name", "bad_token_name"),
        ("   ", timedelta(days=1), "name", "bad_token_name"),
        ("x" * 81, timedelta(days=1), "name", "bad_token_name"),
        ("ok", timedelta(0), "expires_at", "bad_expiry"),
        ("ok", -timedelta(seconds=1), "expires_at", "bad_expiry"),
    ],
)
async def test_a_bad_name_or_a_past_expiry_is_refused(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    name: str,
    expires_in: timedelta,
    field: str,
    code: str,
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    before = await snapshot(db)
    with pytest.raises(ValidationFailed) as caught:
        await issue(
            db,
            clock,
            audit,
            user_id,
            "account.view",
            name=name,
            expires_at=clock.now() + expires_in,
        )
    assert (caught.value.field, caught.value.code) == (field, code)
    assert await snapshot(db) == before


async def test_a_token_for_an_unknown_or_inactive_person_is_not_found(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    gone = await make_user(db, clock.now(), "gone@example.com", active=False)
    before = await snapshot(db)
    for user_id in (gone, 987654):
        with pytest.raises(NotFound):
            await issue(db, clock, audit, user_id, "account.view")
    assert await snapshot(db) == before
