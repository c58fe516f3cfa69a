"""`qiao eval benchmarks`: understanding measured on public data nobody here wrote (../shared/benchmarks):

- CLINC150: its out-of-scope test set must be rejected; its to-do, reminder and meeting intents read as
  create_task; its other 147 intents (banking, travel, smart home…) are out of scope for a PM assistant.
- xSID 0.7 (Chinese and English test splits): set_reminder is create_task with a due date; weather, alarm,
  music, restaurant, film and book requests are out of scope.
Only test splits are scored; nothing here is trained or tuned on them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.intents import EVAL_NOW, demo_directory
from intents.dates import parse_due
from intents.parser import Parser
from intents.types import Intent

CLINC_TASK_INTENTS = frozenset({"todo_list_update", "reminder_update", "meeting_schedule"})
# Close enough to project work that a PM assistant may fairly take them; scored apart from the rest.
CLINC_ADJACENT = frozenset({"todo_list", "reminder", "calendar", "calendar_update", "schedule_meeting"})
XSID_OOS_PREFIXES = (
    "weather/",
    "alarm/",
    "PlayMusic",
    "AddToPlaylist",
    "BookRestaurant",
    "SearchScreeningEvent",
    "SearchCreativeWork",
    "RateBook",
)


@dataclass
class ClincReport:
    oos_test_rejection: float
    task_intents_create_task_recall: float
    task_intents_false_reject: float
    other_intents_rejection: float
    adjacent_intents_rejection: float
    n_oos_test: int
    n_task: int
    n_other: int


@dataclass
class XsidReport:
    language: str
    set_reminder_create_task_recall: float
    due_found: float
    due_accuracy: float
    out_of_scope_rejection: float
    reminder_other: dict[str, dict[str, int]]
    n_set_reminder: int
    n_out_of_scope: int


def _rate(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def clinc(parser: Parser, path: Path) -> ClincReport:
    data = json.loads(path.read_text(encoding="utf-8"))
    directory = demo_directory()

    def intent(text: str) -> Intent:
        return parser.classify(text).intent

    oos = [intent(t) for t, _ in data["oos_test"]]
    task = [intent(t) for t, label in data["test"] if label in CLINC_TASK_INTENTS]
    other = [intent(t) for t, label in data["test"] if label not in CLINC_TASK_INTENTS | CLINC_ADJACENT]
    adjacent = [intent(t) for t, label in data["test"] if label in CLINC_ADJACENT]
    del directory
    return ClincReport(
        oos_test_rejection=_rate(sum(i is Intent.out_of_scope for i in oos), len(oos)),
        task_intents_create_task_recall=_rate(sum(i is Intent.create_task for i in task), len(task)),
        task_intents_false_reject=_rate(sum(i is Intent.out_of_scope for i in task), len(task)),
        other_intents_rejection=_rate(sum(i is Intent.out_of_scope for i in other), len(other)),
        adjacent_intents_rejection=_rate(sum(i is Intent.out_of_scope for i in adjacent), len(adjacent)),
        n_oos_test=len(oos),
        n_task=len(task),
        n_other=len(other),
    )


def xsid(parser: Parser, path: Path, language: str) -> XsidReport:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    directory = demo_directory()
    reminders = [r for r in rows if r["intent"] == "reminder/set_reminder"]
    hits = due_found = due_right = due_total = 0
    for row in reminders:
        result = parser.parse(row["text"], EVAL_NOW, directory)
        hits += result.intent is Intent.create_task
        gold = next((s["value"] for s in row["slots"] if s["slot"] == "datetime"), None)
        if gold is not None:
            due_total += 1
            due_found += result.slots.due is not None
            expected = parse_due(gold, EVAL_NOW, language)  # type: ignore[arg-type]
            due_right += expected is not None and result.slots.due == expected.due
    oos_rows = [r for r in rows if r["intent"].startswith(XSID_OOS_PREFIXES)]
    rejected = sum(parser.classify(r["text"]).intent is Intent.out_of_scope for r in oos_rows)
    other: dict[str, Counter[str]] = {}
    for r in rows:
        if r["intent"] in ("reminder/show_reminders", "reminder/cancel_reminder"):
            other.setdefault(r["intent"], Counter())[parser.classify(r["text"]).intent.value] += 1
    return XsidReport(
        language=language,
        set_reminder_create_task_recall=_rate(hits, len(reminders)),
        due_found=_rate(due_found, due_total),
        due_accuracy=_rate(due_right, due_total),
        out_of_scope_rejection=_rate(rejected, len(oos_rows)),
        reminder_other={k: dict(v) for k, v in other.items()},
        n_set_reminder=len(reminders),
        n_out_of_scope=len(oos_rows),
    )


def markdown(clinc_report: ClincReport, xsid_reports: list[XsidReport]) -> str:
    c = clinc_report
    lines = [
        "# Understanding on public benchmarks",
        "",
        "CLINC150 (Larson et al., 2019; CC BY 3.0), test splits:",
        "",
        "| figure | value | n |",
        "|---|---|---|",
        f"| oos_test rejected as out_of_scope | {c.oos_test_rejection:.3f} | {c.n_oos_test} |",
        f"| to-do/reminder/meeting intents read as create_task | {c.task_intents_create_task_recall:.3f} "
        f"| {c.n_task} |",
        f"| to-do/reminder/meeting intents falsely rejected | {c.task_intents_false_reject:.3f} | {c.n_task} |",
        f"| other 145 intents rejected | {c.other_intents_rejection:.3f} | {c.n_other} |",
        f"| PM-adjacent intents (todo_list, reminder, calendar…) rejected | {c.adjacent_intents_rejection:.3f} | |",
        "",
        "xSID 0.7 (van der Goot et al., 2021; CC BY-SA 4.0), test splits:",
        "",
        "| language | set_reminder → create_task | due found | due correct | out-of-scope rejected |",
        "|---|---|---|---|---|",
        *[
            f"| {x.language} | {x.set_reminder_create_task_recall:.3f} (n={x.n_set_reminder}) | {x.due_found:.3f} | "
            f"{x.due_accuracy:.3f} | {x.out_of_scope_rejection:.3f} (n={x.n_out_of_scope}) |"
            for x in xsid_reports
        ],
    ]
    return "\n".join(lines) + "\n"


def as_json(clinc_report: ClincReport, xsid_reports: list[XsidReport]) -> dict[str, Any]:
    from dataclasses import asdict

    return {"clinc150": asdict(clinc_report), "xsid": [asdict(x) for x in xsid_reports]}
