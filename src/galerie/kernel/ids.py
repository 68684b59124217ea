"""Identifiers: integer primary keys inside, random tokens for anything secret or public."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random secret (session ids, API tokens, TOTP recovery codes)."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """What we store for a bearer secret: its SHA-256, so a database leak reveals no token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def keyed_token(secret: str, purpose: str, nonce: str) -> str:
    """A URL-safe secret derived from the application's secret key, a purpose and a stored
    nonce (HMAC-SHA256). The database keeps only the nonce and the token's digest, so a
    leak of the database alone yields no usable token; whoever holds the key (the mail
    handler) can derive the same token again, so a redelivered mail carries the same link."""
    mac = hmac.new(secret.encode("utf-8"), f"{purpose}\n{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")
