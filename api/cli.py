"""The `qiao` command line."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from settings import Settings

app = typer.Typer(
    name="qiao",
    help=(
        "Qiao (桥): a bilingual assistant for project-management teams.\n\n"
        "Examples / 示例:\n\n"
        "  qiao demo load          # 载入演示工作区 (load the demo workspace)\n\n"
        "  qiao serve --port 8000  # 启动服务 (serve on http://127.0.0.1:8000)"
    ),
    no_args_is_help=True,
    add_completion=False,
)
demo_app = typer.Typer(help="The bundled demo workspace. 演示工作区。", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
console = Console()


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default QIAO_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default QIAO_PORT, 8000)."),
) -> None:
    """Serve the API, the widget and the ops pages. 启动服务。"""
    import uvicorn

    from api.app import create_app

    settings = Settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        timeout_graceful_shutdown=10,
    )


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the newest revision. 升级数据库结构。"""
    from knowledge.db import Database

    db = Database(Settings())
    db.migrate()
    console.print(f"database at revision {db.current_revision()} / 数据库已升级")


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo workspace (idempotent). 载入演示数据（可重复执行）。

    Example / 示例: qiao demo load
    """
    from knowledge.db import Database
    from knowledge.demo import load_demo

    settings = Settings()
    db = Database(settings)
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


def main() -> None:
    app()
