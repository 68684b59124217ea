"""Mailer adapters that ship: a folder of .eml files (demo and tests) and SMTP."""

from __future__ import annotations

import asyncio
import os
import smtplib
import ssl
import tempfile
from pathlib import Path

from galerie.notifications.mail import DEFAULT_SENDER, EmailMessage, render_mime


class OutboxFolderMailer:
    """Writes each message to `<directory>/<idempotency_key>.eml`, atomically: sending the
    same key again replaces the file, so a redelivered event never makes a second mail."""

    def __init__(self, directory: Path, *, sender: str = DEFAULT_SENDER) -> None:
        self.directory = directory
        self.sender = sender

    def path_for(self, idempotency_key: str) -> Path:
        return self.directory / f"{idempotency_key}.eml"

    async def send(self, message: EmailMessage) -> None:
        data = render_mime(message, sender=self.sender).as_bytes()
        await asyncio.to_thread(self._write, self.path_for(message.idempotency_key), data)

    def _write(self, target: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".sending-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class SmtpMailer:
    """Sends through an SMTP server with the standard library, off the event loop.
    `use_tls` means STARTTLS with certificate verification (port 587); an error raises, and
    the outbox retries with the same Message-ID."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        use_tls: bool,
        sender: str,
        *,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.use_tls = use_tls
        self.sender = sender
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        mime = render_mime(message, sender=self.sender)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(mime)
