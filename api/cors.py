"""CORS for the widget on other sites: the allow-list is the origins of the live site keys, read from the
database and cached by the key store. A preflight carries no key, so it is checked against all of them; the
key's own origins are checked again when the request itself arrives (api.auth)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from api.auth import USER_TOKEN_HEADER


class SiteKeyCors(CORSMiddleware):
    """Starlette's CORS, with origins that follow the site keys."""

    def __init__(self, app: ASGIApp, origins: Callable[[], frozenset[str]]) -> None:
        super().__init__(
            app,
            allow_origins=[],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language", USER_TOKEN_HEADER, "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
        self.origins = origins

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self.origins()
