"""Themes in the database: what discovery reads (the corpus, the earlier themes) and its one atomic write, the
discovery runs, and the centroids the classifier uses. A discovery's result is written in a single transaction:
if anything fails the previous themes and assignments stay exactly as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from errors import Conflict
from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Actor
from knowledge.themes.matching import Previous
from knowledge.themes.schemas import DiscoveryReport
from retrieval.embedder import Vectors

# The feedback table for bulk UPDATEs that must not touch updated_at (see `assignments`).
FEEDBACK = cast(Table, m.Feedback.__table__)


def to_blob(vector: Vectors) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes | None, dim: int = 0) -> Vectors:
    if not blob:
        return np.zeros(dim, dtype=np.float32)
    return np.frombuffer(blob, dtype=np.float32).copy()


def theme_snapshot(row: m.Theme) -> dict[str, Any]:
    """The audit snapshot of a theme, without its centroid (binary, and noise to a reader)."""
    snap = audit.snapshot(row)
    snap.pop("centroid", None)
    return snap


@dataclass(frozen=True)
class Corpus:
    """The feedback discovery clusters, in id order; `pinned` maps items ops moved by hand to their theme."""

    ids: list[int]
    texts: list[str]
    languages: list[str]
    pinned: dict[int, int]


@dataclass(frozen=True)
class PlannedTheme:
    """One theme of a discovery's result; `theme_id` None means a new theme."""

    theme_id: int | None
    members: list[int]
    scores: list[float]
    centroid: Vectors
    keywords: list[str]
    quote_ids: list[int]
    auto_name: str
    llm_name: str | None


@dataclass(frozen=True)
class Plan:
    themes: list[PlannedTheme]
    unthemed: list[int]
    seconds: float


class ThemeStore:
    """Reads and atomic writes of themes, assignments and discovery runs."""

    def __init__(self, db: Database, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.db = db
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def corpus(self) -> Corpus:
        with self.db.read() as s:
            rows = s.execute(
                select(
                    m.Feedback.id, m.Feedback.text, m.Feedback.language, m.Feedback.theme_id, m.Feedback.theme_source
                ).order_by(m.Feedback.id)
            ).all()
        pinned = {r[0]: r[3] for r in rows if r[4] == "manual" and r[3] is not None}
        return Corpus([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], pinned)

    def previous(self) -> list[Previous]:
        """Every theme with a centroid: active ones with their members, merged ones resolving to their target."""
        with self.db.read() as s:
            themes = list(s.scalars(select(m.Theme).where(m.Theme.centroid.is_not(None))))
            members: dict[int, set[int]] = {}
            for fid, tid in s.execute(
                select(m.Feedback.id, m.Feedback.theme_id).where(m.Feedback.theme_id.is_not(None))
            ):
                if tid is not None:
                    members.setdefault(tid, set()).add(fid)
        by_id = {t.id: t for t in themes}

        def target(theme: m.Theme) -> int:
            seen = {theme.id}
            while theme.status == "merged" and theme.merged_into in by_id and theme.merged_into not in seen:
                theme = by_id[theme.merged_into]
                seen.add(theme.id)
            return theme.id

        return [
            Previous(t.id, from_blob(t.centroid), frozenset(members.get(t.id, ())), target(t))
            for t in themes
            if t.status != "merged" or by_id.get(t.merged_into or 0) is not None
        ]

    def manual_names(self) -> set[int]:
        """Ids of the themes ops named by hand."""
        with self.db.read() as s:
            return set(s.scalars(select(m.Theme.id).where(m.Theme.name_source == "manual")))

    def start_run(self, actor: Actor, seed: int) -> int:
        """Record a new run; runs left `running` by a process that died are marked failed first."""
        with self.db.write() as s:
            stale = s.scalars(select(m.ThemeRun).where(m.ThemeRun.status == "running")).all()
            for run in stale:
                run.status, run.finished_at = "failed", self.clock()
                run.error = "interrupted: the process stopped before the run finished / 进程中断，运行未完成"
            run = m.ThemeRun(started_at=self.clock(), status="running", actor=actor.name, seed=seed)
            s.add(run)
            s.flush()
            return run.id

    def fail_run(self, run_id: int, error: str) -> None:
        with self.db.write() as s:
            run = s.get(m.ThemeRun, run_id)
            if run is not None:
                run.status, run.finished_at, run.error = "failed", self.clock(), error[:2000]

    def last_run(self) -> DiscoveryReport | None:
        with self.db.read() as s:
            run = s.scalars(select(m.ThemeRun).order_by(m.ThemeRun.id.desc()).limit(1)).first()
            return None if run is None else report_of(run)

    def save(self, run_id: int, plan: Plan, actor: Actor, started: int) -> DiscoveryReport:
        """Write a discovery's result in one transaction. `started` is the number of finished runs when this one
        started: if another run finished since, this result is stale and nothing is written (Conflict)."""
        now = self.clock()
        with self.db.write() as s:
            done = s.scalar(select(func.count(m.ThemeRun.id)).where(m.ThemeRun.status == "done")) or 0
            if done != started:
                raise Conflict(
                    "another theme discovery finished while this one ran: its result is kept; run discover again "
                    "if needed",
                    "另一次主题发现在此期间已完成并保留其结果；如有需要请重新运行",
                )
            kept, created, final_ids = self._write_themes(s, plan, actor, now)
            retired = self._retire(s, set(final_ids), actor, now)
            self._assign(s, plan, final_ids)
            run = s.get(m.ThemeRun, run_id)
            assert run is not None
            items = sum(len(t.members) for t in plan.themes) + len(plan.unthemed)
            run.status, run.finished_at, run.seconds = "done", self.clock(), plan.seconds
            run.items, run.themes, run.unthemed = items, len(set(final_ids)), len(plan.unthemed)
            run.created, run.kept, run.retired = created, kept, retired
            audit.record(s, actor, "discover", "theme_run", run.id, None, audit.snapshot(run))
            return report_of(run)

    def _write_themes(self, s: Session, plan: Plan, actor: Actor, now: dt.datetime) -> tuple[int, int, list[int]]:
        kept = created = 0
        final_ids: list[int] = []
        for planned in plan.themes:
            row = s.get(m.Theme, planned.theme_id) if planned.theme_id is not None else None
            before = theme_snapshot(row) if row is not None else None
            if row is None:
                row = m.Theme(name=planned.llm_name or planned.auto_name, name_source="auto", created_at=now)
                s.add(row)
                created += 1
            elif row.id in final_ids:
                # Two clusters continue the same theme (ops merged them earlier): the theme keeps both.
                row.centroid = to_blob(_blend(from_blob(row.centroid), planned.centroid))
                final_ids.append(row.id)
                continue
            else:
                kept += 1
            if row.name_source != "manual":
                row.name = planned.llm_name or planned.auto_name
                row.name_source = "llm" if planned.llm_name else "auto"
            row.auto_name, row.keywords, row.quote_ids = planned.auto_name, planned.keywords, planned.quote_ids
            row.centroid, row.status, row.merged_into = to_blob(planned.centroid), "active", None
            row.discovered_at, row.updated_at = now, now
            s.flush()
            final_ids.append(row.id)
            audit.record(s, actor, "discover" if before else "create", "theme", row.id, before, theme_snapshot(row))
        return kept, created, final_ids

    def _retire(self, s: Session, alive: set[int], actor: Actor, now: dt.datetime) -> int:
        retired = 0
        for row in s.scalars(select(m.Theme).where(m.Theme.status == "active")):
            if row.id not in alive:
                before = theme_snapshot(row)
                row.status, row.updated_at = "retired", now
                audit.record(s, actor, "retire", "theme", row.id, before, theme_snapshot(row))
                retired += 1
        return retired

    def _assign(self, s: Session, plan: Plan, final_ids: Sequence[int]) -> None:
        alive = set(final_ids)
        pinned = {
            fid: tid
            for fid, tid in s.execute(
                select(m.Feedback.id, m.Feedback.theme_id).where(m.Feedback.theme_source == "manual")
            )
            if tid in alive
        }
        rows: list[dict[str, Any]] = []
        for planned, theme_id in zip(plan.themes, final_ids, strict=True):
            rows += [
                {"b_id": fid, "b_theme": theme_id, "b_source": "discovery", "b_score": score}
                for fid, score in zip(planned.members, planned.scores, strict=True)
                if fid not in pinned
            ]
        rows += [
            {"b_id": fid, "b_theme": None, "b_source": None, "b_score": None}
            for fid in plan.unthemed
            if fid not in pinned
        ]
        if rows:
            # updated_at is set to itself: a theme assignment is not an edit of the item (SLA figures use it).
            stmt = (
                update(FEEDBACK)
                .where(FEEDBACK.c.id == bindparam("b_id"))
                .values(
                    theme_id=bindparam("b_theme"),
                    theme_source=bindparam("b_source"),
                    theme_score=bindparam("b_score"),
                    updated_at=FEEDBACK.c.updated_at,
                )
            )
            s.connection().execute(stmt, rows)

    def centroids(self) -> tuple[tuple[int, str], list[int], Vectors]:
        """(version, theme ids, unit centroids) of the active themes; the version changes with any theme write."""
        with self.db.read() as s:
            count, latest = s.execute(
                select(func.count(m.Theme.id), func.max(m.Theme.updated_at)).where(m.Theme.status == "active")
            ).one()
            rows = s.execute(
                select(m.Theme.id, m.Theme.centroid)
                .where(m.Theme.status == "active", m.Theme.centroid.is_not(None))
                .order_by(m.Theme.id)
            ).all()
        ids = [r[0] for r in rows]
        matrix = np.stack([from_blob(r[1]) for r in rows]) if rows else np.zeros((0, 0), dtype=np.float32)
        return (int(count or 0), str(latest)), ids, matrix

    def version(self) -> tuple[int, str]:
        with self.db.read() as s:
            count, latest = s.execute(
                select(func.count(m.Theme.id), func.max(m.Theme.updated_at)).where(m.Theme.status == "active")
            ).one()
        return int(count or 0), str(latest)

    def finished_runs(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(m.ThemeRun.id)).where(m.ThemeRun.status == "done")) or 0


def _blend(a: Vectors, b: Vectors) -> Vectors:
    mixed = a + b
    out: Vectors = (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)
    return out


def report_of(run: m.ThemeRun) -> DiscoveryReport:
    status = run.status if run.status in ("running", "done", "failed") else "failed"
    return DiscoveryReport(
        run_id=run.id,
        status=status,
        started_at=run.started_at,
        finished_at=run.finished_at,
        items=run.items,
        themes=run.themes,
        unthemed=run.unthemed,
        unthemed_share=round(run.unthemed / run.items, 4) if run.items else 0.0,
        created=run.created,
        kept=run.kept,
        retired=run.retired,
        seconds=round(run.seconds, 3),
        error=run.error,
    )
