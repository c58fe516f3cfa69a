"""Qiao's domain errors. Each carries an HTTP status, a short title and a detail that says what to fix,
in English and Chinese; `api.problems` turns them into RFC 9457 problem+json responses."""

from __future__ import annotations

from typing import Any, ClassVar


class QiaoError(Exception):
    """Base of every error Qiao reports to a caller."""

    status: ClassVar[int] = 400
    title_en: ClassVar[str] = "Bad request"
    title_zh: ClassVar[str] = "请求有误"
    slug: ClassVar[str] = "bad-request"

    def __init__(
        self, detail_en: str, detail_zh: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail_en)
        self.detail_en = detail_en
        self.detail_zh = detail_zh or detail_en
        self.headers = headers or {}  # e.g. Retry-After, WWW-Authenticate
        self.extra = extra

    def detail(self, lang: str) -> str:
        """The detail in `lang` ('zh' or 'en')."""
        return self.detail_zh if lang == "zh" else self.detail_en

    def title(self, lang: str) -> str:
        """The title in `lang` ('zh' or 'en')."""
        return self.title_zh if lang == "zh" else self.title_en


class InvalidInput(QiaoError):
    status = 422
    title_en = "Invalid input"
    title_zh = "输入无效"
    slug = "invalid-input"


class NotFound(QiaoError):
    status = 404
    title_en = "Not found"
    title_zh = "未找到"
    slug = "not-found"


class Conflict(QiaoError):
    status = 409
    title_en = "Conflict"
    title_zh = "冲突"
    slug = "conflict"


class Unauthorized(QiaoError):
    status = 401
    title_en = "Unauthorized"
    title_zh = "未授权"
    slug = "unauthorized"


class Forbidden(QiaoError):
    status = 403
    title_en = "Forbidden"
    title_zh = "无权访问"
    slug = "forbidden"


class TooManyRequests(QiaoError):
    status = 429
    title_en = "Too many requests"
    title_zh = "请求过于频繁"
    slug = "too-many-requests"


class PayloadTooLarge(QiaoError):
    status = 413
    title_en = "Payload too large"
    title_zh = "请求体过大"
    slug = "payload-too-large"


class UnsupportedMediaType(QiaoError):
    status = 415
    title_en = "Unsupported media type"
    title_zh = "不支持的内容类型"
    slug = "unsupported-media-type"


class BackendUnavailable(QiaoError):
    status = 503
    title_en = "Backend unavailable"
    title_zh = "后端服务不可用"
    slug = "backend-unavailable"
