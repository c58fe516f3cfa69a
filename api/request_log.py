"""`RequestLog`: the outermost ASGI middleware. It gives every HTTP request an id (the caller's X-Request-ID when
it is a sane one, else a fresh one), returns it in the X-Request-ID response header, and writes one access line
on `qiao.access` when the response is done. Header values and bodies are never logged: they carry the keys."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import unquote_plus

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import ACCESS_LOGGER, ERROR_LOGGER, bind_request_id, mark_logged, unbind_request_id
from api.masking import mask

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

access_log = logging.getLogger(ACCESS_LOGGER)
error_log = logging.getLogger(ERROR_LOGGER)


def request_id_for(incoming: str | None) -> str:
    """The caller's id when it is 1–64 characters of [A-Za-z0-9._-] (safe to echo and to log), else a new one."""
    if incoming is not None and _VALID_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _logged_path(scope: Scope) -> str:
    path: str = scope.get("path", "")
    query = scope.get("query_string", b"").decode("latin-1")
    # Decoded first (form encoding: "+" is a space) so that zhang%40example.com and 138+1234+5678 are recognised,
    # and Chinese is readable; then masked.
    return mask(f"{path}?{unquote_plus(query)}" if query else path)


class RequestLog:
    """Request ids and the access log (docs/operations.md). Must be the outermost middleware so that it also
    sees the responses other middleware refuse with (413, 415, 401, 429)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_for(Headers(scope=scope).get(HEADER))
        # Routes and problem responses read it as request.state.request_id.
        scope.setdefault("state", {})["request_id"] = request_id
        header = (HEADER.lower().encode(), request_id.encode())
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != header[0]]
                message = {**message, "headers": [*headers, header]}
            await send(message)

        token = bind_request_id(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # The 500 itself is sent by Starlette's ServerErrorMiddleware (outside us) through api.problems.
            status = status or 500
            error_log.error(
                "unhandled error in %s %s (request %s)",
                scope["method"],
                scope.get("path", ""),
                request_id,
                exc_info=exc,
                extra={"request_id": request_id},
            )
            mark_logged(exc)
            raise
        finally:
            unbind_request_id(token)
            self._access(scope, request_id, status, started)

    @staticmethod
    def _access(scope: Scope, request_id: str, status: int | None, started: float) -> None:
        path = _logged_path(scope)
        client = scope.get("client")
        state: dict[str, Any] = scope.get("state") or {}
        access_log.info(
            "%s %s %s",
            scope["method"],
            path,
            status if status is not None else "-",
            extra={
                "request_id": request_id,
                "method": scope["method"],
                "path": path,
                # None when the client went away before any response was sent.
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client[0] if client else None,
                "key_id": state.get("key_id"),
            },
        )
