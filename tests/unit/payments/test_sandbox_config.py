"""The payment provider settings: the sandbox by default outside production, refused in
production; GALERIE_SANDBOX_CHAOS parsed strictly; the webhook secret derived, stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from galerie.config import ConfigError, SandboxChaos, load_settings, parse_sandbox_chaos

REAL_SECRET = "s" * 40


def test_the_sandbox_is_the_default_outside_production(tmp_path: Path) -> None:
    settings = load_settings({"GALERIE_VAR_DIR": str(tmp_path)})
    assert settings.payment_provider == "sandbox"
    assert settings.sandbox_chaos == SandboxChaos()
    assert not settings.sandbox_chaos.active
    assert settings.sandbox_webhook_url == "http://127.0.0.1:8000/webhooks/payments/sandbox"
    again = load_settings({"GALERIE_VAR_DIR": str(tmp_path)})
    assert settings.sandbox_webhook_secret == again.sandbox_webhook_secret
    assert len(settings.sandbox_webhook_secret) >= 40
    assert settings.sandbox_webhook_secret not in settings.secret_key


def test_production_takes_no_payments_by_default_and_refuses_the_sandbox(tmp_path: Path) -> None:
    env = {"GALERIE_ENV": "production", "GALERIE_SECRET_KEY": REAL_SECRET,
           "GALERIE_VAR_DIR": str(tmp_path)}  # fmt: skip
    assert load_settings(env).payment_provider == "none"
    with pytest.raises(ConfigError, match="GALERIE_PAYMENT_PROVIDER=sandbox"):
        load_settings({**env, "GALERIE_PAYMENT_PROVIDER": "sandbox"})


def test_an_unknown_provider_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="GALERIE_PAYMENT_PROVIDER must be one of"):
        load_settings({"GALERIE_VAR_DIR": str(tmp_path), "GALERIE_PAYMENT_PROVIDER": "stripe"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SandboxChaos()),
        ("off", SandboxChaos()),
        ("duplicate=0.2", SandboxChaos(duplicate=0.2)),
        (
            " duplicate=0.5, reorder=1 ,max_delay=90,seed=7",
            SandboxChaos(duplicate=0.5, reorder=1.0, max_delay_seconds=90, seed=7),
        ),
    ],
)
def test_chaos_is_parsed(text: str, expected: SandboxChaos) -> None:
    assert parse_sandbox_chaos(text) == expected


@pytest.mark.parametrize(
    "text",
    ["duplicate", "duplicate=x", "duplicate=1.5", "reorder=-0.1", "max_delay=0",
     "max_delay=4000", "seed=1.5", "loss=0.1", "duplicate=0.1,duplicate=0.2"],
)  # fmt: skip
def test_bad_chaos_is_refused(text: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="GALERIE_SANDBOX_CHAOS"):
        load_settings({"GALERIE_VAR_DIR": str(tmp_path), "GALERIE_SANDBOX_CHAOS": text})
