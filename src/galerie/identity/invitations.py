"""Invitations to join a seller organisation, by e-mail.

An owner or manager (SELLER_MEMBERS_INVITE; only an owner, who holds SELLER_MEMBERS_MANAGE,
may invite another owner) invites an address with a role. The token in the mailed link is
derived from the secret key and a random nonce (kernel.keyed_token); only its SHA-256
digest is stored. The invitee signs in (or registers) with that address and accepts: the
token works once, for 7 days, unless revoked. Accepting adds the membership in the same
transaction, with one conditional UPDATE so two acceptances cannot both land."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity.events import (
    SellerInvitationAccepted,
    SellerInvitationRevoked,
    SellerInvitationSent,
    SellerMemberAdded,
)
from galerie.identity.guards import acting_as, record_privileged, require_permission
from galerie.identity.models import SellerInvitation, SellerOrganisation
from galerie.identity.rules import Permission, Principal, SellerRole
from galerie.identity.sellers import _insert_membership, _role_and_brand
from galerie.identity.validation import normalise_email
from galerie.kernel import Conflict, Forbidden, NotFound, keyed_token, new_token, token_digest

INVITATION_TTL = timedelta(days=7)
INVITATION_PURPOSE = "seller-invitation"
TARGET = "seller_invitation"


def invitation_token(secret_key: str, nonce: str) -> str:
    """The token of the invitation whose event carries `nonce` (for the mail's link)."""
    return keyed_token(secret_key, INVITATION_PURPOSE, nonce)


@dataclass(frozen=True, slots=True)
class InvitationView:
    id: int
    organisation_id: int
    organisation_name: str
    email: str
    role: str
    acting_for_brand: str | None
    created_at: datetime
    expires_at: datetime
    state: str  # pending, accepted, revoked, expired


def _state(row: SellerInvitation, now: datetime) -> str:
    if row.accepted_at is not None:
        return "accepted"
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "pending"


def _view(row: SellerInvitation, organisation_name: str, now: datetime) -> InvitationView:
    return InvitationView(
        row.id,
        row.organisation_id,
        organisation_name,
        row.email,
        row.role,
        row.acting_for_brand,
        row.created_at,
        row.expires_at,
        _state(row, now),
    )


async def invite_seller_member(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    email: str,
    role: SellerRole,
    acting_for_brand: str | None,
    secret_key: str,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Invite `email` to join with `role`; the mail goes out through the outbox. Returns
    the invitation's id."""
    action = "identity.seller_invitation_sent"
    context = await require_permission(
        db,
        actor=actor,
        permission=Permission.SELLER_MEMBERS_INVITE,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target_type="seller_organisation",
        target_id=organisation_id,
    )
    chosen, brand = _role_and_brand(role, acting_for_brand)
    if chosen is SellerRole.OWNER and not actor.can(
        Permission.SELLER_MEMBERS_MANAGE, organisation_id=organisation_id
    ):
        raise Forbidden("Only an owner may invite another owner.", code="owner_invites_owner")
    address = normalise_email(email)
    nonce = new_token(24)
    async with db.transaction() as session:
        organisation = await session.get(SellerOrganisation, organisation_id)
        if organisation is None:  # pragma: no cover - require_permission needs a membership
            raise NotFound("No such organisation.", code="organisation_not_found")
        row = SellerInvitation(
            organisation_id=organisation_id,
            email=address,
            role=chosen.value,
            acting_for_brand=brand,
            token_digest=token_digest(invitation_token(secret_key, nonce)),
            invited_by_user_id=actor.user_id,
            created_at=now,
            expires_at=now + INVITATION_TTL,
        )
        session.add(row)
        await session.flush()
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=row.id,
            details={"organisation_id": organisation_id, "email": address, "role": chosen.value},
            event=SellerInvitationSent(
                invitation_id=row.id,
                organisation_id=organisation_id,
                organisation_name=organisation.name,
                email=address,
                role=chosen.value,
                acting_for_brand=brand,
                inviter_name=actor.display_name,
                language=actor.language,
                nonce=nonce,
                expires_at=row.expires_at.isoformat(),
            ),
        )
        return row.id


async def _by_token(session: AsyncSession, token: str, *, lock: bool) -> SellerInvitation:
    missing = NotFound("This invitation link is not valid.", code="invitation_not_found")
    if not token or len(token) > 100:
        raise missing
    query = select(SellerInvitation).where(SellerInvitation.token_digest == token_digest(token))
    row = await session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise missing
    return row


async def invitation_by_token(
    session: AsyncSession, *, token: str, now: datetime
) -> InvitationView:
    """What the invitation link shows before accepting; NotFound for an unknown token."""
    row = await _by_token(session, token, lock=False)
    name = await session.scalar(
        select(SellerOrganisation.name).where(SellerOrganisation.id == row.organisation_id)
    )
    return _view(row, name or "", now)


def _usable(row: SellerInvitation, actor: Principal, now: datetime) -> None:
    state = _state(row, now)
    if state != "pending":
        raise Conflict(f"This invitation is {state}.", code=f"invitation_{state}")
    if actor.email.strip().lower() != row.email:
        raise Forbidden(
            "This invitation was sent to another e-mail address.",
            code="invitation_for_another_account",
        )


async def accept_seller_invitation(
    db: Database, *, actor: Principal, token: str, now: datetime, audit: AuditContext
) -> int:
    """Join the organisation with the invited role, signed in as the invited address;
    returns the organisation's id. Used, revoked or expired invitations are a Conflict."""
    async with db.transaction() as session:
        row = await _by_token(session, token, lock=True)
        _usable(row, actor, now)
        result = await session.execute(
            update(SellerInvitation)
            .where(
                SellerInvitation.id == row.id,
                SellerInvitation.accepted_at.is_(None),
                SellerInvitation.revoked_at.is_(None),
            )
            .values(accepted_at=now, accepted_by_user_id=actor.user_id)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount != 1:
            raise Conflict("This invitation is accepted.", code="invitation_accepted")
        role = SellerRole(row.role)
        member = await _insert_membership(
            session, row.organisation_id, actor.user_id, role, row.acting_for_brand, now
        )
        record_privileged(
            session,
            context=acting_as(audit, actor.user_id),
            action="identity.seller_invitation_accepted",
            now=now,
            target_type=TARGET,
            target_id=row.id,
            details={"organisation_id": row.organisation_id, "membership_id": member.id},
            event=SellerInvitationAccepted(
                invitation_id=row.id,
                organisation_id=row.organisation_id,
                user_id=actor.user_id,
                role=role.value,
            ),
        )
        record_event(
            session,
            SellerMemberAdded(
                organisation_id=row.organisation_id,
                user_id=actor.user_id,
                role=role.value,
                acting_for_brand=row.acting_for_brand,
            ),
            now=now,
        )
        return row.organisation_id


async def revoke_seller_invitation(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    invitation_id: int,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Revoke a pending invitation of the organisation (NotFound for another's)."""
    action = "identity.seller_invitation_revoked"
    context = await require_permission(
        db,
        actor=actor,
        permission=Permission.SELLER_MEMBERS_INVITE,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target_type=TARGET,
        target_id=invitation_id,
    )
    async with db.transaction() as session:
        row = await session.scalar(
            select(SellerInvitation)
            .where(
                SellerInvitation.id == invitation_id,
                SellerInvitation.organisation_id == organisation_id,
            )
            .with_for_update()
        )
        if row is None:
            raise NotFound("No such invitation.", code="invitation_not_found")
        state = _state(row, now)
        if state not in ("pending", "expired"):
            raise Conflict(f"This invitation is {state}.", code=f"invitation_{state}")
        row.revoked_at = now
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=row.id,
            details={"organisation_id": organisation_id},
            event=SellerInvitationRevoked(
                invitation_id=row.id, organisation_id=organisation_id, revoked_by=actor.user_id
            ),
        )


async def organisation_invitations(
    session: AsyncSession, *, organisation_id: int, now: datetime
) -> list[InvitationView]:
    """The organisation's invitations, newest first (one query)."""
    rows = await session.execute(
        select(SellerInvitation, SellerOrganisation.name)
        .join(SellerOrganisation, SellerOrganisation.id == SellerInvitation.organisation_id)
        .where(SellerInvitation.organisation_id == organisation_id)
        .order_by(SellerInvitation.id.desc())
    )
    return [_view(row, name, now) for row, name in rows.tuples()]
