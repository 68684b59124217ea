"""Seller organisations and members: roles, the agency brand, the last owner, tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    Membership,
    OperatorRole,
    Permission,
    Principal,
    SellerMemberView,
    SellerRole,
    add_seller_member,
    change_seller_member_role,
    list_seller_members,
    remove_seller_member,
)
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, ValidationFailed
from tests.integration.identity.factories import (
    audit_records,
    make_operator,
    make_organisation,
    make_user,
    only_new_audit_row,
    outbox,
    principal,
    snapshot,
)


class Shop:
    """An organisation with an owner, a manager and a staff member, and a second shop."""

    def __init__(self, ids: dict[str, int], org: int, other: int, memberships: dict[int, int]):
        self.ids = ids
        self.org = org
        self.other = other
        self.memberships = memberships

    def membership(self, who: str) -> int:
        return self.memberships[self.ids[who]]


@pytest.fixture
async def shop(db: Database, clock: FixedClock) -> Shop:
    now = clock.now()
    ids = {
        name: await make_user(db, now, f"{name}@example.com")
        for name in ("owner", "manager", "staff", "newcomer", "rival")
    }
    ids["admin"] = await make_operator(db, now, "admin@example.com", OperatorRole.ADMIN)
    members = {
        ids["owner"]: SellerRole.OWNER,
        ids["manager"]: SellerRole.MANAGER,
        ids["staff"]: SellerRole.STAFF,
    }
    org, memberships = await make_organisation(db, now, "Atelier", members)
    other, theirs = await make_organisation(db, now, "Rival", {ids["rival"]: SellerRole.OWNER})
    return Shop(ids, org, other, memberships | theirs)


async def add(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    actor: Principal,
    org: int,
    email: str,
    role: Any,
    brand: str | None = None,
) -> int:
    return await add_seller_member(
        db,
        actor=actor,
        organisation_id=org,
        email=email,
        role=role,
        acting_for_brand=brand,
        now=clock.now(),
        audit=audit,
    )


async def test_an_owner_adds_an_agency_operator_acting_for_a_brand(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop
) -> None:
    owner = await principal(db, shop.ids["owner"])

    membership = await add(
        db, clock, audit, owner, shop.org, " NEWCOMER@example.com", SellerRole.AGENCY, " Lune "
    )

    newcomer = shop.ids["newcomer"]
    found = await principal(db, newcomer)
    assert found.memberships == (Membership(shop.org, "Atelier", SellerRole.AGENCY),)
    assert found.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=shop.org)
    assert not found.can(Permission.SELLER_FINANCE_VIEW, organisation_id=shop.org)
    async with db.reading() as session:
        members = await list_seller_members(session, organisation_id=shop.org)
    assert members[-1] == SellerMemberView(
        membership_id=membership,
        user_id=newcomer,
        email="newcomer@example.com",
        display_name="Newcomer",
        role=SellerRole.AGENCY,
        acting_for_brand="Lune",
        created_at=clock.now(),
    )
    assert [m.role for m in members] == [
        SellerRole.OWNER,
        SellerRole.MANAGER,
        SellerRole.STAFF,
        SellerRole.AGENCY,
    ]
    records = await audit_records(db)
    assert [(r.action, r.actor_user_id, r.target_id, r.details) for r in records] == [
        (
            "identity.seller_member_added",
            owner.user_id,
            str(membership),
            {"organisation_id": shop.org, "user_id": newcomer, "role": "agency"},
        )
    ]
    assert await outbox(db) == [
        (
            "SellerMemberAdded",
            {
                "organisation_id": shop.org,
                "user_id": newcomer,
                "role": "agency",
                "acting_for_brand": "Lune",
            },
        )
    ]


@pytest.mark.parametrize(
    ("email", "role", "brand", "error", "code"),
    [
        ("newcomer@example.com", SellerRole.AGENCY, None, ValidationFailed, "brand_required"),
        ("newcomer@example.com", SellerRole.AGENCY, "  ", ValidationFailed, "brand_required"),
        ("newcomer@example.com", SellerRole.AGENCY, "b" * 121, ValidationFailed, "bad_brand"),
        ("newcomer@example.com", SellerRole.STAFF, "Lune", ValidationFailed, "brand_not_allowed"),
        ("newcomer@example.com", "janitor", None, ValidationFailed, "unknown_role"),
        ("not-an-email", SellerRole.STAFF, None, ValidationFailed, "bad_email"),
        ("stranger@example.com", SellerRole.STAFF, None, NotFound, "user_not_found"),
        ("staff@example.com", SellerRole.MANAGER, None, Conflict, "already_member"),
        ("OWNER@example.com", SellerRole.STAFF, None, Conflict, "already_member"),
    ],
)
async def test_adding_a_member_from_bad_input_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    shop: Shop,
    email: str,
    role: Any,
    brand: str | None,
    error: type[Exception],
    code: str,
) -> None:
    owner = await principal(db, shop.ids["owner"])
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await add(db, clock, audit, owner, shop.org, email, role, brand)

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before


@pytest.mark.parametrize("actor", ["manager", "staff", "rival", "admin", "newcomer"])
async def test_only_an_owner_of_the_organisation_manages_members(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop, actor: str
) -> None:
    acting = await principal(db, shop.ids[actor])
    target = shop.membership("staff")
    attempts = [
        ("identity.seller_member_added", "seller_organisation", shop.org),
        ("identity.seller_member_role_changed", "seller_membership", target),
        ("identity.seller_member_removed", "seller_membership", target),
    ]
    for action, target_type, target_id in attempts:
        before = await snapshot(db)
        with pytest.raises(Forbidden):
            await attempt(db, clock, audit, acting, shop, action)
        only_new_audit_row(before, await snapshot(db))
        refused = (await audit_records(db))[-1]
        assert (refused.action, refused.outcome, refused.actor_user_id) == (
            action,
            "refused",
            acting.user_id,
        )
        assert (refused.target_type, refused.target_id) == (target_type, str(target_id))
        assert refused.reason == "missing permission seller.members.manage"
        assert refused.details == {"organisation_id": shop.org}


async def attempt(
    db: Database, clock: FixedClock, audit: AuditContext, actor: Principal, shop: Shop, action: str
) -> None:
    if action == "identity.seller_member_added":
        await add(db, clock, audit, actor, shop.org, "newcomer@example.com", SellerRole.OWNER)
    elif action == "identity.seller_member_role_changed":
        await change(db, clock, audit, actor, shop.org, shop.membership("staff"), SellerRole.OWNER)
    else:
        await remove(db, clock, audit, actor, shop.org, shop.membership("staff"))


async def change(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    actor: Principal,
    org: int,
    membership_id: int,
    role: Any,
    brand: str | None = None,
) -> None:
    await change_seller_member_role(
        db,
        actor=actor,
        organisation_id=org,
        membership_id=membership_id,
        role=role,
        acting_for_brand=brand,
        now=clock.now(),
        audit=audit,
    )


async def remove(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    actor: Principal,
    org: int,
    membership_id: int,
) -> None:
    await remove_seller_member(
        db,
        actor=actor,
        organisation_id=org,
        membership_id=membership_id,
        now=clock.now(),
        audit=audit,
    )


async def test_an_owner_changes_a_members_role(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop
) -> None:
    owner = await principal(db, shop.ids["owner"])
    staff = shop.ids["staff"]

    await change(db, clock, audit, owner, shop.org, shop.membership("staff"), SellerRole.MANAGER)

    assert (await principal(db, staff)).memberships == (
        Membership(shop.org, "Atelier", SellerRole.MANAGER),
    )
    records = await audit_records(db)
    assert [(r.action, r.actor_user_id, r.target_id, r.details) for r in records] == [
        (
            "identity.seller_member_role_changed",
            owner.user_id,
            str(shop.membership("staff")),
            {"organisation_id": shop.org, "from": "staff", "to": "manager"},
        )
    ]
    assert await outbox(db) == [
        (
            "SellerMemberRoleChanged",
            {
                "organisation_id": shop.org,
                "user_id": staff,
                "old_role": "staff",
                "new_role": "manager",
                "acting_for_brand": None,
            },
        )
    ]


async def test_asking_for_the_current_role_changes_and_records_nothing(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop
) -> None:
    owner = await principal(db, shop.ids["owner"])
    before = await snapshot(db)

    await change(db, clock, audit, owner, shop.org, shop.membership("staff"), SellerRole.STAFF)

    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("who", "role", "brand", "error", "code"),
    [
        ("owner", SellerRole.MANAGER, None, Conflict, "last_owner"),
        ("staff", SellerRole.AGENCY, None, ValidationFailed, "brand_required"),
        ("staff", SellerRole.MANAGER, "Lune", ValidationFailed, "brand_not_allowed"),
        ("staff", "janitor", None, ValidationFailed, "unknown_role"),
        ("rival", SellerRole.STAFF, None, NotFound, "member_not_found"),
        ("missing", SellerRole.STAFF, None, NotFound, "member_not_found"),
    ],
)
async def test_a_role_change_that_cannot_apply_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    shop: Shop,
    who: str,
    role: Any,
    brand: str | None,
    error: type[Exception],
    code: str,
) -> None:
    owner = await principal(db, shop.ids["owner"])
    membership = 987654 if who == "missing" else shop.membership(who)
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await change(db, clock, audit, owner, shop.org, membership, role, brand)

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before


async def test_an_owner_may_step_down_once_there_is_another_owner(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop
) -> None:
    owner = await principal(db, shop.ids["owner"])
    await change(db, clock, audit, owner, shop.org, shop.membership("manager"), SellerRole.OWNER)

    await change(db, clock, audit, owner, shop.org, shop.membership("owner"), SellerRole.STAFF)

    assert (await principal(db, shop.ids["owner"])).memberships[0].role is SellerRole.STAFF
    new_owner = await principal(db, shop.ids["manager"])
    with pytest.raises(Conflict) as caught:
        await remove(db, clock, audit, new_owner, shop.org, shop.membership("manager"))
    assert caught.value.code == "last_owner"


async def test_an_owner_removes_a_member(
    db: Database, clock: FixedClock, audit: AuditContext, shop: Shop
) -> None:
    owner = await principal(db, shop.ids["owner"])
    staff = shop.ids["staff"]

    await remove(db, clock, audit, owner, shop.org, shop.membership("staff"))

    assert (await principal(db, staff)).memberships == ()
    records = await audit_records(db)
    assert [(r.action, r.actor_user_id, r.target_id, r.details) for r in records] == [
        (
            "identity.seller_member_removed",
            owner.user_id,
            str(shop.membership("staff")),
            {"organisation_id": shop.org, "user_id": staff, "role": "staff"},
        )
    ]
    assert await outbox(db) == [
        ("SellerMemberRemoved", {"organisation_id": shop.org, "user_id": staff, "role": "staff"})
    ]


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        ("owner", Conflict, "last_owner"),
        ("rival", NotFound, "member_not_found"),
        ("missing", NotFound, "member_not_found"),
    ],
)
async def test_a_removal_that_cannot_apply_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    shop: Shop,
    who: str,
    error: type[Exception],
    code: str,
) -> None:
    owner = await principal(db, shop.ids["owner"])
    membership = 987654 if who == "missing" else shop.membership(who)
    before = await snapshot(db)

    with pytest.raises(error) as caught:
        await remove(db, clock, audit, owner, shop.org, membership)

    assert getattr(caught.value, "code", None) == code
    assert await snapshot(db) == before
