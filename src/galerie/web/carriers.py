"""The carrier ports the web layer hands to fulfilment: the app's extras["carriers"] when a
deployment or a test sets it, else the shipped default (the fake Galerie Post)."""

from __future__ import annotations

from galerie.fulfilment import DEFAULT_CARRIERS, Carriers
from galerie.web.context import Galerie


def carriers_of(galerie: Galerie) -> Carriers:
    found: Carriers = galerie.extras.get("carriers", DEFAULT_CARRIERS)
    return found
