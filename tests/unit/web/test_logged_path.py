"""The access log never writes an invitation's token."""

from __future__ import annotations

from galerie.web.observability import logged_path


def test_invitation_tokens_are_not_logged() -> None:
    assert logged_path("/invitations/abcDEF123_-x") == "/invitations/***"
    assert logged_path("/invitations/abcDEF123_-x/accept") == "/invitations/***/accept"
    assert logged_path("/api/v1/invitations/accept") == "/api/v1/invitations/accept"
    assert logged_path("/seller/invitations/12/revoke") == "/seller/invitations/12/revoke"
