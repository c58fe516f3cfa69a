"""Feedback memory: every feedback item is embedded when stored, so a new report can be matched with earlier ones
in either language ("导出PDF中文变方块" ↔ "Chinese shows as squares in the PDF export"), and the resolution of a
resolved duplicate can be offered at once. The database stays the source of truth; the vectors catch up with it
(`sync`) whenever they are found behind, e.g. after `qiao demo load` wrote feedback directly."""

from __future__ import annotations

import logging
import threading

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Feedback
from retrieval.chroma_store import VectorStore
from retrieval.embedder import Embedder

log = logging.getLogger("qiao.knowledge")


class SimilarFeedback(BaseModel):
    """An earlier feedback item like the given text; `resolution` is set when it was resolved."""

    id: int
    text: str
    language: str
    kind: str
    status: str
    score: float = Field(description="Cosine similarity of the two texts' embeddings, -1..1.")
    resolution: str | None


def _vector_id(feedback_id: int) -> str:
    return f"feedback-{feedback_id}"


class FeedbackMemory:
    """Feedback vectors in their own collection, keyed `feedback-<id>`."""

    def __init__(self, db: Database, store: VectorStore, embedder: Embedder, *, min_score: float = 0.45) -> None:
        self.db = db
        self.store = store
        self.embedder = embedder
        self.min_score = min_score
        self._lock = threading.Lock()

    def remember(self, item: Feedback) -> None:
        """Embed and store one feedback item (called right after it is created)."""
        vector = self.embedder.encode([item.text])
        self.store.upsert([_vector_id(item.id)], vector, [{"language": item.language, "kind": item.kind.value}])

    def remember_quietly(self, item: Feedback) -> None:
        """`remember`, but a vector-store failure is logged instead of failing the feedback write that already
        committed; `sync` adds the missing vector later."""
        try:
            self.remember(item)
        except Exception:  # the feedback is safe in the database; only the vector is late
            log.exception("could not embed feedback %s now; it will be embedded on the next sync", item.id)

    def sync(self) -> int:
        """Embed feedback the vector store lacks and drop vectors of deleted feedback; returns how many changed."""
        with self._lock:
            with self.db.read() as s:
                count = s.scalar(select(func.count(m.Feedback.id))) or 0
            if count == self.store.count():
                return 0
            with self.db.read() as s:
                rows = {
                    i: (t, lang, k)
                    for i, t, lang, k in s.execute(
                        select(m.Feedback.id, m.Feedback.text, m.Feedback.language, m.Feedback.kind)
                    )
                }
            present = self.store.ids()
            wanted = {_vector_id(i): i for i in rows}
            orphans = sorted(present - wanted.keys())
            self.store.delete(orphans)
            missing = [wanted[v] for v in sorted(wanted.keys() - present)]
            for start in range(0, len(missing), 256):
                ids = missing[start : start + 256]
                vectors = self.embedder.encode([rows[i][0] for i in ids])
                metadatas = [{"language": rows[i][1], "kind": rows[i][2]} for i in ids]
                self.store.upsert([_vector_id(i) for i in ids], vectors, metadatas)
            return len(orphans) + len(missing)

    def similar(
        self, text: str, *, limit: int = 5, min_score: float | None = None, exclude_id: int | None = None
    ) -> list[SimilarFeedback]:
        """Earlier feedback whose meaning is close to `text`, most similar first, at least `min_score` alike."""
        self.sync()
        floor = self.min_score if min_score is None else min_score
        vector = self.embedder.encode([text])[0]
        matches = [x for x in self.store.query(vector, limit + 1) if x.similarity >= floor]
        scores = {int(x.id.removeprefix("feedback-")): x.similarity for x in matches}
        scores.pop(exclude_id or 0, None)
        with self.db.read() as s:
            rows = {r.id: r for r in s.scalars(select(m.Feedback).where(m.Feedback.id.in_(scores)))}
        out = [
            SimilarFeedback(
                id=r.id,
                text=r.text,
                language=r.language,
                kind=r.kind,
                status=r.status,
                score=round(scores[r.id], 4),
                resolution=r.resolution if r.status == "resolved" else None,
            )
            for r in rows.values()
        ]
        return sorted(out, key=lambda x: -x.score)[:limit]
