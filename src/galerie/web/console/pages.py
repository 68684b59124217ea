"""The operator console: the dashboard of what an operator may reach, and the audit log."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.exceptions import ClientException
from litestar.params import FromQuery
from litestar.response import Template

from galerie.audit import list_audit_records
from galerie.identity import Permission
from galerie.kernel import PageRequest, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import current_principal, render

AUDIT_PAGE_SIZE = 50
MAX_PAGE_NUMBER = 10_000

# The areas of the console and the permission each needs (names are msgids in the template).
AREAS = (
    ("vetting", Permission.CONSOLE_VETTING),
    ("moderation", Permission.CONSOLE_MODERATION),
    ("finance", Permission.CONSOLE_FINANCE),
    ("support", Permission.CONSOLE_SUPPORT),
    ("users", Permission.CONSOLE_USERS_VIEW),
    ("operators", Permission.CONSOLE_OPERATORS_MANAGE),
    ("audit", Permission.CONSOLE_AUDIT_VIEW),
)


@get("/console", opt=requires(Permission.CONSOLE_VIEW), include_in_schema=False)
async def console_home(request: Request[Any, Any, Any]) -> Template:
    principal = current_principal(request)
    areas = [name for name, perm in AREAS if principal.can(perm)]
    return render(
        "console/home.html",
        principal=principal,
        roles=sorted(principal.operator_roles),
        areas=areas,
    )


@get("/console/audit", opt=requires(Permission.CONSOLE_AUDIT_VIEW), include_in_schema=False)
async def console_audit(request: Request[Any, Any, Any], page: FromQuery[int] = 1) -> Template:
    if not 1 <= page <= MAX_PAGE_NUMBER:
        raise ClientException("page out of range")
    try:
        wanted = PageRequest(number=page, size=AUDIT_PAGE_SIZE)
    except ValidationFailed as exc:  # pragma: no cover - bounded above
        raise ClientException("page out of range") from exc
    async with galerie_of(request).db.reading() as session:
        records = await list_audit_records(session, page=wanted)
    return render("console/audit.html", principal=current_principal(request), records=records)
