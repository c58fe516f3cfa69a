"""The committee report as Markdown (for the minutes, headings in both languages) and as CSV (every item of the
month with its theme and SLA state, for whoever wants to dig)."""

from __future__ import annotations

import csv
import io

from knowledge.themes.report import CommitteeReport, ReportTheme, Sla

SLA_WORDS = {"met": "met 达标", "missed": "missed 超时", "pending": "pending 待定"}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def growth_text(theme: ReportTheme) -> str:
    delta = theme.count - theme.last_month
    share = theme.growth
    return f"{delta:+d}" + (f" ({share:+.0%})" if share is not None else " (new 新)")


def sla_text(sla: Sla) -> str:
    return f"{percent(sla.compliance)} ({sla.met} met 达标, {sla.missed} missed 超时, {sla.pending} pending 待定)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _theme_block(theme: ReportTheme) -> list[str]:
    lines = [f"### {_cell(theme.name)} (#{theme.id})", ""]
    lines.append(
        f"- Items 反馈数: **{theme.count}** (last month 上月 {theme.last_month}, {growth_text(theme)}), "
        f"open 未解决 {theme.open}"
    )
    if theme.keywords:
        lines.append(f"- Keywords 关键词: {_cell(', '.join(theme.keywords))}")
    if theme.severities:
        lines.append("- Severity 严重程度: " + ", ".join(f"{k} {v}" for k, v in theme.severities.items()))
    lines.append(f"- SLA 响应时限: {sla_text(theme.sla)}")
    if theme.task_title or theme.task_id:
        lines.append(f"- Backlog task 待办任务: #{theme.task_id} {_cell(theme.task_title or '')}")
    if theme.agenda_note:
        lines.append(f"- Note 备注: {_cell(theme.agenda_note)}")
    for q in theme.quotes:
        lines.append(f"> {_cell(q.text)} (#{q.id})")
        lines.append("")
    lines.append("")
    return lines


def markdown(report: CommitteeReport) -> str:
    """The report as Markdown."""
    lines = [
        f"# User committee report 用户委员会月报 — {report.month}",
        "",
        f"Feedback this month 本月反馈: **{report.items}** (last month 上月 {report.last_month_items}); "
        f"unthemed 未归类 {report.unthemed}.",
        "",
        "## Top themes 主要主题",
        "",
        "| # | Theme 主题 | Items 数量 | Last month 上月 | Change 变化 | Open 未解决 | SLA |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for rank, t in enumerate(report.top, start=1):
        lines.append(
            f"| {rank} | {_cell(t.name)} | {t.count} | {t.last_month} | {growth_text(t)} | {t.open} | "
            f"{percent(t.sla.compliance)} |"
        )
    lines += ["", "## On the agenda 议程", ""]
    if not report.agenda:
        lines += ["No theme is marked for the agenda yet. 暂无标记为议程的主题。", ""]
    for t in report.agenda:
        lines += _theme_block(t)
    lines += [
        "## SLA compliance 响应时限达成率",
        "",
        f"- {report.month}: {sla_text(report.sla)}",
        f"- {report.previous_month}: {sla_text(report.sla_last_month)}",
        "",
        "## Duplicates deflected by the assistant 助手拦截的重复反馈",
        "",
        f"- {report.month}: {report.deflected} of {report.duplicates} duplicates got the earlier fix at once "
        f"/ {report.duplicates} 条重复反馈中 {report.deflected} 条当即获得了已有的解决办法",
        f"- {report.previous_month}: {report.deflected_last_month} of {report.duplicates_last_month} "
        f"/ {report.duplicates_last_month} 条中 {report.deflected_last_month} 条",
        "",
        "## Top themes in detail 主要主题详情",
        "",
    ]
    for t in report.top:
        if not t.on_agenda:
            lines += _theme_block(t)
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = (
    "id",
    "created_at",
    "theme_id",
    "theme",
    "kind",
    "severity",
    "status",
    "language",
    "department",
    "reporter",
    "duplicate_of",
    "sla_due",
    "sla",
    "text",
)


def _safe(value: object) -> str:
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def items_csv(report: CommitteeReport) -> str:
    """The month's items, one row each (UTF-8 with BOM added by the caller if a spreadsheet needs it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        data = row.model_dump()
        writer.writerow([_safe(data[c]) for c in CSV_COLUMNS])
    return out.getvalue()
