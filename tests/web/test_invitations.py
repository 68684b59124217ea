"""Invitations end to end through the app: an owner invites an address from the members
page, the mail carries the link, the invitee signs in and accepts once; a replay, another
account, an anonymous visitor and another organisation get nothing. The API does the same
with bearer tokens."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from litestar import Litestar
from sqlalchemy import func, select

from galerie.db import Database
from galerie.identity import SellerRole
from galerie.identity.models import SellerInvitation, SellerMembership
from galerie.kernel import FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.workers import OutboxDispatcher, build_handlers
from tests.factories import BASE_URL, SECRET, make_token, make_user
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form


async def _mailed_token(db: Database, clock: FixedClock, folder: Path) -> str:
    handlers = build_handlers(
        mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL
    )
    await OutboxDispatcher(db, handlers, clock).dispatch_pending()
    [mail] = [p for p in folder.iterdir() if p.name.startswith("seller-invitation-")]
    found = re.search(rb"/invitations/([A-Za-z0-9_-]+)", mail.read_bytes())
    assert found is not None
    return found.group(1).decode()


async def _memberships(db: Database) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(SellerMembership)) or 0


async def test_invite_from_the_members_page_and_accept_once(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    invitee = await make_user(db, now=clock.now())
    stranger = await make_user(db, now=clock.now())
    await sign_in_as(client, app, owner.user_id)
    form = {"email": invitee.email, "role": "manager", "acting_for_brand": ""}
    sent = await post_form(client, "/seller/invitations", form)
    assert sent.status_code == 303
    page = await client.get("/seller/members")
    assert invitee.email in page.text
    assert "Waiting for an answer" in page.text
    token = await _mailed_token(db, clock, tmp_path / "mail")

    client.cookies.clear()
    landing = await client.get(f"/invitations/{token}")
    assert landing.status_code == 200
    assert f'href="/signin?next=/invitations/{token}"' in landing.text
    assert (await client.get("/invitations/not-a-token")).status_code == 404

    await sign_in_as(client, app, stranger.user_id)
    before = await _memberships(db)
    wrong = await post_form(client, f"/invitations/{token}/accept", {})
    assert wrong.status_code == 409
    assert "This invitation was sent to another e-mail address" in wrong.text
    assert await _memberships(db) == before

    client.cookies.clear()
    await sign_in_as(client, app, invitee.user_id)
    accepted = await post_form(client, f"/invitations/{token}/accept", {})
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/seller")
    assert await _memberships(db) == before + 1
    assert (await client.get("/seller/members")).status_code == 200  # a manager now
    replay = await post_form(client, f"/invitations/{token}/accept", {})
    assert replay.status_code == 409
    assert "This invitation has already been used." in replay.text
    assert await _memberships(db) == before + 1


async def test_staff_cannot_invite_and_a_manager_cannot_invite_an_owner(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    owner = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    org = owner.organisation_id
    manager = await make_user(
        db, now=clock.now(), seller_role=SellerRole.MANAGER, organisation_id=org
    )
    staff = await make_user(db, now=clock.now(), seller_role=SellerRole.STAFF, organisation_id=org)
    await sign_in_as(client, app, staff.user_id)
    refused = await post_form(
        client, "/seller/invitations", {"email": "a@example.com", "role": "staff"}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    await sign_in_as(client, app, manager.user_id)
    owner_invite = await post_form(
        client, "/seller/invitations", {"email": "a@example.com", "role": "owner"}
    )
    assert owner_invite.status_code == 403
    assert "Only an owner may invite another owner." in owner_invite.text
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(SellerInvitation)) == 0


async def test_invitations_through_the_api(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    now = clock.now()
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    rival = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    invitee = await make_user(db, now=now)
    perms = ["seller.members.invite", "seller.members.view"]

    async def bearer(user_id: int, org: int | None, audience: str = "seller") -> dict[str, str]:
        permissions = perms if audience == "seller" else ["account.view", "account.manage"]
        token = await make_token(
            db,
            user_id=user_id,
            now=now,
            permissions=permissions,
            audience=audience,
            organisation_id=org,
        )
        return {"Authorization": f"Bearer {token}"}

    mine = await bearer(owner.user_id, owner.organisation_id)
    theirs = await bearer(rival.user_id, rival.organisation_id)
    base = f"/api/v1/organisations/{owner.organisation_id}/invitations"
    created = await client.post(base, json={"email": invitee.email, "role": "staff"}, headers=mine)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["email"], body["role"], body["state"]) == (invitee.email, "staff", "pending")
    assert "token" not in body
    invitation = body["id"]
    assert (await client.get(base, headers=theirs)).status_code == 403
    assert (await client.post(f"{base}/{invitation}/revoke", headers=theirs)).status_code == 403
    rival_path = f"/api/v1/organisations/{rival.organisation_id}/invitations/{invitation}/revoke"
    assert (await client.post(rival_path, headers=theirs)).status_code == 404
    assert (await client.get(base, headers=mine)).json()[0]["state"] == "pending"

    token = await _mailed_token(db, clock, tmp_path / "mail")
    accepting = await bearer(invitee.user_id, None, audience="shopper")
    joined = await client.post(
        "/api/v1/invitations/accept", json={"token": token}, headers=accepting
    )
    assert joined.json() == {"organisation_id": owner.organisation_id}
    again = await client.post(
        "/api/v1/invitations/accept", json={"token": token}, headers=accepting
    )
    assert (again.status_code, again.json()["code"]) == (409, "invitation_accepted")
    anonymous = await client.post("/api/v1/invitations/accept", json={"token": token})
    assert anonymous.status_code == 401
    revoked = await client.post(f"{base}/{invitation}/revoke", headers=mine)
    assert (revoked.status_code, revoked.json()["code"]) == (409, "invitation_accepted")
