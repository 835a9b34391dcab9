"""Packing lists: models, services, selectors, API and the printable PDF."""
