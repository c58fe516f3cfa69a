"""Ingested documents and their chunks in Qiao's database: the source of truth for what the help center holds.

A document and all its chunks are written in one transaction, so a document is either wholly there or absent.
`snapshot()` serves the search side (it implements `retrieval.hybrid.Corpus`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from knowledge import models as m
from knowledge.chunking import passage_text
from knowledge.db import Database
from knowledge.loaders import LoadedDocument
from retrieval.passages import CorpusSnapshot, Passage


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as written: its vector id, section, text and space-separated BM25 tokens."""

    ordinal: int
    vector_id: str
    section: str
    text: str
    is_code: bool
    tokens: str


@dataclass(frozen=True)
class StoredDocument:
    """What the database says about one document."""

    source: str
    content_hash: str
    vector_ids: tuple[str, ...]


class DocumentStore:
    """Documents and chunks in the relational database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._snapshot: CorpusSnapshot | None = None
        self._lock = threading.Lock()

    def documents(self) -> dict[str, StoredDocument]:
        """Every stored document by source."""
        with self.db.read() as s:
            docs = {d.id: d for d in s.scalars(select(m.KnowledgeDocument))}
            ids: dict[int, list[str]] = {d: [] for d in docs}
            rows = s.execute(
                select(m.KnowledgeChunk.document_id, m.KnowledgeChunk.vector_id).order_by(
                    m.KnowledgeChunk.document_id, m.KnowledgeChunk.ordinal
                )
            )
            for document_id, vector_id in rows:
                ids[document_id].append(vector_id)
            return {d.source: StoredDocument(d.source, d.content_hash, tuple(ids[d.id])) for d in docs.values()}

    def replace(
        self, document: LoadedDocument, content_hash: str, chunks: Sequence[StoredChunk], now: dt.datetime
    ) -> list[str]:
        """Store `document` with `chunks` in one transaction, replacing any earlier version; returns the vector ids
        of the earlier version that the new one no longer uses."""
        with self.db.write() as s:
            old = s.scalar(select(m.KnowledgeDocument).where(m.KnowledgeDocument.source == document.source))
            stale: list[str] = []
            if old is not None:
                stale = list(
                    s.scalars(select(m.KnowledgeChunk.vector_id).where(m.KnowledgeChunk.document_id == old.id))
                )
                s.execute(delete(m.KnowledgeChunk).where(m.KnowledgeChunk.document_id == old.id))
                s.delete(old)
                s.flush()
            row = m.KnowledgeDocument(
                source=document.source,
                title=document.title[:500],
                language=document.language,
                updated=document.updated,
                format=document.format,
                content_hash=content_hash,
                chunk_count=len(chunks),
                ingested_at=now,
            )
            s.add(row)
            s.flush()
            s.add_all(
                m.KnowledgeChunk(
                    document_id=row.id,
                    ordinal=c.ordinal,
                    vector_id=c.vector_id,
                    section=c.section,
                    text=c.text,
                    is_code=c.is_code,
                    tokens=c.tokens,
                )
                for c in chunks
            )
        keep = {c.vector_id for c in chunks}
        return [v for v in stale if v not in keep]

    def remove(self, sources: Sequence[str]) -> list[str]:
        """Delete these documents in one transaction; returns the vector ids they used."""
        if not sources:
            return []
        with self.db.write() as s:
            ids = list(s.scalars(select(m.KnowledgeDocument.id).where(m.KnowledgeDocument.source.in_(sources))))
            vectors = list(s.scalars(select(m.KnowledgeChunk.vector_id).where(m.KnowledgeChunk.document_id.in_(ids))))
            s.execute(delete(m.KnowledgeChunk).where(m.KnowledgeChunk.document_id.in_(ids)))
            s.execute(delete(m.KnowledgeDocument).where(m.KnowledgeDocument.id.in_(ids)))
            return vectors

    def vector_ids(self) -> set[str]:
        """Every vector id a stored chunk uses."""
        with self.db.read() as s:
            return set(s.scalars(select(m.KnowledgeChunk.vector_id)))

    def passages(self, vector_ids: Sequence[str]) -> list[Passage]:
        """The passages with these vector ids (unknown ids are left out)."""
        wanted = set(vector_ids)
        return [p for p in self.snapshot().passages if p.vector_id in wanted]

    @staticmethod
    def embedding_text(passage: Passage) -> str:
        """What was embedded for `passage` (see `knowledge.chunking.passage_text`)."""
        return passage_text(passage.title, passage.section, "" if passage.is_code else passage.text)

    def _version(self) -> tuple[object, ...]:
        with self.db.read() as s:
            docs = s.execute(
                select(func.count(m.KnowledgeDocument.id), func.max(m.KnowledgeDocument.ingested_at))
            ).one()
            chunks = s.execute(select(func.count(m.KnowledgeChunk.id), func.max(m.KnowledgeChunk.id))).one()
        return (*docs, *chunks)

    def snapshot(self) -> CorpusSnapshot:
        """Every passage with its tokens; re-read from the database only when documents changed."""
        version = self._version()
        with self._lock:
            if self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            passages: list[Passage] = []
            tokens: list[list[str]] = []
            with self.db.read() as s:
                rows = s.execute(
                    select(m.KnowledgeChunk, m.KnowledgeDocument)
                    .join(m.KnowledgeDocument, m.KnowledgeChunk.document_id == m.KnowledgeDocument.id)
                    .order_by(m.KnowledgeChunk.id)
                )
                for chunk, doc in rows:
                    passages.append(
                        Passage(
                            vector_id=chunk.vector_id,
                            source=doc.source,
                            title=doc.title,
                            section=chunk.section,
                            language=doc.language,
                            updated=doc.updated,
                            text=chunk.text,
                            is_code=chunk.is_code,
                        )
                    )
                    tokens.append(chunk.tokens.split(" ") if chunk.tokens else [])
            self._snapshot = CorpusSnapshot(version=version, passages=passages, tokens=tokens)
            return self._snapshot
