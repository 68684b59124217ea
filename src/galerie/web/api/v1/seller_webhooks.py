"""The seller webhooks API: an organisation's endpoints (list, create, read with the
signing secret, change, delete, rotate the secret, send a test event) and each endpoint's
delivery log (retry a failed delivery). Every route acts for the organisation of its path
(the access middleware checks `seller.webhooks.manage` there); an endpoint or delivery of
another organisation is 404 and nothing changes. galerie.webhooks decides."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from galerie.identity import Permission
from galerie.web.auth import galerie_of, requires
from galerie.web.context import WEBHOOK_SENDER
from galerie.web.rendering import audit_context
from galerie.webhooks import (
    DeliveryView,
    EndpointView,
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
EventType = Literal[
    "order.placed", "order.paid", "order.shipped", "order.completed", "order.closed",
    "order.cancelled", "webhook.test",
]  # fmt: skip
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
EventTypes = Annotated[list[EventType], msgspec.Meta(min_length=1, max_length=7)]
ENDPOINT = "/{endpoint_id:int}"


class EndpointBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    url: Url
    event_types: EventTypes


class EndpointChanges(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Only the fields given change."""

    url: Url | None = None
    event_types: EventTypes | None = None
    is_active: bool | None = None


class EndpointOut(msgspec.Struct, frozen=True):
    id: int
    url: str
    event_types: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class EndpointWithSecretOut(msgspec.Struct, frozen=True):
    """An endpoint with its signing secret (verify `Galerie-Signature` with it)."""

    id: int
    url: str
    event_types: list[str]
    is_active: bool
    secret: str
    created_at: datetime
    updated_at: datetime


class DeliveryOut(msgspec.Struct, frozen=True):
    id: int
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class TestEventOut(msgspec.Struct, frozen=True):
    event_id: str


def endpoint_out(e: EndpointView) -> EndpointOut:
    return EndpointOut(e.id, e.url, list(e.event_types), e.is_active, e.created_at, e.updated_at)


def with_secret(e: EndpointView) -> EndpointWithSecretOut:
    return EndpointWithSecretOut(
        e.id, e.url, list(e.event_types), e.is_active, e.secret, e.created_at, e.updated_at
    )


def delivery_out(d: DeliveryView) -> DeliveryOut:
    return DeliveryOut(
        id=d.id, event_id=d.event_id, event_type=d.event_type, status=d.status,  # type: ignore[arg-type]
        attempts=d.attempts, last_status_code=d.last_status_code, last_error=d.last_error,
        next_attempt_at=d.next_attempt_at, last_attempt_at=d.last_attempt_at,
        delivered_at=d.delivered_at, created_at=d.created_at,
    )  # fmt: skip


def _local_http(request: Request[Any, Any, Any]) -> bool:
    return not galerie_of(request).settings.production


def _kick(request: Request[Any, Any, Any]) -> None:
    sender = galerie_of(request).extras.get(WEBHOOK_SENDER)
    if sender is not None:
        sender.kick()


class SellerWebhooksController(Controller):
    path = "/organisations/{organisation_id:int}/webhooks"
    tags = ["seller: webhooks"]  # noqa: RUF012 - Litestar's API

    @get("", opt=MANAGE, summary="The organisation's webhook endpoints")
    async def list_endpoints(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int]
    ) -> list[EndpointOut]:
        async with galerie_of(request).db.reading() as session:
            found = await organisation_endpoints(session, organisation_id=organisation_id)
        return [endpoint_out(e) for e in found]

    @post("", opt=MANAGE, status_code=201, summary="Add an endpoint (at most 10)")
    async def create(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        data: JSONBody[EndpointBody],
    ) -> EndpointWithSecretOut:
        galerie = galerie_of(request)
        made = await create_endpoint(
            galerie.db, organisation_id=organisation_id, url=data.url,
            event_types=data.event_types, allow_local_http=_local_http(request),
            audit=audit_context(request), now=galerie.clock.now(),
        )  # fmt: skip
        return with_secret(made)

    @get(ENDPOINT, opt=MANAGE, summary="An endpoint with its signing secret")
    async def read(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
    ) -> EndpointWithSecretOut:
        async with galerie_of(request).db.reading() as session:
            found = await organisation_endpoint(
                session, organisation_id=organisation_id, endpoint_id=endpoint_id
            )
        return with_secret(found)

    @patch(ENDPOINT, opt=MANAGE, summary="Change an endpoint's URL, events or whether it is active")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
        data: JSONBody[EndpointChanges],
    ) -> EndpointOut:
        galerie = galerie_of(request)
        changed = await update_endpoint(
            galerie.db, organisation_id=organisation_id, endpoint_id=endpoint_id, url=data.url,
            event_types=data.event_types, is_active=data.is_active,
            allow_local_http=_local_http(request), audit=audit_context(request),
            now=galerie.clock.now(),
        )  # fmt: skip
        return endpoint_out(changed)

    @delete(ENDPOINT, opt=MANAGE, summary="Delete an endpoint and its delivery log")
    async def remove(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
    ) -> None:
        galerie = galerie_of(request)
        await delete_endpoint(
            galerie.db, organisation_id=organisation_id, endpoint_id=endpoint_id,
            audit=audit_context(request), now=galerie.clock.now(),
        )  # fmt: skip

    @post(ENDPOINT + "/rotate-secret", opt=MANAGE, status_code=200, summary="Replace the secret")
    async def rotate(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
    ) -> EndpointWithSecretOut:
        galerie = galerie_of(request)
        rotated = await rotate_endpoint_secret(
            galerie.db, organisation_id=organisation_id, endpoint_id=endpoint_id,
            audit=audit_context(request), now=galerie.clock.now(),
        )  # fmt: skip
        return with_secret(rotated)

    @post(ENDPOINT + "/test", opt=MANAGE, status_code=202, summary="Queue a webhook.test event")
    async def test(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
    ) -> TestEventOut:
        galerie = galerie_of(request)
        event_id = await send_test_event(
            galerie.db, organisation_id=organisation_id, endpoint_id=endpoint_id,
            now=galerie.clock.now(),
        )  # fmt: skip
        _kick(request)
        return TestEventOut(event_id)

    @get(ENDPOINT + "/deliveries", opt=MANAGE, summary="The endpoint's latest 50 deliveries")
    async def deliveries(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
    ) -> list[DeliveryOut]:
        async with galerie_of(request).db.reading() as session:
            found = await endpoint_deliveries(
                session, organisation_id=organisation_id, endpoint_id=endpoint_id
            )
        return [delivery_out(d) for d in found]

    @post(
        ENDPOINT + "/deliveries/{delivery_id:int}/retry", opt=MANAGE, status_code=202,
        summary="Send a failed delivery again now",
    )  # fmt: skip
    async def retry(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        endpoint_id: FromPath[int],
        delivery_id: FromPath[int],
    ) -> None:
        galerie = galerie_of(request)
        await retry_delivery(
            galerie.db, organisation_id=organisation_id, endpoint_id=endpoint_id,
            delivery_id=delivery_id, now=galerie.clock.now(),
        )  # fmt: skip
        _kick(request)
