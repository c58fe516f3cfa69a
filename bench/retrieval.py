"""Retrieval speed and scale, printed as a table (`python -m bench.retrieval`, or `make bench`).

1. Ingest throughput: the whole pipeline (read, chunk, tokenize, embed, Chroma upsert, SQLite write) on the
   bundled help center plus Kanboard's docs, against the embedder's raw encode rate on exactly the texts ingest
   embeds. The ratio says how much of ingest time is the model's.
2. Query latency (p50/p95 of hybrid search, end to end) at 1k, 10k and 100k chunks.
3. HNSW recall@10 against exact (brute-force cosine) search at the same sizes.

Large corpora are synthesised from the real chunks: each synthetic chunk drops some words of a real chunk and
splices in a sentence of another; its vector is the same mix of the two real vectors plus a little noise
(embedding 100k texts would take the encoder ~10 minutes and measure nothing new). Near-duplicates make
HNSW's job harder than real data would.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from api.wiring import Services, build_services
from evals.retrieval import BENCHMARKS, DATA, load_questions
from knowledge.chunking import Chunker, passage_text
from knowledge.documents import StoredChunk
from knowledge.loaders import LoadedDocument, load
from retrieval.chroma_store import ChromaStore
from retrieval.embedder import UseEmbedder
from retrieval.passages import Passage
from retrieval.tokens import tokenize
from settings import BUNDLED_DOCS, Settings

SIZES = (1_000, 10_000, 100_000)
CHUNKS_PER_DOC = 20


def _services(tmp: Path, **overrides: object) -> Services:
    services = build_services(Settings(data_dir=tmp, _env_file=None, **overrides))  # type: ignore[arg-type]
    services.db.migrate()
    return services


def _corpus_roots() -> list[Path]:
    return [BUNDLED_DOCS, BENCHMARKS / "kanboard_docs" / "en"]


def _documents(roots: Sequence[Path]) -> list[LoadedDocument]:
    files = [f for root in roots for f in sorted(root.rglob("*")) if f.suffix in (".md", ".markdown")]
    return [load(str(f), f.read_bytes()) for f in files]


def ingest_throughput(tmp: Path, **hnsw: int) -> dict[str, float]:
    """Chunks per second of raw encoding and of a full ingest of the same documents."""
    services = _services(tmp / "ingest", **hnsw)
    try:
        embedder = services.ingestor.embedder
        chunker: Chunker = services.ingestor.chunker
        texts = [
            passage_text(d.title, c.section, c.searchable)
            for d in _documents(_corpus_roots())
            for c in chunker.split(d)
        ]
        embedder.encode(texts[:64])  # load the model, jieba and Chroma before either clock starts
        tokenize("预热 warm up")
        services.ingestor.store.count()
        start = time.perf_counter()
        embedder.encode(texts)
        raw = len(texts) / (time.perf_counter() - start)
        start = time.perf_counter()
        report = services.ingestor.ingest_paths(_corpus_roots())
        full = report.chunks_embedded / (time.perf_counter() - start)
        return {"chunks": float(len(texts)), "raw_per_s": raw, "ingest_per_s": full, "ratio": full / raw}
    finally:
        services.close()


def _real_chunks(services: Services) -> tuple[list[Passage], list[list[str]], npt.NDArray[np.float32]]:
    services.ingestor.ingest_paths(_corpus_roots())
    snapshot = services.documents.snapshot()
    passages = list(snapshot.passages)
    vectors = services.ingestor.embedder.encode([services.documents.embedding_text(p) for p in passages])
    return passages, [list(t) for t in snapshot.tokens], vectors


def _synthesise(
    n: int,
    start: int,
    passages: Sequence[Passage],
    tokens: Sequence[Sequence[str]],
    vectors: npt.NDArray[np.float32],
    rng: np.random.Generator,
) -> tuple[list[StoredChunk], list[Passage], npt.NDArray[np.float32]]:
    chunks: list[StoredChunk] = []
    metas: list[Passage] = []
    out = np.empty((n, vectors.shape[1]), dtype=np.float32)
    for j in range(n):
        a, b = rng.integers(0, len(passages), size=2)
        words = passages[a].text.split()
        keep = [w for w in words if rng.random() > 0.15] or words
        splice = passages[b].text.split("。")[0].split(". ")[0]
        text = " ".join(keep) + " " + splice
        noise = np.asarray(rng.normal(0.0, 0.02, size=vectors.shape[1]), dtype=np.float32)
        vector = 0.8 * vectors[a] + 0.2 * vectors[b] + noise
        out[j] = vector / np.linalg.norm(vector)
        vector_id = f"synthetic-{start + j:07d}"
        toks = [t for t in tokens[a] if rng.random() > 0.15] + list(tokens[b][:8])
        chunks.append(StoredChunk(j % CHUNKS_PER_DOC, vector_id, passages[a].section, text, False, " ".join(toks)))
        p = passages[a]
        metas.append(Passage(vector_id, p.source, p.title, p.section, p.language, p.updated, ""))
    return chunks, metas, out


@dataclass
class _Growing:
    """The synthetic corpus built so far, and the real chunks it is made from."""

    passages: list[Passage]
    tokens: list[list[str]]
    vectors: npt.NDArray[np.float32]
    rng: np.random.Generator
    size: int = 0
    written: list[npt.NDArray[np.float32]] = field(default_factory=list)


def _grow(services: Services, store: ChromaStore, target: int, state: _Growing) -> None:
    now = dt.datetime.now(dt.UTC)
    while state.size < target:
        n = min(5_000, target - state.size)
        chunks, metas, vecs = _synthesise(n, state.size, state.passages, state.tokens, state.vectors, state.rng)
        store.upsert([c.vector_id for c in chunks], vecs, [m.metadata() for m in metas])
        for d in range(0, n, CHUNKS_PER_DOC):
            group = chunks[d : d + CHUNKS_PER_DOC]
            meta = metas[d]
            document = LoadedDocument(
                f"synthetic/{state.size + d:07d}", meta.title, meta.language, None, "markdown", ""
            )
            services.documents.replace(document, "synthetic", group, now)
        state.written.append(vecs)
        state.size += n


def scale(tmp: Path, queries: int, ef_values: Sequence[int], **hnsw: int) -> list[dict[str, float]]:
    """Latency and HNSW recall at each size in SIZES (`hnsw`: hnsw_ef_construction, hnsw_max_neighbors)."""
    services = _services(tmp / "scale", **hnsw)
    rows: list[dict[str, float]] = []
    try:
        store = services.searcher.store
        assert isinstance(store, ChromaStore)
        real = _real_chunks(services)
        # Start from an empty corpus of synthetic chunks only, so each size is exactly that many.
        services.documents.remove(list(services.documents.documents()))
        store.delete(sorted(store.ids()))
        questions = [
            q.question for name in ("bundled_dev", "kanboard_dev") for q in load_questions(DATA / f"{name}.jsonl")
        ]
        questions = (questions * (queries // len(questions) + 1))[:queries]
        query_vectors = services.ingestor.embedder.encode(questions)
        embedder = services.searcher.embedder
        if isinstance(embedder, UseEmbedder):
            embedder.without_cache()  # the questions repeat: every timed search embeds its question
        state = _Growing(*real, rng=np.random.default_rng(7))
        for size in SIZES:
            start = time.perf_counter()
            _grow(services, store, size, state)
            build_s = time.perf_counter() - start
            services.searcher.search("warm up 预热", top_k=5)  # build BM25 for this size outside the clock
            latencies = []
            for q in questions:
                t = time.perf_counter()
                services.searcher.search(q, top_k=5)
                latencies.append((time.perf_counter() - t) * 1000)
            latencies.sort()
            matrix = np.vstack(state.written)
            ids = np.array([f"synthetic-{i:07d}" for i in range(matrix.shape[0])])
            exact = np.argsort(-(query_vectors @ matrix.T), axis=1)[:, :10]
            row: dict[str, float] = {
                "chunks": float(size),
                "build_s": build_s,
                "p50_ms": statistics.median(latencies),
                "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
            }
            for ef in ef_values:
                store.hnsw = dataclasses.replace(store.hnsw, ef_search=ef)
                store.reopen()  # the collection takes the store's ef_search when it is opened again
                hits = 0
                for qv, truth in zip(query_vectors, exact, strict=True):
                    got = {m.id for m in store.query(qv, 10)}
                    hits += len(got & set(ids[truth]))
                row[f"recall@10_ef{ef}"] = hits / (10 * len(query_vectors))
            store.hnsw = dataclasses.replace(store.hnsw, ef_search=services.settings.hnsw_ef_search)
            store.reopen()
            rows.append(row)
            print(_fmt(row), flush=True)
    finally:
        services.close()
    return rows


def _fmt(row: dict[str, float]) -> str:
    return "  ".join(f"{k}={v:,.3f}" if isinstance(v, float) and v < 100 else f"{k}={v:,.0f}" for k, v in row.items())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Retrieval speed and scale. 检索速度与规模基准。")
    parser.add_argument("--queries", type=int, default=200, help="Queries per size for latency and recall.")
    parser.add_argument("--skip-scale", action="store_true", help="Only measure ingest throughput.")
    parser.add_argument("--ingest-runs", type=int, default=3, help="Ingest throughput runs (the median is reported).")
    parser.add_argument("--ef", type=int, nargs="+", default=[20, 50, 100], help="HNSW ef_search values to try.")
    parser.add_argument("--ef-construction", type=int, default=None, help="Override QIAO_HNSW_EF_CONSTRUCTION.")
    parser.add_argument("--max-neighbors", type=int, default=None, help="Override QIAO_HNSW_MAX_NEIGHBORS.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qiao-bench-") as tmp:
        given = {"hnsw_ef_construction": args.ef_construction, "hnsw_max_neighbors": args.max_neighbors}
        hnsw = {k: v for k, v in given.items() if v is not None}
        # The ratio moves by several points with whatever else the machine runs: measure it a few times.
        ratios = []
        for run in range(args.ingest_runs):
            t = ingest_throughput(Path(tmp) / f"run{run}", **hnsw)
            ratios.append(t["ratio"])
            print(
                f"ingest: {t['chunks']:.0f} chunks  raw encode {t['raw_per_s']:.1f}/s  "
                f"full ingest {t['ingest_per_s']:.1f}/s  ratio {t['ratio']:.2f}",
                flush=True,
            )
        print(f"ingest ratio median of {len(ratios)}: {statistics.median(ratios):.2f}", flush=True)
        if not args.skip_scale:
            print("size      build     p50 / p95 hybrid query     HNSW recall@10 vs exact", flush=True)
            scale(Path(tmp), args.queries, args.ef, **hnsw)


if __name__ == "__main__":
    main()
