"""Second floor: a bare Litestar hello-world (default settings, no middleware)."""

from __future__ import annotations

from litestar import Litestar, get


@get("/api/v1/ping")
async def ping() -> dict[str, bool]:
    return {"ok": True, "signed_in": False}


app = Litestar(route_handlers=[ping])
