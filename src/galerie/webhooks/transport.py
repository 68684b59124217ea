"""The webhook transport port, its httpx adapter and a recording fake that ships in src
(for the demo and for tests of code that sends webhooks)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx


class WebhookTransport(Protocol):
    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        """POST `body` and return the response's status code; raise on a network error."""
        ...


class HttpxTransport:
    """The real transport: one pooled httpx client, no redirects followed (a redirect is
    an answer that is not 2xx), no proxy settings read from the environment."""

    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(follow_redirects=False, trust_env=False)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        """The answer's body is never read: a receiver cannot make us hold a large one, and
        `timeout` bounds the whole exchange, not only each read."""
        async with (
            asyncio.timeout(timeout),
            self._client.stream(
                "POST", url, headers=dict(headers), content=body, timeout=timeout
            ) as response,
        ):
            return response.status_code

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass(frozen=True, slots=True)
class RecordedPost:
    url: str
    headers: dict[str, str]
    body: bytes


Answer = Callable[[RecordedPost], int]


@dataclass
class RecordingTransport:
    """Records every POST and answers with `answer(post)` (200 by default); an answer
    function may raise to play a network error."""

    answer: Answer = lambda _post: 200
    posts: list[RecordedPost] = field(default_factory=list)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        recorded = RecordedPost(url, dict(headers), body)
        self.posts.append(recorded)
        return self.answer(recorded)

    async def aclose(self) -> None:
        return None
