"""Vectors behind the `VectorStore` protocol; `ChromaStore` keeps them in a Chroma collection, embedded in the
data dir (PersistentClient) or on a Chroma server (`QIAO_CHROMA_URL`, HttpClient). chromadb loads on first use."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlparse

import numpy as np

from errors import BackendUnavailable
from retrieval.embedder import Embedder, Vectors
from retrieval.passages import MetadataValue, SearchFilters, date_ordinal

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection


@dataclass(frozen=True)
class VectorMatch:
    """One nearest neighbour: its id and cosine similarity to the query (-1..1). Search needs nothing more, and
    asking Chroma for the metadata too (after counting the collection) made a query for 200 of 360k vectors take
    24 ms instead of 2 ms."""

    id: str
    similarity: float


class VectorStore(Protocol):
    """A collection of unit vectors keyed by string ids, searchable by cosine similarity."""

    def upsert(self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[Mapping[str, MetadataValue]]) -> None:
        """Insert or replace vectors. Writing the same ids again is harmless: that is how a resumed ingest converges."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors; unknown ids are ignored."""
        ...

    def ids(self) -> set[str]:
        """Every id in the collection."""
        ...

    def count(self) -> int:
        """How many vectors the collection holds."""
        ...

    def query(self, vector: Vectors, k: int, filters: SearchFilters | None = None) -> list[VectorMatch]:
        """The `k` nearest vectors to `vector` (shape (dim,)) that pass `filters`, most similar first."""
        ...

    def vectors(self, ids: Sequence[str]) -> dict[str, Vectors]:
        """The stored vectors of `ids` (shape (dim,) each); ids the store doesn't hold are left out."""
        ...


@dataclass(frozen=True)
class HnswParams:
    """The HNSW index knobs (see docs/retrieval.md for how they were tuned)."""

    ef_construction: int = 200
    ef_search: int = 200
    max_neighbors: int = 32


class ChromaConnection:
    """One Chroma client, created on first use: embedded in `path`, or the server at `url` when one is set."""

    def __init__(self, path: Path, url: str = "") -> None:
        self.path = path
        self.url = url
        self._client: ClientAPI | None = None
        self._lock = threading.Lock()

    def client(self) -> ClientAPI:
        """The client; raises BackendUnavailable when the server cannot be reached."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        # Telemetry would try the network on every start; Qiao runs offline.
        settings = ChromaSettings(anonymized_telemetry=False)
        if not self.url:
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.path), settings=settings)
        parsed = urlparse(self.url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise BackendUnavailable(
                f"QIAO_CHROMA_URL={self.url!r} is not an http(s) URL: use e.g. http://127.0.0.1:8001 or leave it empty",
                f"QIAO_CHROMA_URL={self.url!r} 不是 http(s) 地址：请填写如 http://127.0.0.1:8001，或留空使用内置存储",
            )
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 80),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants for an absent server
            raise _unreachable(self.url, exc) from exc

    def close(self) -> None:
        """Release the client (and, embedded, its SQLite files)."""
        with self._lock:
            if self._client is not None:
                # Both client kinds are chromadb.api.client.Client, which has close(); ClientAPI doesn't declare it.
                getattr(self._client, "close")()  # noqa: B009
                # chromadb's HTTP clients (ours and its internal admin client) never close their httpx sessions,
                # which leaks a socket each.
                for client in (self._client, getattr(self._client, "_admin_client", None)):
                    session = getattr(getattr(client, "_server", None), "_session", None)
                    if session is not None and hasattr(session, "close"):
                        session.close()
                self._client = None


def _unreachable(url: str, exc: Exception) -> BackendUnavailable:
    return BackendUnavailable(
        f"Chroma server at {url} is unreachable ({type(exc).__name__}): start it with "
        "`chroma run --path <dir> --port <port>` or clear QIAO_CHROMA_URL to use the embedded store",
        f"无法连接 Chroma 服务 {url}（{type(exc).__name__}）：请用 `chroma run --path <目录> --port <端口>` 启动，"
        "或清空 QIAO_CHROMA_URL 改用内置存储",
    )


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """`filters` in Chroma's `where` syntax (None when nothing is filtered)."""
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict[str, Any]] = []
    if filters.language is not None:
        clauses.append({"language": {"$eq": filters.language}})
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.updated_since is not None:
        clauses.append({"updated_day": {"$gte": date_ordinal(filters.updated_since)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """A cosine-space Chroma collection that stores the vectors Qiao computes itself."""

    def __init__(
        self, connection: ChromaConnection, name: str, embedder: Embedder, hnsw: HnswParams | None = None
    ) -> None:
        self.connection = connection
        self.name = name
        self.embedder = embedder
        self.hnsw = hnsw or HnswParams()
        self._collection: Collection | None = None
        self._lock = threading.Lock()

    def collection(self) -> Collection:
        """The collection, created on first use with Qiao's embedding function and HNSW settings."""
        with self._lock:
            if self._collection is None:
                from retrieval.chroma_embedding import QiaoEmbeddingFunction

                client = self.connection.client()
                try:
                    self._collection = client.get_or_create_collection(
                        self.name,
                        embedding_function=QiaoEmbeddingFunction(self.embedder),  # type: ignore[arg-type]
                        configuration={
                            "hnsw": {
                                "space": "cosine",
                                "ef_construction": self.hnsw.ef_construction,
                                "ef_search": self.hnsw.ef_search,
                                "max_neighbors": self.hnsw.max_neighbors,
                            }
                        },
                        metadata={"embedder": self.embedder.name, "dim": self.embedder.dim},
                    )
                    self._follow_ef_search(self._collection)
                except (ConnectionError, OSError) as exc:
                    raise _unreachable(self.connection.url or str(self.connection.path), exc) from exc
            return self._collection

    def _follow_ef_search(self, collection: Collection) -> None:
        """A collection keeps the configuration it was created with; of the HNSW knobs only ef_search can change
        later, so an existing index follows the setting (applied when the index loads, i.e. before this process's
        first query). ef_construction and max_neighbors apply to indexes created after they change."""
        stored = (collection.configuration or {}).get("hnsw") or {}
        if stored.get("ef_search") not in (None, self.hnsw.ef_search):
            collection.modify(configuration={"hnsw": {"ef_search": self.hnsw.ef_search}})

    def reopen(self) -> None:
        """Close the connection and drop the collection handle; the next call opens both again. Chroma applies
        changed HNSW settings (e.g. ef_search) only when it loads the index."""
        with self._lock:
            self._collection = None
        self.connection.close()

    def upsert(self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[Mapping[str, MetadataValue]]) -> None:
        if not ids:
            return
        collection = self.collection()
        step = max(1, min(5000, self.connection.client().get_max_batch_size()))
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=list(ids[start:end]),
                embeddings=np.ascontiguousarray(vectors[start:end], dtype=np.float32),
                metadatas=[dict(m) for m in metadatas[start:end]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            collection = self.collection()
            for start in range(0, len(ids), 5000):
                collection.delete(ids=list(ids[start : start + 5000]))

    def ids(self) -> set[str]:
        collection = self.collection()
        out: set[str] = set()
        page = 10_000
        offset = 0
        while True:
            batch = collection.get(include=[], limit=page, offset=offset)["ids"]
            out.update(batch)
            if len(batch) < page:
                return out
            offset += page

    def count(self) -> int:
        return self.collection().count()

    def query(self, vector: Vectors, k: int, filters: SearchFilters | None = None) -> list[VectorMatch]:
        if k <= 0:
            return []
        # Chroma returns what it has when k exceeds the collection (nothing when it is empty).
        result = self.collection().query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=k,
            where=chroma_where(filters),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        # Chroma's cosine distance is 1 - cosine similarity.
        return [VectorMatch(id=i, similarity=1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, Vectors]:
        collection = self.collection()
        out: dict[str, Vectors] = {}
        for start in range(0, len(ids), 5000):
            got = collection.get(ids=list(ids[start : start + 5000]), include=["embeddings"])
            embeddings = got["embeddings"]
            if embeddings is None:
                continue
            for i, vector in zip(got["ids"], embeddings, strict=True):
                out[i] = np.asarray(vector, dtype=np.float32)
        return out
