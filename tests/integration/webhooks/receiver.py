"""A real HTTP server on 127.0.0.1 for the sender's tests: a few lines of asyncio that read
each request, check its signature with `verify_signature` (as a seller would) and answer
with the next scripted status."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from galerie.webhooks import InvalidSignature, verify_signature


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    secret: str
    now: datetime
    statuses: list[int]
    received: list[Received] = field(default_factory=list)
    port: int = 0
    delay: float = 0.0  # seconds to wait before answering

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/galerie"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        try:
            verify_signature(self.secret, headers.get("galerie-signature"), body, now=self.now)
            ok = True
        except InvalidSignature:
            ok = False
        self.received.append(Received(request_line.split(" ")[1], headers, body, ok))
        status = self.statuses.pop(0) if self.statuses else 200
        await asyncio.sleep(self.delay)
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".encode()
        )
        await writer.drain()
        writer.close()


@asynccontextmanager
async def serving(receiver: Receiver) -> AsyncIterator[Receiver]:
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()
