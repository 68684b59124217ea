"""The per-language template environments: `_("literal")` is translated when a template is
compiled, and renders exactly what the run-time translation renders."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from galerie.config import LANGUAGES
from galerie.web.i18n import current_language, install, translations
from galerie.web.templating import language_environments

SOURCE = (
    '<p title="{{ _(\'Sign in\') }}">{{ _("Sign in") }}</p>'
    '{{ _("Signed in as %(name)s", name=who) }}'
    "{{ _(label) }}"
    '{{ obj._("Shops") }}'
    '{{ _("Only %(num)d left") if false else "" }}'
    '{{ _("Not a known message <&>") }}'
    '<html lang="{{ current_language() }}">{{ "yes" if current_language() == "fr" }}'
)


class Holder:
    @staticmethod
    def _(message: str) -> str:
        return f"method:{message}"


def environments() -> tuple[Environment, dict[str, Environment]]:
    env = Environment(loader=DictLoader({"page.html": SOURCE}), autoescape=True)
    install(env)
    return env, language_environments(env)


def render(env: Environment, language: str) -> str:
    token = current_language.set(language)
    try:
        return env.get_template("page.html").render(who="<Zoé>", label="Shops", obj=Holder())
    finally:
        current_language.reset(token)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_environment_renders_what_the_shared_one_renders(language: str) -> None:
    shared, by_language = environments()

    assert render(by_language[language], language) == render(shared, language)


def test_literal_calls_are_translated_at_compile_time_and_the_rest_at_run_time() -> None:
    _shared, by_language = environments()
    fr = translations("fr")

    code = by_language["fr"].compile(SOURCE, raw=True)
    rendered = render(by_language["fr"], "fr")

    assert "Sign in" not in code  # replaced by its translation in the compiled code
    assert fr.gettext("Sign in") in code
    assert "Signed in as" in code  # has variables: still translated at run time
    assert "current_language" not in code
    expected_who = fr.gettext("Signed in as %(name)s") % {"name": "&lt;Zoé&gt;"}
    assert rendered == (
        f'<p title="{fr.gettext("Sign in")}">{fr.gettext("Sign in")}</p>'
        f"{expected_who}{fr.gettext('Shops')}method:Shops"
        "Not a known message <&>"
        '<html lang="fr">yes'
    )


def test_a_literal_that_needs_variables_is_left_to_fail_at_run_time() -> None:
    env = Environment(loader=DictLoader({"bad.html": '{{ _("%(num)d left") }}'}), autoescape=True)
    install(env)
    fr = language_environments(env)["fr"]

    with pytest.raises(KeyError):
        token = current_language.set("fr")
        try:
            fr.get_template("bad.html").render()
        finally:
            current_language.reset(token)
