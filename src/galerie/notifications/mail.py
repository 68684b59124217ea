"""Outgoing mail: the message, the Mailer port, and the MIME rendering the adapters share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from email.utils import parseaddr
from typing import Protocol

DEFAULT_SENDER = "Galerie <no-reply@galerie.invalid>"
# Keys become file names and Message-IDs, so they are kept to a safe alphabet.
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_LINE_BREAK = re.compile(r"[\r\n]")


@dataclass(frozen=True, slots=True)
class EmailMessage:
    """One mail to one person. `idempotency_key` identifies it: sending the same key twice
    is the same mail (the folder mailer overwrites, SMTP gets the same Message-ID)."""

    to: str
    subject: str
    text: str
    idempotency_key: str

    def __post_init__(self) -> None:
        _, address = parseaddr(self.to)
        if _LINE_BREAK.search(self.to) or "@" not in address or address != self.to.strip():
            raise ValueError(f"not a bare e-mail address: {self.to!r}")
        if not self.subject.strip() or _LINE_BREAK.search(self.subject):
            raise ValueError("a subject is one non-empty line")
        if not _KEY.match(self.idempotency_key):
            raise ValueError(f"bad idempotency key {self.idempotency_key!r}")


class Mailer(Protocol):
    """The port: deliver one message, or raise (the outbox then retries it)."""

    async def send(self, message: EmailMessage) -> None: ...


def render_mime(message: EmailMessage, *, sender: str) -> MimeMessage:
    """The wire form: plain UTF-8 text, a Message-ID derived from the idempotency key."""
    _, sender_address = parseaddr(sender)
    domain = sender_address.rpartition("@")[2] or "galerie.invalid"
    mime = MimeMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Message-ID"] = f"<{message.idempotency_key}@{domain}>"
    mime["X-Galerie-Idempotency-Key"] = message.idempotency_key
    mime.set_content(message.text, charset="utf-8")
    return mime
