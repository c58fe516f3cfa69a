"""`qiao eval intents`: intent accuracy, macro-F1, per-intent and per-language figures, per-slot P/R/F1 and
exact match, out-of-scope precision/recall and parse latency, on the held-out test set."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evals.scoring import PRF, confusion, per_class, percentile_ms, prf, slot_matches
from intents.directory import Directory, Entry
from intents.parser import Parser
from intents.training import Example, read_examples
from intents.types import Intent, ParseResult

EVAL_DIR = Path(__file__).parent
TEST_FILE = EVAL_DIR / "data" / "intents" / "test.jsonl"
WORKSPACE = EVAL_DIR.parent / "knowledge" / "demo" / "workspace.json"
# The reference time every relative date in the labelled data was resolved against (a Tuesday).
EVAL_NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SLOTS = ("title", "assignee", "project", "due", "priority", "status", "kind")
LABELS = [i.value for i in Intent]


def demo_directory(caller_key: str = "zhaomin") -> Directory:
    """The demo workspace as a directory, ids in load order (as a fresh `qiao demo load` assigns them)."""
    data = json.loads(WORKSPACE.read_text(encoding="utf-8"))
    people = tuple(Entry(i, m["name"], tuple(m["aliases"])) for i, m in enumerate(data["members"], 1))
    projects = tuple(
        Entry(i, p["name"], (p.get("name_en") or "", p["key"], *p["aliases"]))
        for i, p in enumerate(data["projects"], 1)
    )
    caller = next(i for i, m in enumerate(data["members"], 1) if m["key"] == caller_key)
    return Directory(people=people, projects=projects, caller_id=caller)


@dataclass
class IntentReport:
    n: int
    accuracy: float
    accuracy_by_language: dict[str, float]
    macro_f1: float
    per_intent: dict[str, PRF]
    per_slot: dict[str, PRF]
    slot_exact_match: float
    title_exact: float
    oos: PRF
    latency_p50_ms: float
    latency_p95_ms: float
    confusion: list[list[int]]
    labels: list[str]
    errors: list[dict[str, Any]]


def _slot_value(result: ParseResult, name: str) -> str | None:
    value = getattr(result.slots, name)
    return None if value is None else str(value)


def evaluate(parser: Parser, examples: list[Example], directory: Directory | None = None) -> IntentReport:
    """Parse every example as of EVAL_NOW and score intents and slots against the labels."""
    directory = directory or demo_directory()
    parser.parse("warm up", EVAL_NOW, directory)
    results: list[ParseResult] = []
    timings: list[float] = []
    for ex in examples:
        start = time.perf_counter()
        results.append(parser.parse(ex.text, EVAL_NOW, directory))
        timings.append(time.perf_counter() - start)
    gold = [ex.intent for ex in examples]
    pred = [r.intent.value for r in results]
    by_lang: dict[str, list[bool]] = {}
    for ex, predicted in zip(examples, pred, strict=True):
        by_lang.setdefault(ex.lang, []).append(ex.intent == predicted)
    counts = {s: [0, 0, 0] for s in SLOTS}
    exact_hits, exact_total, title_hits, title_total = 0, 0, 0, 0
    errors: list[dict[str, Any]] = []
    for ex, r in zip(examples, results, strict=True):
        wrong: dict[str, Any] = {}
        for s in SLOTS:
            g, p = ex.slots.get(s), _slot_value(r, s)
            ok = g is not None and p is not None and slot_matches(s, g, p, directory)
            if ok:
                counts[s][0] += 1
            else:
                if p is not None:
                    counts[s][1] += 1
                if g is not None:
                    counts[s][2] += 1
                if g is not None or p is not None:
                    wrong[s] = {"gold": g, "pred": p}
        if gold_title := ex.slots.get("title"):
            title_total += 1
            title_hits += r.slots.title is not None and gold_title.strip() == r.slots.title.strip()
        if ex.intent not in (Intent.ask_howto, Intent.chitchat, Intent.out_of_scope):
            exact_total += 1
            exact_hits += not wrong
        if wrong or ex.intent != r.intent.value:
            errors.append({"text": ex.text, "gold": ex.intent, "pred": r.intent.value, "slots": wrong})
    per_intent = per_class(gold, pred, LABELS)
    return IntentReport(
        n=len(examples),
        accuracy=round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(examples), 4),
        accuracy_by_language={k: round(sum(v) / len(v), 4) for k, v in sorted(by_lang.items())},
        macro_f1=round(sum(x.f1 for x in per_intent.values()) / len(per_intent), 4),
        per_intent=per_intent,
        per_slot={s: prf(*c) for s, c in counts.items()},
        slot_exact_match=round(exact_hits / exact_total, 4) if exact_total else 0.0,
        title_exact=round(title_hits / title_total, 4) if title_total else 0.0,
        oos=per_intent[Intent.out_of_scope.value],
        latency_p50_ms=percentile_ms(timings, 50),
        latency_p95_ms=percentile_ms(timings, 95),
        confusion=confusion(gold, pred, LABELS),
        labels=LABELS,
        errors=errors,
    )


def markdown(report: IntentReport, title: str) -> str:
    lines = [
        f"# {title}",
        "",
        f"n = {report.n}; accuracy {report.accuracy:.3f}; macro-F1 {report.macro_f1:.3f}; "
        f"slot exact match {report.slot_exact_match:.3f}; parse p50 {report.latency_p50_ms} ms, "
        f"p95 {report.latency_p95_ms} ms",
        "",
        "| language | accuracy |",
        "|---|---|",
        *[f"| {k} | {v:.3f} |" for k, v in report.accuracy_by_language.items()],
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {v.precision:.3f} | {v.recall:.3f} | {v.f1:.3f} | {v.support} |"
            for k, v in report.per_intent.items()
        ],
        "",
        "| slot | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {v.precision:.3f} | {v.recall:.3f} | {v.f1:.3f} | {v.support} |"
            for k, v in report.per_slot.items()
        ],
        "",
        f"Titles compare after folding case, width and punctuation, or at >= 85% character similarity; "
        f"strictly equal titles: {report.title_exact:.3f}.",
    ]
    return "\n".join(lines) + "\n"


def write(report: IntentReport, out_dir: Path, name: str, title: str) -> None:
    """JSON, Markdown and a confusion-matrix PNG under out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / f"{name}.md").write_text(markdown(report, title), encoding="utf-8")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 6))
    ax.imshow(report.confusion, cmap="Blues")
    ax.set_xticks(range(len(report.labels)), report.labels, rotation=45, ha="right")
    ax.set_yticks(range(len(report.labels)), report.labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(report.confusion):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(out_dir / f"{name}-confusion.png", dpi=110)
    plt.close(fig)


def load_test(path: Path = TEST_FILE) -> list[Example]:
    return read_examples(path)
