"""What the webhook integration tests share: an organisation with endpoints, row reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from galerie.audit import AuditContext, AuditRecord
from galerie.db import Database
from galerie.identity import SellerRole
from galerie.webhooks import EndpointView, create_endpoint
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_user

AUDIT = AuditContext(actor_user_id=None, ip_address="203.0.113.9")


async def organisation(db: Database, now: datetime) -> int:
    owner = await make_user(db, now=now, seller_role=SellerRole.OWNER)
    assert owner.organisation_id is not None
    return owner.organisation_id


async def endpoint(
    db: Database,
    now: datetime,
    organisation_id: int,
    *types: str,
    url: str = "https://erp.example.com/hooks",
) -> EndpointView:
    return await create_endpoint(
        db, organisation_id=organisation_id, url=url, event_types=types or ("order.paid",),
        allow_local_http=True, audit=AUDIT, now=now,
    )  # fmt: skip


async def deliveries(db: Database, **where: object) -> list[WebhookDelivery]:
    async with db.reading() as session:
        statement = select(WebhookDelivery).order_by(WebhookDelivery.id)
        for name, value in where.items():
            statement = statement.where(getattr(WebhookDelivery, name) == value)
        return list(await session.scalars(statement))


async def endpoint_row(db: Database, endpoint_id: int) -> WebhookEndpoint | None:
    async with db.reading() as session:
        return await session.get(WebhookEndpoint, endpoint_id)


async def last_audit_id(db: Database) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.max(AuditRecord.id))) or 0


async def audit_actions(db: Database, after: int) -> list[str]:
    """The webhook audit records written after record `after`: this test's (other tests
    commit theirs for real, and SQLite reuses the ids of deleted organisations)."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.action.like("webhooks.%"), AuditRecord.id > after)
            .order_by(AuditRecord.id)
        )
        return list(rows)


async def count_rows(db: Database) -> tuple[int, int]:
    async with db.reading() as session:
        endpoints = await session.scalar(select(func.count()).select_from(WebhookEndpoint))
        queued = await session.scalar(select(func.count()).select_from(WebhookDelivery))
    return endpoints or 0, queued or 0
