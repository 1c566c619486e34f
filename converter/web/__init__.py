"""The web page (``atgardsplan serve``), internal to atgardsplan.

``converter.web.app`` holds the Flask application; ``create_app`` and ``serve`` are
loaded on first use, so that ``converter.web.settings`` (the page's limits, read by the
command line) never imports Flask. A WSGI server runs ``converter.web:create_app()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app, serve

__all__ = ["create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'converter.web' has no attribute {name!r}")
