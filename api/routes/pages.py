"""Pages for people: the demo host page at `/`, the chat widget's files, and the help documents citations link to.

The widget is plain files (api/static): no build step, served as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from api.deps import ServicesDep
from api.wiring import Services
from errors import NotFound

router = APIRouter(tags=["pages"])
STATIC = Path(__file__).resolve().parent.parent / "static"
# Browsers revalidate (ETag) on every load, so a new widget.js reaches users as soon as it is deployed.
REVALIDATE = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def _static(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=media_type, headers=REVALIDATE)


@router.get("/", include_in_schema=False)
def demo_page() -> FileResponse:
    return _static("demo.html", "text/html; charset=utf-8")


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> FileResponse:
    return _static("widget.js", "text/javascript; charset=utf-8")


@router.get("/widget.css", include_in_schema=False)
def widget_css() -> FileResponse:
    return _static("widget.css", "text/css; charset=utf-8")


def help_file(services: Services, source: str) -> Path:
    """The file of an ingested help document, if it is one inside the folders ingest may read.

    Raises NotFound for anything else (a URL, an inline document, a path outside those folders).
    """
    path = Path(source).resolve()
    readable = any(path.is_relative_to(root) for root in services.ingest.allowed) and path.is_file()
    if not readable or source not in services.documents.documents():
        raise NotFound(
            f"no ingested help document at {source}: a citation links here only for files in QIAO_DOCS_DIR or "
            "QIAO_INGEST_DIRS",
            f"没有已导入的帮助文档 {source}：只有 QIAO_DOCS_DIR 或 QIAO_INGEST_DIRS 中的文件可以在此查看",
        )
    return path


@router.get(
    "/help",
    response_class=FileResponse,
    summary="A cited help document, as plain text (the widget links citations here). 引用的帮助文档原文",
    responses={200: {"content": {"text/plain": {}}}},
)
def help_document(
    services: ServicesDep,
    source: Annotated[str, Query(min_length=1, max_length=1024, description="The citation's `source`.")],
) -> FileResponse:
    path = help_file(services, source)
    # A PDF opens in the browser's viewer; anything else is plain text, so a document is shown, never run as a
    # page of this origin.
    media_type = "application/pdf" if path.suffix.lower() == ".pdf" else "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media_type, headers=REVALIDATE)
