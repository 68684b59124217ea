"""System endpoints of the API: a trivial ping (the middleware benchmark's target) and the
caller's own identity."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get

from galerie.web.auth import principal_of, public, signed_in


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


class SystemController(Controller):
    path = ""
    tags = ["system"]  # noqa: RUF012 - Litestar's API

    @get("/ping", opt=public(), summary="Liveness of the API through the whole middleware stack")
    async def ping(self, request: Request[Any, Any, Any]) -> Pong:
        return Pong(ok=True, signed_in=principal_of(request) is not None)

    @get("/me", opt=signed_in(), summary="The caller, as the API sees it")
    async def me(self, request: Request[Any, Any, Any]) -> Me:
        principal = principal_of(request)
        assert principal is not None  # the guard let only signed-in callers through
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
