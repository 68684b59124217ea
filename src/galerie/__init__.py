"""Galerie: an open-source marketplace platform."""
