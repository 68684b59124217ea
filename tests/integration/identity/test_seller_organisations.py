"""Creating seller organisations: the owner becomes the first member."""

from __future__ import annotations

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Membership, Permission, SellerRole, create_seller_organisation
from galerie.kernel import FixedClock, NotFound, ValidationFailed
from tests.integration.identity.factories import (
    audit_records,
    make_user,
    outbox,
    principal,
    snapshot,
)


async def test_creating_an_organisation_makes_its_owner_a_member(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    owner = await make_user(db, clock.now(), "owner@example.com")

    org = await create_seller_organisation(
        db, name="  Atelier Lune ", owner_user_id=owner, now=clock.now(), audit=audit
    )

    found = await principal(db, owner)
    assert found.memberships == (Membership(org, "Atelier Lune", SellerRole.OWNER),)
    assert found.can(Permission.SELLER_MEMBERS_MANAGE, organisation_id=org)
    records = await audit_records(db)
    assert [(r.action, r.target_type, r.target_id, r.details) for r in records] == [
        (
            "identity.seller_organisation_created",
            "seller_organisation",
            str(org),
            {"owner_user_id": owner},
        )
    ]
    assert await outbox(db) == [
        (
            "SellerOrganisationCreated",
            {"organisation_id": org, "organisation_name": "Atelier Lune", "owner_user_id": owner},
        )
    ]


@pytest.mark.parametrize(
    ("name", "owner", "error", "code"),
    [
        ("", "active", ValidationFailed, "bad_organisation_name"),
        ("   ", "active", ValidationFailed, "bad_organisation_name"),
        ("x" * 121, "active", ValidationFailed, "bad_organisation_name"),
        ("Atelier", "nobody", NotFound, "user_not_found"),
        ("Atelier", "inactive", NotFound, "user_not_found"),
    ],
)
async def test_creating_an_organisation_from_bad_input_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    name: str,
    owner: str,
    error: type[Exception],
    code: str,
) -> None:
    active = await make_user(db, clock.now(), "owner@example.com")
    inactive = await make_user(db, clock.now(), "gone@example.com", active=False)
    owner_id = {"active": active, "inactive": inactive, "nobody": 987654}[owner]
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await create_seller_organisation(
            db, name=name, owner_user_id=owner_id, now=clock.now(), audit=audit
        )

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before
