"""Server-side sessions (Litestar's), with two things Litestar leaves to us:

- rotation: `rotate_session()` marks the request so the response stores the session under a
  fresh id and deletes the old one (sign-in, sign-out and privilege changes call it);
- no adoption: an id that the store does not know is never reused, so an attacker cannot
  plant a session id in a victim's browser (session fixation);
- no empty sessions: a visit that leaves nothing in the session stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Empty, Message, Scope, ScopeSession

_ROTATE = "galerie.rotate_session"
_KNOWN = "galerie.session_known"


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    connection.scope.setdefault("state", {})[_ROTATE] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[_KNOWN] = bool(data)
        return data

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        state = connection.scope.setdefault("state", {})
        fresh = state.get("galerie.fresh_session_id")
        if fresh:
            return str(fresh)
        cookie_id = connection.cookies.get(self.config.key)
        if cookie_id and state.get(_KNOWN) and not state.get(_ROTATE):
            return cookie_id
        state["galerie.fresh_session_id"] = fresh = self.generate_session_id()
        return str(fresh)

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        scope: Scope = connection.scope
        state = scope.setdefault("state", {})
        old_id = connection.cookies.get(self.config.key)
        if not scope_session and not state.get(_KNOWN):
            # Nothing to keep and nothing stored before: no row, no cookie. Otherwise every
            # anonymous visit would store an empty session (an easy way to fill the store).
            return
        if not scope_session:
            scope_session = Empty  # an emptied session is deleted and its cookie cleared
        if state.get(_ROTATE) and old_id and old_id != "null":
            await self.delete(old_id, store=self.config.get_store_from_app(scope["app"]))
        await super().store_in_message(scope_session, message, connection)


@dataclass
class GalerieSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
