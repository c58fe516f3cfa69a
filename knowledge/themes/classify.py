"""Keeping themes current between discoveries: each new feedback item joins the theme whose centroid it is most
like (cosine), if it is at least `min_similarity` alike (the same rule discovery uses for its outliers), else it
stays unthemed until the next discovery. Runs right after the item is stored (FeedbackStore.on_created)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select, update

from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Actor, Feedback
from knowledge.themes.clustering import nearest
from knowledge.themes.store import FEEDBACK, ThemeStore
from knowledge.themes.vectors import VectorSource
from retrieval.embedder import Embedder, Vectors

log = logging.getLogger("qiao.themes")
CLASSIFIER = Actor(name="theme-classifier")


class ThemeClassifier:
    """Nearest-centroid assignment of new items to the active themes."""

    def __init__(
        self, db: Database, store: ThemeStore, embedder: Embedder, vectors: VectorSource, *, min_similarity: float
    ) -> None:
        self.db = db
        self.store = store
        self.embedder = embedder
        self.vectors = vectors
        self.min_similarity = min_similarity
        self._lock = threading.Lock()
        self._version: tuple[int, str] | None = None
        self._ids: list[int] = []
        self._centroids: Vectors = np.zeros((0, embedder.dim), dtype=np.float32)

    def _current(self) -> tuple[list[int], Vectors]:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._version, self._ids, self._centroids = self.store.centroids()
            return self._ids, self._centroids

    def predict(self, vectors: Vectors) -> list[tuple[int | None, float]]:
        """(theme id or None, cosine to its centroid) for each vector."""
        ids, centroids = self._current()
        if not ids:
            return [(None, 0.0)] * len(vectors)
        labels, scores = nearest(vectors, centroids, self.min_similarity)
        return [(ids[c] if c >= 0 else None, round(float(x), 4)) for c, x in zip(labels, scores, strict=True)]

    def assign(self, item: Feedback) -> int | None:
        """Give `item` its theme (if it has none yet and one fits); returns the theme id or None."""
        if item.theme_id is not None:
            return item.theme_id
        (theme_id, score), *_ = self.predict(self.embedder.encode([item.text]))
        if theme_id is not None:
            self._write([(item.id, theme_id, score)])
        return theme_id

    def assign_quietly(self, item: Feedback) -> None:
        """`assign`, but a failure is logged instead of failing the feedback write that already committed; the
        next discovery themes the item."""
        try:
            self.assign(item)
        except Exception:  # the item is stored; only its theme is late
            log.exception("could not classify feedback %s into a theme now", item.id)

    def assign_unthemed(self, feedback_ids: Sequence[int]) -> int:
        """Classify the given items that have no theme yet (e.g. after an import); returns how many got one."""
        with self.db.read() as s:
            rows = s.execute(
                select(m.Feedback.id, m.Feedback.text).where(
                    m.Feedback.id.in_(list(feedback_ids)), m.Feedback.theme_id.is_(None)
                )
            ).all()
        if not rows or not self._current()[0]:
            return 0
        ids = [r[0] for r in rows]
        predicted = self.predict(self.vectors.vectors(ids, [r[1] for r in rows]))
        chosen = [(fid, tid, score) for fid, (tid, score) in zip(ids, predicted, strict=True) if tid is not None]
        self._write(chosen)
        return len(chosen)

    def _write(self, assignments: Sequence[tuple[int, int, float]]) -> None:
        if not assignments:
            return
        table = FEEDBACK
        with self.db.write() as s:
            for feedback_id, theme_id, score in assignments:
                done = s.execute(
                    update(table)
                    .where(table.c.id == feedback_id, table.c.theme_id.is_(None))
                    .values(
                        theme_id=theme_id, theme_source="classifier", theme_score=score, updated_at=table.c.updated_at
                    )
                )
                if done.rowcount:  # type: ignore[attr-defined]
                    audit.record(
                        s,
                        CLASSIFIER,
                        "classify",
                        "feedback",
                        feedback_id,
                        {"theme_id": None},
                        {"theme_id": theme_id, "theme_score": score},
                    )
