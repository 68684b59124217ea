"""Concurrency on separate connections (committing for real, on a fresh database per test,
dropped afterwards, so nothing leaks into other tests' audit log): no delivery is ever claimed or sent twice by concurrent senders, and
concurrent creations never take an organisation past its ten endpoints."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.identity.models import SellerOrganisation
from galerie.kernel import Conflict, FixedClock
from galerie.webhooks import (
    MAX_ENDPOINTS,
    RecordedPost,
    RecordingTransport,
    WebhookSender,
    enqueue_webhook,
)
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import drop_at_the_end, migrated_database
from tests.integration.webhooks.support import endpoint


@dataclass
class Shared:
    url: str
    opened: list[Database] = field(default_factory=list)
    organisation_id: int = 0

    def open(self) -> Database:
        database = Database.from_url(self.url)
        self.opened.append(database)
        return database


@pytest.fixture
async def shared(
    backend: str, database_urls: dict[str, str], tmp_path: Path
) -> AsyncIterator[Shared]:
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    url = await migrated_database(backend, tmp_path, "webhooks-race")
    try:
        state = Shared(url)
        yield state
        for database in state.opened:
            await database.dispose()
    finally:
        if backend != "sqlite":
            drop_at_the_end(url)


class SlowRecorder(RecordingTransport):
    """Records posts and yields to the other senders while "on the network"."""

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        await asyncio.sleep(0.001)
        self.posts.append(RecordedPost(url, dict(headers), body))
        return 200


async def _organisation(shared: Shared, clock: FixedClock) -> tuple[Database, int]:
    writer = shared.open()
    async with writer.transaction() as session:
        organisation = SellerOrganisation(name="Concurrent webhooks", created_at=clock.now())
        session.add(organisation)
        await session.flush()
        shared.organisation_id = organisation.id
    return writer, shared.organisation_id


async def test_concurrent_creations_stop_at_ten_endpoints(
    shared: Shared, clock: FixedClock
) -> None:
    writer, org = await _organisation(shared, clock)

    async def create(n: int) -> str:
        try:
            await endpoint(shared.open(), clock.now(), org, url=f"https://erp.example.com/{n}")
        except Conflict as refused:
            return refused.code
        return "created"

    outcomes = await asyncio.gather(*(create(n) for n in range(14)))
    assert sorted(outcomes) == ["created"] * MAX_ENDPOINTS + ["too_many_webhook_endpoints"] * 4
    async with writer.reading() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.organisation_id == org)
        )
    assert count == MAX_ENDPOINTS


async def test_concurrent_senders_never_send_a_delivery_twice(
    shared: Shared, clock: FixedClock
) -> None:
    writer, org = await _organisation(shared, clock)
    for n in range(3):
        await endpoint(writer, clock.now(), org, "order.placed", url=f"https://erp.example.com/{n}")
    async with writer.transaction() as session:
        for n in range(15):
            await enqueue_webhook(
                session, organisation_id=org, event_type="order.placed", event_id=f"evt_{n}",
                payload={"order_id": n}, now=clock.now(),
            )  # fmt: skip
    transport = SlowRecorder()
    senders = [WebhookSender(shared.open(), transport, clock, batch_size=4) for _ in range(4)]

    async def drain(sender: WebhookSender) -> None:
        while await sender.send_pending():
            pass

    await asyncio.gather(*(drain(sender) for sender in senders))
    sent = [(p.url, p.headers["Galerie-Event-Id"]) for p in transport.posts]
    assert len(sent) == 45
    assert len(set(sent)) == 45
    async with writer.reading() as session:
        rows = (
            await session.execute(
                select(WebhookDelivery.status, WebhookDelivery.attempts).where(
                    WebhookDelivery.organisation_id == org
                )
            )
        ).all()
    assert sorted(rows) == [("delivered", 1)] * 45
