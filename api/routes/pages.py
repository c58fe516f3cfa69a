"""Pages for people: the demo host page at `/`, the chat widget's files, and the help documents citations link to.

The widget is plain files (api/static): no build step, served as they are.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel

from api.deps import ServicesDep
from api.user_token import sign_user_token
from api.wiring import Services
from errors import NotFound
from knowledge.demo.access import read_demo_keys
from knowledge.schemas import Member, Project, Task, TaskQuery

router = APIRouter(tags=["pages"])
STATIC = Path(__file__).resolve().parent.parent / "static"
# Browsers revalidate (ETag) on every load, so a new widget.js reaches users as soon as it is deployed.
DEMO_TOKEN_TTL_S = 12 * 3600
REVALIDATE = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def _static(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=media_type, headers=REVALIDATE)


@router.get("/", include_in_schema=False)
def demo_page(services: ServicesDep) -> HTMLResponse:
    """The demo host page, rendered as a host's server would: its widget gets the demo site key and a user token
    for the demo member, signed with that key's secret (docs/security.md). Without the demo set up, the widget
    gets no credentials and the board says how to load the demo."""
    keys = read_demo_keys(services.settings.data_dir)
    user = services.settings.demo_user
    token = sign_user_token(services.keys.signing_secret(keys.site_id), user, DEMO_TOKEN_TTL_S) if keys else ""
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    for name, value in (
        ("QIAO_SITE_KEY", keys.site if keys else ""),
        ("QIAO_USER_TOKEN", token),
        ("QIAO_DEMO_USER", user),
    ):
        page = page.replace("{{" + name + "}}", html.escape(value, quote=True))
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


class DemoBoard(BaseModel):
    projects: list[Project]
    members: list[Member]
    tasks: list[Task]


@router.get("/demo/board", include_in_schema=False)
def demo_board(services: ServicesDep, project: Annotated[str | None, Query(max_length=64)] = None) -> DemoBoard:
    """The demo host page's own data (a real host shows its own): only while the demo is set up."""
    if read_demo_keys(services.settings.data_dir) is None:
        raise NotFound("the demo is not set up: run `qiao demo load`", "演示未设置：请运行 `qiao demo load`")
    projects = services.tasks.list_projects()
    tasks = services.tasks.list_tasks(TaskQuery(project=project, limit=1000)).items if project else []
    return DemoBoard(projects=projects, members=services.tasks.list_members(), tasks=tasks)


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
    # No file name holds a NUL byte (resolve() raises on one): such a source is simply not a document.
    path = None if "\x00" in source else Path(source).resolve()
    readable = path is not None and any(path.is_relative_to(r) for r in services.ingest.allowed) and path.is_file()
    if path is None or not readable or source not in services.documents.documents():
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
