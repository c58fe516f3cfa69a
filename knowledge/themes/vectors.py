"""Feedback vectors for discovery: the feedback memory already keeps one per item in its Chroma collection
(`feedback-<id>`, knowledge/feedback_memory.py), so discovery reads those and encodes only the ones missing
(an item written while the vector store was down, or an import that has not been synced yet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from retrieval.chroma_store import ChromaStore
from retrieval.embedder import Embedder, Vectors

_BATCH = 5000


class VectorSource(Protocol):
    """Unit vectors for feedback items."""

    def vectors(self, ids: Sequence[int], texts: Sequence[str]) -> Vectors:
        """A float32 array (len(ids), dim), row i the vector of feedback `ids[i]` whose text is `texts[i]`."""
        ...


class FeedbackVectors:
    """Vectors from the feedback memory's Chroma collection when present, else from the embedder."""

    def __init__(self, embedder: Embedder, store: ChromaStore | None = None) -> None:
        self.embedder = embedder
        self.store = store

    def _stored(self, ids: Sequence[int]) -> dict[int, Vectors]:
        if self.store is None or not ids:
            return {}
        collection = self.store.collection()
        found: dict[int, Vectors] = {}
        for start in range(0, len(ids), _BATCH):
            keys = [f"feedback-{i}" for i in ids[start : start + _BATCH]]
            got = collection.get(ids=keys, include=["embeddings"])
            embeddings = got["embeddings"]
            if embeddings is None:
                continue
            for key, vector in zip(got["ids"], embeddings, strict=True):
                found[int(key.removeprefix("feedback-"))] = np.asarray(vector, dtype=np.float32)
        return found

    def vectors(self, ids: Sequence[int], texts: Sequence[str]) -> Vectors:
        out = np.empty((len(ids), self.embedder.dim), dtype=np.float32)
        stored = self._stored(ids)
        missing = [j for j, i in enumerate(ids) if i not in stored]
        for j, i in enumerate(ids):
            if i in stored:
                out[j] = stored[i]
        if missing:
            out[missing] = self.embedder.encode([texts[j] for j in missing])
        return out
