"""Reads for the seller centre and the API: an organisation's endpoints and their delivery
log. Another organisation's endpoint is NotFound, like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import NotFound
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50


@dataclass(frozen=True, slots=True)
class EndpointView:
    id: int
    organisation_id: int
    url: str
    secret: str
    event_types: tuple[str, ...]
    is_active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


def endpoint_not_found() -> NotFound:
    return NotFound("No such webhook endpoint.", code="webhook_endpoint_not_found")


def endpoint_view(row: WebhookEndpoint) -> EndpointView:
    return EndpointView(
        id=row.id, organisation_id=row.organisation_id, url=row.url, secret=row.secret,
        event_types=tuple(str(t) for t in row.event_types), is_active=row.is_active,
        created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip


def delivery_view(row: WebhookDelivery) -> DeliveryView:
    return DeliveryView(
        id=row.id, endpoint_id=row.endpoint_id, event_id=row.event_id,
        event_type=row.event_type, status=row.status, attempts=row.attempts,
        next_attempt_at=row.next_attempt_at, last_attempt_at=row.last_attempt_at,
        last_status_code=row.last_status_code, last_error=row.last_error,
        delivered_at=row.delivered_at, created_at=row.created_at,
    )  # fmt: skip


async def organisation_endpoints(
    session: AsyncSession, *, organisation_id: int
) -> list[EndpointView]:
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organisation_id == organisation_id)
        .order_by(WebhookEndpoint.id)
    )
    return [endpoint_view(row) for row in rows]


async def organisation_endpoint(
    session: AsyncSession, *, organisation_id: int, endpoint_id: int
) -> EndpointView:
    row = await session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.organisation_id == organisation_id
        )
    )
    if row is None:
        raise endpoint_not_found()
    return endpoint_view(row)


async def endpoint_deliveries(
    session: AsyncSession,
    *,
    organisation_id: int,
    endpoint_id: int,
    limit: int = DELIVERY_LOG_SIZE,
) -> list[DeliveryView]:
    """The endpoint's latest deliveries, newest first (NotFound for another organisation's)."""
    await organisation_endpoint(session, organisation_id=organisation_id, endpoint_id=endpoint_id)
    rows = await session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.organisation_id == organisation_id,
        )
        .order_by(WebhookDelivery.id.desc())
        .limit(max(1, min(limit, DELIVERY_LOG_SIZE)))
    )
    return [delivery_view(row) for row in rows]
