"""Operators: creating them, granting and revoking roles, and refusals that are audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    Audience,
    OperatorRole,
    Permission,
    Principal,
    SellerRole,
    create_operator,
    grant_operator_role,
    issue_api_token,
    principal_for_token,
    revoke_operator_role,
    verify_password,
)
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, ValidationFailed
from tests.integration.identity.factories import (
    PASSWORD,
    audit_records,
    make_operator,
    make_organisation,
    make_user,
    only_new_audit_row,
    outbox,
    principal,
    snapshot,
    user_row,
)


async def test_an_operator_is_created_with_roles_one_audit_record_and_one_event(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await create_operator(
        db,
        email=" Root@Example.com",
        password=PASSWORD,
        display_name="Root",
        roles=[OperatorRole.ADMIN, OperatorRole.FINANCE, OperatorRole.ADMIN],
        language="en",
        now=clock.now(),
        audit=audit,
    )

    user = await user_row(db, user_id)
    assert (user.email, user.display_name, user.is_active) == ("root@example.com", "Root", True)
    assert verify_password(user.password_hash, PASSWORD)
    assert (await principal(db, user_id)).operator_roles == {
        OperatorRole.ADMIN,
        OperatorRole.FINANCE,
    }
    records = await audit_records(db)
    assert [(r.action, r.target_id, r.details) for r in records] == [
        ("identity.operator_created", str(user_id), {"roles": ["admin", "finance"]})
    ]
    assert await outbox(db) == [
        (
            "OperatorCreated",
            {"user_id": user_id, "email": "root@example.com", "roles": ["admin", "finance"]},
        )
    ]


@pytest.mark.parametrize(
    ("roles", "email", "error", "code"),
    [
        ([], "new@example.com", ValidationFailed, "no_roles"),
        (["superuser"], "new@example.com", ValidationFailed, "unknown_role"),
        ([OperatorRole.SUPPORT], "not-an-email", ValidationFailed, "bad_email"),
        ([OperatorRole.SUPPORT], "taken@example.com", Conflict, "email_taken"),
    ],
)
async def test_creating_an_operator_from_bad_input_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    roles: list[Any],
    email: str,
    error: type[Exception],
    code: str,
) -> None:
    await make_user(db, clock.now(), "taken@example.com")
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await create_operator(
            db,
            email=email,
            password=PASSWORD,
            display_name="New",
            roles=roles,
            language="en",
            now=clock.now(),
            audit=audit,
        )

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before


async def grant(
    db: Database, clock: FixedClock, audit: AuditContext, actor: Principal, user_id: int, role: Any
) -> None:
    await grant_operator_role(
        db, actor=actor, user_id=user_id, role=role, now=clock.now(), audit=audit
    )


async def revoke(
    db: Database, clock: FixedClock, audit: AuditContext, actor: Principal, user_id: int, role: Any
) -> None:
    await revoke_operator_role(
        db, actor=actor, user_id=user_id, role=role, now=clock.now(), audit=audit
    )


async def test_an_admin_grants_a_role_with_one_audit_record_and_one_event(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    user_id = await make_user(db, clock.now(), "vera@example.com")

    await grant(db, clock, audit, await principal(db, admin), user_id, OperatorRole.VETTING)

    granted = await principal(db, user_id)
    assert granted.operator_roles == {OperatorRole.VETTING}
    assert granted.can(Permission.CONSOLE_VETTING)
    records = await audit_records(db)
    assert [(r.action, r.outcome, r.actor_user_id, r.target_id, r.details) for r in records] == [
        ("identity.operator_role_granted", "succeeded", admin, str(user_id), {"role": "vetting"})
    ]
    assert (records[0].ip_address, records[0].request_id) == ("203.0.113.7", "req-1")
    assert await outbox(db) == [
        ("OperatorRoleGranted", {"user_id": user_id, "role": "vetting", "granted_by": admin})
    ]


@pytest.mark.parametrize("actor_kind", ["support", "shopper", "seller_owner", "admin_token"])
async def test_granting_without_the_permission_is_forbidden_and_only_audited(
    db: Database, clock: FixedClock, audit: AuditContext, actor_kind: str
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    support = await make_operator(db, clock.now(), "help@example.com", OperatorRole.SUPPORT)
    shopper = await make_user(db, clock.now(), "shopper@example.com")
    owner = await make_user(db, clock.now(), "owner@example.com")
    await make_organisation(db, clock.now(), "Atelier", {owner: SellerRole.OWNER})
    actor = await actor_for(db, clock, audit, actor_kind, admin, support, shopper, owner)
    before = await snapshot(db)

    with pytest.raises(Forbidden) as caught:
        await grant(db, clock, audit, actor, shopper, OperatorRole.ADMIN)

    assert (caught.value.code, caught.value.message) == (
        "forbidden",
        "You are not allowed to do this.",
    )
    row = only_new_audit_row(before, await snapshot(db))
    refused = (await audit_records(db))[-1]
    assert row[0] == refused.id
    assert (refused.action, refused.outcome, refused.actor_user_id, refused.target_id) == (
        "identity.operator_role_granted",
        "refused",
        actor.user_id,
        str(shopper),
    )
    assert refused.reason == "missing permission console.operators.manage"


async def actor_for(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    kind: str,
    admin: int,
    support: int,
    shopper: int,
    owner: int,
) -> Principal:
    if kind == "admin_token":  # an admin acting through a token that lacks the permission
        issued = await issue_api_token(
            db,
            user_id=admin,
            name="read only",
            audience=Audience.OPERATOR,
            permissions=["console.view"],
            organisation_id=None,
            expires_at=clock.now() + timedelta(days=1),
            now=clock.now(),
            audit=audit,
        )
        async with db.reading() as session:
            narrowed = await principal_for_token(session, issued.token, now=clock.now())
        assert narrowed is not None
        return narrowed
    return await principal(
        db, {"support": support, "shopper": shopper, "seller_owner": owner}[kind]
    )


@pytest.mark.parametrize(
    ("target", "role", "error", "code"),
    [
        ("vera", OperatorRole.SUPPORT, Conflict, "role_already_granted"),
        ("nobody", OperatorRole.SUPPORT, NotFound, "user_not_found"),
        ("inactive", OperatorRole.SUPPORT, NotFound, "user_not_found"),
        ("vera", "overlord", ValidationFailed, "unknown_role"),
    ],
)
async def test_a_grant_that_cannot_apply_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    target: str,
    role: Any,
    error: type[Exception],
    code: str,
) -> None:
    admin = await principal(
        db, await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    )
    vera = await make_operator(db, clock.now(), "vera@example.com", OperatorRole.SUPPORT)
    inactive = await make_user(db, clock.now(), "gone@example.com", active=False)
    user_id = {"vera": vera, "nobody": 987654, "inactive": inactive}[target]
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await grant(db, clock, audit, admin, user_id, role)

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before


async def test_an_admin_revokes_a_role_with_one_audit_record_and_one_event(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    vera = await make_operator(
        db, clock.now(), "vera@example.com", OperatorRole.SUPPORT, OperatorRole.VETTING
    )

    await revoke(db, clock, audit, await principal(db, admin), vera, OperatorRole.SUPPORT)

    assert (await principal(db, vera)).operator_roles == {OperatorRole.VETTING}
    records = await audit_records(db)
    assert [(r.action, r.outcome, r.actor_user_id, r.target_id, r.details) for r in records] == [
        ("identity.operator_role_revoked", "succeeded", admin, str(vera), {"role": "support"})
    ]
    assert await outbox(db) == [
        ("OperatorRoleRevoked", {"user_id": vera, "role": "support", "revoked_by": admin})
    ]


async def test_revoking_a_role_not_held_is_not_found(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    vera = await make_operator(db, clock.now(), "vera@example.com", OperatorRole.SUPPORT)
    before = await snapshot(db)

    with pytest.raises(NotFound) as caught:
        await revoke(db, clock, audit, await principal(db, admin), vera, OperatorRole.FINANCE)

    assert caught.value.code == "role_not_granted"
    assert await snapshot(db) == before


async def test_the_last_admin_keeps_the_role(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    before = await snapshot(db)

    with pytest.raises(Conflict) as caught:
        await revoke(db, clock, audit, await principal(db, admin), admin, OperatorRole.ADMIN)

    assert caught.value.code == "last_admin"
    assert await snapshot(db) == before


async def test_an_admin_may_step_down_while_another_remains(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    first = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    second = await make_operator(db, clock.now(), "root2@example.com", OperatorRole.ADMIN)
    actor = await principal(db, first)

    await revoke(db, clock, audit, actor, first, OperatorRole.ADMIN)

    assert (await principal(db, first)).operator_roles == frozenset()
    assert (await principal(db, second)).operator_roles == {OperatorRole.ADMIN}
    with pytest.raises(Conflict):
        await revoke(db, clock, audit, await principal(db, second), second, OperatorRole.ADMIN)


async def test_revoking_without_the_permission_is_forbidden_and_only_audited(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    admin = await make_operator(db, clock.now(), "root@example.com", OperatorRole.ADMIN)
    support = await make_operator(db, clock.now(), "help@example.com", OperatorRole.SUPPORT)
    before = await snapshot(db)

    with pytest.raises(Forbidden):
        await revoke(db, clock, audit, await principal(db, support), admin, OperatorRole.ADMIN)

    only_new_audit_row(before, await snapshot(db))
    refused = (await audit_records(db))[-1]
    assert (refused.action, refused.outcome, refused.actor_user_id) == (
        "identity.operator_role_revoked",
        "refused",
        support,
    )
    assert (await principal(db, admin)).operator_roles == {OperatorRole.ADMIN}
