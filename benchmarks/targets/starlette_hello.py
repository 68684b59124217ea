"""Floor: a bare Starlette hello-world answering the same path with the same JSON body."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def ping(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True, "signed_in": False})


app = Starlette(routes=[Route("/api/v1/ping", ping)])
