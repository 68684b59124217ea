"""A shopper's first visit in a real browser: register, sign out, sign in, switch language,
sign out again. Screenshots of each step are kept in test-artifacts/."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import snapshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, locale="en-GB")
    opened = context.new_page()
    yield opened
    context.close()


def snap(page: Page, name: str) -> None:
    snapshot(page, f"journey-{name}")


def test_register_sign_in_switch_language_sign_out(page: Page) -> None:
    email = f"shopper-{secrets.token_hex(4)}@example.test"
    password = "violet-harbour-4417"

    page.goto("/register")
    page.fill("input[name=display_name]", "Zoë <b>Browser</b>")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/register'] button[type=submit]")
    expect(page.locator("form[action='/signout']")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Zoë <b>Browser</b>")  # shown as text, inert
    snap(page, "1-registered")

    page.click("form[action='/signout'] button")
    expect(page.locator("form[action='/signout']")).to_have_count(0)

    page.goto("/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "wrong-password-123")
    page.click("form[action='/signin'] button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    snap(page, "2-wrong-password")

    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/signin'] button[type=submit]")
    expect(page.locator("form[action='/signout']")).to_be_visible()

    page.select_option("form.language-switch select[name=language]", "fr")
    page.click("form.language-switch button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    snap(page, "3-french")
    page.select_option("form.language-switch select[name=language]", "zh-CN")
    page.click("form.language-switch button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    snap(page, "4-chinese")

    page.click("form[action='/signout'] button")
    expect(page.locator("form[action='/signout']")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute(
        "lang", "zh-CN"
    )  # the choice outlives the session
