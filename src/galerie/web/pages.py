"""Server-rendered pages: the storefront, the seller centre and the operator console."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from litestar import Request, get
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from galerie.web.auth import principal_of, public
from galerie.web.context import Galerie


def configure_jinja(env: Environment, galerie: Galerie) -> None:
    env.globals["settings"] = galerie.settings


@get("/", opt=public(), include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Template:
    return Template("storefront/home.html", context={"principal": principal_of(request)})


def page_handlers() -> list[ControllerRouterHandler]:
    return [home]
