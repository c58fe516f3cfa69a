"""The `qiao` command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console

from api.cli_keys import keys_app
from api.cli_themes import feedback_app, themes_app
from evals.cli import eval_app
from settings import Settings

app = typer.Typer(
    name="qiao",
    help=(
        "Qiao (桥): a bilingual assistant for project-management teams.\n\n"
        "Examples / 示例:\n\n"
        "  qiao demo load          # 载入演示工作区 (load the demo workspace)\n\n"
        "  qiao ingest             # 导入帮助文档 (ingest the help center)\n\n"
        "  qiao serve --port 8000  # 启动服务 (serve on http://127.0.0.1:8000)"
    ),
    no_args_is_help=True,
    add_completion=False,
)
demo_app = typer.Typer(help="The bundled demo workspace. 演示工作区。", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
app.add_typer(eval_app, name="eval")
app.add_typer(feedback_app, name="feedback")
app.add_typer(themes_app, name="themes")
app.add_typer(keys_app, name="keys")
console = Console()


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default QIAO_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default QIAO_PORT, 8000)."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes; more than 1 needs QIAO_CHROMA_URL."),
) -> None:
    """Serve the API, the widget and the ops pages. 启动服务。

    Example / 示例: qiao serve --port 8000
    """
    import uvicorn

    settings = Settings()
    if workers > 1 and not settings.chroma_url:
        raise typer.BadParameter(
            "several workers share one vector index only through a Chroma server: run `chroma run --path DIR` and "
            "set QIAO_CHROMA_URL / 多进程需要 Chroma 服务端：请先运行 `chroma run` 并设置 QIAO_CHROMA_URL",
            param_hint="--workers",
        )
    from api.logs import configure_logging, logging_config

    try:
        configure_logging(settings.log_level, settings.log_format)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="QIAO_LOG_LEVEL") from exc
    common = {
        "host": host or settings.host,
        "port": port or settings.port,
        "timeout_graceful_shutdown": settings.shutdown_grace_s,
    }
    # uvicorn applies the same dictConfig in every worker process; its access log stays off (RequestLog writes ours).
    common |= {"log_config": logging_config(settings.log_level, settings.log_format), "access_log": False}
    if workers > 1:
        # Each worker process builds its own app from the environment (the embedded index is single-process).
        uvicorn.run("api.app:create_app", factory=True, workers=workers, **common)  # type: ignore[arg-type]
    else:
        from api.app import create_app

        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the newest revision. 升级数据库结构。"""
    from knowledge.db import Database

    db = Database(Settings())
    db.migrate()
    console.print(f"database at revision {db.current_revision()} / 数据库已升级")


@app.command()
def ingest(
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders (.md .markdown .html .txt .pdf); default QIAO_DOCS_DIR. 文件或目录。"
    ),
) -> None:
    """Ingest help documents: unchanged ones are skipped, changed ones re-embedded, deleted ones removed.
    导入帮助文档（增量：未变的跳过，修改的重建，删除的移除）。

    Example / 示例: qiao ingest knowledge/docs ~/wiki/export
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from api.wiring import build_services
    from knowledge.ingest import IngestEvent

    settings = Settings()
    services = build_services(settings)
    try:
        services.db.migrate()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("ingesting / 导入中", total=None)

            def show(event: IngestEvent) -> None:
                bar.update(task, total=event.total, completed=event.done, description=event.source[-60:] or "…")

            report = services.ingestor.ingest_paths(paths or [settings.docs_dir], progress=show)
    finally:
        services.close()
    console.print(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, removed {report.removed}, "
        f"{report.chunks_embedded} chunks embedded / 新增 {report.added}，更新 {report.updated}，"
        f"未变 {report.unchanged}，移除 {report.removed}"
    )
    if report.repaired_vectors:
        console.print(f"repaired {report.repaired_vectors} vectors left by an interrupted run / 已修复中断遗留的向量")
    for skipped in report.skipped:
        console.print(f"[yellow]skipped / 跳过[/yellow] {skipped.source}: {skipped.detail} / {skipped.detail_zh}")


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo workspace (idempotent). 载入演示数据（可重复执行）。

    Example / 示例: qiao demo load
    """
    from api.wiring import build_services
    from knowledge.demo import load_demo
    from knowledge.demo.access import ensure_demo_keys

    settings = Settings()
    services = build_services(settings)
    db = services.db
    db.migrate()
    added = load_demo(
        db,
        now=dt.datetime.now(dt.UTC),
        tz=settings.tz,
        simple_hours=settings.sla_simple_hours,
        complex_hours=settings.sla_complex_hours,
    )
    if any((added.projects, added.members, added.tasks, added.feedback)):
        console.print(
            f"demo loaded / 演示数据已载入: {added.projects} projects, {added.members} members, "
            f"{added.tasks} tasks, {added.feedback} feedback"
        )
    else:
        console.print("demo already loaded, nothing to add / 演示数据已存在，无需重复载入")
    base = f"http://{settings.host}:{settings.port}"
    origins = [base] + ([f"http://localhost:{settings.port}"] if settings.host in ("127.0.0.1", "0.0.0.0") else [])
    ensure_demo_keys(services.keys, settings.data_dir, origins)
    services.close()
    demo_keys()


@demo_app.command("keys")
def demo_keys() -> None:
    """Print the demo's admin key and links (`make run` shows them just before serving). 显示演示密钥与链接。"""
    from knowledge.demo.access import read_demo_keys

    settings = Settings()
    keys = read_demo_keys(settings.data_dir)
    if keys is None:
        raise typer.BadParameter("the demo is not set up: run `qiao demo load` / 演示未设置：请先运行 qiao demo load")
    base = f"http://{settings.host}:{settings.port}"
    # soft_wrap: a key broken over two lines can't be copied.
    console.print(f"demo admin key / 演示管理员密钥: [bold]{keys.admin}[/bold]", soft_wrap=True)
    console.print(f"ops console / 运营控制台: {base}/ops#key={keys.admin}", soft_wrap=True)
    console.print(f"demo page / 演示页面: {base}/  (its widget uses the demo site key / 挂件使用演示站点密钥)")


@app.command()
def parse(
    text: str = typer.Argument(..., help="The message, e.g. '帮我建个任务：周五前把登录页改版做完，交给张三'."),
    now: str | None = typer.Option(None, help="Reference time, ISO 8601 (default: now)."),
    timezone: str | None = typer.Option(None, help="IANA zone (default QIAO_TIMEZONE)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show the intent and slots Qiao reads in a message. 解析一句话的意图与槽位。

    Example / 示例: qiao parse "凤凰项目现在进度怎么样了"
    """
    from api.wiring import build_services
    from errors import QiaoError

    services = build_services(Settings())
    services.db.migrate()
    try:
        moment = dt.datetime.fromisoformat(now) if now else None
        result = services.understanding.parse(text, moment, timezone)
    except ValueError as exc:
        raise typer.BadParameter(f"--now must be ISO 8601, e.g. 2026-11-24T10:00:00+08:00 ({exc})") from exc
    except QiaoError as exc:
        console.print(f"[red]{exc.detail_en}[/red] / {exc.detail_zh}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    from rich.table import Table

    table = Table(title=f"{result.intent.value}  ({result.confidence:.2f}, {result.language})")
    table.add_column("slot / 槽位")
    table.add_column("value / 值")
    for name, value in result.slots.model_dump().items():
        if value is not None:
            table.add_row(name, str(value))
    console.print(table)
    if result.alternatives:
        console.print("also / 其他: " + ", ".join(f"{a.intent.value} {a.confidence:.2f}" for a in result.alternatives))


@app.command()
def chat(
    user: str | None = typer.Option(None, help="Your member key, e.g. zhaomin (for 'my tasks')."),
    lang: str | None = typer.Option(None, help="Reply language: zh or en (default: the message's)."),
) -> None:
    """Talk to Qiao in the terminal; press a button by typing its number. 在终端里与桥对话。

    Example / 示例: qiao chat --user zhaomin
    """
    from rich.panel import Panel

    from api.wiring import build_services
    from errors import QiaoError
    from knowledge.schemas import Actor

    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    services = build_services(Settings())
    services.db.migrate()
    assistant = services.assistant
    actor = Actor(name=f"cli:{user or 'anonymous'}")
    session_id: str | None = None
    actions: list[tuple[str, str]] = []
    console.print("Qiao 桥 — type a message; a number presses a button; Ctrl-D quits. 输入消息；输入数字按按钮。")
    while True:
        try:
            text = console.input("[bold]> [/bold]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not text:
            continue
        try:
            if text.isdigit() and session_id and 1 <= int(text) <= len(actions):
                turn = assistant.act(session_id, actions[int(text) - 1][0], actor=actor)
            else:
                turn = assistant.turn(text, session_id=session_id, lang=lang, user=user, actor=actor)  # type: ignore[arg-type]
        except QiaoError as exc:
            console.print(f"[red]{exc.detail_zh if (lang or '') == 'zh' else exc.detail_en}[/red]")
            continue
        session_id = turn.session_id
        console.print(Panel(turn.reply, title=turn.intent or "qiao"))
        for card in turn.cards:
            console.print(card.model_dump_json(exclude_none=True, exclude={"tasks", "similar", "citations"})[:300])
        if turn.actions:
            actions = [(a.id, a.label) for a in turn.actions]
            console.print("  ".join(f"[{i}] {label}" for i, (_, label) in enumerate(actions, 1)))
        if turn.suggestions:
            console.print("[dim]" + " · ".join(turn.suggestions) + "[/dim]")


@app.command()
def transcribe(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="wav, webm/opus, ogg, mp3, m4a or flac. 音频文件。"
    ),
    lang: str | None = typer.Option(None, "--lang", help="zh or en; default: detect. 语言（zh/en），默认自动识别。"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON with the segments. 以 JSON 输出（含分段）。"),
) -> None:
    """Speech to text with the local Whisper model (Mandarin in simplified characters). 语音转文字。

    Example / 示例: qiao transcribe memo.m4a --lang zh
    """
    from api.wiring import build_services
    from errors import QiaoError

    if lang not in (None, "zh", "en"):
        raise typer.BadParameter("use zh or en / 只能是 zh 或 en", param_hint="--lang")
    services = build_services(Settings())
    try:
        transcript = services.voice.transcribe(file.read_bytes(), "zh" if lang == "zh" else "en" if lang else None)
    except QiaoError as exc:
        console.print(f"[red]{exc.detail_en}[/red] / {exc.detail_zh}")
        raise typer.Exit(2) from exc
    finally:
        services.close()
    if as_json:
        typer.echo(transcript.model_dump_json(indent=2))
        return
    typer.echo(transcript.text)
    segments = len(transcript.segments)
    console.print(f"[dim]{transcript.language}, {transcript.duration_s:.1f} s, {segments} segments / 分段[/dim]")


def main() -> None:
    app()
