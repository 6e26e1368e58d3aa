"""The web app and JSON API over a store (``factcheck serve``): see ``web/app.py``."""

from .app import create_app

__all__ = ["create_app"]
