"""The web UI and HTTP API (``whosaid serve``): FastAPI, Jinja2 templates, inline SVG.

Imported only by ``whosaid serve`` and by users who want the ASGI app, so the
core library never needs FastAPI: ``from whosaid.web import create_app``.
"""

from whosaid.web.app import create_app

__all__ = ["create_app"]
