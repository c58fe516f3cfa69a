"""Request deadlines: a request that has not started its response within its limit gets a 504 problem, so a
stuck backend cannot hold a client (or a proxy's connection) forever. The handler is not killed — Python
cannot stop a thread — but whatever it sends afterwards is dropped; writes stay safe to retry because they
are idempotent (Idempotency-Key, confirm actions)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import negotiate_language, problem_response

log = logging.getLogger("qiao.api")


class Deadline:
    """Gives each HTTP request `limit_for(path)` seconds (else `default_s`) to start answering."""

    def __init__(
        self, app: ASGIApp, *, default_s: float, limit_for: Callable[[str], float | None], default_language: str
    ) -> None:
        self.app = app
        self.default_s = default_s
        self.limit_for = limit_for
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"]) or self.default_s
        started = False
        abandoned = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        handler = asyncio.ensure_future(self.app(scope, receive, guarded))
        try:
            await asyncio.wait_for(asyncio.shield(handler), timeout=limit)
            return
        except TimeoutError:
            if started:  # already answering (e.g. a stream): let it finish
                await handler
                return
        abandoned = True
        handler.add_done_callback(_log_late_failure)
        lang = negotiate_language(Headers(scope=scope).get("accept-language"), self.default_language)
        detail = (
            f"请求超过 {limit:g} 秒仍未完成：请稍后重试（写操作可用同一 Idempotency-Key 安全重试）"
            if lang == "zh"
            else f"the request took longer than {limit:g} s: retry later (writes are safe to retry with the same "
            "Idempotency-Key)"
        )
        title = "请求超时" if lang == "zh" else "Request timed out"
        await problem_response(504, title, detail, "timeout")(scope, receive, send)


def _log_late_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("a request that had timed out failed afterwards: %r", exc)
