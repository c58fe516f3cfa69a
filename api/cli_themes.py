"""`qiao feedback import` and `qiao themes discover|list|report`: the themes from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from settings import Settings

if TYPE_CHECKING:
    from api.wiring import Services

feedback_app = typer.Typer(help="Feedback in bulk. 批量反馈。", no_args_is_help=True)
themes_app = typer.Typer(
    help="Feedback themes for the user committee. 反馈主题与用户委员会月报。", no_args_is_help=True
)
console = Console()
CLI_ACTOR = "cli"


def _services() -> Services:
    from api.wiring import build_services

    services = build_services(Settings())
    services.db.migrate()
    return services


@feedback_app.command("import")
def import_feedback(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .csv or .jsonl file. CSV 或 JSONL 文件。"),
    fmt: str | None = typer.Option(None, "--format", help="csv or jsonl (default: from the file name). 文件格式。"),
) -> None:
    """Import feedback: a `text` column, optional reporter, department, created_at, lang, kind, severity.
    Bad rows are listed and skipped; the others are kept; importing the same file again adds nothing.
    导入反馈：必须有 text 列；出错的行会列出并跳过，其余照常导入；重复导入不会产生重复数据。

    Example / 示例: qiao feedback import survey-2026-11.csv
    """
    from errors import QiaoError
    from knowledge.schemas import Actor
    from knowledge.themes import detect_format

    services = _services()
    try:
        kind = detect_format("." + fmt if fmt else file.name)
        report = services.themes.import_feedback(file.read_bytes(), kind, Actor(name=CLI_ACTOR))
    except QiaoError as exc:
        console.print(f"[red]{exc.detail_en}[/red] / {exc.detail_zh}")
        raise typer.Exit(2) from exc
    finally:
        services.close()
    console.print(
        f"{report.rows} rows: {report.created} imported, {report.unchanged} already there, {report.failed} failed; "
        f"{report.themed} joined a theme / 共 {report.rows} 行：导入 {report.created}，已存在 {report.unchanged}，"
        f"失败 {report.failed}；{report.themed} 条已归入主题"
    )
    for error in report.errors:
        console.print(f"[yellow]row {error.row} 第 {error.row} 行[/yellow]: {error.detail} / {error.detail_zh}")
    if report.ignored_columns:
        console.print("ignored columns 已忽略的列: " + ", ".join(report.ignored_columns))
    if report.failed:
        raise typer.Exit(1)


@themes_app.command("discover")
def discover(
    seed: int | None = typer.Option(None, help="Sampling seed (default QIAO_THEMES_SEED). 随机种子。"),
) -> None:
    """Cluster all feedback into themes now; ids and the names ops gave survive. 重新发现主题（保留编号与人工命名）。

    Example / 示例: qiao themes discover
    """
    from knowledge.schemas import Actor

    services = _services()
    try:
        run = services.themes.discover(Actor(name=CLI_ACTOR), seed)
    finally:
        services.close()
    console.print(
        f"{run.themes} themes ({run.created} new, {run.kept} kept, {run.retired} retired), {run.unthemed} of "
        f"{run.items} unthemed ({run.unthemed_share:.1%}), {run.seconds:.1f} s / {run.themes} 个主题（新增 "
        f"{run.created}，保留 {run.kept}，停用 {run.retired}），未归类 {run.unthemed} 条"
    )


@themes_app.command("list")
def list_themes(
    limit: int = typer.Option(30, min=1, help="How many themes to show. 显示条数。"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON. 以 JSON 输出。"),
) -> None:
    """The themes, biggest first, with counts and the last weeks' trend. 主题列表（按数量排序）。

    Example / 示例: qiao themes list --limit 10
    """
    services = _services()
    try:
        overview = services.themes.overview()
    finally:
        services.close()
    if as_json:
        typer.echo(overview.model_dump_json(indent=2))
        return
    table = Table(title=f"{len(overview.themes)} themes 主题 · {overview.unthemed} unthemed 未归类")
    for column in ("id", "name 名称", "items 数量", "open 未解决", "weekly 每周", "agenda 议程"):
        table.add_column(column)
    for t in overview.themes[:limit]:
        table.add_row(
            str(t.id), t.name, str(t.count), str(t.open), " ".join(map(str, t.trend)), "✓" if t.on_agenda else ""
        )
    console.print(table)


@themes_app.command("report")
def report(
    month: str = typer.Option(..., help="YYYY-MM, e.g. 2026-11. 月份。"),
    out: Path = typer.Option(Path(), help="Folder for the .md, .html and .csv files. 输出目录。"),
) -> None:
    """Write the user committee's monthly report: Markdown, HTML (with charts) and a CSV of the items.
    生成用户委员会月报：Markdown、HTML（含图表）与反馈明细 CSV。

    Example / 示例: qiao themes report --month 2026-11 --out reports/
    """
    from errors import QiaoError
    from knowledge.themes import report_csv, report_html, report_markdown

    services = _services()
    try:
        data = services.themes.report(month)
    except QiaoError as exc:
        console.print(f"[red]{exc.detail_en}[/red] / {exc.detail_zh}")
        raise typer.Exit(2) from exc
    finally:
        services.close()
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"qiao-report-{data.month}"
    stem.with_suffix(".md").write_text(report_markdown(data), encoding="utf-8")
    stem.with_suffix(".html").write_text(report_html(data), encoding="utf-8")
    stem.with_suffix(".csv").write_text(report_csv(data), encoding="utf-8-sig")  # BOM: Excel reads it as UTF-8
    console.print(f"written 已生成: {stem}.md, {stem}.html, {stem}.csv")
