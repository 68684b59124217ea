"""Configuration from environment variables (documented in the README's table)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from galerie.kernel.errors import ValidationFailed
from galerie.kernel.ids import keyed_token
from galerie.kernel.money import check_currency

LANGUAGES = ("zh-CN", "en", "fr")
ENVIRONMENTS = ("development", "demo", "test", "production")
DEMO_SECRET_PREFIX = "demo-"  # noqa: S105 - a marker, not a secret
MIN_SECRET_LENGTH = 32
MIN_UNPAID_MINUTES, MAX_UNPAID_MINUTES = 1, 7 * 24 * 60
PAYMENT_PROVIDERS = ("sandbox", "none")
SANDBOX_WEBHOOK_PATH = "/webhooks/payments/sandbox"
MAX_CHAOS_DELAY = 3600


class ConfigError(Exception):
    """The configuration cannot be used; the message says which variable and why."""


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be yes or no, not {value!r}")


@dataclass(frozen=True, slots=True)
class SandboxChaos:
    """How badly the sandbox provider delivers its webhooks (GALERIE_SANDBOX_CHAOS):
    probabilities (0 to 1) of a second delivery of an event (`duplicate`) and of an event
    held back up to `max_delay_seconds` so later ones overtake it (`reorder`), and the
    seed of the random draws (none: a new one per process). All zero: no chaos."""

    duplicate: float = 0.0
    reorder: float = 0.0
    max_delay_seconds: int = 30
    seed: int | None = None

    @property
    def active(self) -> bool:
        return self.duplicate > 0 or self.reorder > 0


def parse_sandbox_chaos(text: str) -> SandboxChaos:
    """`duplicate=0.2,reorder=0.3,max_delay=30,seed=7` (any subset); empty or `off`: none."""
    name = "GALERIE_SANDBOX_CHAOS"
    if text.strip().lower() in {"", "off", "0", "no"}:
        return SandboxChaos()
    values: dict[str, str] = {}
    for item in text.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or key not in {"duplicate", "reorder", "max_delay", "seed"} or key in values:
            raise ConfigError(f"{name}: expected duplicate=P,reorder=P,max_delay=S,seed=N")
        values[key] = value.strip()
    try:
        chaos = SandboxChaos(
            duplicate=float(values.get("duplicate", "0")),
            reorder=float(values.get("reorder", "0")),
            max_delay_seconds=int(values.get("max_delay", "30")),
            seed=int(values["seed"]) if "seed" in values else None,
        )
    except ValueError as exc:
        raise ConfigError(
            f"{name}: probabilities are numbers, max_delay and seed integers"
        ) from exc
    if not (0 <= chaos.duplicate <= 1 and 0 <= chaos.reorder <= 1):
        raise ConfigError(f"{name}: probabilities are between 0 and 1")
    if not 1 <= chaos.max_delay_seconds <= MAX_CHAOS_DELAY:
        raise ConfigError(f"{name}: max_delay is 1 to {MAX_CHAOS_DELAY} seconds")
    return chaos


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings and pick Galerie's async drivers."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise ConfigError(f"GALERIE_DATABASE_URL: unsupported database URL {url.split(':', 1)[0]!r}")


@dataclass(frozen=True, slots=True)
class Settings:
    environment: str = "development"
    database_url: str = "sqlite+aiosqlite:///./var/galerie.sqlite3"
    redis_url: str | None = None
    secret_key: str = field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    default_language: str = "en"
    default_currency: str = "CNY"
    require_totp: bool = False
    max_body_bytes: int = 1_048_576
    log_format: str = "console"
    var_dir: Path = Path("var")
    in_process_worker: bool = True
    access_log: str = "errors"
    smtp_url: str | None = field(default=None, repr=False)
    mail_sender: str = "Galerie <no-reply@galerie.invalid>"
    # how often a process checks whether cached search results are stale (0: every search)
    search_refresh_seconds: float = 1.0
    search_cache_size: int = 1024  # search results cached per process (0: none)
    # how long a rendered product page is shown without checking the product (0: never)
    page_refresh_seconds: float = 1.0
    # how long a resolved principal (token or session) is answered from memory at most, on
    # PostgreSQL while its change notices are heard (ADR 0019; 0: read it every request)
    principal_cache_seconds: float = 30.0
    unpaid_order_minutes: int = 30
    # "sandbox" (the built-in fake provider and its hosted page) or "none" (no payments)
    payment_provider: str = "sandbox"
    sandbox_chaos: SandboxChaos = SandboxChaos()
    # deposit deductions above this (minor units of the deposit currency) need a second
    # operator's approval (galerie.deposits)
    deposit_deduction_approval_minor: int = 1_000_000
    # settlement: a payout run pays shops holding at least this (minor units of the default
    # currency) every `payout_every_days` days (0: no scheduled run)
    payout_minimum_minor: int = 10_000
    payout_every_days: int = 1

    @property
    def sandbox_webhook_secret(self) -> str:
        """The secret the sandbox signs its webhooks with, and we verify them with: derived
        from the secret key, so both sides of one installation share it."""
        return keyed_token(self.secret_key, "sandbox-provider-webhooks", "1")

    @property
    def sandbox_webhook_url(self) -> str:
        """The sandbox account's webhook endpoint (payouts; checkouts naming none)."""
        return self.base_url + SANDBOX_WEBHOOK_PATH

    @property
    def pay_within(self) -> timedelta:
        """How long a buyer has to pay a checkout before its orders close (and give their
        stock back): `pay_within` of galerie.orders.place_order."""
        return timedelta(minutes=self.unpaid_order_minutes)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def check(self) -> None:
        """Refuse a configuration that would be unsafe or cannot work."""
        if self.environment not in ENVIRONMENTS:
            raise ConfigError(f"GALERIE_ENV must be one of {', '.join(ENVIRONMENTS)}")
        if self.default_language not in LANGUAGES:
            raise ConfigError(f"GALERIE_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        try:
            check_currency(self.default_currency)
        except ValidationFailed as exc:
            raise ConfigError(f"GALERIE_DEFAULT_CURRENCY: {exc.message}") from exc
        if self.log_format not in {"console", "json"}:
            raise ConfigError("GALERIE_LOG_FORMAT must be console or json")
        if not 0 <= self.search_refresh_seconds <= 60:
            raise ConfigError("GALERIE_SEARCH_REFRESH_SECONDS must be between 0 and 60")
        if not 0 <= self.page_refresh_seconds <= 60:
            raise ConfigError("GALERIE_PAGE_REFRESH_SECONDS must be between 0 and 60")
        if not 0 <= self.principal_cache_seconds <= 300:
            raise ConfigError("GALERIE_PRINCIPAL_CACHE_SECONDS must be between 0 and 300")
        if not 0 <= self.search_cache_size <= 100_000:
            raise ConfigError("GALERIE_SEARCH_CACHE_SIZE must be between 0 and 100000")
        if self.access_log not in {"all", "errors", "off"}:
            raise ConfigError("GALERIE_ACCESS_LOG must be all, errors or off")
        if not MIN_UNPAID_MINUTES <= self.unpaid_order_minutes <= MAX_UNPAID_MINUTES:
            raise ConfigError(
                f"GALERIE_UNPAID_ORDER_MINUTES must be {MIN_UNPAID_MINUTES} to {MAX_UNPAID_MINUTES}"
            )
        if self.payment_provider not in PAYMENT_PROVIDERS:
            raise ConfigError(
                f"GALERIE_PAYMENT_PROVIDER must be one of {', '.join(PAYMENT_PROVIDERS)}"
            )
        if self.deposit_deduction_approval_minor < 0:
            raise ConfigError("GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR must not be negative")
        if self.production:
            if self.payment_provider == "sandbox":
                raise ConfigError(
                    "production refuses GALERIE_PAYMENT_PROVIDER=sandbox (anyone could 'pay')"
                )
            if not self.secret_key or self.secret_key.startswith(DEMO_SECRET_PREFIX):
                raise ConfigError(
                    "production refuses to start without GALERIE_SECRET_KEY (not a demo key)"
                )
            if len(self.secret_key) < MIN_SECRET_LENGTH:
                raise ConfigError(
                    f"GALERIE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"
                )
        elif not self.secret_key:
            raise ConfigError("no secret key (call load_settings, which makes a demo one)")


def _demo_secret(var_dir: Path) -> str:
    """Generate the demo's secret once and keep it under var/, so sessions survive restarts."""
    path = var_dir / "demo-secret-key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret = DEMO_SECRET_PREFIX + secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("GALERIE_ENV", "development").strip() or "development"
    var_dir = Path(env.get("GALERIE_VAR_DIR", "var"))
    database_url = normalise_database_url(
        env.get("GALERIE_DATABASE_URL", "").strip()
        or f"sqlite+aiosqlite:///{var_dir / 'galerie.sqlite3'}"
    )
    secret = env.get("GALERIE_SECRET_KEY", "").strip()
    if not secret and environment != "production":
        secret = _demo_secret(var_dir)
    try:
        max_body = int(env.get("GALERIE_MAX_BODY_BYTES", "1048576"))
    except ValueError as exc:
        raise ConfigError("GALERIE_MAX_BODY_BYTES must be a whole number of bytes") from exc
    try:
        refresh = float(env.get("GALERIE_SEARCH_REFRESH_SECONDS", "1"))
    except ValueError as exc:
        raise ConfigError("GALERIE_SEARCH_REFRESH_SECONDS must be a number of seconds") from exc
    try:
        page_refresh = float(env.get("GALERIE_PAGE_REFRESH_SECONDS", "1"))
    except ValueError as exc:
        raise ConfigError("GALERIE_PAGE_REFRESH_SECONDS must be a number of seconds") from exc
    try:
        principal_cache = float(env.get("GALERIE_PRINCIPAL_CACHE_SECONDS", "30"))
    except ValueError as exc:
        raise ConfigError("GALERIE_PRINCIPAL_CACHE_SECONDS must be a number of seconds") from exc
    try:
        cache_size = int(env.get("GALERIE_SEARCH_CACHE_SIZE", "1024"))
    except ValueError as exc:
        raise ConfigError("GALERIE_SEARCH_CACHE_SIZE must be a whole number") from exc
    try:
        unpaid_minutes = int(env.get("GALERIE_UNPAID_ORDER_MINUTES", "30"))
    except ValueError as exc:
        raise ConfigError("GALERIE_UNPAID_ORDER_MINUTES must be a whole number") from exc
    try:
        approval = int(env.get("GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR", "1000000"))
    except ValueError as exc:
        raise ConfigError(
            "GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR must be a whole number"
        ) from exc
    try:
        payout_minimum = int(env.get("GALERIE_PAYOUT_MINIMUM_MINOR", "10000"))
        payout_every = int(env.get("GALERIE_PAYOUT_EVERY_DAYS", "1"))
    except ValueError as exc:
        raise ConfigError(
            "GALERIE_PAYOUT_MINIMUM_MINOR and GALERIE_PAYOUT_EVERY_DAYS are whole numbers"
        ) from exc
    if payout_minimum <= 0 or payout_every < 0:
        raise ConfigError("GALERIE_PAYOUT_MINIMUM_MINOR > 0 and GALERIE_PAYOUT_EVERY_DAYS >= 0")
    settings = Settings(
        environment=environment,
        database_url=database_url,
        redis_url=env.get("GALERIE_REDIS_URL", "").strip() or None,
        secret_key=secret,
        base_url=env.get("GALERIE_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        default_language=env.get("GALERIE_DEFAULT_LANGUAGE", "en"),
        default_currency=env.get("GALERIE_DEFAULT_CURRENCY", "CNY"),
        require_totp=_flag(env, "GALERIE_REQUIRE_TOTP", default=environment == "production"),
        max_body_bytes=max_body,
        log_format=env.get(
            "GALERIE_LOG_FORMAT", "json" if environment == "production" else "console"
        ),
        var_dir=var_dir,
        in_process_worker=_flag(
            env, "GALERIE_IN_PROCESS_WORKER", default=environment != "production"
        ),
        smtp_url=env.get("GALERIE_SMTP_URL", "").strip() or None,
        access_log=env.get("GALERIE_ACCESS_LOG", "errors").strip() or "errors",
        mail_sender=env.get("GALERIE_MAIL_SENDER", "").strip()
        or "Galerie <no-reply@galerie.invalid>",
        search_refresh_seconds=refresh,
        search_cache_size=cache_size,
        page_refresh_seconds=page_refresh,
        principal_cache_seconds=principal_cache,
        unpaid_order_minutes=unpaid_minutes,
        payment_provider=env.get("GALERIE_PAYMENT_PROVIDER", "").strip()
        or ("none" if environment == "production" else "sandbox"),
        sandbox_chaos=parse_sandbox_chaos(env.get("GALERIE_SANDBOX_CHAOS", "")),
        deposit_deduction_approval_minor=approval,
        payout_minimum_minor=payout_minimum,
        payout_every_days=payout_every,
    )
    settings.check()
    return settings
