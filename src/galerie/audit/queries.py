"""Reading the audit log (console pages and tests)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit.models import AuditRecord
from galerie.kernel import Page, PageRequest


async def list_audit_records(
    session: AsyncSession, *, page: PageRequest, action: str | None = None
) -> Page[AuditRecord]:
    query = select(AuditRecord)
    count = select(func.count()).select_from(AuditRecord)
    if action:
        query = query.where(AuditRecord.action == action)
        count = count.where(AuditRecord.action == action)
    rows = await session.scalars(
        query.order_by(AuditRecord.id.desc()).offset(page.offset).limit(page.size)
    )
    total = await session.scalar(count)
    return Page(items=list(rows), request=page, total=total or 0)
