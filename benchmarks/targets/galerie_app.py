"""Galerie as `galerie serve` runs it: logging configured first (so the access log middleware
really writes a line per request), then the production ASGI app of `galerie.asgi`, built from
the environment's settings."""

from __future__ import annotations

from galerie.config import load_settings
from galerie.web.observability import configure_logging

configure_logging(load_settings().log_format)

from galerie.asgi import app  # noqa: E402 - after the logging set-up, as galerie serve does

__all__ = ["app"]
