"""Use cases on an organisation's webhook endpoints; each owns one transaction.

Every statement is scoped by the organisation: another organisation's endpoint or delivery
is NotFound and nothing changes. Creating, changing, rotating and deleting an endpoint are
privileged (its URL receives the organisation's orders) and write one audit record each."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.kernel import Conflict, NotFound
from galerie.webhooks.deliveries import envelope, insert_deliveries
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from galerie.webhooks.queries import EndpointView, endpoint_not_found, endpoint_view
from galerie.webhooks.rules import (
    MAX_ENDPOINTS,
    TEST_EVENT_TYPE,
    clean_event_types,
    clean_url,
)

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
TARGET = "webhook_endpoint"
FIND_ORGANISATION = "SELECT id FROM seller_organisations WHERE id = :id"
LOCK_ORGANISATION = FIND_ORGANISATION + " FOR UPDATE"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


async def _lock_organisation(session: AsyncSession, organisation_id: int) -> None:
    """Serialise endpoint creation per organisation (PostgreSQL: a row lock; SQLite's
    writers are serialised already), so the limit holds under concurrent requests."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    found = await session.scalar(
        text(LOCK_ORGANISATION if postgresql else FIND_ORGANISATION), {"id": organisation_id}
    )
    if found is None:
        raise NotFound("No such organisation.", code="organisation_not_found")


async def create_endpoint(
    db: Database,
    *,
    organisation_id: int,
    url: str,
    event_types: Iterable[str],
    allow_local_http: bool,
    audit: AuditContext,
    now: datetime,
) -> EndpointView:
    """Add an endpoint with a new signing secret (at most MAX_ENDPOINTS per organisation)."""
    clean = clean_url(url, allow_local_http=allow_local_http)
    types = clean_event_types(event_types)
    async with db.transaction() as session:
        await _lock_organisation(session, organisation_id)
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.organisation_id == organisation_id)
        )
        if (count or 0) >= MAX_ENDPOINTS:
            raise Conflict(
                f"An organisation has at most {MAX_ENDPOINTS} webhook endpoints.",
                code="too_many_webhook_endpoints",
            )
        row = WebhookEndpoint(
            organisation_id=organisation_id, url=clean, secret=new_secret(), event_types=types,
            is_active=True, created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        _audit(
            session,
            audit,
            "webhooks.endpoint.created",
            organisation_id,
            row.id,
            now,
            url=clean,
            types=types,
        )
        return endpoint_view(row)


async def update_endpoint(
    db: Database,
    *,
    organisation_id: int,
    endpoint_id: int,
    url: str | None = None,
    event_types: Iterable[str] | None = None,
    is_active: bool | None = None,
    allow_local_http: bool,
    audit: AuditContext,
    now: datetime,
) -> EndpointView:
    """Change the URL, the subscribed types or whether the endpoint is active."""
    values: dict[str, Any] = {"updated_at": now}
    if url is not None:
        values["url"] = clean_url(url, allow_local_http=allow_local_http)
    if event_types is not None:
        values["event_types"] = clean_event_types(event_types)
    if is_active is not None:
        values["is_active"] = is_active
    async with db.transaction() as session:
        row = await _update(session, organisation_id, endpoint_id, values)
        changes = {k: v for k, v in values.items() if k != "updated_at"}
        _audit(
            session,
            audit,
            "webhooks.endpoint.updated",
            organisation_id,
            endpoint_id,
            now,
            **changes,
        )
        return row


async def rotate_endpoint_secret(
    db: Database, *, organisation_id: int, endpoint_id: int, audit: AuditContext, now: datetime
) -> EndpointView:
    """Replace the signing secret; deliveries sent from now on are signed with the new one."""
    async with db.transaction() as session:
        values = {"secret": new_secret(), "updated_at": now}
        row = await _update(session, organisation_id, endpoint_id, values)
        _audit(
            session, audit, "webhooks.endpoint.secret_rotated", organisation_id, endpoint_id, now
        )
        return row


async def delete_endpoint(
    db: Database, *, organisation_id: int, endpoint_id: int, audit: AuditContext, now: datetime
) -> None:
    """Delete the endpoint and its delivery log."""
    async with db.transaction() as session:
        await session.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.organisation_id == organisation_id,
            )
        )
        removed = await session.execute(
            delete(WebhookEndpoint)
            .where(
                WebhookEndpoint.id == endpoint_id,
                WebhookEndpoint.organisation_id == organisation_id,
            )
            .returning(WebhookEndpoint.id)
        )
        if removed.first() is None:
            raise endpoint_not_found()
        _audit(session, audit, "webhooks.endpoint.deleted", organisation_id, endpoint_id, now)


async def send_test_event(
    db: Database, *, organisation_id: int, endpoint_id: int, now: datetime
) -> str:
    """Queue a `webhook.test` event for this endpoint alone; returns its event id."""
    event_id = "evt_test_" + secrets.token_hex(12)
    async with db.transaction() as session:
        found = await session.scalar(
            select(WebhookEndpoint.is_active).where(
                WebhookEndpoint.id == endpoint_id,
                WebhookEndpoint.organisation_id == organisation_id,
            )
        )
        if found is None:
            raise endpoint_not_found()
        if not found:
            raise Conflict("The endpoint is disabled.", code="webhook_endpoint_disabled")
        body = envelope(
            event_id=event_id, event_type=TEST_EVENT_TYPE, organisation_id=organisation_id,
            payload={"message": "A test event from Galerie."}, now=now,
        )  # fmt: skip
        await insert_deliveries(
            session, organisation_id=organisation_id, endpoint_ids=[endpoint_id],
            event_id=event_id, event_type=TEST_EVENT_TYPE, body=body, now=now,
        )  # fmt: skip
    return event_id


async def retry_delivery(
    db: Database, *, organisation_id: int, endpoint_id: int, delivery_id: int, now: datetime
) -> None:
    """Send a failed delivery again now: one more attempt, with the same event id and body."""
    async with db.transaction() as session:
        changed = await session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.organisation_id == organisation_id,
                WebhookDelivery.status == "failed",
            )
            .values(status="pending", next_attempt_at=now, claimed_until=None)
            .returning(WebhookDelivery.id)
            .execution_options(synchronize_session=False)
        )
        if changed.first() is not None:
            return
        exists = await session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.organisation_id == organisation_id,
            )
        )
    if exists is None:
        raise NotFound("No such delivery.", code="webhook_delivery_not_found")
    raise Conflict("Only a failed delivery can be retried.", code="webhook_delivery_not_failed")


async def _update(
    session: AsyncSession, organisation_id: int, endpoint_id: int, values: dict[str, Any]
) -> EndpointView:
    statement = (
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.organisation_id == organisation_id
        )
        .values(**values)
        .returning(WebhookEndpoint)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(statement)).scalar_one_or_none()
    if row is None:
        raise endpoint_not_found()
    return endpoint_view(row)


def _audit(
    session: AsyncSession,
    context: AuditContext,
    action: str,
    organisation_id: int,
    endpoint_id: int,
    now: datetime,
    **details: Any,
) -> None:
    record_audit(
        session, context=context, action=action, now=now, target_type=TARGET,
        target_id=endpoint_id, details={"organisation_id": organisation_id, **details},
    )  # fmt: skip
