"""RFC 9457 problem details: every error leaves Qiao as `application/problem+json`, in the caller's language
(Accept-Language, else the deployment default), with a detail that says what to fix."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from errors import QiaoError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("qiao.api")

_HTTP_TITLES = {
    400: ("Bad request", "请求有误"),
    401: ("Unauthorized", "未授权"),
    403: ("Forbidden", "无权访问"),
    404: ("Not found", "未找到"),
    405: ("Method not allowed", "不支持该方法"),
    413: ("Payload too large", "请求体过大"),
    415: ("Unsupported media type", "不支持的内容类型"),
    429: ("Too many requests", "请求过于频繁"),
}


def negotiate_language(accept_language: str | None, default: str) -> str:
    """'zh' or 'en' from an Accept-Language header, honouring q-values; `default` when neither is asked for."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and q > 0:
            ranked.append((-q, position, primary))
    return sorted(ranked)[0][2] if ranked else default


def problem_response(
    status: int, title: str, detail: str, slug: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": f"https://qiao.dev/problems/{slug}", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _lang(request: Request) -> str:
    default: str = getattr(request.app.state, "default_language", "en")
    return negotiate_language(request.headers.get("accept-language"), default)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _qiao_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QiaoError)
    lang = _lang(request)
    return problem_response(exc.status, exc.title(lang), exc.detail(lang), exc.slug, **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = _lang(request)
    errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"], "type": e["type"]} for e in exc.errors()]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    detail = f"请求字段有误，请修正后重试：{summary}" if lang == "zh" else f"fix these fields and retry: {summary}"
    title = "输入无效" if lang == "zh" else "Invalid input"
    return problem_response(422, title, detail, "invalid-input", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    lang = _lang(request)
    en, zh = _HTTP_TITLES.get(exc.status_code, ("Error", "错误"))
    if exc.status_code == 404:
        detail = (
            f"没有这个地址：{request.url.path}；接口列表见 /docs"
            if lang == "zh"
            else f"no such path: {request.url.path}; see /docs for the API"
        )
    elif exc.status_code == 405:
        detail = (
            f"{request.url.path} 不支持 {request.method}；接口列表见 /docs"
            if lang == "zh"
            else f"{request.method} is not allowed on {request.url.path}; see /docs"
        )
    else:
        detail = str(exc.detail)
    return problem_response(
        exc.status_code, zh if lang == "zh" else en, detail, f"http-{exc.status_code}", headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    lang = _lang(request)
    detail = (
        "服务器内部错误，已记录日志；请稍后重试，若持续出现请联系运维并附上时间"
        if lang == "zh"
        else "internal error, logged on the server; retry later and report it to ops with the time if it persists"
    )
    return problem_response(500, "服务器错误" if lang == "zh" else "Internal error", detail, "internal")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""
    app.add_exception_handler(QiaoError, _qiao_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
