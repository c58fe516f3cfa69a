"""Is the vector index consistent with the database? Read straight from a stopped (or killed) server's data dir:
the SQL tables through Qiao's `Database`, the Chroma collections through an embedded client."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from knowledge import models as m
from knowledge.db import Database
from retrieval.chroma_store import ChromaConnection, ChromaStore
from retrieval.embedder import UseEmbedder
from settings import Settings


@dataclass(frozen=True)
class IndexState:
    """The help center's chunks in SQL against the vectors in the `qiao_docs` collection."""

    documents: int  # documents under the prefix asked about
    chunks: int  # their chunks
    total_chunks: int  # chunks of every document
    vectors: int  # vectors in the collection (-1 when not read)
    missing: int  # chunks without a vector
    orphans: int  # vectors no chunk uses (harmless: search ignores them, the next ingest deletes them)
    duplicates: int  # vector ids used by more than one chunk
    broken: tuple[str, ...]  # documents whose chunk rows are not exactly ordinals 0..chunk_count-1


@dataclass(frozen=True)
class FeedbackState:
    """Feedback rows against the vectors in the `qiao_feedback` collection (keyed `feedback-<id>`)."""

    rows: int
    vectors: int
    missing: int
    orphans: int


def _database(data_dir: Path) -> Database:
    return Database(Settings(data_dir=data_dir, _env_file=None))


def _vector_ids(data_dir: Path, collection: str) -> tuple[set[str], int]:
    """The ids in `collection` and its count (they differ if the index is damaged). Only with the server down:
    an embedded Chroma index is single-process."""
    connection = ChromaConnection(data_dir / "chroma")
    try:
        store = ChromaStore(connection, collection, UseEmbedder())  # the encoder never loads: nothing is embedded
        return store.ids(), store.count()
    finally:
        connection.close()


def docs_state(data_dir: Path, prefix: str = "", *, vectors: bool = True) -> IndexState:
    """Documents whose source starts with `prefix`, and (when `vectors`) the whole index against the whole table."""
    db = _database(data_dir)
    try:
        with db.read() as s:
            docs = {d.id: (d.source, d.chunk_count) for d in s.scalars(select(m.KnowledgeDocument))}
            rows = list(
                s.execute(select(m.KnowledgeChunk.document_id, m.KnowledgeChunk.ordinal, m.KnowledgeChunk.vector_id))
            )
    finally:
        db.dispose()
    ordinals: dict[int, list[int]] = defaultdict(list)
    for document_id, ordinal, _ in rows:
        ordinals[document_id].append(ordinal)
    broken = tuple(source for d, (source, count) in docs.items() if sorted(ordinals.get(d, [])) != list(range(count)))
    wanted = [v for _, _, v in rows]
    mine = {d for d, (source, _) in docs.items() if source.startswith(prefix)}
    present, count = _vector_ids(data_dir, "qiao_docs") if vectors else (set(wanted), -1)
    return IndexState(
        documents=len(mine),
        chunks=sum(1 for d, _, _ in rows if d in mine),
        total_chunks=len(rows),
        vectors=count,
        missing=len(set(wanted) - present),
        orphans=len(present - set(wanted)),
        duplicates=sum(n - 1 for n in Counter(wanted).values() if n > 1) + (max(0, count - len(present))),
        broken=broken,
    )


def feedback_state(data_dir: Path) -> FeedbackState:
    db = _database(data_dir)
    try:
        with db.read() as s:
            wanted = {f"feedback-{i}" for i in s.scalars(select(m.Feedback.id))}
    finally:
        db.dispose()
    present, count = _vector_ids(data_dir, "qiao_feedback")
    return FeedbackState(len(wanted), count, len(wanted - present), len(present - wanted))
