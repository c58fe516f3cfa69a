"""An ASGI guard in front of the routes: refuses bodies that are too large (413) or of a type no route takes
(415) before any of them is parsed, so a bad upload costs little and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import negotiate_language, problem_response

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ACCEPTED = ("application/json", "multipart/form-data", "text/csv", "application/x-ndjson", "application/jsonl")


def _accepted(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media in _ACCEPTED or (media.startswith("application/") and media.endswith("+json"))


class BodyGuard:
    """Caps request bodies per path prefix and checks their media type on /api/ routes."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, limit_for: Callable[[str], int | None], default_language: str
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit_for = limit_for
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        lang = negotiate_language(headers.get("accept-language"), self.default_language)
        path: str = scope["path"]
        limit = self.limit_for(path) or self.max_bytes
        length = headers.get("content-length")
        content_type = headers.get("content-type", "")
        has_body = (length is not None and length != "0") or "chunked" in headers.get("transfer-encoding", "")
        if path.startswith("/api/") and has_body and not _accepted(content_type):
            detail = (
                f"不支持内容类型 {content_type or '（无）'}：请以 application/json 发送请求体"
                if lang == "zh"
                else f"content type {content_type or '(none)'} is not accepted: send the body as application/json"
            )
            await self._refuse(scope, receive, send, 415, lang, detail, "unsupported-media-type")
            return
        if length is not None and length.isdigit() and int(length) > limit:
            await self._too_large(scope, receive, send, lang, limit)
            return
        # Read the body up front (it is capped), so an over-long chunked upload is refused before any route runs.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, receive, send, lang, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, lang: str, limit: int) -> None:
        detail = (
            f"请求体超过上限 {limit} 字节：请缩小内容或分批发送"
            if lang == "zh"
            else f"body larger than {limit} bytes: send less, or split it into several requests"
        )
        await self._refuse(scope, receive, send, 413, lang, detail, "payload-too-large")

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, lang: str, detail: str, slug: str
    ) -> None:
        titles = {413: ("Payload too large", "请求体过大"), 415: ("Unsupported media type", "不支持的内容类型")}
        en, zh = titles[status]
        response = problem_response(status, zh if lang == "zh" else en, detail, slug)
        await response(scope, receive, send)
