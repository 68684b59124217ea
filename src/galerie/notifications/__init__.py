"""Notifications: mail to people, sent from outbox handlers. Public surface."""

from galerie.notifications.mail import DEFAULT_SENDER, EmailMessage, Mailer, render_mime
from galerie.notifications.mailers import OutboxFolderMailer, SmtpMailer
from galerie.notifications.welcome import (
    WELCOME_EVENT,
    WELCOME_TEXTS,
    supported_language,
    welcome_handler,
    welcome_message,
)

__all__ = [
    "DEFAULT_SENDER",
    "WELCOME_EVENT",
    "WELCOME_TEXTS",
    "EmailMessage",
    "Mailer",
    "OutboxFolderMailer",
    "SmtpMailer",
    "render_mime",
    "supported_language",
    "welcome_handler",
    "welcome_message",
]
