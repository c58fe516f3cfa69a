"""Ingestion: files (or posted texts) → documents → chunks → vectors, incrementally and crash-safely.

Order of writes, per document: vectors first (upsert under ids derived from source and content, so a repeat
writes the same ids), then the document and all its chunks in one database transaction, then the previous
version's vectors are deleted. The database is the source of truth: search ignores vectors it doesn't know, and
every run starts by reconciling the two (orphan vectors deleted, missing ones re-embedded). An interrupted run
therefore leaves each document wholly old or wholly new, and the next run finishes the job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from knowledge.chunking import Chunker, passage_text
from knowledge.documents import DocumentStore, StoredChunk
from knowledge.loaders import LoadedDocument, UnreadableDocument, format_of, load
from retrieval.chroma_store import VectorStore
from retrieval.embedder import Embedder, Vectors
from retrieval.passages import MetadataValue, Passage
from retrieval.sentences import VERSION as SENTENCES_VERSION
from retrieval.sentences import passage_id, passage_sentences, sentence_ids, sentence_texts
from retrieval.tokens import TOKENIZER_VERSION, tokenize

MAX_FILE_BYTES = 50_000_000
# Embedding a few documents' chunks together keeps the encoder's batches full (it is most of the cost).
EMBED_BATCH = 256


class SkippedSource(BaseModel):
    """A file or text that was not ingested, and why."""

    source: str
    detail: str = Field(description="Why, in English, with what to do.")
    detail_zh: str = Field(description="原因（中文）及处理办法。")


class IngestReport(BaseModel):
    """What one ingest run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    repaired_vectors: int = Field(0, description="Vectors fixed up after an earlier interrupted run.")
    skipped: list[SkippedSource] = Field(default_factory=list)


@dataclass(frozen=True)
class IngestEvent:
    """Progress: `done` of `total` sources handled; `stage` says what happened to `source`."""

    stage: Literal["start", "unchanged", "stored", "skipped", "removed"]
    source: str
    done: int
    total: int


Progress = Callable[[IngestEvent], None]


@dataclass(frozen=True)
class SourceItem:
    """One thing to ingest: a file on disk, or bytes posted with the source name they should carry."""

    source: str
    path: Path | None = None
    data: bytes | None = None
    format: str | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        size = self.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableDocument(
                f"{self.source}: {size} bytes is more than the {MAX_FILE_BYTES} a document may have; split it",
                f"{self.source}：{size} 字节，超过单个文档上限 {MAX_FILE_BYTES}；请拆分后导入",
            )
        return self.path.read_bytes()

    def modified(self) -> dt.date | None:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.UTC).date() if self.path else None


@dataclass
class _Pending:
    item: SourceItem
    document: LoadedDocument
    content_hash: str
    chunks: list[StoredChunk]
    texts: list[str]
    sentences: list[list[str]]
    is_new: bool


class Ingestor:
    """Keeps the document store and the vector store in step with a set of sources."""

    def __init__(
        self,
        documents: DocumentStore,
        store: VectorStore,
        embedder: Embedder,
        chunker: Chunker,
        clock: Callable[[], dt.datetime] | None = None,
        sentences: VectorStore | None = None,
    ) -> None:
        self.documents = documents
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.sentences = sentences
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lock = threading.Lock()

    def ingest_paths(self, paths: Sequence[Path | str], progress: Progress | None = None) -> IngestReport:
        """Ingest files and folders (recursively). Under each folder given, and for each file given, documents
        stored earlier whose file is gone are removed. Unreadable files are reported in `skipped`, not fatal."""
        items: list[SourceItem] = []
        report = IngestReport()
        roots: list[str] = []
        gone: list[str] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                roots.append(str(path))
                items.extend(
                    SourceItem(source=str(f), path=f)
                    for f in sorted(path.rglob("*"))
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)
                )
            elif path.is_file():
                items.append(SourceItem(source=str(path), path=path))
            else:
                gone.append(str(path))
        with self._lock:
            stored = self.documents.documents()
            seen = {i.source for i in items}
            stale = [s for s in stored if s not in seen and (s in gone or any(_under(s, root) for root in roots))]
            for source in gone:
                if source not in stored:
                    report.skipped.append(
                        SkippedSource(
                            source=source,
                            detail="no such file or folder: check the path",
                            detail_zh="文件或目录不存在：请检查路径",
                        )
                    )
            self._run(items, stale, report, progress)
        return report

    def ingest_items(self, items: Sequence[SourceItem], progress: Progress | None = None) -> IngestReport:
        """Ingest posted documents (no folder, so nothing is removed)."""
        report = IngestReport()
        with self._lock:
            self._run(list(items), [], report, progress)
        return report

    def reconcile(self) -> int:
        """Make the vector stores match the database: delete vectors no chunk uses, embed chunks that have no
        vector (or miss sentence vectors). Returns how many vectors were deleted or written."""
        wanted = self.documents.vector_ids()
        present = self.store.ids()
        orphans = sorted(present - wanted)
        self.store.delete(orphans)
        missing = self.documents.passages(sorted(wanted - present))
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = self.embedder.encode([self.documents.embedding_text(p) for p in batch])
            self.store.upsert([p.vector_id for p in batch], vectors, [p.metadata() for p in batch])
        return len(orphans) + len(missing) + self._reconcile_sentences(wanted)

    def _reconcile_sentences(self, wanted: set[str]) -> int:
        """`reconcile` for the sentence vectors: those of passages the database no longer has are deleted, and
        passages missing any of theirs get them all again."""
        if self.sentences is None:
            return 0
        present = self.sentences.ids()
        orphans = _stray_sentences(present, wanted)
        self.sentences.delete(orphans)
        missing: list[tuple[Passage, list[str]]] = []
        for passage in self.documents.snapshot().passages:
            texts = passage_sentences(passage)
            if texts and not present.issuperset(sentence_ids(passage.vector_id, len(texts))):
                missing.append((passage, texts))
        written = 0
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = self.embedder.encode([t for _, texts in batch for t in texts])
            ids, metadatas = _sentence_rows([(p, len(texts)) for p, texts in batch])
            self.sentences.upsert(ids, vectors, metadatas)
            written += len(ids)
        return len(orphans) + written

    def _run(self, items: list[SourceItem], stale: list[str], report: IngestReport, progress: Progress | None) -> None:
        total = len(items) + len(stale)
        notify = progress or (lambda _event: None)
        notify(IngestEvent("start", "", 0, total))
        report.repaired_vectors = self.reconcile()
        stored = {s: d.content_hash for s, d in self.documents.documents().items()}
        done = 0

        def record(stage: Literal["unchanged", "skipped", "removed"], source: str) -> None:
            nonlocal done
            done += 1
            if stage == "unchanged":
                report.unchanged += 1
            elif stage == "removed":
                report.removed += 1
            notify(IngestEvent(stage, source, done, total))

        def write(batch: list[_Pending], vectors: Vectors) -> None:
            nonlocal done
            self._store(batch, vectors)
            for pending in batch:
                done += 1
                report.chunks_embedded += len(pending.chunks)
                if pending.is_new:
                    report.added += 1
                else:
                    report.updated += 1
                notify(IngestEvent("stored", pending.item.source, done, total))

        # One writer thread stores batch n (Chroma, SQLite) while this thread embeds batch n+1: the encoder is most
        # of the cost, and the two overlap on separate cores. A single worker keeps every write in order.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qiao-ingest") as writer:
            pending_write: Future[None] | None = None
            for batch in self._prepared(items, stored, report):
                if isinstance(batch, SkippedSource):
                    writer.submit(record, "skipped", batch.source)
                elif isinstance(batch, str):
                    writer.submit(record, "unchanged", batch)
                else:
                    texts = [t for pending in batch for t in pending.texts]
                    texts += [t for pending in batch for sentences in pending.sentences for t in sentences]
                    vectors = self.embedder.encode(texts)
                    if pending_write is not None:
                        pending_write.result()  # surfaces a failed write before more work piles up
                    pending_write = writer.submit(write, batch, vectors)
            if pending_write is not None:
                pending_write.result()
        if stale:
            self.store.delete(self.documents.remove(stale))
            for source in stale:
                record("removed", source)
        if self.sentences is not None and (stale or report.updated):
            # A replaced or removed passage's sentence vectors: their ids follow from a text the database no
            # longer holds, so they are found by their passage id instead (search never reads them meanwhile).
            wanted = self.documents.vector_ids()
            self.sentences.delete(_stray_sentences(self.sentences.ids(), wanted))

    def _prepared(
        self, items: list[SourceItem], stored: dict[str, str], report: IngestReport
    ) -> Iterator[list[_Pending] | SkippedSource | str]:
        """Yields unchanged sources (str), skipped ones, and batches of documents ready to embed."""
        batch: list[_Pending] = []
        size = 0
        for item in items:
            try:
                data = item.read()
                content_hash = self._hash(data)
                if stored.get(item.source) == content_hash:
                    yield item.source
                    continue
                document = load(item.source, data, item.format or format_of(item.source), item.modified())
            except (UnreadableDocument, OSError) as exc:
                skipped = _skipped(item.source, exc)
                report.skipped.append(skipped)
                yield skipped
                continue
            pending = self._pending(item, document, content_hash, is_new=item.source not in stored)
            batch.append(pending)
            size += len(pending.chunks)
            if size >= EMBED_BATCH:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _hash(self, data: bytes) -> str:
        digest = hashlib.sha256(data)
        sentences = SENTENCES_VERSION if self.sentences is not None else "no-sentences"
        digest.update(f"|{self.chunker.signature}|{self.embedder.name}|{TOKENIZER_VERSION}|{sentences}".encode())
        return digest.hexdigest()

    def _pending(self, item: SourceItem, document: LoadedDocument, content_hash: str, *, is_new: bool) -> _Pending:
        prefix = hashlib.sha1(item.source.encode(), usedforsecurity=False).hexdigest()[:16]
        chunks: list[StoredChunk] = []
        texts: list[str] = []
        sentences: list[list[str]] = []
        for chunk in self.chunker.split(document):
            text = passage_text(document.title, chunk.section, chunk.searchable)
            texts.append(text)
            if self.sentences is not None:
                sentences.append(sentence_texts(document.title, chunk.section, chunk.searchable))
            chunks.append(
                StoredChunk(
                    ordinal=chunk.ordinal,
                    vector_id=f"{prefix}-{content_hash[:16]}-{chunk.ordinal:05d}",
                    section=chunk.section,
                    text=chunk.text,
                    is_code=chunk.is_code,
                    tokens=" ".join(tokenize(text)),
                )
            )
        return _Pending(item, document, content_hash, chunks, texts, sentences, is_new)

    def _store(self, batch: list[_Pending], vectors: Vectors) -> None:
        """Vectors of the whole batch first (passages, then their sentences), then each document with its chunks
        in its own transaction."""
        passages = [
            Passage(c.vector_id, d.source, d.title, c.section, d.language, d.updated, "")
            for pending in batch
            for d in [pending.document]
            for c in pending.chunks
        ]
        self.store.upsert([p.vector_id for p in passages], vectors[: len(passages)], [p.metadata() for p in passages])
        if self.sentences is not None:
            counts = [len(s) for pending in batch for s in pending.sentences]
            ids, metadatas = _sentence_rows(list(zip(passages, counts, strict=True)))
            self.sentences.upsert(ids, vectors[len(passages) :], metadatas)
        for pending in batch:
            stale = self.documents.replace(pending.document, pending.content_hash, pending.chunks, self.clock())
            self.store.delete(stale)


def _stray_sentences(present: set[str], wanted: set[str]) -> list[str]:
    """The sentence ids among `present` whose passage's vector id is not `wanted`, sorted."""
    return sorted(i for i in present if passage_id(i) not in wanted)


def _sentence_rows(passages: Sequence[tuple[Passage, int]]) -> tuple[list[str], list[dict[str, MetadataValue]]]:
    """Ids and metadata of the sentence vectors of (passage, number of sentences) pairs, in order; the metadata
    is what filters read (the id names the passage), kept small because Chroma's write cost grows with it."""
    ids: list[str] = []
    metadatas: list[dict[str, MetadataValue]] = []
    for passage, count in passages:
        metadata = passage.filter_metadata()
        ids.extend(sentence_ids(passage.vector_id, count))
        metadatas.extend([metadata] * count)
    return ids, metadatas


def _under(source: str, root: str) -> bool:
    return Path(source).is_relative_to(Path(root))


def _skipped(source: str, exc: Exception) -> SkippedSource:
    if isinstance(exc, UnreadableDocument):
        return SkippedSource(source=source, detail=exc.detail_en, detail_zh=exc.detail_zh)
    return SkippedSource(
        source=source,
        detail=f"cannot read the file ({type(exc).__name__}: {exc}); check it exists and is readable",
        detail_zh=f"无法读取文件（{type(exc).__name__}）；请检查文件是否存在且可读",
    )
