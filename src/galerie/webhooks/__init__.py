"""Seller webhooks: endpoints, signed deliveries retried with backoff, at least once.
Public surface (ADR 0010).

Any domain queues an event with `enqueue_webhook` inside its own transaction; the
`WebhookSender` (run by the worker) POSTs it through a `WebhookTransport`, signed with the
endpoint's secret; sellers check the signature with `verify_signature`."""

from galerie.webhooks.deliveries import enqueue_webhook
from galerie.webhooks.endpoints import (
    create_endpoint,
    delete_endpoint,
    retry_delivery,
    rotate_endpoint_secret,
    send_test_event,
    update_endpoint,
)
from galerie.webhooks.queries import (
    DELIVERY_LOG_SIZE,
    DeliveryView,
    EndpointView,
    endpoint_deliveries,
    organisation_endpoint,
    organisation_endpoints,
)
from galerie.webhooks.relay import (
    ORDER_WEBHOOK_EVENTS,
    relay_handler,
    relay_handlers,
    webhook_event_id,
)
from galerie.webhooks.rules import (
    EVENT_TYPES,
    MAX_ATTEMPTS,
    MAX_ENDPOINTS,
    ORDER_EVENT_TYPES,
    RETRY_SCHEDULE,
    TEST_EVENT_TYPE,
    retry_delay,
)
from galerie.webhooks.sender import ClaimedDelivery, WebhookSender
from galerie.webhooks.signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    USER_AGENT,
    InvalidSignature,
    compute_signature,
    signature_header,
    verify_signature,
)
from galerie.webhooks.transport import (
    HttpxTransport,
    RecordedPost,
    RecordingTransport,
    WebhookTransport,
)

__all__ = [
    "DELIVERY_LOG_SIZE",
    "EVENT_ID_HEADER",
    "EVENT_TYPES",
    "EVENT_TYPE_HEADER",
    "MAX_ATTEMPTS",
    "MAX_ENDPOINTS",
    "ORDER_EVENT_TYPES",
    "ORDER_WEBHOOK_EVENTS",
    "RETRY_SCHEDULE",
    "SIGNATURE_HEADER",
    "TEST_EVENT_TYPE",
    "USER_AGENT",
    "ClaimedDelivery",
    "DeliveryView",
    "EndpointView",
    "HttpxTransport",
    "InvalidSignature",
    "RecordedPost",
    "RecordingTransport",
    "WebhookSender",
    "WebhookTransport",
    "compute_signature",
    "create_endpoint",
    "delete_endpoint",
    "endpoint_deliveries",
    "enqueue_webhook",
    "organisation_endpoint",
    "organisation_endpoints",
    "relay_handler",
    "relay_handlers",
    "retry_delay",
    "retry_delivery",
    "rotate_endpoint_secret",
    "send_test_event",
    "signature_header",
    "update_endpoint",
    "verify_signature",
    "webhook_event_id",
]
