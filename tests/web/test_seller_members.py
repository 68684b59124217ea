"""The seller centre's members page: owners add people who already have an account (with a
role, and the brand an agency operator acts for), change roles and remove members, each
with exactly one audit record; refusals are inline and change nothing; managers see the
list only; another organisation's memberships are not found; every form needs CSRF."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.identity import SellerRole
from galerie.identity.models import SellerMembership
from galerie.kernel import FixedClock
from tests.factories import Made, make_user
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form

ADDED = "identity.seller_member_added"
CHANGED = "identity.seller_member_role_changed"
REMOVED = "identity.seller_member_removed"
REFUSED = "access.refused"
NO_ACCOUNT = "No account uses this e-mail address: the person needs to sign up first."
LAST_OWNER = "An organisation needs at least one owner: make someone else owner first."
Row = tuple[int, int, str, str | None]


@dataclass(frozen=True)
class Team:
    org: int
    owner: Made
    people: list[Made]  # accounts that are not members yet


@pytest.fixture
async def team(app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock) -> Team:
    """An organisation whose owner is signed in, and two people with accounts."""
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER, display_name="Olive")
    assert owner.organisation_id is not None
    people = [await make_user(db, now=clock.now(), display_name=n) for n in ("Mia", "Ada")]
    await sign_in_as(client, app, owner.user_id)
    return Team(owner.organisation_id, owner, people)


async def audits(db: Database, action: str) -> list[tuple[int | None, str | None, str | None]]:
    """(actor, target type, target id) of one action's audit records, oldest first."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)
        )
        return [(r.actor_user_id, r.target_type, r.target_id) for r in rows]


async def audit_total(db: Database) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(AuditRecord)) or 0


async def memberships(db: Database, org: int) -> list[Row]:
    """(membership id, user id, role, brand) of one organisation, by id."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(SellerMembership)
            .where(SellerMembership.organisation_id == org)
            .order_by(SellerMembership.id)
        )
        return [(m.id, m.user_id, m.role, m.acting_for_brand) for m in rows]


async def membership_of(db: Database, org: int, user_id: int) -> int:
    return next(row[0] for row in await memberships(db, org) if row[1] == user_id)


async def invite(
    client: httpx.AsyncClient, email: str, role: str, brand: str = ""
) -> httpx.Response:
    data = {"email": email, "role": role, "acting_for_brand": brand}
    return await post_form(client, "/seller/members", data)


async def test_an_owner_adds_changes_and_removes_members_with_one_audit_record_each(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    mia, ada = team.people
    page = await client.get("/seller/members")
    assert page.status_code == 200
    assert "For someone who already has a Galerie account." in page.text
    assert 'action="/seller/members"' in page.text
    assert 'href="/seller/members"' in (await client.get("/seller")).text

    added = await invite(client, mia.email.upper(), "manager")
    assert added.status_code == 303
    assert added.headers["location"] == "/seller/members"
    mia_id = await membership_of(db, team.org, mia.user_id)
    agency = await invite(client, ada.email, "agency", "Maison Lumière")
    assert agency.status_code == 303
    ada_id = await membership_of(db, team.org, ada.user_id)
    assert (await memberships(db, team.org))[1:] == [
        (mia_id, mia.user_id, "manager", None),
        (ada_id, ada.user_id, "agency", "Maison Lumière"),
    ]
    me = team.owner.user_id
    assert await audits(db, ADDED) == [
        (me, "seller_membership", str(mia_id)),
        (me, "seller_membership", str(ada_id)),
    ]
    listing = await client.get("/seller/members")
    assert mia.email in listing.text
    assert "Maison Lumière" in listing.text

    changed = await post_form(client, f"/seller/members/{mia_id}/role", {"role": "staff"})
    assert changed.status_code == 303
    assert (await memberships(db, team.org))[1][2] == "staff"
    assert await audits(db, CHANGED) == [(me, "seller_membership", str(mia_id))]

    removed = await post_form(client, f"/seller/members/{ada_id}/remove", {})
    assert removed.status_code == 303
    assert [row[0] for row in await memberships(db, team.org)][1:] == [mia_id]
    assert await audits(db, REMOVED) == [(me, "seller_membership", str(ada_id))]


@pytest.mark.parametrize(
    ("email", "role", "brand", "status", "message"),
    [
        ("nobody@example.com", "staff", "", 422, NO_ACCOUNT),
        ("not-an-address", "staff", "", 422, "Enter a valid e-mail address."),
        (None, "agency", "", 422, "Name the brand the agency operator acts for."),
        (None, "staff", "Acme", 422, "Only an agency operator acts for a brand"),
        (None, "emperor", "", 422, "Choose one of the options offered."),
        (None, "agency", "x" * 121, 422, "This is too long (at most 120 characters)."),
        ("", "staff", "", 422, "This field is required."),
    ],
)
async def test_a_refused_addition_is_shown_inline_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    team: Team,
    email: str | None,
    role: str,
    brand: str,
    status: int,
    message: str,
) -> None:
    before, audited = await memberships(db, team.org), await audit_total(db)
    response = await invite(client, team.people[0].email if email is None else email, role, brand)
    assert response.status_code == status
    assert message in response.text
    assert 'role="alert"' in response.text
    assert await memberships(db, team.org) == before
    assert await audit_total(db) == audited


async def test_someone_already_a_member_is_a_conflict(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    assert (await invite(client, team.people[0].email, "staff")).status_code == 303
    before, audited = await memberships(db, team.org), await audit_total(db)
    again = await invite(client, team.people[0].email, "manager")
    assert again.status_code == 409
    assert "This person is already a member of the organisation." in again.text
    assert await memberships(db, team.org) == before
    assert await audit_total(db) == audited


async def test_a_bad_role_change_is_inline_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    assert (await invite(client, team.people[0].email, "staff")).status_code == 303
    member = await membership_of(db, team.org, team.people[0].user_id)
    before, audited = await memberships(db, team.org), await audit_total(db)
    for data, message in [
        ({"role": "agency"}, "Name the brand the agency operator acts for."),
        ({"role": "owner", "acting_for_brand": "Acme"}, "Only an agency operator acts"),
        ({"role": "emperor"}, "Choose one of the options offered."),
    ]:
        response = await post_form(client, f"/seller/members/{member}/role", data)
        assert response.status_code == 422
        assert f'id="member-{member}-error"' in response.text
        assert message in response.text
    assert await memberships(db, team.org) == before
    assert await audit_total(db) == audited


async def test_the_last_owner_can_be_neither_removed_nor_demoted(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    mine = await membership_of(db, team.org, team.owner.user_id)
    before, audited = await memberships(db, team.org), await audit_total(db)
    removed = await post_form(client, f"/seller/members/{mine}/remove", {})
    assert removed.status_code == 409
    assert LAST_OWNER in removed.text
    demoted = await post_form(client, f"/seller/members/{mine}/role", {"role": "manager"})
    assert demoted.status_code == 409
    assert LAST_OWNER in demoted.text
    assert await memberships(db, team.org) == before
    assert await audit_total(db) == audited


async def test_an_owner_who_steps_down_goes_back_to_the_centre(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    assert (await invite(client, team.people[0].email, "owner")).status_code == 303
    mine = await membership_of(db, team.org, team.owner.user_id)
    stepped = await post_form(client, f"/seller/members/{mine}/role", {"role": "staff"})
    assert stepped.status_code == 303
    assert stepped.headers["location"] == "/seller"
    as_staff = await client.get("/seller/members")  # staff see the list, read-only
    assert as_staff.status_code == 200
    assert f'action="/seller/members/{mine}/role"' not in as_staff.text


@pytest.mark.parametrize("role", [SellerRole.MANAGER, SellerRole.STAFF])
async def test_managers_and_staff_see_the_list_and_no_one_but_owners_manages(
    app: Litestar,
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    team: Team,
    role: SellerRole,
) -> None:
    person = await make_user(db, now=clock.now(), seller_role=role, organisation_id=team.org)
    await sign_in_as(client, app, person.user_id)
    page = await client.get("/seller/members")
    assert page.status_code == 200
    assert team.owner.email in page.text
    assert "Only owners add members, change roles and remove members." in page.text
    assert '<form method="post" action="/seller/members' not in page.text
    # managers invite by e-mail; staff only read
    assert ('id="invite-by-email"' in page.text) == (role is SellerRole.MANAGER)
    owner_id = await membership_of(db, team.org, team.owner.user_id)
    before = await memberships(db, team.org)
    for path, data in [
        ("/seller/members", {"email": team.people[0].email, "role": "owner"}),
        (f"/seller/members/{owner_id}/role", {"role": "staff"}),
        (f"/seller/members/{owner_id}/remove", {}),
    ]:
        refused_before = await audits(db, REFUSED)
        response = await post_form(client, path, data)
        assert response.status_code == 403, path
        assert await audits(db, REFUSED) == [*refused_before, (person.user_id, "route", path)]
    assert await memberships(db, team.org) == before
    assert await audits(db, ADDED) == await audits(db, CHANGED) == await audits(db, REMOVED) == []


async def test_another_organisations_members_are_not_found(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, team: Team
) -> None:
    other = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert other.organisation_id is not None
    stranger = await make_user(
        db, now=clock.now(), seller_role=SellerRole.STAFF, organisation_id=other.organisation_id
    )
    theirs = await membership_of(db, other.organisation_id, stranger.user_id)
    before, audited = await memberships(db, other.organisation_id), await audit_total(db)
    for path, data in [
        (f"/seller/members/{theirs}/role", {"role": "manager"}),
        (f"/seller/members/{theirs}/role", {"role": "agency"}),  # invalid, still not found
        (f"/seller/members/{theirs}/remove", {}),
        ("/seller/members/999999/remove", {}),
    ]:
        response = await post_form(client, path, data)
        assert response.status_code == 404, path
    assert stranger.email not in (await client.get("/seller/members")).text
    assert await memberships(db, other.organisation_id) == before
    assert await audit_total(db) == audited


async def test_every_form_needs_the_csrf_token(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    assert (await invite(client, team.people[0].email, "staff")).status_code == 303
    member = await membership_of(db, team.org, team.people[0].user_id)
    before = await memberships(db, team.org)
    for path, data in [
        ("/seller/members", {"email": team.people[1].email, "role": "staff"}),
        (f"/seller/members/{member}/role", {"role": "manager"}),
        (f"/seller/members/{member}/remove", {}),
    ]:
        for token in (None, "f" * 64):
            response = await post_form(client, path, data, csrf=token)
            assert response.status_code == 403, (path, token)
    assert await memberships(db, team.org) == before
    assert len(await audits(db, ADDED)) == 1
    assert await audits(db, CHANGED) == await audits(db, REMOVED) == []


async def test_names_and_brands_are_escaped(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, team: Team
) -> None:
    evil = await make_user(db, now=clock.now(), display_name="<script>alert(1)</script>")
    added = await invite(client, evil.email, "agency", "<b>Brand</b>")
    assert added.status_code == 303
    page = await client.get("/seller/members")
    assert "<script>alert(1)" not in page.text
    assert "<b>Brand" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;Brand&lt;/b&gt;" in page.text
