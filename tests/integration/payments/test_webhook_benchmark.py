"""The pieces of the `payment_webhook_postgres` benchmark (benchmarks/payments.py): its
payments are made by Galerie's services, its webhooks are signed as the sandbox signs them
and pay every group once applied, its wrk file and counts read right, and its journey rate
and its check of the work are exact. (The benchmark itself runs with `python -m benchmarks
--only payment_webhook_postgres --quick`; no timing is asserted here.)"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.checkout_seed import seed_checkout
from benchmarks.load import Measurement, parse_wrk
from benchmarks.payments import (
    OUT_OF_WEBHOOKS,
    WEBHOOK,
    journey,
    parse_sent,
    verify,
    webhook_lines,
    webhook_script,
)
from benchmarks.payments_seed import PaymentSeeder, SignedWebhook, pending_webhooks, read_counts

from galerie.db import Database
from galerie.kernel import SystemClock
from galerie.payments import apply_provider_event, payment_provider_for
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.webhooks import RecordingTransport

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:1234/webhooks/payments/sandbox
  1 threads and 64 connections
  Latency Distribution
     50%   12.50ms
     75%   20.00ms
     90%   30.00ms
     99%    1.20s
  300 requests in 2.00s, 50.00KB read
Requests/sec:    150.00
Transfer/sec:     25.00KB
webhooks: thread 0 sent 320 exhausted 0
webhooks: thread 1 sent 20 exhausted 4
"""


def _env(url: str) -> dict[str, str]:
    return {
        "GALERIE_ENV": "test",
        "GALERIE_SECRET_KEY": secrets.token_urlsafe(48),
        "GALERIE_DATABASE_URL": url,
        "GALERIE_PAYMENT_PROVIDER": "sandbox",
        "GALERIE_BASE_URL": "http://127.0.0.1",
    }


async def test_each_seeded_payment_is_paid_by_its_signed_webhook_once(fresh_url: str) -> None:
    seed = await seed_checkout(fresh_url, 4)
    seeder = PaymentSeeder(fresh_url, seed, _env(fresh_url))
    await seeder.pay(3)
    hooks = await pending_webhooks(fresh_url, seeder.secret)
    before = await read_counts(fresh_url)
    assert (len(hooks), before["payments"], before["pending"], before["events"]) == (3, 3, 3, 0)
    db = Database.from_url(fresh_url)
    clock = SystemClock()
    try:
        # the queued webhooks are leased to the benchmark: the server's own sender skips them
        sender = SandboxWebhookSender(db, RecordingTransport(), clock, secret=seeder.secret)
        assert not await sender.has_due()
        await sender.aclose()
        provider = payment_provider_for(seeder.settings, db, clock)
        assert provider is not None
        outcomes = []
        for hook in hooks:
            event = provider.verify_webhook(hook.body, hook.headers, now=datetime.now(UTC))
            outcomes.append(
                await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
            )
        again = provider.verify_webhook(hooks[0].body, hooks[0].headers, now=clock.now())
        replayed = await apply_provider_event(db, provider="sandbox", event=again, now=clock.now())
    finally:
        await db.dispose()
    assert outcomes == ["succeeded"] * 3
    assert replayed == "duplicate"
    found = await read_counts(fresh_url, ledger=True)
    assert verify(found) == []
    assert {k: found[k] for k in ("payments", "succeeded", "groups_paid", "captures")} == {
        "payments": 3, "succeeded": 3, "groups_paid": 3, "captures": 3,
    }  # fmt: skip
    assert await pending_webhooks(fresh_url, seeder.secret) == []


def test_verify_names_what_is_wrong() -> None:
    found = {"payments": 3, "pending": 1, "succeeded": 2, "groups_paid": 2, "captures": 2,
             "events_succeeded": 2, "events": 2, "ledger_problems": 0}  # fmt: skip
    assert verify(found) == [
        "pending 1 (expected 0)",
        "succeeded 2 (expected 3)",
        "groups_paid 2 (expected 3)",
        "captures 2 (expected 3)",
        "events_succeeded 2 (expected 3)",
        "events 2 (expected 3)",
    ]
    assert verify({**found, "payments": 0, "pending": 0, "succeeded": 0, "groups_paid": 0,
                   "captures": 0, "events_succeeded": 0, "events": 0}) == ["no payments"]  # fmt: skip


def test_the_wrk_file_has_one_request_per_line_and_the_script_reads_it(tmp_path: Path) -> None:
    body = json.dumps({"id": "evt_1", "data": {"reference": "group:1"}}).encode()
    hook = SignedWebhook("evt_1", {"Sandbox-Signature": "t=1,v1=ab", "User-Agent": "UA"}, body)
    assert webhook_lines([hook, hook]) == f"evt_1\tt=1,v1=ab\t{body.decode()}\n" * 2
    script = webhook_script(tmp_path / "hooks.txt", 2, "UA")
    assert f'"{tmp_path / "hooks.txt"}", 2' in script
    assert f'"{WEBHOOK}"' in script
    assert f'"{OUT_OF_WEBHOOKS}"' in script


def test_the_sent_counts_and_the_figures_read_from_wrk() -> None:
    assert parse_sent(WRK_OUTPUT) == (340, 4)
    figures = parse_wrk(WRK_OUTPUT)
    assert (figures.requests, figures.requests_per_second, figures.p99_ms) == (300, 150.0, 1200.0)


def test_the_journey_takes_both_requests_one_after_the_other() -> None:
    place = Measurement(100.0, 10.0, 50.0, 1000, 0, 0, 4000.0)
    webhook = Measurement(300.0, 5.0, 20.0, 3000, 0, 0, 2000.0)
    got = journey(place, webhook)
    assert got == Measurement(75.0, 15.0, 70.0, 1000, 0, 0, 6000.0)
