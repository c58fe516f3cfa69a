"""The figures ops look at: per theme its item count, open items, items per week, and the mix of kinds,
severities, departments and languages; plus a theme's items, and the unthemed count."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from knowledge import models as m
from knowledge.db import Database
from knowledge.paging import paginate
from knowledge.schemas import Page
from knowledge.themes.review import theme_row
from knowledge.themes.schemas import Quote, Theme, ThemeItem, ThemeList
from knowledge.themes.store import ThemeStore


def week_start(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The Monday of the week `moment` falls in, in the deployment's time zone."""
    day = moment.astimezone(tz).date()
    return day - dt.timedelta(days=day.weekday())


class ThemeStats:
    """Read-only views of the themes."""

    def __init__(
        self,
        db: Database,
        store: ThemeStore,
        tz: ZoneInfo,
        max_page_size: int,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.db = db
        self.store = store
        self.tz = tz
        self.max_page_size = max_page_size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def weeks(self, n: int) -> list[dt.date]:
        """The Mondays of the last `n` weeks, oldest first (this week last)."""
        this_week = week_start(self.clock(), self.tz)
        return [this_week - dt.timedelta(weeks=n - 1 - i) for i in range(n)]

    def overview(self, *, weeks: int = 8, include_inactive: bool = False) -> ThemeList:
        """Every active theme (biggest first) with its figures; merged and retired ones too if asked."""
        mondays = self.weeks(weeks)
        with self.db.read() as s:
            stmt = select(m.Theme)
            if not include_inactive:
                stmt = stmt.where(m.Theme.status == "active")
            themes = list(s.scalars(stmt))
            rows = s.execute(
                select(
                    m.Feedback.theme_id,
                    m.Feedback.created_at,
                    m.Feedback.kind,
                    m.Feedback.severity,
                    m.Feedback.department,
                    m.Feedback.language,
                    m.Feedback.status,
                )
            ).all()
            quote_ids = {q for t in themes for q in t.quote_ids}
            quotes = {
                r.id: Quote(id=r.id, text=r.text, language=r.language)
                for r in s.execute(
                    select(m.Feedback.id, m.Feedback.text, m.Feedback.language).where(m.Feedback.id.in_(quote_ids))
                )
            }
        figures: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        trend: dict[int, Counter[dt.date]] = defaultdict(Counter)
        first = mondays[0]
        for theme_id, created, kind, severity, department, language, status in rows:
            if theme_id is None:
                continue
            f = figures[theme_id]
            f["kinds"][kind] += 1
            f["severities"][severity] += 1
            f["departments"][department or "—"] += 1
            f["languages"][language] += 1
            f["status"][status] += 1
            monday = week_start(created, self.tz)
            if monday >= first:
                trend[theme_id][monday] += 1
        out = [
            Theme(
                id=t.id,
                name=t.name,
                name_source=t.name_source,
                auto_name=t.auto_name,
                status=t.status,
                merged_into=t.merged_into,
                keywords=list(t.keywords),
                quotes=[quotes[q] for q in t.quote_ids if q in quotes],
                count=sum(figures[t.id]["kinds"].values()),
                open=sum(figures[t.id]["status"].values()) - figures[t.id]["status"]["resolved"],
                trend=[trend[t.id][w] for w in mondays],
                kinds=dict(figures[t.id]["kinds"].most_common()),
                severities=dict(figures[t.id]["severities"].most_common()),
                departments=dict(figures[t.id]["departments"].most_common()),
                languages=dict(figures[t.id]["languages"].most_common()),
                on_agenda=t.on_agenda,
                agenda_note=t.agenda_note,
                task_id=t.task_id,
                created_at=t.created_at,
                updated_at=t.updated_at,
                discovered_at=t.discovered_at,
            )
            for t in themes
        ]
        out.sort(key=lambda t: (t.status != "active", -t.count, t.id))
        return ThemeList(
            themes=out,
            weeks=mondays,
            total_items=len(rows),
            unthemed=sum(1 for r in rows if r[0] is None),
            last_discovery=self.store.last_run(),
        )

    def get(self, theme_id: int) -> Theme:
        """One theme with its figures (NotFound if there is none)."""
        with self.db.read() as s:
            theme_row(s, theme_id)
        return next(t for t in self.overview(include_inactive=True).themes if t.id == theme_id)

    def items(self, theme_id: int | None, *, limit: int, offset: int, cursor: str | None) -> Page[ThemeItem]:
        """A theme's items by id (theme_id None: the unthemed ones)."""
        with self.db.read() as s:
            if theme_id is not None:
                theme_row(s, theme_id)
            where = m.Feedback.theme_id.is_(None) if theme_id is None else m.Feedback.theme_id == theme_id
            stmt = select(m.Feedback).where(where)
            rows, total, next_cursor = paginate(
                s, stmt, m.Feedback.id, limit=limit, offset=offset, cursor=cursor, max_limit=self.max_page_size
            )
            return Page[ThemeItem](
                items=[ThemeItem.model_validate(r[0]) for r in rows],
                total=total,
                limit=limit,
                offset=offset,
                next_cursor=next_cursor,
            )
