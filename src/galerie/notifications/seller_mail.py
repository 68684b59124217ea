"""Mail to a seller organisation's owners and managers about its applications and shops:
every vetting decision and shop status change (the sellers domain's outbox events), in each
recipient's preferred language, with the reason when one was given.

Each mail's idempotency key is derived from the event's fields and the recipient, so a
redelivered event writes the same mail again (the folder mailer overwrites it, SMTP gets the
same Message-ID) instead of a second one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.deposits import DepositTopUpRequested
from galerie.identity import SellerRole, find_user_by_email, list_seller_members
from galerie.kernel import DomainEvent
from galerie.notifications.mail import EmailMessage, Mailer
from galerie.notifications.seller_texts import SELLER_FRAME, SELLER_TEXTS
from galerie.notifications.welcome import EventFunc, supported_language
from galerie.sellers import (
    ApplicationApproved,
    ApplicationChangesRequested,
    ApplicationChecksPassed,
    ApplicationRejected,
    ApplicationSubmitted,
    DocumentExpired,
    DocumentExpiring,
    ShopClosed,
    ShopDepositPaid,
    ShopPublished,
    ShopReinstated,
    ShopRestricted,
    ShopRestrictionLifted,
    ShopSuspended,
)

# event name -> the attribute holding the number the mail speaks of
SELLER_MAIL_EVENTS: dict[str, str] = {
    ApplicationSubmitted.name: "application_id",
    ApplicationChecksPassed.name: "application_id",
    ApplicationChangesRequested.name: "application_id",
    ApplicationApproved.name: "application_id",
    ApplicationRejected.name: "application_id",
    ShopPublished.name: "shop_id",
    ShopSuspended.name: "shop_id",
    ShopReinstated.name: "shop_id",
    ShopClosed.name: "shop_id",
    ShopDepositPaid.name: "shop_id",
    DocumentExpiring.name: "shop_id",
    DocumentExpired.name: "shop_id",
    # deposits: a top-up request, the restriction and its lifting
    DepositTopUpRequested.name: "shop_id",
    ShopRestricted.name: "shop_id",
    ShopRestrictionLifted.name: "shop_id",
}
RECIPIENT_ROLES = frozenset({SellerRole.OWNER, SellerRole.MANAGER})


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    email: str
    display_name: str
    language: str


async def seller_recipients(session: AsyncSession, organisation_id: int) -> list[Recipient]:
    """The active owners and managers of the organisation, oldest membership first."""
    recipients: list[Recipient] = []
    seen: set[int] = set()
    for member in await list_seller_members(session, organisation_id=organisation_id):
        if member.role not in RECIPIENT_ROLES or member.user_id in seen:
            continue
        seen.add(member.user_id)
        user = await find_user_by_email(session, member.email)
        if user is None or not user.is_active:
            continue
        recipients.append(
            Recipient(member.user_id, user.email, user.display_name, user.preferred_language)
        )
    return recipients


def _integer(event: DomainEvent, attribute: str) -> int:
    value = getattr(event, attribute, None)
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"a seller mail needs an integer {attribute!r}; {event.name} has {value!r}")
    return value


def seller_mail_key(event: DomainEvent, user_id: int) -> str:
    """Stable per (event fields, recipient): the same event always gives the same key."""
    fields = json.dumps(event.payload(), sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{event.name}\n{fields}".encode()).hexdigest()[:24]
    return f"seller-{event.name}-{digest}-user-{user_id}"


def seller_message(event: DomainEvent, recipient: Recipient) -> EmailMessage:
    """The mail about `event` for one recipient, in their language."""
    variant = getattr(event, "kind", None)
    texts = SELLER_TEXTS.get(f"{event.name}:{variant}") or SELLER_TEXTS[event.name]
    language = supported_language(recipient.language)
    subject, paragraph = texts[language]
    greeting, reason_label, closing = SELLER_FRAME[language]
    number = _integer(event, SELLER_MAIL_EVENTS[event.name])
    parts = [greeting.format(name=recipient.display_name), paragraph.format(number=number)]
    reason = getattr(event, "reason", None)
    if isinstance(reason, str) and reason.strip():
        parts.append(f"{reason_label}\n{reason.strip()}")
    parts.append(closing)
    return EmailMessage(
        to=recipient.email,
        subject=subject.format(number=number),
        text="\n\n".join(parts),
        idempotency_key=seller_mail_key(event, recipient.user_id),
    )


def seller_mail_handler(mailer: Mailer) -> EventFunc:
    """An outbox handler mailing the owners and managers about one sellers event."""

    async def send_seller_mail(event: DomainEvent, session: AsyncSession) -> None:
        if event.name not in SELLER_MAIL_EVENTS:
            raise LookupError(f"no seller mail for {event.name}")
        organisation_id = _integer(event, "organisation_id")
        for recipient in await seller_recipients(session, organisation_id):
            await mailer.send(seller_message(event, recipient))

    return send_seller_mail
