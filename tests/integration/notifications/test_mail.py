"""Mail messages and the folder mailer the demo and the tests use."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.message import EmailMessage as MimeMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from galerie.notifications import (
    DEFAULT_SENDER,
    EmailMessage,
    OutboxFolderMailer,
    SmtpMailer,
    render_mime,
)


def _message(
    key: str = "welcome-user-1", subject: str = "Bienvenue", text: str = "Salut"
) -> EmailMessage:
    return EmailMessage(to="ana@example.com", subject=subject, text=text, idempotency_key=key)


def _read(path: Path) -> MimeMessage:
    mail = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(mail, MimeMessage)
    return mail


async def test_the_folder_mailer_writes_one_file_per_idempotency_key(tmp_path: Path) -> None:
    outbox = tmp_path / "mail"  # created on the first send
    mailer = OutboxFolderMailer(outbox)
    await mailer.send(_message("welcome-user-1", text="first"))
    await mailer.send(_message("welcome-user-1", text="second"))
    await mailer.send(_message("welcome-user-2"))
    assert sorted(p.name for p in outbox.iterdir()) == ["welcome-user-1.eml", "welcome-user-2.eml"]
    resent = _read(mailer.path_for("welcome-user-1"))
    assert resent.get_content().strip() == "second"  # the resend replaced the first file


async def test_concurrent_resends_leave_one_whole_file(tmp_path: Path) -> None:
    mailer = OutboxFolderMailer(tmp_path)
    texts = [f"version {n} " + "x" * 5000 for n in range(20)]
    await asyncio.gather(*(mailer.send(_message(text=text)) for text in texts))
    assert [p.name for p in tmp_path.iterdir()] == ["welcome-user-1.eml"]
    assert _read(tmp_path / "welcome-user-1.eml").get_content().strip() in texts


async def test_the_file_is_a_readable_utf8_mail(tmp_path: Path) -> None:
    mailer = OutboxFolderMailer(tmp_path, sender="Galerie <hello@galerie.example>")
    await mailer.send(_message(subject="欢迎来到 Galerie", text="您好：\n感谢您注册。\n"))
    mail = _read(tmp_path / "welcome-user-1.eml")
    assert mail["From"] == "Galerie <hello@galerie.example>"
    assert mail["To"] == "ana@example.com"
    assert mail["Subject"] == "欢迎来到 Galerie"
    assert mail["Message-ID"] == "<welcome-user-1@galerie.example>"
    assert mail["X-Galerie-Idempotency-Key"] == "welcome-user-1"
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content() == "您好：\n感谢您注册。\n"


def test_render_mime_uses_the_default_sender() -> None:
    mime = render_mime(_message(), sender=DEFAULT_SENDER)
    assert mime["From"] == DEFAULT_SENDER
    assert mime["Message-ID"] == "<welcome-user-1@galerie.invalid>"


@pytest.mark.parametrize(
    "to",
    [
        "ana@example.com\r\nBcc: everyone@example.com",
        "ana@example.com\nBcc: everyone@example.com",
        "not-an-address",
        "",
        "Ana <ana@example.com>",
        "ana@example.com, bob@example.com",
    ],
)
def test_messages_refuse_anything_but_one_bare_address(to: str) -> None:
    with pytest.raises(ValueError, match="bare e-mail address"):
        EmailMessage(to=to, subject="Hi", text="x", idempotency_key="k1")


@pytest.mark.parametrize("subject", ["", "   ", "Hi\r\nBcc: everyone@example.com", "a\nb"])
def test_messages_refuse_a_subject_that_is_not_one_line(subject: str) -> None:
    with pytest.raises(ValueError, match="one non-empty line"):
        EmailMessage(to="ana@example.com", subject=subject, text="x", idempotency_key="k1")


@pytest.mark.parametrize(
    "key", ["", "../escape", "a/b", ".hidden", "with space", "é", "x" * 129, "a\nb"]
)
def test_idempotency_keys_are_safe_file_names(key: str) -> None:
    with pytest.raises(ValueError, match="bad idempotency key"):
        EmailMessage(to="ana@example.com", subject="Hi", text="x", idempotency_key=key)


def test_the_smtp_mailer_keeps_its_settings() -> None:
    mailer = SmtpMailer("smtp.example.com", 587, "user", "secret", True, "Galerie <a@b.example>")
    assert (mailer.host, mailer.port, mailer.use_tls, mailer.sender) == (
        "smtp.example.com",
        587,
        True,
        "Galerie <a@b.example>",
    )
