"""Retrieval quality: recall@1, recall@5 and MRR of dense, BM25 and hybrid search over the bundled help center
and Kanboard's documentation, plus how the "I don't know" threshold splits answerable from unanswerable questions.

Each corpus is ingested with the real pipeline into a temporary data dir. A question counts as found at rank r
when the r-th distinct document returned is one of its `relevant` pages (paths relative to the corpus root).
Tune on the *_dev files only; report the *_test files (evals/data/retrieval/README.md).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from api.wiring import Services, build_services
from retrieval.hybrid import Method
from settings import BUNDLED_DOCS, Settings

DATA = Path(__file__).resolve().parent / "data" / "retrieval"
OUT = Path(__file__).resolve().parent / "out"
BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
METHODS: tuple[Method, ...] = ("dense", "bm25", "hybrid")
Split = Literal["dev", "test"]


@dataclass(frozen=True)
class Question:
    question: str
    lang: str
    relevant: tuple[str, ...] = ()
    crosslingual: bool = False


def load_questions(path: Path) -> list[Question]:
    """The questions of one JSONL file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(
                Question(row["question"], row["lang"], tuple(row.get("relevant", ())), bool(row.get("crosslingual")))
            )
    return out


@dataclass(frozen=True)
class Scores:
    """Recall@1, recall@5 and mean reciprocal rank (over the first 10 documents) of `n` questions."""

    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float


def score(ranks: Sequence[int | None]) -> Scores:
    """Scores from the 1-based rank of the first relevant document of each question (None: not in the top 10)."""
    n = len(ranks)
    if n == 0:
        return Scores(0, 0.0, 0.0, 0.0)
    return Scores(
        n=n,
        recall_at_1=round(sum(1 for r in ranks if r == 1) / n, 4),
        recall_at_5=round(sum(1 for r in ranks if r is not None and r <= 5) / n, 4),
        mrr=round(sum(1 / r for r in ranks if r is not None) / n, 4),
    )


@dataclass
class CorpusResult:
    """Everything measured on one corpus and question file."""

    corpus: str
    questions_file: str
    methods: dict[str, Scores]
    crosslingual: dict[str, Scores]
    misses: list[dict[str, Any]] = field(default_factory=list)
    threshold: dict[str, float] | None = None


def first_relevant_rank(services: Services, root: Path, q: Question, method: Method, depth: int = 10) -> int | None:
    """Rank of the first relevant document among the `depth` best distinct documents, or None."""
    result = services.searcher.search(q.question, top_k=depth, method=method, per_source=1)
    for rank, hit in enumerate(result.hits, start=1):
        if Path(hit.passage.source).relative_to(root).as_posix() in q.relevant:
            return rank
    return None


def threshold_figures(
    services: Services, answerable: Sequence[Question], unanswerable: Sequence[Question]
) -> dict[str, float]:
    """At the configured threshold: share of unanswerable questions refused, share of answerable ones refused."""
    threshold = services.settings.relevance_threshold
    best = [services.searcher.search(q.question, top_k=1).relevance for q in answerable]
    worst = [services.searcher.search(q.question, top_k=1).relevance for q in unanswerable]
    return {
        "threshold": threshold,
        "unanswerable_rejection_rate": round(sum(1 for s in worst if s < threshold) / max(len(worst), 1), 4),
        "answerable_false_idk_rate": round(sum(1 for s in best if s < threshold) / max(len(best), 1), 4),
        "answerable": len(best),
        "unanswerable": len(worst),
    }


def evaluate_corpus(
    services: Services, corpus: str, root: Path, questions_file: Path, unanswerable_file: Path | None = None
) -> CorpusResult:
    """Ingest `root` (if not yet) and measure every method on `questions_file`."""
    questions = load_questions(questions_file)
    methods: dict[str, Scores] = {}
    crosslingual: dict[str, Scores] = {}
    misses: list[dict[str, Any]] = []
    for method in METHODS:
        ranks = [first_relevant_rank(services, root, q, method) for q in questions]
        methods[method] = score(ranks)
        crosslingual[method] = score([r for r, q in zip(ranks, questions, strict=True) if q.crosslingual])
        if method == "hybrid":
            misses = [
                {"question": q.question, "rank": r, "relevant": list(q.relevant)}
                for r, q in zip(ranks, questions, strict=True)
                if r != 1
            ]
    result = CorpusResult(corpus, questions_file.name, methods, crosslingual, misses)
    if unanswerable_file is not None:
        result.threshold = threshold_figures(services, questions, load_questions(unanswerable_file))
    return result


def corpora(split: Split, benchmarks: Path) -> list[tuple[str, Path, Path, Path | None]]:
    """(name, root, questions, unanswerable) for each corpus measured on `split`."""
    runs: list[tuple[str, Path, Path, Path | None]] = [
        ("bundled", BUNDLED_DOCS, DATA / f"bundled_{split}.jsonl", DATA / f"unanswerable_{split}.jsonl"),
        ("kanboard", benchmarks / "kanboard_docs" / "en", DATA / f"kanboard_{split}.jsonl", None),
    ]
    if split == "test":
        runs.append(("kanboard_zh", benchmarks / "kanboard_docs_zh", DATA / "kanboard_zh.jsonl", None))
    return runs


def run(split: Split = "test", benchmarks: Path = BENCHMARKS, **overrides: Any) -> list[CorpusResult]:
    """Measure every corpus of `split` with the default settings changed by `overrides` (e.g. rrf_k=30)."""
    results = []
    for name, root, questions, unanswerable in corpora(split, benchmarks):
        if not root.is_dir():
            raise FileNotFoundError(f"{root} is missing: the benchmarks live in ../shared/benchmarks beside the repo")
        with tempfile.TemporaryDirectory(prefix="qiao-eval-") as tmp:
            settings = Settings(data_dir=Path(tmp), _env_file=None, **overrides)
            services = build_services(settings)
            try:
                services.db.migrate()
                services.ingestor.ingest_paths([root])
                results.append(evaluate_corpus(services, name, root, questions, unanswerable))
            finally:
                services.close()
    return results


def markdown(results: Sequence[CorpusResult], split: str, command: str) -> str:
    """The results as a Markdown report."""
    lines = [f"# Retrieval eval ({split})", "", f"Command: `{command}`", ""]
    lines += ["| corpus | questions | method | n | recall@1 | recall@5 | MRR |", "|---|---|---|---|---|---|---|"]
    for r in results:
        for method, s in r.methods.items():
            lines.append(
                f"| {r.corpus} | {r.questions_file} | {method} | {s.n} | {s.recall_at_1:.3f} | "
                f"{s.recall_at_5:.3f} | {s.mrr:.3f} |"
            )
    lines += ["", "Cross-lingual questions only:", ""]
    lines += ["| corpus | method | n | recall@1 | recall@5 | MRR |", "|---|---|---|---|---|---|"]
    for r in results:
        for method, s in r.crosslingual.items():
            if s.n:
                lines.append(
                    f"| {r.corpus} | {method} | {s.n} | {s.recall_at_1:.3f} | {s.recall_at_5:.3f} | {s.mrr:.3f} |"
                )
    for r in results:
        if r.threshold:
            t = r.threshold
            lines += [
                "",
                f"Threshold {t['threshold']} on {r.corpus}: unanswerable rejected "
                f"{t['unanswerable_rejection_rate']:.3f} (of {int(t['unanswerable'])}), answerable wrongly refused "
                f"{t['answerable_false_idk_rate']:.3f} (of {int(t['answerable'])}).",
            ]
    return "\n".join(lines) + "\n"


def write(results: Sequence[CorpusResult], split: str, command: str, out: Path = OUT) -> tuple[Path, Path]:
    """Write retrieval_<split>.json and .md under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"retrieval_{split}.json"
    md_path = out / f"retrieval_{split}.md"
    payload = {"split": split, "command": command, "results": [asdict(r) for r in results]}
    json_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown(results, split, command), encoding="utf-8")
    return json_path, md_path
