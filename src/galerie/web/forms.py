"""A tiny forms helper: declared fields, bounded lengths, per-field errors, no echoed secrets.

A `Form` lists its fields; `bind()` checks a submitted mapping against them and returns a
`BoundForm` holding the cleaned values and the errors (msgids, translated when rendered). A
secret field (a password, a one-time code) is never sent back to the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from galerie.web.i18n import N_

REQUIRED = N_("This field is required.")
TOO_LONG = N_("This is too long (at most %(max)s characters).")
NOT_A_CHOICE = N_("Choose one of the options offered.")

Check = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    max_length: int = 200
    required: bool = True
    secret: bool = False
    strip: bool = True
    choices: tuple[str, ...] = ()
    check: Check | None = None


@dataclass(frozen=True, slots=True)
class FieldError:
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BoundForm:
    form: Form
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def add_error(self, name: str, message: str, **params: Any) -> None:
        """An error on a field; one about something that is not a field goes to "form"."""
        if name not in {f.name for f in self.form.fields}:
            name = "form"
        self.errors[name] = FieldError(message, params)

    def echo(self) -> dict[str, str]:
        """Values to show again on the page: everything except secrets."""
        secrets = {f.name for f in self.form.fields if f.secret}
        return {k: v for k, v in self.values.items() if k not in secrets}


@dataclass(frozen=True, slots=True)
class Form:
    fields: tuple[Field, ...]

    def empty(self) -> BoundForm:
        return BoundForm(self)

    def bind(self, data: Mapping[str, Any]) -> BoundForm:
        bound = BoundForm(self)
        for spec in self.fields:
            raw = data.get(spec.name)
            value = raw if isinstance(raw, str) else ""
            if spec.strip:
                value = value.strip()
            bound.values[spec.name] = value[: spec.max_length + 1]
            error = _check(spec, value)
            if error is not None:
                bound.errors[spec.name] = error
        return bound


def _check(spec: Field, value: str) -> FieldError | None:
    if not value:
        return FieldError(REQUIRED) if spec.required else None
    if len(value) > spec.max_length:
        return FieldError(TOO_LONG, {"max": spec.max_length})
    if spec.choices and value not in spec.choices:
        return FieldError(NOT_A_CHOICE)
    if spec.check is not None:
        message = spec.check(value)
        if message is not None:
            return FieldError(message)
    return None


async def read_form(request: Request[Any, Any, Any], form: Form) -> BoundForm:
    """Bind an urlencoded or multipart body (the CSRF middleware has already read it)."""
    data = await request.form()
    return form.bind({key: data.get(key) for key in data})


async def read_choices(request: Request[Any, Any, Any], name: str, *, limit: int) -> list[str]:
    """The values of a repeated field (checkboxes): strings only, unique, in order, at most
    `limit`. Whether each value may be granted is for the service to decide."""
    data = await request.form()
    values = (v.strip() for v in data.getall(name, []) if isinstance(v, str))
    return list(dict.fromkeys(v for v in values if v))[:limit]
