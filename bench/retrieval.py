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
from retrieval.sentences import passage_sentences, sentence_ids, sentence_texts
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


def ingest_throughput(tmp: Path, **overrides: float) -> dict[str, float]:
    """Chunks per second of raw encoding and of a full ingest of the same documents. Raw encoding covers exactly
    the texts ingest embeds: each chunk and, with sentence vectors on, each sentence of it."""
    services = _services(tmp / "ingest", **overrides)
    try:
        embedder = services.ingestor.embedder
        chunker: Chunker = services.ingestor.chunker
        chunks = [(d, c) for d in _documents(_corpus_roots()) for c in chunker.split(d)]
        texts = [passage_text(d.title, c.section, c.searchable) for d, c in chunks]
        if services.ingestor.sentences is not None:
            texts += [t for d, c in chunks for t in sentence_texts(d.title, c.section, c.searchable)]
        embedder.encode(texts[:64])  # load the model, jieba and Chroma before either clock starts
        tokenize("预热 warm up")
        services.ingestor.store.count()
        start = time.perf_counter()
        embedder.encode(texts)
        raw_s = time.perf_counter() - start
        start = time.perf_counter()
        report = services.ingestor.ingest_paths(_corpus_roots())
        full_s = time.perf_counter() - start
        assert report.chunks_embedded == len(chunks)
        return {
            "chunks": float(len(chunks)),
            "texts": float(len(texts)),
            "raw_per_s": len(chunks) / raw_s,
            "ingest_per_s": len(chunks) / full_s,
            "ratio": raw_s / full_s,
        }
    finally:
        services.close()


def _real_chunks(
    services: Services,
) -> tuple[list[Passage], list[list[str]], npt.NDArray[np.float32], list[npt.NDArray[np.float32]]]:
    """The real chunks, their BM25 tokens, their vectors, and each one's sentence vectors."""
    services.ingestor.ingest_paths(_corpus_roots())
    snapshot = services.documents.snapshot()
    passages = list(snapshot.passages)
    embedder = services.ingestor.embedder
    vectors = embedder.encode([services.documents.embedding_text(p) for p in passages])
    sentences = [passage_sentences(p) for p in passages]
    flat = embedder.encode([t for texts in sentences for t in texts])
    ends = np.cumsum([len(texts) for texts in sentences])
    per_passage = [flat[end - len(texts) : end] for texts, end in zip(sentences, ends, strict=True)]
    return passages, [list(t) for t in snapshot.tokens], vectors, per_passage


def _synthesise(
    n: int,
    start: int,
    passages: Sequence[Passage],
    tokens: Sequence[Sequence[str]],
    vectors: npt.NDArray[np.float32],
    sentence_vectors: Sequence[npt.NDArray[np.float32]],
    rng: np.random.Generator,
) -> tuple[list[StoredChunk], list[Passage], npt.NDArray[np.float32], list[npt.NDArray[np.float32]]]:
    """`n` synthetic chunks with their passages, vectors and sentence vectors (as many as the synthetic text has
    sentences, each a real sentence vector of the chunk it comes from, mixed the same way)."""
    chunks: list[StoredChunk] = []
    metas: list[Passage] = []
    out = np.empty((n, vectors.shape[1]), dtype=np.float32)
    sentences: list[npt.NDArray[np.float32]] = []
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
        count = len(passage_sentences(dataclasses.replace(p, text=text)))
        real = sentence_vectors[a] if len(sentence_vectors[a]) else vectors[a : a + 1]
        mixed = 0.8 * real[np.arange(count) % len(real)] + 0.2 * vectors[b]
        mixed += rng.normal(0.0, 0.02, size=mixed.shape).astype(np.float32)
        sentences.append(mixed / np.linalg.norm(mixed, axis=1, keepdims=True))
    return chunks, metas, out, sentences


@dataclass
class _Growing:
    """The synthetic corpus built so far, and the real chunks it is made from."""

    passages: list[Passage]
    tokens: list[list[str]]
    vectors: npt.NDArray[np.float32]
    sentence_vectors: list[npt.NDArray[np.float32]]
    rng: np.random.Generator
    size: int = 0
    written: list[npt.NDArray[np.float32]] = field(default_factory=list)
    sentence_ids: list[str] = field(default_factory=list)
    sentences_written: list[npt.NDArray[np.float32]] = field(default_factory=list)


def _grow(services: Services, store: ChromaStore, target: int, state: _Growing) -> None:
    now = dt.datetime.now(dt.UTC)
    while state.size < target:
        n = min(5_000, target - state.size)
        chunks, metas, vecs, sentences = _synthesise(
            n, state.size, state.passages, state.tokens, state.vectors, state.sentence_vectors, state.rng
        )
        store.upsert([c.vector_id for c in chunks], vecs, [m.metadata() for m in metas])
        sentence_store = services.ingestor.sentences
        if sentence_store is not None:
            ids = [i for m, v in zip(metas, sentences, strict=True) for i in sentence_ids(m.vector_id, len(v))]
            metadatas = [m.filter_metadata() for m, v in zip(metas, sentences, strict=True) for _ in v]
            stacked = np.vstack(sentences)
            sentence_store.upsert(ids, stacked, metadatas)
            state.sentence_ids.extend(ids)
            state.sentences_written.append(stacked)
        for d in range(0, n, CHUNKS_PER_DOC):
            group = chunks[d : d + CHUNKS_PER_DOC]
            meta = metas[d]
            document = LoadedDocument(
                f"synthetic/{state.size + d:07d}", meta.title, meta.language, None, "markdown", ""
            )
            services.documents.replace(document, "synthetic", group, now)
        state.written.append(vecs)
        state.size += n


def scale(tmp: Path, queries: int, ef_values: Sequence[int], **overrides: float) -> list[dict[str, float]]:
    """Latency and HNSW recall at each size in SIZES (`overrides`: settings such as hnsw_max_neighbors)."""
    services = _services(tmp / "scale", **overrides)
    rows: list[dict[str, float]] = []
    try:
        store = services.searcher.store
        assert isinstance(store, ChromaStore)
        real = _real_chunks(services)
        # Start from an empty corpus of synthetic chunks only, so each size is exactly that many.
        services.documents.remove(list(services.documents.documents()))
        store.delete(sorted(store.ids()))
        if services.ingestor.sentences is not None:
            services.ingestor.sentences.delete(sorted(services.ingestor.sentences.ids()))
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
                _reopen(services, store)  # the collection takes the store's ef_search when it is opened again
                hits = 0
                for qv, truth in zip(query_vectors, exact, strict=True):
                    got = {m.id for m in store.query(qv, 10)}
                    hits += len(got & set(ids[truth]))
                row[f"recall@10_ef{ef}"] = hits / (10 * len(query_vectors))
            store.hnsw = dataclasses.replace(store.hnsw, ef_search=services.settings.hnsw_ef_search)
            _reopen(services, store)
            sentence_store = services.ingestor.sentences
            if isinstance(sentence_store, ChromaStore) and state.sentence_ids:
                row["sentence_recall@10"] = _recall_at_10(
                    sentence_store, query_vectors, np.vstack(state.sentences_written), state.sentence_ids
                )
            rows.append(row)
            print(_fmt(row), flush=True)
    finally:
        services.close()
    return rows


def _recall_at_10(
    store: ChromaStore, queries: npt.NDArray[np.float32], matrix: npt.NDArray[np.float32], ids: Sequence[str]
) -> float:
    """Share of the exact 10 nearest rows of `matrix` that `store`'s HNSW search returns, over `queries`."""
    hits = 0
    for query in queries:
        similarity = matrix @ query
        truth = {ids[i] for i in np.argpartition(-similarity, 10)[:10]}
        hits += len({m.id for m in store.query(query, 10)} & truth)
    return hits / (10 * len(queries))


def _reopen(services: Services, store: ChromaStore) -> None:
    """Reopen `store`; the sentence store shares its connection, so its collection handle is dropped as well."""
    store.reopen()
    sentences = services.ingestor.sentences
    if isinstance(sentences, ChromaStore):
        sentences.reopen()


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
    parser.add_argument("--sentence-share", type=float, default=None, help="Override QIAO_SENTENCE_SHARE.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qiao-bench-") as tmp:
        given = {
            "hnsw_ef_construction": args.ef_construction,
            "hnsw_max_neighbors": args.max_neighbors,
            "sentence_share": args.sentence_share,
        }
        hnsw = {k: v for k, v in given.items() if v is not None}
        # The ratio moves by several points with whatever else the machine runs: measure it a few times.
        ratios = []
        for run in range(args.ingest_runs):
            t = ingest_throughput(Path(tmp) / f"run{run}", **hnsw)
            ratios.append(t["ratio"])
            print(
                f"ingest: {t['chunks']:.0f} chunks ({t['texts']:.0f} texts)  raw encode {t['raw_per_s']:.1f}/s  "
                f"full ingest {t['ingest_per_s']:.1f}/s  ratio {t['ratio']:.2f}",
                flush=True,
            )
        print(f"ingest ratio median of {len(ratios)}: {statistics.median(ratios):.2f}", flush=True)
        if not args.skip_scale:
            print("size      build     p50 / p95 hybrid query     HNSW recall@10 vs exact", flush=True)
            scale(Path(tmp), args.queries, args.ef, **hnsw)


if __name__ == "__main__":
    main()
