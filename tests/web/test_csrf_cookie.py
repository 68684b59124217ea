"""The CSRF cookie written from a template is byte for byte the one Litestar writes."""

from __future__ import annotations

import pytest
from litestar.config.csrf import CSRFConfig
from litestar.datastructures.cookie import Cookie
from litestar.middleware.csrf import generate_csrf_token

from galerie.web.csrf import cookie_template


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"cookie_secure": True},
        {"cookie_httponly": True, "cookie_samesite": "strict"},
        {"cookie_domain": "example.test", "cookie_path": "/shop", "cookie_secure": True},
    ],
)
def test_the_cookie_template_writes_what_litestar_writes(options: dict[str, object]) -> None:
    config = CSRFConfig(secret="s" * 32, cookie_name="galerie_csrf", **options)  # type: ignore[arg-type]
    token = generate_csrf_token(config.secret)
    litestar = Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    ).to_header(header="")

    before, after = cookie_template(config)

    assert (before + token.encode() + after).decode("latin-1") == litestar
