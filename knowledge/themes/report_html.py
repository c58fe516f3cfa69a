"""The committee report as one self-contained HTML page: the Markdown's content plus inline SVG charts (top
themes, growth against last month, SLA compliance, duplicates deflected). Every piece of data is escaped."""

from __future__ import annotations

from html import escape

from knowledge.themes import charts
from knowledge.themes.report import CommitteeReport, ReportTheme
from knowledge.themes.report_render import growth_text, percent, sla_text

_STYLE = """body{font-family:system-ui,sans-serif;max-width:760px;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}
td.n{text-align:right}blockquote{margin:.3em 0 .3em 1em;color:#444;border-left:3px solid #ccd;padding-left:.6em}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #eee}.muted{color:#666}"""


def _theme(theme: ReportTheme) -> str:
    parts = [f"<h3>{escape(theme.name)} <span class=muted>#{theme.id}</span></h3><ul>"]
    parts.append(
        f"<li>Items 反馈数: <b>{theme.count}</b> (last month 上月 {theme.last_month}, "
        f"{escape(growth_text(theme))}), open 未解决 {theme.open}</li>"
    )
    if theme.keywords:
        parts.append(f"<li>Keywords 关键词: {escape(', '.join(theme.keywords))}</li>")
    parts.append(f"<li>SLA 响应时限: {escape(sla_text(theme.sla))}</li>")
    if theme.task_id:
        parts.append(f"<li>Backlog task 待办任务: #{theme.task_id} {escape(theme.task_title or '')}</li>")
    if theme.agenda_note:
        parts.append(f"<li>Note 备注: {escape(theme.agenda_note)}</li>")
    parts.append("</ul>")
    parts += [f"<blockquote>{escape(q.text)} <span class=muted>#{q.id}</span></blockquote>" for q in theme.quotes]
    return "".join(parts)


def html(report: CommitteeReport) -> str:
    """The report as a standalone HTML document."""
    month, before = escape(report.month), escape(report.previous_month)
    top_rows = [(t.name, t.count, t.last_month) for t in report.top]
    changes = sorted(report.top, key=lambda t: -(t.count - t.last_month))
    sla_rows = [
        (month, [("met", report.sla.met), ("missed", report.sla.missed), ("pending", report.sla.pending)]),
        (
            before,
            [
                ("met", report.sla_last_month.met),
                ("missed", report.sla_last_month.missed),
                ("pending", report.sla_last_month.pending),
            ],
        ),
    ]
    legend = {"met": "met 达标", "missed": "missed 超时", "pending": "pending 待定"}
    dup_rows = [
        ("duplicates 重复", report.duplicates, report.duplicates_last_month),
        ("deflected 拦截", report.deflected, report.deflected_last_month),
    ]
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(t.name)}</td><td class=n>{t.count}</td><td class=n>{t.last_month}</td>"
        f"<td class=n>{escape(growth_text(t))}</td><td class=n>{t.open}</td>"
        f"<td class=n>{percent(t.sla.compliance)}</td></tr>"
        for i, t in enumerate(report.top, start=1)
    )
    agenda = "".join(_theme(t) for t in report.agenda) or "<p>No theme is marked for the agenda yet. 暂无议程主题。</p>"
    details = "".join(_theme(t) for t in report.top if not t.on_agenda)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>User committee report 用户委员会月报 {month}</title>
<style>{_STYLE}</style></head><body>
<h1>User committee report 用户委员会月报 — {month}</h1>
<p>Feedback this month 本月反馈: <b>{report.items}</b> (last month 上月 {report.last_month_items});
unthemed 未归类 {report.unthemed}.</p>
<h2>Top themes 主要主题</h2>
{charts.top_themes(top_rows, "Top themes this month vs last month 本月与上月主要主题")}
<table><tr><th>#</th><th>Theme 主题</th><th>Items 数量</th><th>Last month 上月</th><th>Change 变化</th>
<th>Open 未解决</th><th>SLA</th></tr>{rows}</table>
<h2>Growth against last month 环比变化</h2>
{charts.growth([(t.name, t.count - t.last_month) for t in changes], "Change against last month 环比变化")}
<h2>On the agenda 议程</h2>{agenda}
<h2>SLA compliance 响应时限达成率</h2>
<p>{month}: {escape(sla_text(report.sla))}<br>{before}: {escape(sla_text(report.sla_last_month))}</p>
{charts.stacked(sla_rows, "SLA compliance 响应时限达成率", legend)}
<h2>Duplicates deflected by the assistant 助手拦截的重复反馈</h2>
<p>{report.deflected} of {report.duplicates} duplicates this month got the earlier fix at once.
本月 {report.duplicates} 条重复反馈中有 {report.deflected} 条当即获得了已有的解决办法。</p>
{charts.pairs(dup_rows, "Duplicates deflected 拦截的重复反馈", month, before)}
<h2>Top themes in detail 主要主题详情</h2>{details}
<p class=muted>Generated 生成于 {escape(report.generated_at.isoformat(timespec="seconds"))}</p>
</body></html>
"""
