"""Small inline SVG charts for the committee report: no script, no external file, every label escaped. Pure
functions: figures in, an `<svg>` string out."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
ROW = 26
LABEL_W = 230
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
COLOURS = {"now": "#2f6fde", "before": "#b9c7e0", "up": "#d9534f", "down": "#3c9d5d", "met": "#3c9d5d"}
COLOURS |= {"missed": "#d9534f", "pending": "#c9cdd4", "dup": "#8a6fd1"}


def _text(x: float, y: float, text: str, anchor: str = "start", colour: str = "#222") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}" {FONT}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, colour: str, title: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{colour}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _svg(height: float, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _short(name: str, n: int = 34) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def top_themes(rows: Sequence[tuple[str, int, int]], title: str) -> str:
    """Bars of (name, this month, last month): dark for this month, light for last month."""
    top = max([1, *(max(a, b) for _, a, b in rows)])
    scale = (WIDTH - LABEL_W - 50) / top
    body: list[str] = []
    for i, (name, now, before) in enumerate(rows):
        y = 10 + i * ROW
        body.append(_text(LABEL_W - 8, y + 14, _short(name), "end"))
        body.append(_rect(LABEL_W, y + 2, before * scale, 18, COLOURS["before"], f"{name}: {before} (last month)"))
        body.append(_rect(LABEL_W, y + 6, now * scale, 10, COLOURS["now"], f"{name}: {now}"))
        body.append(_text(LABEL_W + max(now, before) * scale + 6, y + 15, str(now)))
    return _svg(20 + len(rows) * ROW, title, body)


def growth(rows: Sequence[tuple[str, int]], title: str) -> str:
    """Diverging bars of (name, change against last month): red right for growth, green left for decline."""
    top = max([1, *(abs(d) for _, d in rows)])
    half = (WIDTH - LABEL_W - 40) / 2
    mid = LABEL_W + half
    body = [f'<line x1="{mid:.1f}" y1="4" x2="{mid:.1f}" y2="{12 + len(rows) * ROW}" stroke="#888"/>']
    for i, (name, delta) in enumerate(rows):
        y = 10 + i * ROW
        w = abs(delta) / top * (half - 30)
        x = mid if delta >= 0 else mid - w
        colour = COLOURS["up"] if delta > 0 else COLOURS["down"]
        body.append(_text(LABEL_W - 8, y + 14, _short(name), "end"))
        body.append(_rect(x, y + 4, w, 14, colour, f"{name}: {delta:+d}"))
        label_x = mid + w + 4 if delta >= 0 else mid - w - 4
        body.append(_text(label_x, y + 15, f"{delta:+d}", "start" if delta >= 0 else "end"))
    return _svg(20 + len(rows) * ROW, title, body)


def stacked(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], title: str, legend: dict[str, str]) -> str:
    """One 100% bar per row of (label, [(part, count)…]), coloured by part, with the legend below."""
    body: list[str] = []
    span = WIDTH - LABEL_W - 20
    for i, (label, parts) in enumerate(rows):
        y = 10 + i * 34
        total = sum(n for _, n in parts) or 1
        body.append(_text(LABEL_W - 8, y + 16, label, "end"))
        x = float(LABEL_W)
        for part, n in parts:
            w = n / total * span
            body.append(_rect(x, y + 4, w, 18, COLOURS.get(part, "#999"), f"{legend.get(part, part)}: {n}"))
            if w > 28:
                body.append(_text(x + w / 2, y + 17, str(n), "middle", "#fff"))
            x += w
    y = 14 + len(rows) * 34
    x = float(LABEL_W)
    for part, name in legend.items():
        body.append(_rect(x, y, 10, 10, COLOURS.get(part, "#999"), name))
        body.append(_text(x + 14, y + 9, name))
        x += 24 + 7 * len(name)
    return _svg(y + 22, title, body)


def pairs(rows: Sequence[tuple[str, int, int]], title: str, now_label: str, before_label: str) -> str:
    """Grouped bars of (label, this month, last month)."""
    top = max([1, *(max(a, b) for _, a, b in rows)])
    scale = (WIDTH - LABEL_W - 120) / top  # room for the value and the month after the longest bar
    body: list[str] = []
    for i, (label, now, before) in enumerate(rows):
        y = 10 + i * 46
        body.append(_text(LABEL_W - 8, y + 20, label, "end"))
        body.append(_rect(LABEL_W, y + 2, now * scale, 16, COLOURS["dup"], f"{label}, {now_label}: {now}"))
        body.append(_text(LABEL_W + now * scale + 6, y + 14, f"{now} {now_label}"))
        body.append(_rect(LABEL_W, y + 22, before * scale, 16, COLOURS["before"], f"{label}, {before_label}: {before}"))
        body.append(_text(LABEL_W + before * scale + 6, y + 34, f"{before} {before_label}"))
    return _svg(20 + len(rows) * 46, title, body)


def sparkline(values: Sequence[int], width: int = 96, height: int = 22) -> str:
    """A tiny line of weekly counts."""
    if not values:
        return ""
    top = max([1, *values])
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}" for i, v in enumerate(values))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline points="{points}" fill="none" stroke="{COLOURS["now"]}" stroke-width="1.5"/></svg>'
    )
