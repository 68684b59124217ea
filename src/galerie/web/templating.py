"""The pages' template engine: one compiled copy of the templates per language.

A page says `_("Sign in")` about 25 times. Through Jinja's i18n extension each call is three
context-resolving calls and a Markup format (about half of the layout's render time, measured
in benchmarks/). The text of `_("literal")` is known when the template is compiled, so each
language gets its own Jinja environment (an overlay of the shared one: same loader, globals,
filters and settings, its own template cache) in which a `ConstantTranslations` pass replaces
`_("literal")` by the translated literal, marked safe exactly as Jinja's newstyle gettext
marks its result. Jinja then folds it into the template's static text: no call at run time.
`current_language()` becomes the environment's language the same way.

Everything else is unchanged: `_()` with variables or of a non-literal and `ngettext()`
still go through the callables of galerie.web.i18n, which read the
language of the request being rendered. A render outside a page's language (no language set
for the request, as for an error answered before the pages' router) uses the shared
environment, where every `_()` is translated at run time as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, TemplateNotFound
from jinja2.environment import Template as JinjaTemplate
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from litestar.exceptions import TemplateNotFoundException
from litestar.plugins.jinja import JinjaTemplateEngine

from galerie.config import LANGUAGES
from galerie.web.i18n import current_language, translations

_LANGUAGE_ATTRIBUTE: Final = "galerie_language"


class ConstantTranslations(Extension):
    """In a language's environment: `_("literal")` -> `("translation"|safe)` and
    `current_language()` -> `"fr"` (the environment's language) at compile time.

    Only the exact token sequence `_ ( "literal" )` is rewritten (not `x._(...)`, not a call
    with variables), and only when the translation formats with no variables, as Jinja's
    newstyle gettext does at run time (`Markup(text) % {}`); otherwise the call is kept."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        language = getattr(self.environment, _LANGUAGE_ATTRIBUTE, None)
        tokens = list(stream)
        if language is None:
            yield from tokens
            return
        catalog = translations(language)
        index = 0
        while index < len(tokens):
            window = tokens[index : index + 4]
            after_dot = index > 0 and tokens[index - 1].type == "dot"
            if not after_dot and _is_language_call(window):
                yield Token(window[0].lineno, "string", language)
                index += 3
                continue
            if not after_dot and _is_literal_call(window):
                text = _formatted(catalog.gettext(window[2].value))
                if text is not None:
                    line = window[0].lineno
                    yield Token(line, "lparen", "(")
                    yield Token(line, "string", text)
                    yield Token(line, "pipe", "|")
                    yield Token(line, "name", "safe")
                    yield Token(line, "rparen", ")")
                    index += 4
                    continue
            yield tokens[index]
            index += 1


def _is_language_call(window: list[Token]) -> bool:
    return (
        len(window) >= 3
        and window[0].test("name:current_language")
        and window[1].type == "lparen"
        and window[2].type == "rparen"
    )


def _is_literal_call(window: list[Token]) -> bool:
    return (
        len(window) == 4
        and window[0].test("name:_")
        and window[1].type == "lparen"
        and window[2].type == "string"
        and window[3].type == "rparen"
    )


def _formatted(text: str) -> str | None:
    try:
        return text % {}
    except (KeyError, ValueError, TypeError):
        return None  # formats only with variables: leave the run-time call and its error


def language_environments(env: Environment) -> dict[str, Environment]:
    """One overlay of `env` per language, translating `_("literal")` at compile time. Call
    once `env` is fully configured: an overlay copies its settings when it is made."""
    overlays = {}
    for language in LANGUAGES:
        overlay = env.overlay(extensions=[ConstantTranslations])
        setattr(overlay, _LANGUAGE_ATTRIBUTE, language)
        overlays[language] = overlay
    return overlays


class GalerieTemplateEngine(JinjaTemplateEngine):
    """Litestar's Jinja engine, picking the environment of the request's language."""

    def __init__(self, directory: Path | list[Path] | None = None, **kwargs: Any) -> None:
        super().__init__(directory, **kwargs)
        self.by_language: dict[str, Environment] = {}

    def use_language_environments(self) -> None:
        self.by_language = language_environments(self.engine)

    def get_template(self, template_name: str) -> JinjaTemplate:
        language = current_language.get()
        env = self.by_language.get(language) if language else None
        if env is None:
            return super().get_template(template_name)
        try:
            return env.get_template(template_name)
        except TemplateNotFound as exc:
            raise TemplateNotFoundException(template_name=template_name) from exc
