"""Invitations through the API. Seller side, for the organisation of the path (owners and
managers: SELLER_MEMBERS_INVITE): list, invite an e-mail address with a role, revoke. The
invitee's side: accept with the token from the mail, signed in as the invited address."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from galerie.identity import (
    InvitationView,
    Permission,
    SellerRole,
    accept_seller_invitation,
    invite_seller_member,
    organisation_invitations,
    revoke_seller_invitation,
)
from galerie.kernel import NotFound
from galerie.web.auth import galerie_of, requires, signed_in
from galerie.web.rendering import audit_context, current_principal

INVITE = requires(Permission.SELLER_MEMBERS_INVITE)


class InvitationBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    role: SellerRole
    acting_for_brand: Annotated[str, msgspec.Meta(max_length=120)] | None = None


class AcceptBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class InvitationOut(msgspec.Struct, frozen=True):
    """An invitation as its organisation sees it; the token is only ever in the mail."""

    id: int
    organisation_id: int
    email: str
    role: str
    acting_for_brand: str | None
    created_at: datetime
    expires_at: datetime
    state: str


class Joined(msgspec.Struct, frozen=True):
    organisation_id: int


def _out(view: InvitationView) -> InvitationOut:
    return InvitationOut(
        view.id,
        view.organisation_id,
        view.email,
        view.role,
        view.acting_for_brand,
        view.created_at,
        view.expires_at,
        view.state,
    )


async def _listed(request: Request[Any, Any, Any], organisation_id: int) -> list[InvitationOut]:
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        found = await organisation_invitations(
            session, organisation_id=organisation_id, now=galerie.clock.now()
        )
    return [_out(v) for v in found]


class SellerInvitationsController(Controller):
    path = "/organisations/{organisation_id:int}/invitations"
    tags = ["seller: members"]  # noqa: RUF012 - Litestar's API

    @get("", opt=INVITE, summary="The organisation's invitations, newest first")
    async def list_invitations(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int]
    ) -> list[InvitationOut]:
        return await _listed(request, organisation_id)

    @post("", opt=INVITE, status_code=201, summary="Invite an e-mail address (mailed, 7 days)")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        data: JSONBody[InvitationBody],
    ) -> InvitationOut:
        galerie = galerie_of(request)
        invitation_id = await invite_seller_member(
            galerie.db,
            actor=current_principal(request),
            organisation_id=organisation_id,
            email=data.email,
            role=data.role,
            acting_for_brand=data.acting_for_brand,
            secret_key=galerie.settings.secret_key,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return next(i for i in await _listed(request, organisation_id) if i.id == invitation_id)

    @post(
        "/{invitation_id:int}/revoke",
        opt=INVITE,
        status_code=200,
        summary="Withdraw a pending invitation",
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        invitation_id: FromPath[int],
    ) -> InvitationOut:
        galerie = galerie_of(request)
        await revoke_seller_invitation(
            galerie.db,
            actor=current_principal(request),
            organisation_id=organisation_id,
            invitation_id=invitation_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        found = [i for i in await _listed(request, organisation_id) if i.id == invitation_id]
        if not found:  # pragma: no cover - revoke found it in this organisation
            raise NotFound("No such invitation.", code="invitation_not_found")
        return found[0]


class InvitationAcceptController(Controller):
    path = "/invitations"
    tags = ["account"]  # noqa: RUF012 - Litestar's API

    @post(
        "/accept",
        opt=signed_in(),
        status_code=200,
        summary="Accept an invitation with the token from its mail",
    )
    async def accept(self, request: Request[Any, Any, Any], data: JSONBody[AcceptBody]) -> Joined:
        galerie = galerie_of(request)
        organisation_id = await accept_seller_invitation(
            galerie.db,
            actor=current_principal(request),
            token=data.token,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return Joined(organisation_id=organisation_id)


INVITATION_CONTROLLERS = (SellerInvitationsController, InvitationAcceptController)
