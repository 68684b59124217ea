"""The worker runtime runs the webhook sender: a queued delivery reaches a real server on
127.0.0.1 without anyone calling the sender, and the loop stops on exit."""

from __future__ import annotations

import asyncio

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.webhooks import enqueue_webhook
from galerie.workers.runtime import make_webhook_sender, running_webhook_sender
from tests.integration.webhooks.receiver import Receiver, serving
from tests.integration.webhooks.support import deliveries, endpoint, organisation


async def test_the_running_sender_delivers_what_is_queued(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    receiver = Receiver(secret="", now=clock.now(), statuses=[200])
    async with serving(receiver):
        made = await endpoint(db, clock.now(), org, "order.completed", url=receiver.url)
        receiver.secret = made.secret
        async with db.transaction() as session:
            await enqueue_webhook(
                session, organisation_id=org, event_type="order.completed",
                event_id="evt_done", payload={"order_id": 5}, now=clock.now(),
            )  # fmt: skip
        sender = make_webhook_sender(db, clock)
        # The test's database is one connection: only the sender uses it until it stops,
        # and stopping lets its pass finish (and record the outcome) first.
        async with running_webhook_sender(sender, poll_seconds=0.05):
            for _ in range(200):
                if receiver.received:
                    break
                await asyncio.sleep(0.05)
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)
    assert [r.signature_ok for r in receiver.received] == [True]
