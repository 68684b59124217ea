"""Languages: every shipped string is translated, each request gets its own language, and
the language switch is a CSRF-protected form that refuses off-site redirects."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from babel.messages.extract import extract_from_dir

from galerie.db import Database
from galerie.identity import load_principal
from galerie.kernel import FixedClock
from galerie.web import i18n
from galerie.web.i18n import load_catalog
from tests.web.test_pages_support import post_form, shopper, sign_in

WEB = Path(i18n.__file__).parent
METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted_msgids() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(WEB), METHODS, OPTIONS):
        found.add(message)
    return found


def test_extraction_finds_the_page_strings() -> None:
    messages = extracted_msgids()
    assert "Sign in" in messages  # a template
    assert "This field is required." in messages  # Python (forms.py)
    assert ("%(num)d day", "%(num)d days") in messages  # a plural
    assert len(messages) > 150


@pytest.mark.parametrize("language", ["zh_CN", "fr"])
def test_every_extracted_string_is_translated(language: str) -> None:
    catalog = load_catalog(language.replace("_", "-"))
    missing = []
    for msgid in sorted(extracted_msgids(), key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = catalog.get(key)
        strings = (
            entry.string if entry and isinstance(entry.string, tuple) else (entry and entry.string,)
        )
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(key)
        elif not isinstance(msgid, tuple) and len(key.split()) >= 3:
            assert entry.string != key, f"{language}: copied, not translated: {key!r}"
    assert missing == [], f"{language}: untranslated strings: {missing}"


def test_no_compiled_catalogs_are_shipped() -> None:
    assert list((WEB / "locale").rglob("*.mo")) == []


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("zh-CN,zh;q=0.9", "zh-CN"),
        ("zh", "zh-CN"),
        ("de-DE,en;q=0.5", "en"),
        ("de-DE", None),
        ("en;q=0.1, fr;q=0.9", "fr"),
        ("fr;q=0", None),
        ("", None),
    ],
)
def test_accept_language_negotiation(accept: str, expected: str | None) -> None:
    assert i18n.negotiate(accept) == expected


@pytest.mark.parametrize(
    ("headers", "marker", "lang"),
    [
        ({"accept-language": "zh-CN,zh;q=0.9"}, "一个市场，众多店铺", "zh-CN"),
        ({"accept-language": "fr-FR,fr;q=0.9"}, "Un marché, de nombreuses boutiques", "fr"),
        ({"accept-language": "en-GB"}, "One market, many shops", "en"),
        ({}, "One market, many shops", "en"),
    ],
)
async def test_the_home_page_speaks_the_visitors_language(
    client: httpx.AsyncClient, headers: dict[str, str], marker: str, lang: str
) -> None:
    response = await client.get("/", headers=headers)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert marker in response.text


async def test_error_pages_are_translated(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere", headers={"accept-language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    forbidden = await client.post(
        "/language", data={"language": "fr"}, headers={"accept-language": "zh-CN"}
    )
    assert forbidden.status_code == 403
    assert "您不能执行此操作" in forbidden.text


async def test_the_switch_sets_the_cookie_and_goes_back(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/language", {"language": "zh-CN", "next": "/register"})
    assert response.status_code == 303
    assert response.headers["location"] == "/register"
    assert client.cookies.get(i18n.LANGUAGE_COOKIE) == "zh-CN"
    page = await client.get("/register", headers={"accept-language": "fr"})
    assert '<html lang="zh-CN">' in page.text
    assert "创建我的账户" in page.text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/ok\r\nSet-Cookie: x=1",
    ],
)
async def test_the_switch_refuses_an_off_site_next(client: httpx.AsyncClient, target: str) -> None:
    response = await post_form(client, "/language", {"language": "fr", "next": target})
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_the_switch_refuses_an_unknown_language(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/language", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert i18n.LANGUAGE_COOKIE not in client.cookies


async def test_the_switch_remembers_the_choice_of_a_signed_in_person(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id = await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    await post_form(client, "/language", {"language": "fr", "next": "/account"})
    async with db.reading() as session:
        principal = await load_principal(session, user_id)
    assert principal is not None
    assert principal.language == "fr"
    # The account's language wins over the cookie and the browser's.
    client.cookies.set(i18n.LANGUAGE_COOKIE, "zh-CN", domain="127.0.0.1")
    page = await client.get("/account", headers={"accept-language": "zh-CN"})
    assert '<html lang="fr">' in page.text
    assert "Votre compte" in page.text
