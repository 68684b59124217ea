"""The invitee's side of an invitation: the mailed link /invitations/<token> shows what the
invitation is (anyone holding the link may see that); signed in with the invited address,
one accepts it and then acts for the organisation in the seller centre."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import accept_seller_invitation, invitation_by_token
from galerie.kernel import Conflict, Forbidden, NotFound
from galerie.web.auth import galerie_of, principal_of, public, signed_in
from galerie.web.context import SESSION_ORGANISATION
from galerie.web.rendering import audit_context, current_principal, render, see_other, session_data
from galerie.web.seller.invitations import (
    INVITATION_MESSAGES,
    INVITATION_STATES,
    invitation_message,
)


async def _landing(
    request: Request[Any, Any, Any], token: str, *, error: str | None = None, status: int = 200
) -> Template:
    galerie = galerie_of(request)
    try:
        async with galerie.db.reading() as session:
            view = await invitation_by_token(session, token=token, now=galerie.clock.now())
    except NotFound:
        view = None
        error, status = INVITATION_MESSAGES["invitation_not_found"], 404
    principal = principal_of(request)
    return render(
        "storefront/invitation.html",
        status=status,
        invitation=view,
        token=token,
        error=error,
        signed_in_as=None if principal is None else principal.email,
        invitation_states=INVITATION_STATES,
    )


@get("/invitations/{token:str}", opt=public(), include_in_schema=False)
async def invitation_page(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    return await _landing(request, token)


@post("/invitations/{token:str}/accept", opt=signed_in(), include_in_schema=False, status_code=303)
async def accept_invitation(
    request: Request[Any, Any, Any], token: FromPath[str]
) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        organisation_id = await accept_seller_invitation(
            galerie.db,
            actor=current_principal(request),
            token=token,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (NotFound, Conflict, Forbidden) as error:
        status = 404 if isinstance(error, NotFound) else 409
        return await _landing(request, token, error=invitation_message(error), status=status)
    session_data(request)[SESSION_ORGANISATION] = organisation_id
    return see_other("/seller")
