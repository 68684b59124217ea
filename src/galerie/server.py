"""Running the app under uvicorn: httptools, and the standard asyncio event loop, not uvloop
(fairer under load: see docs/adr/0008-asyncio-event-loop.md)."""

from __future__ import annotations

import uvicorn

from galerie.config import Settings
from galerie.web.observability import configure_logging


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    configure_logging(settings.log_format)
    uvicorn.run(
        "galerie.asgi:app",
        host=host,
        port=port,
        workers=workers,
        loop="asyncio",
        http="httptools",
        proxy_headers=settings.production,
        log_config=None,
        access_log=False,
        server_header=False,
    )
