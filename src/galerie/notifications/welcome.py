"""The welcome mail a new shopper receives, in their language.

The event ("ShopperRegistered") belongs to the identity domain; this module reads it by
attribute (email, language, and user_id when present) so that notifications does not import
identity."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import DomainEvent
from galerie.notifications.mail import EmailMessage, Mailer

WELCOME_EVENT = "ShopperRegistered"
DEFAULT_LANGUAGE = "en"

# language -> (subject, body)
WELCOME_TEXTS: dict[str, tuple[str, str]] = {
    "en": (
        "Welcome to Galerie",
        "Hello,\n\n"
        "Thank you for joining Galerie. You can now browse independent shops, keep one "
        "cart across all of them and follow your orders from your account.\n\n"
        "The Galerie team\n",
    ),
    "fr": (
        "Bienvenue sur Galerie",
        "Bonjour,\n\n"
        "Merci d'avoir rejoint Galerie. Vous pouvez désormais découvrir des boutiques "
        "indépendantes, garder un seul panier pour toutes et suivre vos commandes depuis "
        "votre compte.\n\n"
        "L'équipe Galerie\n",
    ),
    "zh-CN": (
        "欢迎来到 Galerie",
        "您好：\n\n"
        "感谢您注册 Galerie。现在您可以浏览各家独立店铺，用一个购物车跨店购物，"
        "并在账户中跟踪您的订单。\n\n"
        "Galerie 团队\n",
    ),
}

EventFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]


def supported_language(language: str) -> str:
    """Map a language tag to one we have texts for: exact, then by primary subtag
    ("fr-CA" -> "fr", "zh" or "zh-Hans" -> "zh-CN"), else English."""
    by_lower = {tag.lower(): tag for tag in WELCOME_TEXTS}
    tag = language.strip().replace("_", "-").lower()
    if tag in by_lower:
        return by_lower[tag]
    primary = tag.split("-", 1)[0]
    for known in WELCOME_TEXTS:
        if known.lower().split("-", 1)[0] == primary:
            return known
    return DEFAULT_LANGUAGE


def welcome_message(*, email: str, language: str, idempotency_key: str) -> EmailMessage:
    subject, text = WELCOME_TEXTS[supported_language(language)]
    return EmailMessage(to=email, subject=subject, text=text, idempotency_key=idempotency_key)


def _required(event: DomainEvent, attribute: str) -> str:
    value = getattr(event, attribute, None)
    if not isinstance(value, str):
        raise TypeError(
            f"the welcome mail needs a string {attribute!r} on the event; "
            f"{event.name} has {value!r}"
        )
    return value


def welcome_key(event: DomainEvent, email: str) -> str:
    """One welcome per user: keyed by user_id when the event has one, else by the address."""
    user_id = getattr(event, "user_id", None)
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        return f"welcome-user-{user_id}"
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"welcome-{digest}"


def welcome_handler(mailer: Mailer) -> EventFunc:
    """An outbox handler sending the welcome mail for a ShopperRegistered-like event."""

    async def send_welcome(event: DomainEvent, session: AsyncSession) -> None:
        email = _required(event, "email")
        language = _required(event, "language")
        message = welcome_message(
            email=email, language=language, idempotency_key=welcome_key(event, email)
        )
        await mailer.send(message)

    return send_welcome
