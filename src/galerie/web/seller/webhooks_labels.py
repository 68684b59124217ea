"""What the webhook pages and refusals say (msgids, translated in the templates)."""

from __future__ import annotations

from typing import Final

from galerie.kernel import DomainError
from galerie.web.i18n import N_
from galerie.web.messages import GENERIC

EVENT_LABELS: Final[dict[str, str]] = {
    "order.placed": N_("An order was placed"),
    "order.paid": N_("An order was paid"),
    "order.shipped": N_("An order was shipped"),
    "order.completed": N_("An order was completed"),
    "order.closed": N_("An order was closed"),
    "order.cancelled": N_("An order was cancelled"),
    "webhook.test": N_("A test event"),
}
STATUS_LABELS: Final[dict[str, str]] = {
    "pending": N_("Waiting to be sent"),
    "delivered": N_("Delivered to the endpoint"),
    "failed": N_("Failed: no attempts left"),
}
WEBHOOK_MESSAGES: Final[dict[str, str]] = {
    "bad_webhook_url": N_(
        "Enter the https:// address of a public server, without a user name, password or #part."
    ),
    "unknown_event_type": N_("Choose among the events offered."),
    "event_types_required": N_("Choose at least one event."),
    "too_many_webhook_endpoints": N_("An organisation has at most 10 webhook endpoints."),
    "webhook_endpoint_disabled": N_("This endpoint is disabled: enable it to send a test event."),
    "webhook_delivery_not_failed": N_("Only a failed delivery can be sent again."),
}


def webhook_message(error: DomainError) -> str:
    return WEBHOOK_MESSAGES.get(error.code, GENERIC)
