"""The user committee's monthly report, as data: the month's top themes and how they grew against the month
before, the themes ops put on the agenda, SLA compliance, and the duplicates the assistant deflected (a report
recognised as a repeat of an already resolved one, so its reporter got the fix at once). Rendering is in
report_render.py (Markdown, CSV) and report_html.py (HTML with inline SVG charts)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from errors import InvalidInput
from knowledge import models as m
from knowledge.db import Database
from knowledge.themes.schemas import Quote

TOP_THEMES = 10
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# The report also reads the month before and ends at the month after, so 0001-01 and 9999-12 have no bounds.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def parse_month(month: str) -> tuple[int, int]:
    """(year, month) from 'YYYY-MM'; InvalidInput otherwise, or for a year outside FIRST_YEAR..LAST_YEAR."""
    found = _MONTH.match(month.strip())
    if not found:
        raise InvalidInput(
            f"month {month!r} is not of the form YYYY-MM, e.g. 2026-11",
            f"月份 {month!r} 格式应为 YYYY-MM，例如 2026-11",
        )
    year = int(found.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            f"month {month!r} is out of range: ask for one from {FIRST_YEAR}-01 to {LAST_YEAR}-12",
            f"月份 {month!r} 超出范围：请在 {FIRST_YEAR}-01 到 {LAST_YEAR}-12 之间选择",
        )
    return year, int(found.group(2))


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next one, in `tz`."""
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


class Sla(BaseModel):
    """First answers within the SLA: `met` and `missed` are decided; `pending` are open and not yet due."""

    met: int = 0
    missed: int = 0
    pending: int = 0

    @property
    def compliance(self) -> float | None:
        decided = self.met + self.missed
        return self.met / decided if decided else None


class ReportTheme(BaseModel):
    id: int
    name: str
    keywords: list[str]
    count: int
    last_month: int
    open: int
    severities: dict[str, int]
    on_agenda: bool
    agenda_note: str | None
    task_id: int | None
    task_title: str | None
    quotes: list[Quote]
    sla: Sla

    @property
    def growth(self) -> float | None:
        """Change against last month, as a share of last month (None when last month had none)."""
        return (self.count - self.last_month) / self.last_month if self.last_month else None


class ReportRow(BaseModel):
    """One feedback item of the month (the CSV)."""

    id: int
    created_at: dt.datetime
    theme_id: int | None
    theme: str
    kind: str
    severity: str
    status: str
    language: str
    department: str | None
    reporter: str | None
    duplicate_of: int | None
    sla_due: dt.datetime
    sla: str
    text: str


class CommitteeReport(BaseModel):
    month: str
    previous_month: str
    generated_at: dt.datetime
    items: int
    last_month_items: int
    unthemed: int
    top: list[ReportTheme]
    agenda: list[ReportTheme]
    sla: Sla
    sla_last_month: Sla
    duplicates: int
    deflected: int
    duplicates_last_month: int
    deflected_last_month: int
    rows: list[ReportRow]


class ReportBuilder:
    def __init__(self, db: Database, tz: ZoneInfo, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.db = db
        self.tz = tz
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def build(self, month: str) -> CommitteeReport:
        """The report for `month` ('YYYY-MM'); InvalidInput for a malformed month."""
        year, number = parse_month(month)
        start, end = month_bounds(year, number, self.tz)
        prev_year, prev_number = (year - 1, 12) if number == 1 else (year, number - 1)
        prev_start, _ = month_bounds(prev_year, prev_number, self.tz)
        now = self.clock()
        with self.db.read() as s:
            items = list(
                s.scalars(
                    select(m.Feedback)
                    .where(m.Feedback.created_at >= prev_start, m.Feedback.created_at < end)
                    .order_by(m.Feedback.id)
                )
            )
            current = [f for f in items if f.created_at >= start]
            previous = [f for f in items if f.created_at < start]
            answered = self._answered(s, [f.id for f in items])
            resolved = self._resolved_originals(s, items)
            themes = {t.id: t for t in s.scalars(select(m.Theme))}
            tasks = {
                t.id: t.title
                for t in s.scalars(
                    select(m.Task).where(m.Task.id.in_([t.task_id for t in themes.values() if t.task_id]))
                )
            }
            quote_ids = {q for t in themes.values() for q in t.quote_ids}
            quotes = {
                r.id: Quote(id=r.id, text=r.text, language=r.language)
                for r in s.scalars(select(m.Feedback).where(m.Feedback.id.in_(quote_ids)))
            }
        state = {f.id: _sla_state(f, answered.get(f.id), now) for f in items}
        this_month, last_month = Counter(f.theme_id for f in current), Counter(f.theme_id for f in previous)

        def theme(theme_id: int) -> ReportTheme:
            t = themes[theme_id]
            mine = [f for f in current if f.theme_id == theme_id]
            return ReportTheme(
                id=t.id,
                name=t.name,
                keywords=list(t.keywords)[:6],
                count=this_month[theme_id],
                last_month=last_month[theme_id],
                open=sum(1 for f in mine if f.status != "resolved"),
                severities=dict(Counter(f.severity for f in mine).most_common()),
                on_agenda=t.on_agenda,
                agenda_note=t.agenda_note,
                task_id=t.task_id,
                task_title=tasks.get(t.task_id or 0),
                quotes=[quotes[q] for q in t.quote_ids if q in quotes],
                sla=_sla(state[f.id] for f in mine),
            )

        ranked = sorted((tid for tid in this_month if tid is not None), key=lambda t: (-this_month[t], t))
        agenda = sorted(t.id for t in themes.values() if t.on_agenda and t.status == "active")
        duplicates = [f for f in current if f.duplicate_of is not None]
        duplicates_last = [f for f in previous if f.duplicate_of is not None]
        return CommitteeReport(
            month=f"{year:04d}-{number:02d}",
            previous_month=f"{prev_year:04d}-{prev_number:02d}",
            generated_at=now,
            items=len(current),
            last_month_items=len(previous),
            unthemed=this_month[None],
            top=[theme(t) for t in ranked[:TOP_THEMES]],
            agenda=[theme(t) for t in agenda],
            sla=_sla(state[f.id] for f in current),
            sla_last_month=_sla(state[f.id] for f in previous),
            duplicates=len(duplicates),
            deflected=sum(1 for f in duplicates if f.id in resolved),
            duplicates_last_month=len(duplicates_last),
            deflected_last_month=sum(1 for f in duplicates_last if f.id in resolved),
            rows=[
                ReportRow(
                    id=f.id,
                    created_at=f.created_at,
                    theme_id=f.theme_id,
                    theme=themes[f.theme_id].name if f.theme_id in themes else "",
                    kind=f.kind,
                    severity=f.severity,
                    status=f.status,
                    language=f.language,
                    department=f.department,
                    reporter=f.reporter,
                    duplicate_of=f.duplicate_of,
                    sla_due=f.sla_due,
                    sla=state[f.id],
                    text=f.text,
                )
                for f in current
            ],
        )

    def _answered(self, s: Session, ids: list[int]) -> dict[int, dt.datetime]:
        """When each item was first moved out of `open`, from the audit log."""
        out: dict[int, dt.datetime] = {}
        keys = [str(i) for i in ids]
        for start in range(0, len(keys), 500):
            entries = s.execute(
                select(m.AuditEntry.entity_id, m.AuditEntry.at, m.AuditEntry.before, m.AuditEntry.after)
                .where(
                    m.AuditEntry.entity == "feedback",
                    m.AuditEntry.action == "update",
                    m.AuditEntry.entity_id.in_(keys[start : start + 500]),
                )
                .order_by(m.AuditEntry.id)
            )
            for entity_id, at, before, after in entries:
                if (before or {}).get("status") == "open" and (after or {}).get("status") not in (None, "open"):
                    out.setdefault(int(entity_id), at)
        return out

    def _resolved_originals(self, s: Session, items: Iterable[m.Feedback]) -> set[int]:
        """Ids of the duplicates whose original (followed to the first report) is resolved."""
        out: set[int] = set()
        for item in items:
            seen = {item.id}
            original = item
            while original.duplicate_of is not None and original.duplicate_of not in seen:
                found = s.get(m.Feedback, original.duplicate_of)
                if found is None:
                    break
                original = found
                seen.add(original.id)
            if original.id != item.id and original.status == "resolved":
                out.add(item.id)
        return out


def _sla_state(item: m.Feedback, answered_at: dt.datetime | None, now: dt.datetime) -> str:
    """met | missed | pending. An item left `open` is missed once past due; one answered without an audited
    status change (imported, loaded) counts from its last update."""
    if item.status == "open":
        return "missed" if now > item.sla_due else "pending"
    answered = answered_at or item.updated_at
    return "met" if answered <= item.sla_due else "missed"


def _sla(states: Iterable[str]) -> Sla:
    counts = Counter(states)
    return Sla(met=counts["met"], missed=counts["missed"], pending=counts["pending"])
