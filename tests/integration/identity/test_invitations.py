"""Invitations by e-mail: the mail goes through the outbox with a link whose token is stored
only as a digest; the invited account accepts once; a replay, an expired or revoked
invitation, another account or another organisation are refused and change nothing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    SellerRole,
    accept_seller_invitation,
    invitation_by_token,
    invite_seller_member,
    list_seller_members,
    organisation_invitations,
    revoke_seller_invitation,
)
from galerie.identity.models import SellerInvitation
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, token_digest
from galerie.notifications import OutboxFolderMailer
from galerie.workers import OutboxDispatcher, build_handlers
from tests.factories import BASE_URL, SECRET
from tests.integration.identity.factories import (
    audit_records,
    make_organisation,
    make_user,
    only_new_audit_row,
    outbox,
    principal,
    snapshot,
)

AUDIT = AuditContext(request_id="test")


class Team:
    def __init__(self, ids: dict[str, int], org: int, rival_org: int) -> None:
        self.ids, self.org, self.rival_org = ids, org, rival_org


@pytest.fixture
async def team(db: Database, clock: FixedClock) -> Team:
    now = clock.now()
    ids = {
        name: await make_user(db, now, f"{name}@example.com")
        for name in ("owner", "manager", "staff", "invitee", "stranger", "rival")
    }
    org, _ = await make_organisation(
        db,
        now,
        "Maison Lune",
        {
            ids["owner"]: SellerRole.OWNER,
            ids["manager"]: SellerRole.MANAGER,
            ids["staff"]: SellerRole.STAFF,
        },
    )
    rival_org, _ = await make_organisation(db, now, "Rival", {ids["rival"]: SellerRole.OWNER})
    return Team(ids, org, rival_org)


async def _invite(
    db: Database, team: Team, now: datetime, who: str = "manager", **changes: object
) -> int:
    args: dict[str, object] = {
        "email": " Invitee@Example.com ",
        "role": SellerRole.STAFF,
        "acting_for_brand": None,
    }
    args.update(changes)
    return await invite_seller_member(
        db,
        actor=await principal(db, team.ids[who]),
        organisation_id=team.org,
        secret_key=SECRET,
        now=now,
        audit=AUDIT,
        **args,  # type: ignore[arg-type]
    )


async def _mailed_token(db: Database, clock: FixedClock, folder: Path) -> tuple[str, str]:
    handlers = build_handlers(
        mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL
    )
    assert await OutboxDispatcher(db, handlers, clock).dispatch_pending() >= 1
    [path] = [p for p in folder.iterdir() if p.name.startswith("seller-invitation-")]
    mail = message_from_bytes(path.read_bytes(), policy=default_policy)
    body = mail.get_content()
    found = re.search(re.escape(BASE_URL) + r"/invitations/([A-Za-z0-9_-]+)\n", body)
    assert found is not None, body
    return found.group(1), f"{mail['To']}|{mail['Subject']}"


async def test_an_invitation_is_mailed_and_accepted_once(
    db: Database, clock: FixedClock, team: Team, tmp_path: Path
) -> None:
    now = clock.now()
    before = await snapshot(db)
    invitation = await _invite(db, team, now)
    after = await snapshot(db)
    assert len(after["seller_invitations"]) == len(before["seller_invitations"]) + 1
    assert len(after["audit_records"]) == len(before["audit_records"]) + 1
    assert [name for name, _ in await outbox(db)][-1] == "SellerInvitationSent"

    token, header = await _mailed_token(db, clock, tmp_path / "mail")
    assert header == "invitee@example.com|Manager invites you to join Maison Lune on Galerie"
    async with db.reading() as session:
        row = await session.get(SellerInvitation, invitation)
        assert row is not None
        assert row.token_digest == token_digest(token)
        assert token not in str(await outbox(db))  # the token itself is stored nowhere
        view = await invitation_by_token(session, token=token, now=now)
    assert (view.organisation_name, view.role, view.state) == ("Maison Lune", "staff", "pending")

    invitee = await principal(db, team.ids["invitee"])
    before = await snapshot(db)
    assert (
        await accept_seller_invitation(db, actor=invitee, token=token, now=now, audit=AUDIT)
        == team.org
    )
    after = await snapshot(db)
    assert len(after["seller_memberships"]) == len(before["seller_memberships"]) + 1
    assert len(after["audit_records"]) == len(before["audit_records"]) + 1
    assert (await audit_records(db))[-1].actor_user_id == team.ids["invitee"]
    async with db.reading() as session:
        members = await list_seller_members(session, organisation_id=team.org)
    assert ("invitee@example.com", "staff") in [(m.email, m.role) for m in members]

    before = await snapshot(db)
    with pytest.raises(Conflict) as replay:
        await accept_seller_invitation(db, actor=invitee, token=token, now=now, audit=AUDIT)
    assert replay.value.code == "invitation_accepted"
    assert await snapshot(db) == before


async def test_expired_wrong_account_and_unknown_tokens_are_refused(
    db: Database, clock: FixedClock, team: Team, tmp_path: Path
) -> None:
    now = clock.now()
    await _invite(db, team, now)
    token, _ = await _mailed_token(db, clock, tmp_path / "mail")
    before = await snapshot(db)
    stranger = await principal(db, team.ids["stranger"])
    with pytest.raises(Forbidden) as wrong:
        await accept_seller_invitation(db, actor=stranger, token=token, now=now, audit=AUDIT)
    assert wrong.value.code == "invitation_for_another_account"
    invitee = await principal(db, team.ids["invitee"])
    with pytest.raises(NotFound):
        await accept_seller_invitation(db, actor=invitee, token=token + "x", now=now, audit=AUDIT)
    with pytest.raises(NotFound):
        await accept_seller_invitation(db, actor=invitee, token="", now=now, audit=AUDIT)
    later = now + timedelta(days=7, seconds=1)
    with pytest.raises(Conflict) as expired:
        await accept_seller_invitation(db, actor=invitee, token=token, now=later, audit=AUDIT)
    assert expired.value.code == "invitation_expired"
    assert await snapshot(db) == before
    # just inside the seven days it still works
    almost = now + timedelta(days=7) - timedelta(seconds=1)
    await accept_seller_invitation(db, actor=invitee, token=token, now=almost, audit=AUDIT)


async def test_a_revoked_invitation_cannot_be_accepted_and_others_cannot_revoke(
    db: Database, clock: FixedClock, team: Team, tmp_path: Path
) -> None:
    now = clock.now()
    invitation = await _invite(db, team, now)
    token, _ = await _mailed_token(db, clock, tmp_path / "mail")
    rival = await principal(db, team.ids["rival"])
    before = await snapshot(db)
    with pytest.raises(NotFound):  # on its own organisation's path: no such invitation
        await revoke_seller_invitation(
            db,
            actor=rival,
            organisation_id=team.rival_org,
            invitation_id=invitation,
            now=now,
            audit=AUDIT,
        )
    assert await snapshot(db) == before
    with pytest.raises(Forbidden):  # on ours: not a member (audited refusal only)
        await revoke_seller_invitation(
            db,
            actor=rival,
            organisation_id=team.org,
            invitation_id=invitation,
            now=now,
            audit=AUDIT,
        )
    assert only_new_audit_row(before, await snapshot(db))[0] is not None
    staff = await principal(db, team.ids["staff"])
    with pytest.raises(Forbidden):
        await revoke_seller_invitation(
            db,
            actor=staff,
            organisation_id=team.org,
            invitation_id=invitation,
            now=now,
            audit=AUDIT,
        )

    owner = await principal(db, team.ids["owner"])
    before = await snapshot(db)
    await revoke_seller_invitation(
        db, actor=owner, organisation_id=team.org, invitation_id=invitation, now=now, audit=AUDIT
    )
    after = await snapshot(db)
    assert len(after["audit_records"]) == len(before["audit_records"]) + 1
    async with db.reading() as session:
        [view] = await organisation_invitations(session, organisation_id=team.org, now=now)
    assert view.state == "revoked"
    invitee = await principal(db, team.ids["invitee"])
    before = await snapshot(db)
    with pytest.raises(Conflict) as revoked:
        await accept_seller_invitation(db, actor=invitee, token=token, now=now, audit=AUDIT)
    assert revoked.value.code == "invitation_revoked"
    assert await snapshot(db) == before


async def test_who_may_invite_whom(db: Database, clock: FixedClock, team: Team) -> None:
    now = clock.now()
    before = await snapshot(db)
    with pytest.raises(Forbidden):
        await _invite(db, team, now, who="staff")
    with pytest.raises(Forbidden) as owner_by_manager:
        await _invite(db, team, now, who="manager", role=SellerRole.OWNER)
    assert owner_by_manager.value.code == "owner_invites_owner"
    after = await snapshot(db)
    assert after["seller_invitations"] == before["seller_invitations"]
    assert after["seller_memberships"] == before["seller_memberships"]
    await _invite(db, team, now, who="owner", role=SellerRole.OWNER)
    await _invite(db, team, now, who="manager", role=SellerRole.AGENCY, acting_for_brand="Soleil")
    async with db.reading() as session:
        found = await session.scalars(select(SellerInvitation.role).order_by(SellerInvitation.id))
        assert list(found) == ["owner", "agency"]
