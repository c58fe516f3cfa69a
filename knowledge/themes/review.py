"""Ops' review of the themes: rename, merge, split (re-cluster one theme), move an item, put a theme on the
committee's agenda, link it to a backlog task. Each is one atomic, audited write; discovery respects them
(a manual name is kept, a merged theme's matches go to the theme that absorbed it, a moved item stays put)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from errors import InvalidInput, NotFound
from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Actor
from knowledge.themes.clustering import ClusteringParams, Labels, Scores, cluster, unit
from knowledge.themes.labels import ThemeLabel, label_themes
from knowledge.themes.schemas import ThemePatch
from knowledge.themes.store import FEEDBACK, from_blob, theme_snapshot, to_blob
from knowledge.themes.vectors import VectorSource
from retrieval.embedder import Vectors


def theme_row(s: Session, theme_id: int, *, active: bool = False) -> m.Theme:
    """The theme, or NotFound; with `active`, InvalidInput when it was merged or retired."""
    row = s.get(m.Theme, theme_id)
    if row is None:
        raise NotFound(f"theme {theme_id} does not exist: GET /api/v1/themes lists them", f"主题 {theme_id} 不存在")
    if active and row.status != "active":
        hint = f" into theme {row.merged_into}" if row.merged_into else ""
        raise InvalidInput(
            f"theme {theme_id} is {row.status}{hint}: act on an active theme",
            f"主题 {theme_id} 已{'合并' if row.status == 'merged' else '停用'}：请对有效主题操作",
        )
    return row


class ThemeReview:
    """The write operations of the ops console."""

    def __init__(
        self,
        db: Database,
        vectors: VectorSource,
        params: ClusteringParams,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.db = db
        self.vectors = vectors
        self.params = params
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def update(self, theme_id: int, patch: ThemePatch, actor: Actor) -> int:
        """Rename, (un)mark for the agenda, (un)link a task; returns the theme id."""
        changes = patch.model_dump(exclude_unset=True)
        if "name" in changes and changes["name"] is None:
            raise InvalidInput("name cannot be null: send a name", "name 不能为空：请填写名称")
        if "on_agenda" in changes and changes["on_agenda"] is None:
            raise InvalidInput("on_agenda must be true or false", "on_agenda 只能是 true 或 false")
        with self.db.write() as s:
            row = theme_row(s, theme_id, active=True)
            before = theme_snapshot(row)
            if changes.get("task_id") is not None and s.get(m.Task, changes["task_id"]) is None:
                raise InvalidInput(
                    f"task {changes['task_id']} does not exist: link an existing backlog task (GET /api/v1/tasks)",
                    f"任务 {changes['task_id']} 不存在：请关联已有的待办任务",
                )
            if "name" in changes:
                row.name, row.name_source = changes["name"], "manual"
            for field in ("on_agenda", "agenda_note", "task_id"):
                if field in changes:
                    setattr(row, field, changes[field])
            row.updated_at = self.clock()
            action = "rename" if set(changes) == {"name"} else "update"
            audit.record(s, actor, action, "theme", row.id, before, theme_snapshot(row))
            return row.id

    def merge(self, theme_id: int, into: int, actor: Actor) -> int:
        """Fold theme `theme_id` into `into` (which keeps its id and name); returns `into`."""
        if theme_id == into:
            raise InvalidInput("a theme cannot be merged into itself", "主题不能合并到自身")
        with self.db.write() as s:
            source = theme_row(s, theme_id, active=True)
            target = theme_row(s, into, active=True)
            before_source, before_target = theme_snapshot(source), theme_snapshot(target)
            table = FEEDBACK
            moved = s.execute(
                update(table).where(table.c.theme_id == theme_id).values(theme_id=into, updated_at=table.c.updated_at)
            ).rowcount  # type: ignore[attr-defined]
            # Themes merged into the source earlier now point at the target: a match to them lands there.
            s.execute(update(m.Theme).where(m.Theme.merged_into == theme_id).values(merged_into=into))
            source.status, source.merged_into, source.updated_at = "merged", into, self.clock()
            if source.centroid is not None and target.centroid is not None:
                blended = from_blob(source.centroid) + from_blob(target.centroid)
                target.centroid = to_blob(unit(blended[None, :])[0])
            target.keywords = list(dict.fromkeys([*target.keywords, *source.keywords]))[:10]
            target.updated_at = self.clock()
            audit.record(s, actor, "merge", "theme", source.id, before_source, theme_snapshot(source))
            after = {**theme_snapshot(target), "absorbed": source.id, "items_moved": moved}
            audit.record(s, actor, "merge", "theme", target.id, before_target, after)
            return target.id

    def move(self, feedback_id: int, theme_id: int, actor: Actor) -> int:
        """Put one item in a theme by hand (discovery keeps it there); returns the theme id."""
        with self.db.write() as s:
            theme_row(s, theme_id, active=True)
            item = s.get(m.Feedback, feedback_id)
            if item is None:
                raise NotFound(f"feedback {feedback_id} does not exist", f"反馈 {feedback_id} 不存在")
            before = {"theme_id": item.theme_id, "theme_source": item.theme_source}
            table = FEEDBACK
            s.execute(
                update(table)
                .where(table.c.id == feedback_id)
                .values(theme_id=theme_id, theme_source="manual", theme_score=None, updated_at=table.c.updated_at)
            )
            audit.record(
                s, actor, "move", "feedback", feedback_id, before, {"theme_id": theme_id, "theme_source": "manual"}
            )
            return theme_id

    def split(self, theme_id: int, actor: Actor) -> list[int]:
        """Re-cluster one theme: its largest part keeps the id (and a manual name), the others become new themes.
        Returns the ids, the original first. InvalidInput when the theme is too small to split."""
        with self.db.read() as s:
            theme_row(s, theme_id, active=True)
            rows = s.execute(
                select(m.Feedback.id, m.Feedback.text, m.Feedback.language)
                .where(m.Feedback.theme_id == theme_id)
                .order_by(m.Feedback.id)
            ).all()
        if len(rows) < 2 * self.params.min_size:
            raise InvalidInput(
                f"theme {theme_id} has {len(rows)} items: a split needs at least {2 * self.params.min_size}",
                f"主题 {theme_id} 只有 {len(rows)} 条反馈，至少需要 {2 * self.params.min_size} 条才能拆分",
            )
        ids = [r[0] for r in rows]
        vectors = unit(self.vectors.vectors(ids, [r[1] for r in rows]))
        labels = self._parts(vectors)
        k = int(labels.max()) + 1
        centroids = unit(np.stack([vectors[labels == c].mean(axis=0) for c in range(k)]))
        scores = np.einsum("ij,ij->i", vectors, centroids[labels]).astype(np.float32)
        named = label_themes([r[1] for r in rows], [r[2] for r in rows], labels, scores, k)
        return self._write_split(theme_id, ids, labels, scores, centroids, named, actor)

    def _parts(self, vectors: Vectors) -> Labels:
        """Sub-themes of one theme: discovery's method on its items; two Ward halves if that finds one part."""
        params = dataclasses.replace(self.params, assign_similarity=-1.0, rounds=1)
        found = cluster(vectors, params)
        if found.n_themes >= 2:
            return found.labels
        halves = np.asarray(AgglomerativeClustering(n_clusters=2, linkage="ward").fit_predict(vectors), dtype=np.int64)
        out: Labels = halves if np.bincount(halves)[0] >= np.bincount(halves)[1] else 1 - halves
        return out

    def _write_split(
        self,
        theme_id: int,
        ids: Sequence[int],
        labels: Labels,
        scores: Scores,
        centroids: Vectors,
        named: Sequence[ThemeLabel],
        actor: Actor,
    ) -> list[int]:
        now = self.clock()
        out = [theme_id]
        table = FEEDBACK
        with self.db.write() as s:
            original = theme_row(s, theme_id, active=True)
            before = theme_snapshot(original)
            for c, label in enumerate(named):
                if c == 0:
                    row = original
                else:
                    row = m.Theme(name=label.name, name_source="auto", created_at=now, status="active")
                    s.add(row)
                if row.name_source != "manual":
                    row.name = label.name
                row.auto_name, row.keywords = label.name, list(label.keywords)
                row.quote_ids = [ids[i] for i in label.quotes]
                row.centroid, row.updated_at, row.discovered_at = to_blob(centroids[c]), now, now
                s.flush()
                if c:
                    out.append(row.id)
                    audit.record(s, actor, "split", "theme", row.id, None, {**theme_snapshot(row), "from": theme_id})
                members = [
                    {"b_id": ids[int(i)], "b_theme": row.id, "b_score": float(scores[i])}
                    for i in np.flatnonzero(labels == c)
                ]
                s.connection().execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values(
                        theme_id=bindparam("b_theme"), theme_score=bindparam("b_score"), updated_at=table.c.updated_at
                    ),
                    members,
                )
            audit.record(s, actor, "split", "theme", theme_id, before, {**theme_snapshot(original), "into": out})
        return out
