"""Notifications: mail to people, sent from outbox handlers. Public surface."""

from galerie.notifications.invitation_mail import (
    INVITATION_EVENT,
    INVITATION_TEXTS,
    invitation_mail_handler,
    invitation_message,
)
from galerie.notifications.mail import DEFAULT_SENDER, EmailMessage, Mailer, render_mime
from galerie.notifications.mailers import OutboxFolderMailer, SmtpMailer
from galerie.notifications.seller_mail import (
    SELLER_MAIL_EVENTS,
    Recipient,
    seller_mail_handler,
    seller_mail_key,
    seller_message,
    seller_recipients,
)
from galerie.notifications.seller_texts import SELLER_FRAME, SELLER_TEXTS
from galerie.notifications.welcome import (
    WELCOME_EVENT,
    WELCOME_TEXTS,
    supported_language,
    welcome_handler,
    welcome_message,
)

__all__ = [
    "DEFAULT_SENDER",
    "INVITATION_EVENT",
    "INVITATION_TEXTS",
    "SELLER_FRAME",
    "SELLER_MAIL_EVENTS",
    "SELLER_TEXTS",
    "WELCOME_EVENT",
    "WELCOME_TEXTS",
    "EmailMessage",
    "Mailer",
    "OutboxFolderMailer",
    "Recipient",
    "SmtpMailer",
    "invitation_mail_handler",
    "invitation_message",
    "render_mime",
    "seller_mail_handler",
    "seller_mail_key",
    "seller_message",
    "seller_recipients",
    "supported_language",
    "welcome_handler",
    "welcome_message",
]
