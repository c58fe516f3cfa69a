"""Feedback themes: /api/v1/themes (list, discover, review, the committee report, the 2-D map)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Response

from api.auth import OpsCaller, allow_ops
from api.deps import ServicesDep
from knowledge.schemas import MAX_ID, Page
from knowledge.themes import (
    DiscoverRequest,
    DiscoveryReport,
    MergeRequest,
    MoveRequest,
    Theme,
    ThemeItem,
    ThemeList,
    ThemeMap,
    ThemePatch,
    ThemeService,
    report_csv,
    report_html,
    report_markdown,
)

# Every theme route is for ops: the router checks it, and routes that write also take the caller for the audit.
router = APIRouter(prefix="/api/v1/themes", tags=["themes"], dependencies=[Depends(allow_ops)])
ThemeId = Annotated[int, Path(ge=1, le=MAX_ID)]
# `{theme_id:int}` in the paths: PATCH /map or POST /unthemed/items is then a 405, not a 422 about the id.
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Cursor = Annotated[str | None, Query(max_length=200)]


def get_themes(services: ServicesDep) -> ThemeService:
    return services.themes


ThemesDep = Annotated[ThemeService, Depends(get_themes)]
_MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.get("", response_model=ThemeList, summary="Themes with counts, weekly trend, kinds, severities, departments")
def list_themes(
    themes: ThemesDep,
    weeks: Annotated[int, Query(ge=1, le=52, description="Weeks of trend.")] = 8,
    include_inactive: Annotated[bool, Query(description="Also merged and retired themes.")] = False,
) -> ThemeList:
    return themes.overview(weeks=weeks, include_inactive=include_inactive)


@router.post(
    "/discover",
    response_model=DiscoveryReport,
    summary="Discover themes in all feedback now",
    description="Clusters every item (Chinese and English together), labels the themes and matches them to the "
    "earlier ones: ids and the names ops gave survive. 409 while another discovery runs.",
)
def discover(
    themes: ThemesDep, who: OpsCaller, body: Annotated[DiscoverRequest | None, Body()] = None
) -> DiscoveryReport:
    return themes.discover(who.actor, body.seed if body else None)


@router.get(
    "/report",
    summary="The user committee's monthly report (Markdown, HTML with SVG charts, or CSV of the items)",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}, "text/csv": {}}}},
)
def report(
    themes: ThemesDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM, e.g. 2026-11.")],
    format: Annotated[Literal["md", "html", "csv"], Query(description="md, html or csv.")] = "md",
) -> Response:
    data = themes.report(month)
    body = {"md": report_markdown, "html": report_html, "csv": report_csv}[format](data)
    disposition = f'attachment; filename="qiao-report-{data.month}.{format}"' if format == "csv" else "inline"
    # The report is data, not an app: no script may run in it, whatever a feedback text contains.
    headers = {
        "Content-Disposition": disposition,
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(body, media_type=_MEDIA[format], headers=headers)


@router.get("/map", response_model=ThemeMap, summary="Feedback on a 2-D map, coloured by theme")
def theme_map(themes: ThemesDep, limit: Annotated[int, Query(ge=10, le=5000)] = 2000) -> ThemeMap:
    return themes.map(limit)


@router.get("/unthemed/items", response_model=Page[ThemeItem], summary="Items in no theme")
def unthemed_items(themes: ThemesDep, limit: Limit = 100, offset: Offset = 0, cursor: Cursor = None) -> Page[ThemeItem]:
    return themes.items(None, limit=limit, offset=offset, cursor=cursor)


@router.get("/{theme_id:int}", response_model=Theme, summary="One theme")
def get_theme(theme_id: ThemeId, themes: ThemesDep) -> Theme:
    return themes.get(theme_id)


@router.get("/{theme_id:int}/items", response_model=Page[ThemeItem], summary="A theme's items")
def theme_items(
    theme_id: ThemeId, themes: ThemesDep, limit: Limit = 100, offset: Offset = 0, cursor: Cursor = None
) -> Page[ThemeItem]:
    return themes.items(theme_id, limit=limit, offset=offset, cursor=cursor)


@router.patch("/{theme_id:int}", response_model=Theme, summary="Rename, mark for the agenda, link a backlog task")
def update_theme(theme_id: ThemeId, body: ThemePatch, themes: ThemesDep, who: OpsCaller) -> Theme:
    return themes.update(theme_id, body, who.actor)


@router.post("/{theme_id:int}/merge", response_model=Theme, summary="Merge this theme into another (returns that one)")
def merge_theme(theme_id: ThemeId, body: MergeRequest, themes: ThemesDep, who: OpsCaller) -> Theme:
    return themes.merge(theme_id, body.into, who.actor)


@router.post("/{theme_id:int}/split", response_model=list[Theme], summary="Re-cluster one theme into several")
def split_theme(theme_id: ThemeId, themes: ThemesDep, who: OpsCaller) -> list[Theme]:
    return themes.split(theme_id, who.actor)


@router.post("/{theme_id:int}/items", response_model=Theme, summary="Move a feedback item into this theme")
def move_item(theme_id: ThemeId, body: MoveRequest, themes: ThemesDep, who: OpsCaller) -> Theme:
    return themes.move(body.feedback_id, theme_id, who.actor)
