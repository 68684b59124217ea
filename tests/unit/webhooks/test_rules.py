"""Webhook rules: URLs by environment, event types, the retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.kernel import ValidationFailed
from galerie.webhooks import EVENT_TYPES, MAX_ATTEMPTS, retry_delay
from galerie.webhooks.rules import clean_event_types, clean_url


@pytest.mark.parametrize(
    "url",
    ["https://erp.example.com/hooks/galerie", "https://hooks.example.fr:8443/a?b=c"],
)
def test_public_https_urls_are_accepted_everywhere(url: str) -> None:
    assert clean_url(url, allow_local_http=False) == url
    assert clean_url(url, allow_local_http=True) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://[::1]:8080/x",
        "https://localhost/hook",
    ],
)
def test_local_http_is_only_for_development_test_and_demo(url: str) -> None:
    assert clean_url(url, allow_local_http=True) == url
    with pytest.raises(ValidationFailed) as refused:
        clean_url(url, allow_local_http=False)
    assert refused.value.code == "bad_webhook_url"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "http://erp.example.com/hook",
        "ftp://erp.example.com/hook",
        "https://user:pw@erp.example.com/hook",
        "https://erp.example.com/hook#frag",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://printer.local/hook",
        "https:///nohost",
        "https://erp.example.com:99999/hook",
        "https://erp.example.com/a b",
        "https://erp.example.com/" + "a" * 500,
        "http://10.0.0.5/hook",
    ],
)
def test_bad_or_private_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        clean_url(url, allow_local_http=True)
    assert refused.value.code == "bad_webhook_url"
    assert refused.value.field == "url"


def test_event_types_are_known_and_put_in_order() -> None:
    assert clean_event_types(["order.shipped", "order.placed", "order.placed"]) == [
        "order.placed",
        "order.shipped",
    ]
    assert "webhook.test" in EVENT_TYPES
    with pytest.raises(ValidationFailed) as unknown:
        clean_event_types(["order.placed", "order.refunded"])
    assert unknown.value.code == "unknown_event_type"
    with pytest.raises(ValidationFailed) as empty:
        clean_event_types([])
    assert empty.value.code == "event_types_required"


def test_the_retry_schedule_backs_off_then_gives_up() -> None:
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        timedelta(hours=12),
        timedelta(hours=24),
        None,
    ]
    with pytest.raises(ValueError, match="start at 1"):
        retry_delay(0)
