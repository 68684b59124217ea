"""Assembling the workers from settings: the mailer adapter, the outbox dispatcher, the
import runner, the webhook sender and the sandbox payment provider's webhook timer.

Used by the app (in-process worker for the demo and small markets) and `galerie worker`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import unquote, urlsplit

from galerie.config import ConfigError, Settings
from galerie.db import Database
from galerie.imports import ImportRunner, catalog_writer
from galerie.kernel import Clock, Money
from galerie.notifications import Mailer, OutboxFolderMailer, SmtpMailer
from galerie.payments import PaymentProvider, payment_provider_for
from galerie.payments.sandbox import NAME as SANDBOX
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.storage import FileStorage
from galerie.webhooks import HttpxTransport, WebhookSender, WebhookTransport
from galerie.workers import OutboxDispatcher, build_handlers
from galerie.workers.timers import (
    Timer,
    run_pending_refunds_until,
    run_sandbox_webhooks_until,
    run_settlement_until,
    run_timers_until,
    settlement_timers,
)


def make_mailer(settings: Settings) -> Mailer:
    """SMTP when GALERIE_SMTP_URL is set (smtp:// or smtp+starttls://user:pass@host:port),
    otherwise mail is written as files under var/mail/ for people to read."""
    if not settings.smtp_url:
        return OutboxFolderMailer(settings.var_dir / "mail")
    parts = urlsplit(settings.smtp_url)
    if parts.scheme not in {"smtp", "smtp+starttls"} or not parts.hostname:
        raise ConfigError("GALERIE_SMTP_URL must look like smtp+starttls://user:pass@host:587")
    return SmtpMailer(
        host=parts.hostname,
        port=parts.port or (587 if parts.scheme == "smtp+starttls" else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=parts.scheme == "smtp+starttls",
        sender=settings.mail_sender,
    )


def make_dispatcher(settings: Settings, db: Database, clock: Clock) -> OutboxDispatcher:
    handlers = build_handlers(
        mailer=make_mailer(settings),
        secret_key=settings.secret_key,
        base_url=settings.base_url,
        clock=clock,
    )
    return OutboxDispatcher(db, handlers, clock)


@contextlib.asynccontextmanager
async def running_dispatcher(
    dispatcher: OutboxDispatcher, db: Database, clock: Clock | None = None
) -> AsyncIterator[None]:
    """Run the dispatcher beside the app, woken after every commit, stopped on exit; with
    a `clock`, the timers too (workers.timers, hourly)."""
    stop = asyncio.Event()
    db.after_commit(dispatcher.kick)
    tasks = [asyncio.create_task(dispatcher.run(stop), name="galerie-outbox")]
    if clock is not None:
        tasks.append(asyncio.create_task(run_timers_until(stop, db, clock), name="galerie-timers"))
    try:
        yield
    finally:
        stop.set()
        dispatcher.kick()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=10)


def make_import_runner(
    settings: Settings, db: Database, storage: FileStorage, clock: Clock
) -> ImportRunner:
    """The runner of import jobs, saving through the catalog (imports.catalog_writer)."""
    return ImportRunner(db, storage, catalog_writer(), clock, currency=settings.default_currency)


@contextlib.asynccontextmanager
async def running_import_runner(runner: ImportRunner) -> AsyncIterator[None]:
    """Run import jobs beside the app (polling every second, or at once when kicked)."""
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop), name="galerie-imports")
    try:
        yield
    finally:
        stop.set()
        runner.kick()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=10)


WEBHOOK_POLL_SECONDS = 2.0


def make_webhook_sender(db: Database, clock: Clock) -> WebhookSender:
    """The sender of seller webhooks, over the real HTTP transport."""
    return WebhookSender(db, HttpxTransport(), clock)


@contextlib.asynccontextmanager
async def running_webhook_sender(
    sender: WebhookSender, poll_seconds: float = WEBHOOK_POLL_SECONDS
) -> AsyncIterator[None]:
    """Send due webhook deliveries beside the app (every few seconds, or at once when
    kicked); the transport is closed on exit."""
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop, poll_seconds), name="galerie-webhooks")
    try:
        yield
    finally:
        stop.set()
        sender.kick()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=15)
        await sender.aclose()


def make_payment_provider(settings: Settings, db: Database, clock: Clock) -> PaymentProvider | None:
    """The configured PaymentProvider (galerie.payments.payment_provider_for)."""
    return payment_provider_for(settings, db, clock)


def make_sandbox_sender(
    settings: Settings, db: Database, clock: Clock, transport: WebhookTransport | None = None
) -> SandboxWebhookSender | None:
    """The sandbox provider's webhook sender (signing with the installation's sandbox
    secret, with GALERIE_SANDBOX_CHAOS), or None when the sandbox is not the provider."""
    if settings.payment_provider != SANDBOX:
        return None
    return SandboxWebhookSender(
        db, transport or HttpxTransport(), clock,
        secret=settings.sandbox_webhook_secret,
        chaos=settings.sandbox_chaos if settings.sandbox_chaos.active else None,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def running_sandbox_webhooks(sender: SandboxWebhookSender | None) -> AsyncIterator[None]:
    """Run the sandbox's webhook timer beside the app (nothing without a sender); the
    transport is closed on exit."""
    if sender is None:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(run_sandbox_webhooks_until(stop, sender), name="galerie-sandbox")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=15)
        await sender.aclose()


# --- refunds: the pending-refund timer beside the app ---
@contextlib.asynccontextmanager
async def running_refund_sender(
    settings: Settings, db: Database, clock: Clock
) -> AsyncIterator[None]:
    """Send pending refunds to the configured provider every minute beside the app
    (nothing when no provider is configured)."""
    provider = make_payment_provider(settings, db, clock)
    if provider is None:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_pending_refunds_until(stop, db, provider, clock), name="galerie-refunds"
    )
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=10)


# --- settlement (issue 6) ------------------------------------------------------------------
def make_settlement_timers(settings: Settings, db: Database, clock: Clock) -> dict[str, Timer]:
    """The payout run (every GALERIE_PAYOUT_EVERY_DAYS days, shops holding at least
    GALERIE_PAYOUT_MINIMUM_MINOR of the default currency) and the annual fee timers."""
    return settlement_timers(
        payment_provider_for(settings, db, clock),
        minimum=Money(settings.payout_minimum_minor, settings.default_currency),
        every_days=settings.payout_every_days,
    )


@contextlib.asynccontextmanager
async def running_settlement(settings: Settings, db: Database, clock: Clock) -> AsyncIterator[None]:
    """Run the settlement timers beside the app, hourly, stopped on exit."""
    stop = asyncio.Event()
    timers = make_settlement_timers(settings, db, clock)
    task = asyncio.create_task(run_settlement_until(stop, db, clock, timers), name="settlement")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, timeout=30)
