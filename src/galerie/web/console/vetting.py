"""The vetting console: the review queue, one application with its documents side by side,
and the decisions (assign, request changes, approve, reject), through galerie.sellers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import categories_by_ids
from galerie.identity import Permission
from galerie.kernel import Conflict, DomainError, NotFound, PageRequest, ValidationFailed
from galerie.sellers import (
    ApplicationKind,
    ApplicationStatus,
    QueueFilter,
    ShopType,
    application_detail,
    approve_application,
    assign_reviewer,
    document_file,
    reject_application,
    request_changes,
)
from galerie.sellers.console_queries import (
    application_shop_id,
    brand_names,
    console_review_queue,
    people_names,
    vetting_reviewers,
)
from galerie.sellers.validation import MAX_REASON
from galerie.web.auth import galerie_of, requires
from galerie.web.console.labels import CONSOLE_LABELS, console_message
from galerie.web.errors import status_for
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.rendering import audit_context, current_principal, render, see_other

QUEUE_PAGE_SIZE: Final = 25
MAX_PAGE_NUMBER: Final = 10_000
DECISIONS: Final = ("request_changes", "approve", "reject")
DECISION_FORM: Final = Form(
    (Field("decision", max_length=20, choices=DECISIONS), Field("reason", max_length=MAX_REASON))
)
ASSIGN_FORM: Final = Form((Field("reviewer", max_length=20),))
VETTING = requires(Permission.CONSOLE_VETTING)
NO_STORE: Final = {"Cache-Control": "no-store"}
# A document is shown inline, never run: its type was checked by content at upload, and it
# is served without sniffing, only framed by our own pages, never cached. No CSP `sandbox`:
# it disables the browser's PDF viewer, and the bytes are a verified PDF, JPEG or PNG.
DOCUMENT_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; frame-ancestors 'self'",
    "Cache-Control": "private, no-store",
}


def _choice(value: str, allowed: Any) -> Any:
    if not value:
        return None
    if value not in allowed._value2member_map_:
        raise ClientException("unknown filter value")
    return allowed(value)


def queue_filter(
    status: str, shop_type: str, reviewer: str, overdue: str, user_id: int, kind: str = ""
) -> tuple[QueueFilter, bool]:
    """The queue's filter from the query string: (filter, unassigned only)."""
    reviewer_id: int | None = None
    if reviewer == "mine":
        reviewer_id = user_id
    elif reviewer.isdigit() and len(reviewer) < 19:
        reviewer_id = int(reviewer)
    elif reviewer not in ("", "unassigned"):
        raise ClientException("unknown reviewer filter")
    wanted = QueueFilter(
        status=_choice(status, ApplicationStatus),
        shop_type=_choice(shop_type, ShopType),
        reviewer_id=reviewer_id,
        overdue_only=overdue == "1",
        kind=_choice(kind, ApplicationKind),
    )
    return wanted, reviewer == "unassigned"


@get("/console/applications", opt=VETTING, include_in_schema=False)
async def review_queue_page(
    request: Request[Any, Any, Any],
    status: FromQuery[str] = "",
    shop_type: FromQuery[str] = "",
    reviewer: FromQuery[str] = "",
    overdue: FromQuery[str] = "",
    kind: FromQuery[str] = "",
    page: FromQuery[int] = 1,
) -> Template:
    principal = current_principal(request)
    if not 1 <= page <= MAX_PAGE_NUMBER:
        raise ClientException("page out of range")
    wanted, unassigned = queue_filter(status, shop_type, reviewer, overdue, principal.user_id, kind)
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        queue = await console_review_queue(
            session,
            actor=principal,
            now=galerie.clock.now(),
            wanted=wanted,
            unassigned=unassigned,
            page=PageRequest(number=page, size=QUEUE_PAGE_SIZE),
        )
        ids = [a.assigned_reviewer_id for a in queue.items]
        names = await people_names(session, actor=principal, user_ids=ids)
        reviewers = await vetting_reviewers(session, actor=principal)
    chosen = {"status": status, "shop_type": shop_type, "reviewer": reviewer, "kind": kind}
    chosen["overdue"] = "1" if wanted.overdue_only else ""
    return render(
        "console/applications.html",
        queue=queue,
        names=names,
        reviewers=reviewers,
        chosen=chosen,
        query=urlencode({k: v for k, v in chosen.items() if v}),
        console_labels=CONSOLE_LABELS,
        statuses=list(ApplicationStatus),
        shop_types=list(ShopType),
        kinds=list(ApplicationKind),
    )


async def _application_page(
    request: Request[Any, Any, Any],
    application_id: int,
    *,
    decision: BoundForm | None = None,
    assign: BoundForm | None = None,
    document_id: int | None = None,
    status: int = 200,
    done: str = "",
) -> Template:
    principal = current_principal(request)
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        detail = await application_detail(
            session, actor=principal, application_id=application_id, now=galerie.clock.now()
        )
        app = detail.application
        actors = [h.actor_user_id for h in detail.history] + [app.assigned_reviewer_id]
        names = await people_names(session, actor=principal, user_ids=actors)
        reviewers = await vetting_reviewers(session, actor=principal)
        categories = await categories_by_ids(session, app.category_ids)
        brands = await brand_names(session, app.brand_ids)
        shop_id = await application_shop_id(session, actor=principal, application_id=application_id)
    selected = next((d for d in detail.documents if d.id == document_id), None)
    if selected is None and detail.documents:
        selected = detail.documents[0]
    return render(
        "console/application.html",
        status=status,
        headers=NO_STORE,
        detail=detail,
        app=app,
        names=names,
        reviewers=reviewers,
        categories=[categories[c] for c in app.category_ids if c in categories],
        brands=[brands.get(b, f"#{b}") for b in app.brand_ids],
        shop_id=shop_id,
        selected=selected,
        decision=decision or DECISION_FORM.empty(),
        assign=assign or ASSIGN_FORM.empty(),
        decidable=app.status == ApplicationStatus.UNDER_REVIEW,
        done=done if done in (*DECISIONS, "assign") else "",
        console_labels=CONSOLE_LABELS,
        me=principal.user_id,
    )


@get("/console/applications/{application_id:int}", opt=VETTING, include_in_schema=False)
async def application_page(
    request: Request[Any, Any, Any],
    application_id: FromPath[int],
    doc: FromQuery[int | None] = None,
    done: FromQuery[str] = "",
) -> Template:
    return await _application_page(request, application_id, document_id=doc, done=done)


@get(
    "/console/applications/{application_id:int}/documents/{document_id:int}",
    opt=VETTING,
    include_in_schema=False,
)
async def application_document(
    request: Request[Any, Any, Any], application_id: FromPath[int], document_id: FromPath[int]
) -> Response[bytes]:
    """The document's bytes, shown inline in the page's viewer."""
    galerie = galerie_of(request)
    doc, data = await document_file(
        galerie.db,
        actor=current_principal(request),
        document_id=document_id,
        storage=galerie.storage,
    )
    if doc.application_id != application_id:
        raise NotFound("No such application document.", code="application_document_not_found")
    headers = DOCUMENT_HEADERS | {"Content-Disposition": f'inline; filename="document-{doc.id}"'}
    return Response(content=data, media_type=doc.content_type, headers=headers)


@post("/console/applications/{application_id:int}/decision", opt=VETTING, include_in_schema=False)
async def decide_application(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, DECISION_FORM)
    if not form.valid:
        return await _application_page(request, application_id, decision=form, status=422)
    galerie = galerie_of(request)
    decide = DECIDE[form["decision"]]
    try:
        await decide(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            reason=form["reason"],
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (Conflict, ValidationFailed) as error:
        refused(form, error, "reason")
        return await _application_page(
            request, application_id, decision=form, status=status_for(error)
        )
    return see_other(f"/console/applications/{application_id}?done={form['decision']}")


DECIDE: Final[dict[str, Callable[..., Awaitable[object]]]] = {
    "request_changes": request_changes,
    "approve": approve_application,
    "reject": reject_application,
}


def refused(form: BoundForm, error: DomainError, field: str) -> None:
    """A service's refusal, on the field it is about or on the whole form."""
    about = field if getattr(error, "field", None) == field else "form"
    form.add_error(about, console_message(error))


def reviewer_of(form: BoundForm, me: int) -> int | None:
    choice = form["reviewer"]
    if choice == "me":
        return me
    if choice == "none":
        return None
    if choice.isdigit() and len(choice) < 19:
        return int(choice)
    raise ValidationFailed("Choose a reviewer.", field="reviewer", code="not_a_reviewer")


@post("/console/applications/{application_id:int}/assign", opt=VETTING, include_in_schema=False)
async def assign_application(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, ASSIGN_FORM)
    principal, galerie = current_principal(request), galerie_of(request)
    try:
        if not form.valid:
            raise ValidationFailed("Choose a reviewer.", field="reviewer", code="not_a_reviewer")
        await assign_reviewer(
            galerie.db,
            actor=principal,
            application_id=application_id,
            reviewer_user_id=reviewer_of(form, principal.user_id),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (Conflict, ValidationFailed) as error:
        form.errors.clear()
        refused(form, error, "reviewer")
        return await _application_page(
            request, application_id, assign=form, status=status_for(error)
        )
    return see_other(f"/console/applications/{application_id}?done=assign")
