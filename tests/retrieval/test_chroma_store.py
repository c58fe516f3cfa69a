"""The Chroma adapter on a real embedded PersistentClient: HNSW settings of new and existing collections."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.chroma_store import ChromaConnection, ChromaStore, HnswParams
from retrieval.embedder import UseEmbedder


def _store(path: Path, hnsw: HnswParams) -> ChromaStore:
    return ChromaStore(ChromaConnection(path), "docs-test", UseEmbedder(), hnsw)


def test_an_existing_index_follows_a_changed_ef_search_and_keeps_its_build_settings(tmp_path: Path) -> None:
    first = _store(tmp_path, HnswParams(ef_construction=100, ef_search=100, max_neighbors=16))
    vectors = np.eye(4, 512, dtype=np.float32)
    first.upsert([f"v{i}" for i in range(4)], vectors, [{"source": f"s{i}"} for i in range(4)])
    first.connection.close()

    again = _store(tmp_path, HnswParams(ef_construction=200, ef_search=250, max_neighbors=32))
    hnsw = again.collection().configuration["hnsw"]
    assert hnsw is not None
    assert hnsw["ef_search"] == 250
    # Build-time knobs are fixed once the index exists.
    assert (hnsw["ef_construction"], hnsw["max_neighbors"]) == (100, 16)
    assert [m.id for m in again.query(vectors[2], 1)] == ["v2"]
    again.connection.close()


def test_a_new_collection_is_created_with_the_settings(tmp_path: Path) -> None:
    store = _store(tmp_path, HnswParams())
    hnsw = store.collection().configuration["hnsw"]
    assert hnsw is not None
    assert (hnsw["ef_construction"], hnsw["ef_search"], hnsw["max_neighbors"]) == (200, 200, 32)
    store.connection.close()
