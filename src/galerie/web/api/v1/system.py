"""System endpoints of the API: a trivial ping (the middleware benchmark's target) and the
caller's own identity, which the caller may update (only what is theirs to change)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch
from litestar.params import JSONBody

from galerie.identity import Permission, Principal, load_principal, set_preferred_language
from galerie.web.auth import (
    current_principal,
    galerie_of,
    principal_of,
    public,
    requires,
    signed_in,
)


class Pong(msgspec.Struct, frozen=True):
    ok: bool
    signed_in: bool


class Me(msgspec.Struct, frozen=True):
    user_id: int
    email: str
    display_name: str
    language: str
    operator_roles: list[str]
    organisations: list[int]
    permissions: list[str]


class MeUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a person may change about themselves through the API. Any other field (e-mail,
    roles, permissions...) is refused, never applied."""

    language: str


def me_of(principal: Principal) -> Me:
    granted = set(principal.permissions)
    for perms in principal.seller_permissions.values():
        granted |= perms
    return Me(
        user_id=principal.user_id,
        email=principal.email,
        display_name=principal.display_name,
        language=principal.language,
        operator_roles=sorted(principal.operator_roles),
        organisations=[m.organisation_id for m in principal.memberships],
        permissions=sorted(granted),
    )


class SystemController(Controller):
    path = ""
    tags = ["system"]  # noqa: RUF012 - Litestar's API

    @get("/ping", opt=public(), summary="Liveness of the API through the whole middleware stack")
    async def ping(self) -> Pong:
        return Pong(ok=True, signed_in=current_principal() is not None)

    @get("/me", opt=signed_in(), summary="The caller, as the API sees it")
    async def me(self, request: Request[Any, Any, Any]) -> Me:
        principal = principal_of(request)
        assert principal is not None  # the guard let only signed-in callers through
        return me_of(principal)

    @patch(
        "/me",
        opt=requires(Permission.ACCOUNT_MANAGE),
        summary="Change the caller's preferred language",
    )
    async def update_me(self, request: Request[Any, Any, Any], data: JSONBody[MeUpdate]) -> Me:
        principal = principal_of(request)
        assert principal is not None
        galerie = galerie_of(request)
        await set_preferred_language(
            galerie.db, user_id=principal.user_id, language=data.language, now=galerie.clock.now()
        )
        async with galerie.db.reading() as session:
            updated = await load_principal(session, principal.user_id)
        assert updated is not None
        return me_of(updated)
