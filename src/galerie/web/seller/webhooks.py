"""The seller centre's webhooks: the organisation's endpoints with the form to add one; an
endpoint's page with its signing secret, its events, rotate, enable or disable, delete, a
test event and the delivery log (latest 50, failed ones can be sent again). An endpoint or
delivery of another organisation is NotFound (a friendly 404) and nothing changes.
galerie.webhooks decides; these handlers translate."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.kernel import Conflict, DomainError, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.context import WEBHOOK_SENDER
from galerie.web.forms import BoundForm, Field, Form, read_choices, read_form
from galerie.web.rendering import audit_context, render, see_other
from galerie.web.seller.common import acting_org
from galerie.web.seller.webhooks_labels import EVENT_LABELS, STATUS_LABELS, webhook_message
from galerie.webhooks import (
    EVENT_TYPES,
    create_endpoint,
    delete_endpoint,
    endpoint_deliveries,
    organisation_endpoint,
    organisation_endpoints,
    retry_delivery,
    rotate_endpoint_secret,
    send_test_event,
    update_endpoint,
)

MANAGE = requires(Permission.SELLER_WEBHOOKS_MANAGE)
WEBHOOKS_PATH: Final = "/seller/webhooks"
ENDPOINT_PATH: Final = WEBHOOKS_PATH + "/{endpoint_id:int}"
ENDPOINT_FORM = Form((Field("url", max_length=500),))


def _local_http(request: Request[Any, Any, Any]) -> bool:
    return not galerie_of(request).settings.production


def _kick(request: Request[Any, Any, Any]) -> None:
    sender = galerie_of(request).extras.get(WEBHOOK_SENDER)
    if sender is not None:
        sender.kick()


def _refusal(bound: BoundForm, error: DomainError) -> int:
    field = "url" if error.code == "bad_webhook_url" else "form"
    bound.add_error(field, webhook_message(error))
    return 409 if isinstance(error, Conflict) else 422


async def _list_page(
    request: Request[Any, Any, Any],
    form: BoundForm | None = None,
    chosen: list[str] | None = None,
    status: int = 200,
) -> Template:
    async with galerie_of(request).db.reading() as session:
        endpoints = await organisation_endpoints(session, organisation_id=acting_org(request))
    return render(
        "seller/webhooks.html", status=status, endpoints=endpoints,
        form=form or ENDPOINT_FORM.empty(), chosen=chosen or [], event_types=EVENT_TYPES,
        event_labels=EVENT_LABELS, local_http=_local_http(request),
    )  # fmt: skip


async def _endpoint_page(
    request: Request[Any, Any, Any],
    endpoint_id: int,
    *,
    form: BoundForm | None = None,
    chosen: list[str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Template:
    organisation_id = acting_org(request)
    async with galerie_of(request).db.reading() as session:
        endpoint = await organisation_endpoint(
            session, organisation_id=organisation_id, endpoint_id=endpoint_id
        )
        deliveries = await endpoint_deliveries(
            session, organisation_id=organisation_id, endpoint_id=endpoint_id
        )
    return render(
        "seller/webhook.html", status=status, endpoint=endpoint, deliveries=deliveries,
        form=form or ENDPOINT_FORM.bind({"url": endpoint.url}),
        chosen=list(endpoint.event_types) if chosen is None else chosen,
        event_types=EVENT_TYPES, event_labels=EVENT_LABELS, status_labels=STATUS_LABELS,
        error=error, local_http=_local_http(request),
    )  # fmt: skip


@get(WEBHOOKS_PATH, opt=MANAGE, include_in_schema=False)
async def webhooks_page(request: Request[Any, Any, Any]) -> Template:
    return await _list_page(request)


@post(WEBHOOKS_PATH, opt=MANAGE, include_in_schema=False, status_code=303)
async def add_webhook(request: Request[Any, Any, Any]) -> Template | Redirect:
    bound = await read_form(request, ENDPOINT_FORM)
    chosen = await read_choices(request, "event_types", limit=len(EVENT_TYPES) + 1)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            made = await create_endpoint(
                galerie.db, organisation_id=acting_org(request), url=bound["url"],
                event_types=chosen, allow_local_http=_local_http(request),
                audit=audit_context(request), now=galerie.clock.now(),
            )  # fmt: skip
        except (ValidationFailed, Conflict) as error:
            status = _refusal(bound, error)
        else:
            return see_other(f"{WEBHOOKS_PATH}/{made.id}")
    return await _list_page(request, bound, chosen, status)


@get(ENDPOINT_PATH, opt=MANAGE, include_in_schema=False)
async def webhook_page(request: Request[Any, Any, Any], endpoint_id: FromPath[int]) -> Template:
    return await _endpoint_page(request, endpoint_id)


@post(ENDPOINT_PATH, opt=MANAGE, include_in_schema=False, status_code=303)
async def save_webhook(
    request: Request[Any, Any, Any], endpoint_id: FromPath[int]
) -> Template | Redirect:
    """Change the URL and the events of an endpoint."""
    bound = await read_form(request, ENDPOINT_FORM)
    chosen = await read_choices(request, "event_types", limit=len(EVENT_TYPES) + 1)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await update_endpoint(
                galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
                url=bound["url"], event_types=chosen, allow_local_http=_local_http(request),
                audit=audit_context(request), now=galerie.clock.now(),
            )  # fmt: skip
        except ValidationFailed as error:
            status = _refusal(bound, error)
        else:
            return see_other(f"{WEBHOOKS_PATH}/{endpoint_id}")
    return await _endpoint_page(request, endpoint_id, form=bound, chosen=chosen, status=status)


@post(ENDPOINT_PATH + "/secret", opt=MANAGE, include_in_schema=False, status_code=303)
async def rotate_webhook_secret(
    request: Request[Any, Any, Any], endpoint_id: FromPath[int]
) -> Redirect:
    galerie = galerie_of(request)
    await rotate_endpoint_secret(
        galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
        audit=audit_context(request), now=galerie.clock.now(),
    )  # fmt: skip
    return see_other(f"{WEBHOOKS_PATH}/{endpoint_id}")


@post(ENDPOINT_PATH + "/active", opt=MANAGE, include_in_schema=False, status_code=303)
async def switch_webhook(request: Request[Any, Any, Any], endpoint_id: FromPath[int]) -> Redirect:
    """Disable (`active=0`) or enable (`active=1`) an endpoint."""
    data = await request.form()
    galerie = galerie_of(request)
    await update_endpoint(
        galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
        is_active=data.get("active") == "1", allow_local_http=_local_http(request),
        audit=audit_context(request), now=galerie.clock.now(),
    )  # fmt: skip
    return see_other(f"{WEBHOOKS_PATH}/{endpoint_id}")


@post(ENDPOINT_PATH + "/delete", opt=MANAGE, include_in_schema=False, status_code=303)
async def remove_webhook(request: Request[Any, Any, Any], endpoint_id: FromPath[int]) -> Redirect:
    galerie = galerie_of(request)
    await delete_endpoint(
        galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
        audit=audit_context(request), now=galerie.clock.now(),
    )  # fmt: skip
    return see_other(WEBHOOKS_PATH)


@post(ENDPOINT_PATH + "/test", opt=MANAGE, include_in_schema=False, status_code=303)
async def test_webhook(
    request: Request[Any, Any, Any], endpoint_id: FromPath[int]
) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        await send_test_event(
            galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
            now=galerie.clock.now(),
        )  # fmt: skip
    except Conflict as error:
        return await _endpoint_page(request, endpoint_id, error=webhook_message(error), status=409)
    _kick(request)
    return see_other(f"{WEBHOOKS_PATH}/{endpoint_id}#deliveries")


@post(
    ENDPOINT_PATH + "/deliveries/{delivery_id:int}/retry",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def retry_webhook_delivery(
    request: Request[Any, Any, Any], endpoint_id: FromPath[int], delivery_id: FromPath[int]
) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        await retry_delivery(
            galerie.db, organisation_id=acting_org(request), endpoint_id=endpoint_id,
            delivery_id=delivery_id, now=galerie.clock.now(),
        )  # fmt: skip
    except Conflict as error:
        return await _endpoint_page(request, endpoint_id, error=webhook_message(error), status=409)
    _kick(request)
    return see_other(f"{WEBHOOKS_PATH}/{endpoint_id}#deliveries")


WEBHOOK_PAGES = [
    webhooks_page, add_webhook, webhook_page, save_webhook, rotate_webhook_secret,
    switch_webhook, remove_webhook, test_webhook, retry_webhook_delivery,
]  # fmt: skip
