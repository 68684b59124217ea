"""The ASGI application for process managers: `uvicorn galerie.asgi:app`."""

from galerie.config import load_settings
from galerie.web.app import create_app

app = create_app(load_settings())
