"""The ops console at /ops: plain HTML, CSS and JS (api/static/ops.*), no build step; it reads and writes
through /api/v1/themes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.routes.pages import STATIC

router = APIRouter(tags=["pages"])
# Revalidate on every load so a new console reaches ops as soon as it is deployed; never sniff the type.
_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
_FILES = {"ops.js": "text/javascript; charset=utf-8", "ops.css": "text/css; charset=utf-8"}


@router.get("/ops", include_in_schema=False)
def console() -> FileResponse:
    headers = {**_HEADERS, "Content-Security-Policy": "default-src 'self'; style-src 'self'; img-src 'self' data:"}
    return FileResponse(STATIC / "ops.html", media_type="text/html; charset=utf-8", headers=headers)


@router.get("/ops/ops.js", include_in_schema=False)
def console_js() -> FileResponse:
    return FileResponse(STATIC / "ops.js", media_type=_FILES["ops.js"], headers=_HEADERS)


@router.get("/ops/ops.css", include_in_schema=False)
def console_css() -> FileResponse:
    return FileResponse(STATIC / "ops.css", media_type=_FILES["ops.css"], headers=_HEADERS)
