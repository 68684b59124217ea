"""The ASGI application for process managers: `uvicorn galerie.asgi:app`."""

from galerie.config import load_settings
from galerie.runtime import tune_collector
from galerie.search import warm_up
from galerie.web.app import create_app

settings = load_settings()
# jieba's dictionary loads at start-up (about a second), not on the first Chinese search;
# then the garbage collector is tuned (ADR 0016), what start-up loaded frozen out of it.
app = create_app(
    settings,
    in_process_worker=settings.in_process_worker,
    on_startup=[lambda _app: warm_up(), lambda _app: tune_collector()],
)
