"""All HTTP: the app factory, the JSON API and the pages."""
