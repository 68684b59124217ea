"""/healthz: the process is up and the database answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Response
from sqlalchemy import text

from galerie.web.auth import galerie_of, public


@get("/healthz", opt=public(), include_in_schema=False)
async def healthz(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    galerie = galerie_of(request)
    try:
        async with galerie.db.reading() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # the reason goes to the log, never to the caller
        request.logger.exception("health check failed")
        return Response({"status": "unavailable", "database": "down"}, status_code=503)
    return Response({"status": "ok", "database": "up"})
