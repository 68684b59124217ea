"""Configuration: documented defaults, and production refuses what would be unsafe."""

from __future__ import annotations

from pathlib import Path

import pytest

from galerie.config import ConfigError, load_settings, normalise_database_url


def test_defaults_outside_production_generate_and_keep_a_demo_secret(tmp_path: Path) -> None:
    env = {"GALERIE_VAR_DIR": str(tmp_path)}
    first = load_settings(env)
    second = load_settings(env)
    assert first.secret_key.startswith("demo-")
    assert first.secret_key == second.secret_key
    assert (tmp_path / "demo-secret-key").stat().st_mode & 0o777 == 0o600
    assert first.database_url == f"sqlite+aiosqlite:///{tmp_path / 'galerie.sqlite3'}"
    assert first.default_currency == "CNY"
    assert first.require_totp is False
    assert first.redis_url is None


@pytest.mark.parametrize(
    "secret", ["", "   ", "demo-abcdefghijklmnopqrstuvwxyz0123456789", "short-secret"]
)
def test_production_refuses_a_missing_demo_or_short_secret(tmp_path: Path, secret: str) -> None:
    env = {
        "GALERIE_ENV": "production",
        "GALERIE_SECRET_KEY": secret,
        "GALERIE_VAR_DIR": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="GALERIE_SECRET_KEY"):
        load_settings(env)
    assert not (tmp_path / "demo-secret-key").exists()


def test_production_with_a_real_secret_requires_totp_by_default(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "GALERIE_ENV": "production",
            "GALERIE_SECRET_KEY": "s" * 48,
            "GALERIE_VAR_DIR": str(tmp_path),
        }
    )
    assert settings.production
    assert settings.require_totp is True
    assert settings.in_process_worker is False
    assert settings.log_format == "json"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GALERIE_ENV", "staging"),
        ("GALERIE_DEFAULT_LANGUAGE", "de"),
        ("GALERIE_DEFAULT_CURRENCY", "XXX"),
        ("GALERIE_REQUIRE_TOTP", "maybe"),
        ("GALERIE_MAX_BODY_BYTES", "lots"),
        ("GALERIE_DATABASE_URL", "mysql://root@localhost/galerie"),
        ("GALERIE_SEARCH_REFRESH_SECONDS", "soon"),
        ("GALERIE_SEARCH_REFRESH_SECONDS", "-1"),
        ("GALERIE_SEARCH_REFRESH_SECONDS", "3600"),
        ("GALERIE_SEARCH_CACHE_SIZE", "1.5"),
        ("GALERIE_PAGE_REFRESH_SECONDS", "later"),
        ("GALERIE_PAGE_REFRESH_SECONDS", "61"),
        ("GALERIE_PRINCIPAL_CACHE_SECONDS", "soon"),
        ("GALERIE_PRINCIPAL_CACHE_SECONDS", "-1"),
        ("GALERIE_PRINCIPAL_CACHE_SECONDS", "301"),
        ("GALERIE_SEARCH_CACHE_SIZE", "-1"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(
    tmp_path: Path, variable: str, value: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({variable: value, "GALERIE_VAR_DIR": str(tmp_path)})
    assert variable in str(refused.value)


def test_database_urls_get_the_async_drivers() -> None:
    assert normalise_database_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("sqlite:///var/x.db") == "sqlite+aiosqlite:///var/x.db"
