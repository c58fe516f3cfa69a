"""The typed records the themes service takes and returns (pydantic v2)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from knowledge.schemas import MAX_ID

ThemeName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
ThemeStatus = Literal["active", "merged", "retired"]
NameSource = Literal["auto", "llm", "manual"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quote(BaseModel):
    """A representative item of a theme."""

    id: int
    text: str
    language: str


class Theme(BaseModel):
    """A theme with its figures: `count` items, `trend` = items per week over the last weeks (oldest first)."""

    id: int
    name: str
    name_source: NameSource
    auto_name: str | None
    status: ThemeStatus
    merged_into: int | None
    keywords: list[str]
    quotes: list[Quote]
    count: int
    open: int = Field(description="Items not yet resolved.")
    trend: list[int]
    kinds: dict[str, int]
    severities: dict[str, int]
    departments: dict[str, int]
    languages: dict[str, int]
    on_agenda: bool
    agenda_note: str | None
    task_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    discovered_at: dt.datetime | None


class ThemeList(BaseModel):
    themes: list[Theme]
    weeks: list[dt.date] = Field(description="The Monday of each week in `trend`, oldest first.")
    total_items: int
    unthemed: int
    last_discovery: DiscoveryReport | None


class ThemePatch(_In):
    """Fields to change; absent fields stay as they are."""

    name: ThemeName | None = Field(None, description="A name from ops: later discoveries keep it.")
    on_agenda: bool | None = Field(None, description="On the user committee's agenda.")
    agenda_note: Note | None = None
    task_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The backlog task that addresses the theme; null unlinks."
    )


class MergeRequest(_In):
    into: int = Field(ge=1, le=MAX_ID, description="The theme that absorbs this one (keeps its id and name).")


class MoveRequest(_In):
    feedback_id: int = Field(ge=1, le=MAX_ID)


class DiscoverRequest(_In):
    seed: int | None = Field(None, ge=0, le=MAX_ID, description="Sampling seed (default QIAO_THEMES_SEED).")


class ThemeItem(BaseModel):
    """A feedback item of a theme, with how it got there and how central it is (cosine to the centroid)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    language: str
    kind: str
    severity: str
    status: str
    department: str | None
    reporter: str | None
    created_at: dt.datetime
    theme_id: int | None
    theme_source: str | None
    theme_score: float | None
    duplicate_of: int | None


class DiscoveryReport(BaseModel):
    """What one discovery did."""

    run_id: int
    status: Literal["running", "done", "failed"]
    started_at: dt.datetime
    finished_at: dt.datetime | None
    items: int
    themes: int
    unthemed: int
    unthemed_share: float
    created: int = Field(description="New themes.")
    kept: int = Field(description="Earlier themes found again (same id and, if ops named them, same name).")
    retired: int = Field(description="Earlier themes not found again.")
    seconds: float
    error: str | None = None


class MapPoint(BaseModel):
    id: int
    x: float
    y: float
    theme_id: int | None
    text: str


class ThemeMap(BaseModel):
    """Feedback projected to 2-D (PCA fitted on the theme centroids, so themes spread apart)."""

    points: list[MapPoint]
    centres: dict[int, tuple[float, float]]
    sampled: bool


ThemeList.model_rebuild()
