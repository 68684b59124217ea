"""The mail inviting someone to join a seller organisation, with the link to accept.

The link's token is derived again from the event's nonce with the secret key
(identity.invitation_token); the database holds only its digest. A redelivered event
derives the same token and writes the same mail (same idempotency key)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.identity import SellerInvitationSent, find_user_by_email, invitation_token
from galerie.kernel import DomainEvent
from galerie.notifications.mail import EmailMessage, Mailer
from galerie.notifications.welcome import EventFunc, supported_language

INVITATION_EVENT = SellerInvitationSent.name

ROLE_NAMES: dict[str, dict[str, str]] = {
    "en": {"owner": "owner", "manager": "manager", "staff": "staff member", "agency": "agency operator"},
    "fr": {"owner": "propriétaire", "manager": "gestionnaire", "staff": "membre de l'équipe", "agency": "opérateur d'agence"},
    "zh-CN": {"owner": "所有者", "manager": "管理员", "staff": "员工", "agency": "代运营"},
}  # fmt: skip

# language -> (subject, body); body takes {inviter} {organisation} {role} {link} {expires}
INVITATION_TEXTS: dict[str, tuple[str, str]] = {
    "en": (
        "{inviter} invites you to join {organisation} on Galerie",
        "Hello,\n\n{inviter} invites you to join the seller organisation {organisation} on "
        "Galerie as {role}.\n\nTo accept, open this link, then sign in or create an account "
        "with this e-mail address:\n{link}\n\nThe link works once and expires on {expires} "
        "(UTC). If you did not expect this invitation, ignore this message.\n\n"
        "The Galerie team\n",
    ),
    "fr": (
        "{inviter} vous invite à rejoindre {organisation} sur Galerie",
        "Bonjour,\n\n{inviter} vous invite à rejoindre l'organisation vendeuse {organisation} "
        "sur Galerie en tant que {role}.\n\nPour accepter, ouvrez ce lien, puis connectez-vous "
        "ou créez un compte avec cette adresse e-mail :\n{link}\n\nLe lien ne sert qu'une fois "
        "et expire le {expires} (UTC). Si vous n'attendiez pas cette invitation, ignorez ce "
        "message.\n\nL'équipe Galerie\n",
    ),
    "zh-CN": (
        "{inviter} 邀请您加入 Galerie 上的 {organisation}",
        "您好：\n\n{inviter} 邀请您以{role}身份加入 Galerie 商家组织 {organisation}。\n\n"
        "如需接受，请打开以下链接，然后使用本邮箱地址登录或注册：\n{link}\n\n"
        "该链接仅可使用一次，将于 {expires}（UTC）失效。如果您并未期待此邀请，请忽略本邮件。\n\n"
        "Galerie 团队\n",
    ),
}


def invitation_message(
    event: SellerInvitationSent, *, language: str, secret_key: str, base_url: str
) -> EmailMessage:
    lang = supported_language(language)
    subject, body = INVITATION_TEXTS[lang]
    token = invitation_token(secret_key, event.nonce)
    values = {
        "inviter": event.inviter_name,
        "organisation": event.organisation_name,
        "role": ROLE_NAMES[lang].get(event.role, event.role),
        "link": f"{base_url.rstrip('/')}/invitations/{token}",
        "expires": event.expires_at[:16].replace("T", " "),
    }
    return EmailMessage(
        to=event.email,
        subject=subject.format(**values),
        text=body.format(**values),
        idempotency_key=f"seller-invitation-{event.invitation_id}",
    )


def invitation_mail_handler(mailer: Mailer, *, secret_key: str, base_url: str) -> EventFunc:
    """An outbox handler mailing the invitation, in the invitee's language when they
    already have an account, else in the inviter's."""

    async def send_invitation(event: DomainEvent, session: AsyncSession) -> None:
        if not isinstance(event, SellerInvitationSent):
            raise TypeError(f"not an invitation: {event.name}")
        user = await find_user_by_email(session, event.email)
        language = user.preferred_language if user is not None else event.language
        await mailer.send(
            invitation_message(event, language=language, secret_key=secret_key, base_url=base_url)
        )

    return send_invitation
