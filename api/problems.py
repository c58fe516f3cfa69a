"""RFC 9457 problem details: every error leaves Qiao as `application/problem+json`, in the caller's language
(Accept-Language, else the deployment default), with a detail that says what to fix."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

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
    return problem_response(exc.status, exc.title(lang), exc.detail(lang), exc.slug, headers=exc.headers, **exc.extra)


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
        allow = _allowed_methods(request) or (exc.headers or {}).get("Allow", "")
        headers = {**(exc.headers or {}), "Allow": allow}
        detail = (
            f"{request.url.path} 不支持 {request.method}，可用：{allow}；接口列表见 /docs"
            if lang == "zh"
            else f"{request.method} is not allowed on {request.url.path}: use {allow}; see /docs"
        )
        return problem_response(405, zh if lang == "zh" else en, detail, "http-405", headers=headers)
    else:
        detail = str(exc.detail)
    return problem_response(
        exc.status_code, zh if lang == "zh" else en, detail, f"http-{exc.status_code}", headers=exc.headers
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path. Starlette's own 405 names only the first such route's
    (`Allow: GET` where GET and POST are two routes), which tells a client that POST does not exist."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    lang = _lang(request)
    detail = (
        "服务器内部错误，已记录日志；请稍后重试，若持续出现请联系运维并附上时间"
        if lang == "zh"
        else "internal error, logged on the server; retry later and report it to ops with the time if it persists"
    )
    # This response leaves through Starlette's outermost ServerErrorMiddleware, past RequestLog, so the request id
    # RequestLog logged the traceback with is added here: it is what the caller reports to ops.
    request_id: str | None = request.scope.get("state", {}).get("request_id")
    if request_id is None:
        return problem_response(500, "服务器错误" if lang == "zh" else "Internal error", detail, "internal")
    return problem_response(
        500,
        "服务器错误" if lang == "zh" else "Internal error",
        detail,
        "internal",
        headers={"X-Request-ID": request_id},
        request_id=request_id,
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""
    app.add_exception_handler(QiaoError, _qiao_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


class FieldError(BaseModel):
    """One invalid field of a 422."""

    field: str = Field(description="Dotted path of the field, e.g. `due` or `documents.0.content`.")
    message: str
    type: str = Field(description="Machine-readable kind, e.g. `missing`, `string_too_long`.")


class Problem(BaseModel):
    """An RFC 9457 problem: the body of every error response."""

    model_config = ConfigDict(extra="allow")  # RFC 9457 extension members

    type: str = Field(description="URI of the kind of problem, e.g. https://qiao.dev/problems/not-found.")
    title: str = Field(description="Short summary of the kind, in the caller's language.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong and what to do about it, in the caller's language.")
    errors: list[FieldError] | None = Field(None, description="422 only: every invalid field.")


def _documented(description: str, **headers: str) -> dict[str, Any]:
    # `model` registers Problem in the schema's components (FastAPI also lists it under application/json); the
    # content names the media type these responses really have.
    response: dict[str, Any] = {
        "model": Problem,
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()
        }
    return response


RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("The body could not be read, e.g. a malformed multipart upload."),
    401: _documented("No API key, or an unknown or revoked one.", **{"WWW-Authenticate": "The scheme to use: Bearer."}),
    403: _documented("This key may not do this (its role, or a site key from another origin)."),
    404: _documented("No such item, or not one this key may see."),
    409: _documented("Conflicts with the current state, e.g. a key already taken or a discovery already running."),
    413: _documented("The body is larger than the server accepts."),
    415: _documented("The body's content type is not one this API takes."),
    422: _documented("Invalid input: `errors` lists every field to fix."),
    429: _documented("Too many requests.", **{"Retry-After": "Seconds to wait before retrying."}),
    503: _documented("A backend (database, vector store, model, LLM) is unavailable; the detail says which."),
    504: _documented("The request ran past its deadline."),
}
"""The error responses every operation documents (`FastAPI(responses=...)`)."""
