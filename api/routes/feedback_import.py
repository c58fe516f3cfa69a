"""Bulk feedback import: POST /api/v1/feedback/bulk (CSV or JSON lines)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.auth import OpsCaller
from api.routes.themes import ThemesDep
from knowledge.themes import ImportReport, detect_format

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])


@router.post(
    "/bulk",
    response_model=ImportReport,
    summary="Import feedback in bulk (surveys, app-store exports, old tickets)",
    description="The body is CSV (`text/csv`, a header line naming the columns) or JSON lines "
    "(`application/x-ndjson`, one object per line): `text` and optional `reporter`, `department`, `created_at`, "
    "`lang`, `kind`, `severity`. Bad rows are reported with what to fix; good rows are kept; importing the same "
    "rows again adds nothing.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def bulk_import(request: Request, themes: ThemesDep, who: OpsCaller) -> ImportReport:
    fmt = detect_format(request.headers.get("content-type", ""))
    body = await request.body()
    # Reading the body needs an async route; the import itself (database, embeddings) runs off the event loop.
    report: ImportReport = await run_in_threadpool(themes.import_feedback, body, fmt, who.actor)
    return report
