"""The operator side of the API (the console): the vetting queue and decisions, which need
CONSOLE_VETTING; shop sanctions, CONSOLE_MODERATION; the deposit flag, CONSOLE_FINANCE.
Every decision carries a reason and writes one audit record (in galerie.sellers)."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from galerie.deposits import DepositCovered, record_deposit_transfer
from galerie.identity import Permission
from galerie.kernel import PageRequest
from galerie.sellers import (
    ApplicationKind,
    ApplicationStatus,
    QueueFilter,
    ShopAction,
    ShopType,
    approve_application,
    assign_reviewer,
    change_shop_status,
    reject_application,
    request_changes,
    review_queue,
)
from galerie.web.api.v1.support import document_download, read_application
from galerie.web.api.v1.wire import (
    ApplicationOut,
    ApplicationPage,
    Approved,
    AssignBody,
    DepositOut,
    ReasonBody,
    ShopStatusOut,
    application_page,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

VETTING = requires(Permission.CONSOLE_VETTING)
MODERATION = requires(Permission.CONSOLE_MODERATION)
FINANCE = requires(Permission.CONSOLE_FINANCE)
PageNumber = Annotated[int, Parameter(ge=1, le=100_000, description="Page number, from 1")]
PageSize = Annotated[int, Parameter(ge=1, le=100, description="Items per page")]


class ConsoleApplicationsController(Controller):
    path = "/console/applications"
    tags = ["console: vetting"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VETTING, summary="The review queue, oldest submission first, with filters")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        status: FromQuery[ApplicationStatus | None] = None,
        shop_type: FromQuery[ShopType | None] = None,
        reviewer_id: Annotated[int | None, Parameter(ge=1)] = None,
        overdue: FromQuery[bool] = False,
        kind: FromQuery[ApplicationKind | None] = None,
        page: PageNumber = 1,
        size: PageSize = 24,
    ) -> ApplicationPage:
        galerie = galerie_of(request)
        wanted = QueueFilter(status, shop_type, reviewer_id, overdue, kind)
        async with galerie.db.reading() as session:
            found = await review_queue(
                session,
                actor=current_principal(request),
                now=galerie.clock.now(),
                wanted=wanted,
                page=PageRequest(page, size),
            )
        return application_page(found)

    @get("/{application_id:int}", opt=VETTING, summary="An application under review, in full")
    async def read(
        self, request: Request[Any, Any, Any], application_id: FromPath[int]
    ) -> ApplicationOut:
        return await read_application(request, application_id)

    @get(
        "/{application_id:int}/documents/{document_id:int}",
        opt=VETTING,
        summary="Download a document of the application",
        media_type="application/octet-stream",
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[int],
        document_id: FromPath[int],
    ) -> Response[bytes]:
        return await document_download(
            request, application_id=application_id, document_id=document_id
        )

    @post(
        "/{application_id:int}/assign",
        opt=VETTING,
        status_code=200,
        summary="Assign a reviewer (null unassigns)",
    )
    async def assign(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[int],
        data: JSONBody[AssignBody],
    ) -> ApplicationOut:
        galerie = galerie_of(request)
        await assign_reviewer(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            reviewer_user_id=data.reviewer_user_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id)

    @post(
        "/{application_id:int}/request-changes",
        opt=VETTING,
        status_code=200,
        summary="Return the application to the seller for changes, with the reason",
    )
    async def request_changes(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[int],
        data: JSONBody[ReasonBody],
    ) -> ApplicationOut:
        galerie = galerie_of(request)
        await request_changes(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id)

    @post(
        "/{application_id:int}/approve",
        opt=VETTING,
        status_code=200,
        summary="Approve, with the reason: the shop opens in preparing",
    )
    async def approve(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[int],
        data: JSONBody[ReasonBody],
    ) -> Approved:
        galerie = galerie_of(request)
        shop_id = await approve_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return Approved(application_id, ApplicationStatus.APPROVED.value, shop_id)

    @post(
        "/{application_id:int}/reject",
        opt=VETTING,
        status_code=200,
        summary="Reject, with the reason",
    )
    async def reject(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[int],
        data: JSONBody[ReasonBody],
    ) -> ApplicationOut:
        galerie = galerie_of(request)
        await reject_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id)


async def _sanction(
    request: Request[Any, Any, Any], shop_id: int, action: ShopAction, reason: str
) -> ShopStatusOut:
    galerie = galerie_of(request)
    status = await change_shop_status(
        galerie.db,
        actor=current_principal(request),
        shop_id=shop_id,
        action=action,
        reason=reason,
        now=galerie.clock.now(),
        audit=audit_context(request),
    )
    return ShopStatusOut(shop_id=shop_id, status=status.value)


class ConsoleShopsController(Controller):
    path = "/console/shops/{shop_id:int}"
    tags = ["console: shops"]  # noqa: RUF012 - Litestar's API

    @post(
        "/suspend", opt=MODERATION, status_code=200, summary="Suspend a live shop, with the reason"
    )
    async def suspend(
        self, request: Request[Any, Any, Any], shop_id: FromPath[int], data: JSONBody[ReasonBody]
    ) -> ShopStatusOut:
        return await _sanction(request, shop_id, ShopAction.SUSPEND, data.reason)

    @post(
        "/reinstate",
        opt=MODERATION,
        status_code=200,
        summary="Reinstate a suspended shop, with the reason",
    )
    async def reinstate(
        self, request: Request[Any, Any, Any], shop_id: FromPath[int], data: JSONBody[ReasonBody]
    ) -> ShopStatusOut:
        return await _sanction(request, shop_id, ShopAction.REINSTATE, data.reason)

    @post(
        "/close", opt=MODERATION, status_code=200, summary="Close a shop for good, with the reason"
    )
    async def close(
        self, request: Request[Any, Any, Any], shop_id: FromPath[int], data: JSONBody[ReasonBody]
    ) -> ShopStatusOut:
        return await _sanction(request, shop_id, ShopAction.CLOSE, data.reason)

    @post(
        "/deposit-paid",
        opt=FINANCE,
        status_code=200,
        summary="Record a bank transfer of the shop's deposit shortfall (a ledger entry)",
    )
    async def deposit_paid(
        self, request: Request[Any, Any, Any], shop_id: FromPath[int]
    ) -> DepositOut:
        galerie = galerie_of(request)
        with contextlib.suppress(DepositCovered):  # already covered: nothing changes
            await record_deposit_transfer(
                galerie.db,
                actor=current_principal(request),
                shop_id=shop_id,
                reference="Bank transfer recorded through the API",
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        return DepositOut(shop_id=shop_id, deposit_paid=True)


CONSOLE_CONTROLLERS = (ConsoleApplicationsController, ConsoleShopsController)
