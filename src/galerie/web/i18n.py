"""Languages of the pages: gettext catalogs (Babel), the language of each request, Jinja's i18n.

The catalogs are the `.po` files under `locale/` (no compiled `.mo` in git): each is read once
per process, compiled in memory and cached. The language of a request is, in order, the
signed-in user's preferred language, the `galerie_lang` cookie, the best match of
Accept-Language, then the market's default. It is resolved once per request, kept in the
scope state and in a ContextVar (for messages built in Python), and Jinja's gettext callables
read it from the request being rendered, so concurrent requests never see each other's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Final

from babel.core import negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from galerie.config import LANGUAGES

LOCALE_DIR: Final = Path(__file__).parent / "locale"
LANGUAGE_COOKIE: Final = "galerie_lang"
LANGUAGE_NAMES: Final = {"zh-CN": "简体中文", "en": "English", "fr": "Français"}
_STATE_KEY: Final = "galerie.language"
_BY_LOWER: Final = {code.lower(): code for code in LANGUAGES}
MAX_ACCEPT_LANGUAGE: Final = 512
# Language-only or script tags that browsers send for the languages we have.
ALIASES: Final = {"zh": "zh_CN", "zh-hans": "zh_CN", "zh-hans-cn": "zh_CN", "fr-fr": "fr"}

current_language: ContextVar[str | None] = ContextVar("galerie_language", default=None)


def supported(language: object) -> str | None:
    """The canonical code ("zh-CN", "en", "fr") of a supported language, else None."""
    if not isinstance(language, str):
        return None
    return _BY_LOWER.get(language.strip().lower())


def catalog_dir_name(language: str) -> str:
    return language.replace("-", "_")


def load_catalog(language: str) -> Catalog:
    """One language's messages: every .po file of its LC_MESSAGES folder, merged (one file
    per area of the site: messages.po, seller.po, console.po, shops.po...). A msgid defined
    in two files is an error, so areas cannot silently disagree."""
    folder = LOCALE_DIR / catalog_dir_name(language) / "LC_MESSAGES"
    merged = Catalog(locale=catalog_dir_name(language))
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            part = read_po(handle, locale=catalog_dir_name(language))
        for message in part:
            if not message.id:
                continue
            if message.id in merged:
                raise ValueError(f"{path.name}: {message.id!r} is already translated elsewhere")
            merged[message.id] = message
    return merged


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of a language, built from its .po files once per process."""
    catalog = load_catalog(language)
    if not len(catalog):
        return NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header[:MAX_ACCEPT_LANGUAGE].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(header: str | None) -> str | None:
    if not header:
        return None
    match = negotiate_locale(parse_accept_language(header), LANGUAGES, sep="-", aliases=ALIASES)
    return supported(match)


def resolve_language(connection: ASGIConnection[Any, Any, Any, Any], default: str) -> str:
    """Preferred language of the signed-in user, else cookie, else Accept-Language, else default."""
    user = connection.scope.get("user")
    preferred = supported(getattr(user, "language", None))
    if preferred:
        return preferred
    from_cookie = supported(connection.cookies.get(LANGUAGE_COOKIE))
    if from_cookie:
        return from_cookie
    return negotiate(connection.headers.get("accept-language")) or supported(default) or "en"


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The request's language, resolved once and cached in the scope state."""
    state = connection.scope.setdefault("state", {})
    cached = state.get(_STATE_KEY)
    if isinstance(cached, str):
        return cached
    galerie = connection.scope["app"].state.get("galerie")
    default = galerie.settings.default_language if galerie is not None else "en"
    language = resolve_language(connection, default)
    state[_STATE_KEY] = language
    return language


def forget_language(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Drop the cached choice (after the language switch) so the response uses the new one."""
    connection.scope.setdefault("state", {}).pop(_STATE_KEY, None)


class LanguageMiddleware(ASGIMiddleware):
    """Resolves the page's language and sets the ContextVar for the duration of the request."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        language = language_of(ASGIConnection(scope))
        token = current_language.set(language)
        try:
            await next_app(scope, receive, send)
        finally:
            current_language.reset(token)


def gettext(message: str, **variables: Any) -> str:
    """Translate into the current request's language (a ContextVar); %(name)s placeholders."""
    text: str = translations(current_language.get() or "en").gettext(message)
    return text % variables if variables else text


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message


def _context_language(context: Context) -> str:
    request = context.get("request")
    if request is not None:
        return language_of(request)
    return current_language.get() or "en"


@pass_context
def _jinja_gettext(context: Context, message: str) -> str:
    text: str = translations(_context_language(context)).gettext(message)
    return text


@pass_context
def _jinja_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    text: str = translations(_context_language(context)).ngettext(singular, plural, n)
    return text


@pass_context
def _jinja_language(context: Context) -> str:
    return _context_language(context)


def install(env: Environment, globals_: Mapping[str, Any] | None = None) -> None:
    """Jinja's i18n extension, with callables that read the language of the rendered request."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _jinja_gettext, _jinja_ngettext, newstyle=True
    )
    env.globals["current_language"] = _jinja_language
    env.globals["language_names"] = LANGUAGE_NAMES
    if globals_:
        env.globals.update(globals_)
