"""The composition root: builds the Litestar app from settings, database, clock and ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.prometheus import PrometheusController
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, ControllerRouterHandler, Receive, Scope, Send

from galerie.config import Settings
from galerie.db import Database
from galerie.identity import PrincipalCache, principal_notices
from galerie.kernel import Clock, SystemClock
from galerie.payments import payment_provider_for
from galerie.search import configure_result_cache
from galerie.storage import FileStorage, LocalDiskStorage
from galerie.web.api.v1 import api_v1
from galerie.web.auth import AccessMiddleware, check_access_rules, public
from galerie.web.context import IMPORT_RUNNER, WEBHOOK_SENDER, Galerie
from galerie.web.csrf import GalerieCSRFMiddleware
from galerie.web.errors import EXCEPTION_HANDLERS
from galerie.web.health import healthz
from galerie.web.observability import RequestIdMiddleware
from galerie.web.payment_webhooks import payment_webhook
from galerie.web.sessions import GalerieSessionConfig
from galerie.web.storefront.page_cache import configure_product_pages
from galerie.web.templating import GalerieTemplateEngine

WEB_DIR = Path(__file__).parent
CSRF_COOKIE = "galerie_csrf"
CSRF_HEADER = "x-csrftoken"
SESSION_COOKIE = "galerie_session"
API_PREFIX = "/api"


class ApiOrPages:
    """Sends API calls (`/api/...`) through the layers `api` builds and everything else
    through those `pages` builds. The API takes bearer tokens, no cookies, so sessions and
    CSRF have nothing to do there: one test of the path per request skips them both."""

    def __init__(
        self,
        app: ASGIApp,
        api: Callable[[ASGIApp], ASGIApp],
        pages: Callable[[ASGIApp], ASGIApp],
    ) -> None:
        self.api = api(app)
        self.pages = pages(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].startswith(API_PREFIX + "/"):
            await self.api(scope, receive, send)
        else:
            await self.pages(scope, receive, send)


def make_stores(settings: Settings) -> tuple[Store, Store]:
    """(sessions, counters): Redis when configured, in-process otherwise."""
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        root = RedisStore.with_client(url=settings.redis_url, namespace="galerie")
        return root.with_namespace("sessions"), root.with_namespace("counters")
    return MemoryStore(), MemoryStore()


class GalerieMetrics(PrometheusController):
    path = "/metrics"
    opt = public()
    include_in_schema = False


def route_handlers() -> list[ControllerRouterHandler]:
    from galerie.web.pages import page_handlers

    static = create_static_files_router(
        path="/static", directories=[WEB_DIR / "static"], opt=public(), include_in_schema=False
    )
    return [api_v1, healthz, GalerieMetrics, static, payment_webhook, *page_handlers()]


def create_app(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    on_startup: Sequence[Callable[[Litestar], Any]] = (),
    extra_handlers: Sequence[ControllerRouterHandler] = (),
    in_process_worker: bool = False,
    storage: FileStorage | None = None,
) -> Litestar:
    """Build the app. `in_process_worker` runs the outbox dispatcher inside the app's event
    loop (the demo and single-process markets); production runs `galerie worker` instead."""
    database = db or Database.from_url(settings.database_url)
    configure_result_cache(
        database,
        refresh_seconds=settings.search_refresh_seconds,
        capacity=settings.search_cache_size,
    )
    configure_product_pages(database, refresh_seconds=settings.page_refresh_seconds)
    session_store, counter_store = make_stores(settings)
    galerie = Galerie(
        settings=settings,
        db=database,
        clock=clock or SystemClock(),
        session_store=session_store,
        counter_store=counter_store,
        storage=storage or LocalDiskStorage(settings.var_dir / "files"),
        principals=PrincipalCache(ttl=timedelta(seconds=settings.principal_cache_seconds)),
    )
    galerie.payment_provider = payment_provider_for(settings, database, galerie.clock)
    session_config = GalerieSessionConfig(
        key=SESSION_COOKIE,
        store="sessions",
        exclude=[f"^{API_PREFIX}/", "^/static/", "^/healthz", "^/metrics", "^/webhooks/"],
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=14 * 24 * 3600,
    )
    csrf_config = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.secure_cookies,
        cookie_samesite="lax",
        # The API takes no cookies, only bearer tokens, so there is nothing ambient to forge;
        # providers' webhooks are signed.
        exclude=[f"^{API_PREFIX}/", "^/webhooks/"],
    )

    csrf = DefineMiddleware(GalerieCSRFMiddleware, config=csrf_config)

    def page_layers(app: ASGIApp) -> ASGIApp:
        return session_config.middleware(AccessMiddleware(csrf(app)))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            async with principal_notices(database, galerie.principals), workers():
                yield
        finally:
            if db is None:
                await database.dispose()

    @asynccontextmanager
    async def workers() -> AsyncIterator[None]:
        if in_process_worker:
            from galerie.workers.runtime import (
                make_dispatcher,
                make_import_runner,
                make_sandbox_sender,
                make_webhook_sender,
                running_dispatcher,
                running_import_runner,
                running_refund_sender,
                running_sandbox_webhooks,
                running_settlement,
                running_webhook_sender,
            )

            dispatcher = make_dispatcher(settings, database, galerie.clock)
            runner = make_import_runner(settings, database, galerie.storage, galerie.clock)
            galerie.extras[IMPORT_RUNNER] = runner
            sender = make_webhook_sender(database, galerie.clock)
            galerie.extras[WEBHOOK_SENDER] = sender
            async with (
                running_dispatcher(dispatcher, database, galerie.clock),
                running_import_runner(runner),
                running_webhook_sender(sender),
                running_sandbox_webhooks(make_sandbox_sender(settings, database, galerie.clock)),
                running_refund_sender(settings, database, galerie.clock),
                running_settlement(settings, database, galerie.clock),
            ):
                yield
        else:
            yield

    app = Litestar(
        route_handlers=[*route_handlers(), *extra_handlers],
        middleware=[
            DefineMiddleware(RequestIdMiddleware, access_log=settings.access_log),
            # pages: session -> access -> CSRF; API: access alone
            DefineMiddleware(ApiOrPages, api=AccessMiddleware, pages=page_layers),
        ],
        stores={"sessions": session_store, "counters": counter_store},
        exception_handlers=EXCEPTION_HANDLERS,
        template_config=TemplateConfig(
            directory=WEB_DIR / "templates",
            engine=GalerieTemplateEngine,
            engine_callback=lambda engine: configure_templates(engine, galerie),
        ),
        openapi_config=OpenAPIConfig(
            title="Galerie API",
            version="1",
            description="The Galerie marketplace API. Authenticate with `Authorization: Bearer <token>`.",
            path=API_PREFIX,
            render_plugins=[SwaggerRenderPlugin(path="/docs")],
        ),
        request_max_body_size=settings.max_body_bytes,
        on_startup=list(on_startup),
        lifespan=[lifespan],
        state={"galerie": galerie},  # type: ignore[arg-type]
        debug=False,
        logging_config=None,  # logging is ours: galerie.web.observability
    )
    check_access_rules(all_handlers(app))
    return app


def configure_templates(engine: GalerieTemplateEngine, galerie: Galerie) -> None:
    from galerie.web.pages import configure_jinja

    configure_jinja(engine.engine, galerie)
    # Templates are files shipped with the code: only development edits them while running.
    engine.engine.auto_reload = galerie.settings.environment == "development"
    engine.use_language_environments()  # last: each copies the configured environment


def all_handlers(app: Litestar) -> list[tuple[str, BaseRouteHandler]]:
    """(path, handler) for every route of the app, from Litestar's route table."""
    return [
        (route.path, handler)
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
    ]
