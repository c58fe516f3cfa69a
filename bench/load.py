"""Load and crash tests on a real `qiao serve` on a loopback port (`python -m bench.load`; `--quick`: a smoke run).

The server runs as a subprocess on a fresh data dir (demo workspace and bundled help center loaded, rate limits
off, an admin API key from `qiao keys create`), and is killed with SIGKILL several times:

1. Chat load: N clients hold bilingual conversations for S seconds (how-to and progress questions, create and
   update requests whose previews they Confirm or Cancel, issue reports): turns/s, p50/p95/p99, errors.
2. Concurrent creates: M tasks POSTed at once, each with its own Idempotency-Key, a quarter of them sent three
   times at once with the same key: each must be stored exactly once.
3. kill -9 mid-burst: task and feedback creates in flight when the server is killed; after a restart every
   confirmed write must be there once, and replaying the whole burst with its keys must leave each write once.
   The feedback vectors must then match the feedback table.
4. kill -9 mid-ingest, a few times over: the server is killed while POST /api/v1/knowledge/ingest embeds a few
   hundred pages (once right after a Chroma write, once at a random moment); every stored chunk must still have
   its vector, and after the ingest is run again the Chroma collection must hold exactly the chunks the database
   holds, each document whole.

Exits 1 when any check fails. Targets (issue "Access control, limits and robustness"): zero errors, nothing
lost, nothing doubled, the vector index consistent with the database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx2 as httpx
from rich.console import Console
from rich.table import Table

from bench._chat_load import chat_load, percentile
from bench._consistency import IndexState, docs_state, feedback_state
from bench._server import QiaoServer
from bench._writes import burst_until_killed, concurrent_creates, feedback_writes, listing, send, stored, task_writes
from settings import BUNDLED_DOCS

console = Console(width=None if sys.stdout.isatty() else 140)


@dataclass
class Results:
    """Figures to print and checks that must pass, in the order they were taken."""

    figures: list[tuple[str, str, str]] = field(default_factory=list)
    checks: list[tuple[str, str, bool, str]] = field(default_factory=list)

    def figure(self, phase: str, measure: str, value: str) -> None:
        self.figures.append((phase, measure, value))
        console.print(f"  [dim]{phase}[/dim] {measure}: {value}")

    def check(self, phase: str, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append((phase, name, ok, detail))
        mark = "[green]ok[/green]" if ok else "[red]FAIL[/red]"
        console.print(f"  [dim]{phase}[/dim] {name}: {mark} {detail}")
        return ok


# ---- 4. ingestion: the folder and the kill ---------------------------------------------------------------------------


def build_corpus(folder: Path, pages: int) -> int:
    """The bundled help center plus `pages` generated pages (two real pages joined, bilingual titles) in
    `folder`; returns how many files it holds."""
    shutil.copytree(BUNDLED_DOCS, folder)
    bodies = [f.read_text(encoding="utf-8").split("---", 2)[-1] for f in sorted(BUNDLED_DOCS.rglob("*.md"))]
    rng = random.Random(7)
    (folder / "generated").mkdir()
    for i in range(pages):
        a, b = rng.sample(range(len(bodies)), 2)
        lang = "zh" if i % 2 else "en"
        title = f"压测页面 {i:04d}" if lang == "zh" else f"Load-test page {i:04d}"
        text = f"---\ntitle: {title}\nlang: {lang}\nupdated: 2026-11-01\n---\n\n# {title}\n{bodies[a]}\n{bodies[b]}\n"
        (folder / "generated" / f"page-{i:04d}.md").write_text(text, encoding="utf-8")
    return sum(1 for f in folder.rglob("*") if f.is_file())


Trigger = Literal["after a Chroma commit", "during a Chroma write", "at a random moment"]
TRIGGERS: tuple[Trigger, ...] = ("after a Chroma commit", "during a Chroma write", "at a random moment")


def _chroma_files(chroma: Path) -> tuple[int, bool]:
    """When the embedded Chroma's SQLite file last changed, and whether a write transaction is open (its rollback
    journal exists). A stat only: the index stays the server's."""
    db = chroma / "chroma.sqlite3"
    return (db.stat().st_mtime_ns if db.exists() else 0), (chroma / "chroma.sqlite3-journal").exists()


async def ingest_until_killed(
    client: httpx.AsyncClient, server: QiaoServer, folder: Path, trigger: Trigger
) -> str | None:
    """POST an ingest of `folder` and SIGKILL the server once this run has stored a document and then: the next
    batch's vectors are committed to Chroma (its documents' SQL commits are still to come), or Chroma is in the
    middle of writing them, or 0-3 s have passed (mostly mid-embedding). Returns how long after the first stored
    document the kill came, or None if the ingest finished first."""
    chroma = server.data_dir / "chroma"
    before = docs_state(server.data_dir, str(folder), vectors=False).documents
    request = asyncio.create_task(client.post("/api/v1/knowledge/ingest", json={"paths": [str(folder)]}, timeout=900))
    armed: float | None = None
    seen = 0
    delay = random.uniform(0.0, 3.0)
    while not request.done():
        if armed is None:
            if docs_state(server.data_dir, str(folder), vectors=False).documents > before:
                armed, seen = time.monotonic(), _chroma_files(chroma)[0]
        else:
            written, writing = _chroma_files(chroma)
            if (
                (trigger == "after a Chroma commit" and written != seen and not writing)
                or (trigger == "during a Chroma write" and writing)
                or (trigger == "at a random moment" and time.monotonic() - armed >= delay)
            ):
                server.kill()
                waited = time.monotonic() - armed
                with contextlib.suppress(httpx.HTTPError):
                    await request
                return f"{trigger}, {waited:.1f} s after the first stored document"
        await asyncio.sleep(0.1 if armed is None else 0.005)
    return None


# ---- the run -----------------------------------------------------------------------------------------------------


def index_checks(results: Results, phase: str, state: IndexState, *, exact: bool) -> None:
    """After a crash (exact=False) every chunk needs its vector; after a finished ingest the sets are equal."""
    results.check(phase, "every stored chunk has its vector", state.missing == 0, f"{state.missing} missing")
    if exact:
        results.check(phase, "no vector without a chunk", state.orphans == 0, f"{state.orphans} orphans")
    results.check(phase, "no duplicate chunk ids", state.duplicates == 0, f"{state.duplicates} duplicated")
    results.check(phase, "each document whole", not state.broken, f"{len(state.broken)} broken")


@dataclass
class Run:
    """What every phase needs: the options, the server, a client that carries the key, and the results."""

    args: argparse.Namespace
    server: QiaoServer
    headers: dict[str, str]
    client: httpx.AsyncClient
    results: Results
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir


async def phase_chat(r: Run) -> None:
    console.print(f"[bold]1. chat: {r.args.clients} clients for {r.args.seconds:.0f} s[/bold]")
    stats, took = await chat_load(r.server.base_url, r.headers, r.args.clients, r.args.seconds)
    ms = [x * 1000 for x in stats.latencies]
    phase, res = "1 chat", r.results
    res.figure(phase, "requests (turns + button presses)", f"{len(ms) + len(stats.errors)} in {took:.1f} s")
    res.figure(phase, "requests/s", f"{len(ms) / took:.1f}")
    res.figure(phase, "latency p50 / p95 / p99", " / ".join(f"{percentile(ms, q):.0f} ms" for q in (50, 95, 99)))
    res.figure(phase, "buttons pressed", ", ".join(f"{k} {v}" for k, v in sorted(stats.presses.items())))
    res.figure(phase, "intents", ", ".join(f"{k} {v}" for k, v in stats.intents.most_common()))
    res.check(phase, "zero errors", not stats.errors, "; ".join(stats.errors[:3]) or "0 errors")


async def phase_creates(r: Run, projects: list[int], members: list[int]) -> None:
    console.print(f"[bold]2. {r.args.creates} concurrent task creations[/bold]")
    phase, res = "2 creates", r.results
    before = sum(len(ids) for ids in (await listing(r.client, "/api/v1/tasks", "title")).values())
    writes = task_writes(r.run_id, "create", r.args.creates, projects, members)
    took = await concurrent_creates(r.client, writes, copies=3)
    res.figure(phase, "requests (with same-key repeats)", f"{sum(len(w.statuses) for w in writes)} in {took:.1f} s")
    after = await listing(r.client, "/api/v1/tasks", "title")
    n = len(writes)
    res.check(phase, "every request answered 2xx", all(set(w.statuses) <= {200, 201} for w in writes))
    first = sum(1 for w in writes if w.statuses.count(201) == 1)
    res.check(phase, "one 201 per key, repeats 200", first == n, f"{first} of {n}")
    res.check(phase, "repeats return the same task", all(len(set(w.ids)) == 1 for w in writes))
    once = sum(1 for w in writes if after.get(w.label) == w.ids[:1])
    res.check(phase, "each task stored exactly once", once == n, f"{once} of {n}")
    total = sum(len(ids) for ids in after.values())
    res.check(phase, "task count grew by exactly N", total - before == n, f"{before} → {total}")


async def phase_burst(r: Run, projects: list[int], members: list[int]) -> None:
    console.print(f"[bold]3. kill -9 during a burst of {r.args.burst} writes[/bold]")
    phase, res = "3 burst", r.results
    burst = task_writes(r.run_id, "burst", r.args.burst * 3 // 4, projects, members)
    burst += feedback_writes(r.run_id, "burst", r.args.burst - len(burst))
    random.Random(1).shuffle(burst)
    in_flight = await burst_until_killed(r.client, r.server, burst, kill_after=r.args.burst // 3, concurrency=16)
    confirmed = [w for w in burst if w.confirmed is not None]
    res.figure(phase, "confirmed before the kill", f"{len(confirmed)} of {len(burst)}")
    res.figure(phase, "in flight at the kill", f"{in_flight}")
    refused = [s for w in burst for s in w.statuses if s not in (200, 201)]
    res.check(phase, "no error before the kill", not refused, f"statuses {Counter(refused)}" if refused else "")
    crashed = feedback_state(r.data_dir)
    res.figure(phase, "feedback vectors missing right after the crash", f"{crashed.missing} of {crashed.rows}")
    index_checks(res, phase + " (after crash)", docs_state(r.data_dir), exact=True)
    res.figure(phase, "server ready again after", f"{r.server.start(r.headers):.1f} s")
    now = await stored(r.client)
    kept = sum(1 for w in confirmed if now.get(w.label) == [w.confirmed])
    res.check(phase, "no confirmed write lost", kept == len(confirmed), f"{kept} of {len(confirmed)}")
    doubled = sum(1 for w in burst if len(now.get(w.label, [])) > 1)
    res.check(phase, "nothing doubled by the crash", not doubled, f"{doubled} doubled")
    committed = [w for w in burst if w.confirmed is None and now.get(w.label)]
    res.figure(phase, "unconfirmed but committed (replayed below)", f"{len(committed)}")
    for w in burst:
        w.statuses.clear()
    await asyncio.gather(*(send(r.client, w) for w in burst))
    res.check(phase, "retry of the whole burst: all 2xx", all(w.statuses in ([200], [201]) for w in burst))
    stored_before = confirmed + committed
    replayed = sum(1 for w in stored_before if w.statuses == [200] and w.ids[-1] == now[w.label][0])
    res.check(phase, "stored writes replayed, not re-created", replayed == len(stored_before), f"{replayed}")
    now = await stored(r.client)
    once = sum(1 for w in burst if len(now.get(w.label, [])) == 1)
    res.check(phase, "after retry each write exactly once", once == len(burst), f"{once} of {len(burst)}")
    # Feedback vectors catch up with the table on the next similarity lookup (knowledge/feedback_memory.py).
    (await r.client.get("/api/v1/knowledge/similar-feedback", params={"text": "导出PDF中文方框"})).raise_for_status()
    r.server.stop()
    state = feedback_state(r.data_dir)
    res.check(
        phase,
        "feedback vectors = feedback rows",
        state.missing == 0 and state.orphans == 0,
        f"{state.rows} rows, {state.vectors} vectors, {state.missing} missing, {state.orphans} orphans",
    )


async def phase_ingest(r: Run, folder: Path) -> None:
    files = build_corpus(folder, r.args.pages)
    console.print(f"[bold]4. kill -9 during ingestion of {files} files, {r.args.ingest_kills} times[/bold]")
    res = r.results
    for n in range(r.args.ingest_kills):
        phase = f"4 ingest, kill {n + 1}"
        r.server.start(r.headers)
        how = await ingest_until_killed(r.client, r.server, folder, TRIGGERS[n % len(TRIGGERS)])
        res.check(phase, "killed mid-ingest", how is not None, how or "the ingest finished first: raise --pages")
        r.server.stop()  # (already gone after a kill)
        state = docs_state(r.data_dir, str(folder))
        res.figure(phase, "after the crash", f"{state.documents} of {files} docs, {state.orphans} orphan vectors")
        index_checks(res, phase, state, exact=False)
    phase = "4 ingest, re-run"
    r.server.start(r.headers)
    began = time.monotonic()
    resp = await r.client.post("/api/v1/knowledge/ingest", json={"paths": [str(folder)]}, timeout=900)
    report = resp.raise_for_status().json()
    res.figure(
        phase,
        "ingest",
        f"{time.monotonic() - began:.1f} s: added {report['added']}, unchanged {report['unchanged']}, "
        f"{report['chunks_embedded']} chunks embedded, {report['repaired_vectors']} vectors repaired",
    )
    r.server.stop()
    state = docs_state(r.data_dir, str(folder))
    res.check(phase, "all files ingested", state.documents == files, f"{state.documents} of {files}")
    res.figure(phase, "index", f"{state.total_chunks} chunks in SQL, {state.vectors} vectors in Chroma")
    index_checks(res, phase, state, exact=True)


async def run(args: argparse.Namespace, data_dir: Path, results: Results) -> None:
    folder = data_dir / "ingest-docs"
    env = {
        "QIAO_RATE_LIMIT_KEY_PER_MINUTE": "0",
        "QIAO_RATE_LIMIT_IP_PER_MINUTE": "0",
        "QIAO_INGEST_DIRS": json.dumps([str(folder)]),
    }
    server = QiaoServer(data_dir, env)
    server.cli("demo", "load")
    server.cli("ingest")
    key = server.admin_key()
    if key is None:
        console.print("[yellow]warning: no `qiao keys` in this build: running with QIAO_AUTH_REQUIRED=false[/yellow]")
        server.env["QIAO_AUTH_REQUIRED"] = "false"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    results.figure("setup", "API key", "admin key from `qiao keys create`" if key else "none (no `qiao keys` yet)")
    results.figure("setup", "server ready after", f"{server.start(headers):.1f} s")
    client = httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=300, limits=httpx.Limits())
    r = Run(args, server, headers, client, results)
    try:
        await phase_chat(r)
        projects = [p["id"] for p in (await client.get("/api/v1/projects")).raise_for_status().json()]
        members = [m["id"] for m in (await client.get("/api/v1/members")).raise_for_status().json()]
        await phase_creates(r, projects, members)
        await phase_burst(r, projects, members)
        await phase_ingest(r, folder)
    finally:
        await client.aclose()
        server.stop()


def summary(results: Results) -> bool:
    figures = Table(title="Load and crash tests / 负载与崩溃测试")
    for column in ("phase", "measure", "value"):
        figures.add_column(column)
    for row in results.figures:
        figures.add_row(*row)
    checks = Table(title="Checks / 检查")
    for column in ("phase", "check", "result", "detail"):
        checks.add_column(column)
    for phase, name, ok, detail in results.checks:
        checks.add_row(phase, name, "[green]ok[/green]" if ok else "[red]FAIL[/red]", detail)
    console.print(figures, checks)
    return all(ok for *_, ok, _ in results.checks)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Load and crash tests on loopback. 回环地址上的负载与崩溃测试。")
    parser.add_argument("--seconds", type=float, default=60.0, help="How long the chat load runs.")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent chat clients.")
    parser.add_argument("--creates", type=int, default=200, help="Tasks created at once.")
    parser.add_argument("--burst", type=int, default=300, help="Writes in the burst the server is killed during.")
    parser.add_argument("--pages", type=int, default=200, help="Generated pages added to the help center to ingest.")
    parser.add_argument("--ingest-kills", type=int, default=3, help="Times the server is killed mid-ingest.")
    parser.add_argument("--quick", action="store_true", help="Smoke run: 10 clients × 10 s, 40 creates, small burst.")
    parser.add_argument("--keep", action="store_true", help="Keep the data dir (and its serve.log) afterwards.")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.clients, args.creates, args.burst, args.pages = 10.0, 10, 40, 80, 80
    data_dir = Path(tempfile.mkdtemp(prefix="qiao-load-"))
    results = Results()
    began = time.monotonic()
    try:
        asyncio.run(run(args, data_dir, results))
    finally:
        if args.keep:
            console.print(f"data dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    passed = summary(results)
    console.print(f"total {time.monotonic() - began:.0f} s — {'all checks passed' if passed else 'CHECKS FAILED'}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
