"""The ASGI application for process managers: `uvicorn galerie.asgi:app`."""

from galerie.config import load_settings
from galerie.web.app import create_app

settings = load_settings()
app = create_app(settings, in_process_worker=settings.in_process_worker)
