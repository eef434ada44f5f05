"""Server-rendered SVG charts for the figures page: bars for categories, columns for a trend,
progress bars for targets. The tags only lay out numbers they are given; no queries.

Each chart is an `<svg role="img">` with a <title> and <desc>, followed by its data table.
"""

from django import template

from catalog.text import grouped

register = template.Library()

# The site palette (site.css custom properties), as fills that work without the stylesheet.
COLOURS = {
    "green": "#0b5d3f",   # --green-700
    "gold": "#e0a100",    # --gold-500
    "red": "#b3121f",     # --red-700
    "track": "#e3f1ea",   # --green-100
    "ink": "#1d2522",     # --ink
    "soft": "#55605b",    # --ink-soft
    "line": "#dcd8cf",    # --line
}

# Category bars: the label on its own line above each bar, so long group names fit.
BAR_WIDTH = 560
BAR_ROW = 46
BAR = 18
MAX_LABEL = 72
# Full-width charts (trend, targets).
WIDE = 960
LABEL_WIDTH = 260
BAR_LEFT = LABEL_WIDTH + 10
ROW = 34


@register.filter(name="grouped")
def grouped_filter(value):
    """An integer grouped in thousands as the active language writes it: 12345 → "12.345" in
    Vietnamese, "12,345" in English (`catalog.text.grouped`); not a whole number → as it is."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        return grouped(int(value))
    except (TypeError, ValueError):
        return value


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _summary(rows) -> str:
    return "; ".join(f"{label}: {grouped_filter(value)}" for label, value in rows)


@register.inclusion_tag("storefront/includes/bar_chart.html")
def bar_chart(rows, title, chart_id, label_heading, value_heading, colour="green"):
    """A horizontal bar chart of [(label, value)] and its table."""
    rows = [(str(label), int(value or 0)) for label, value in rows]
    top = max((value for _label, value in rows), default=0) or 1
    longest = BAR_WIDTH - 12 - 10 * len(f"{top:,}")  # room for the value after the longest bar
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * BAR_ROW
        length = round(value * longest / top) if value else 0
        bars.append({
            "label": label, "short": _short(label), "value": value,
            "label_y": y + 16, "bar_y": y + 22, "value_y": y + 22 + BAR - 4,
            "length": max(length, 2 if value else 0), "value_x": length + 8,
        })
    return {
        "rows": rows, "bars": bars, "title": title, "id": chart_id,
        "label_heading": label_heading, "value_heading": value_heading,
        "height": len(rows) * BAR_ROW + 4, "width": BAR_WIDTH,
        "bar_height": BAR, "fill": COLOURS.get(colour, COLOURS["green"]), "colours": COLOURS,
        "summary": _summary(rows),
    }


@register.inclusion_tag("storefront/includes/column_chart.html")
def column_chart(rows, title, chart_id, label_heading, value_heading, colour="green"):
    """A column chart of [(year, value)] in order, with a baseline, and its table."""
    rows = [(str(label), int(value or 0)) for label, value in rows]
    height, top_pad, bottom_pad = 260, 28, 30
    plot = height - top_pad - bottom_pad
    top = max((value for _label, value in rows), default=0) or 1
    slot = (WIDE - 20) / max(len(rows), 1)
    width = min(56, slot * 0.7)
    columns = []
    for index, (label, value) in enumerate(rows):
        column_height = round(value * plot / top) if value else 0
        x = 10 + index * slot + (slot - width) / 2
        columns.append({
            "label": label, "value": value, "x": round(x, 1), "width": round(width, 1),
            "y": top_pad + plot - column_height, "height": column_height,
            "centre": round(x + width / 2, 1), "value_y": top_pad + plot - column_height - 6,
        })
    return {
        "rows": rows, "columns": columns, "title": title, "id": chart_id,
        "label_heading": label_heading, "value_heading": value_heading,
        "width": WIDE, "height": height, "baseline": top_pad + plot, "label_y": height - 10,
        "fill": COLOURS.get(colour, COLOURS["green"]), "colours": COLOURS, "summary": _summary(rows),
    }


@register.inclusion_tag("storefront/includes/progress_chart.html")
def progress_chart(targets, title, chart_id):
    """One progress bar per target (achieved / target, capped at the full track) and a table."""
    track = WIDE - BAR_LEFT - 130
    bars = []
    for index, target in enumerate(targets):
        y = index * ROW + 6
        bars.append({
            **target,
            "y": y, "text_y": y + 20 // 2 + 5, "track": track,
            "length": round(track * target["percent"] / 100),
            "value_x": BAR_LEFT + track + 8,
        })
    return {
        "targets": targets, "bars": bars, "title": title, "id": chart_id,
        "width": WIDE, "height": len(targets) * ROW + 12, "label_x": LABEL_WIDTH, "bar_left": BAR_LEFT,
        "bar_height": 20, "colours": COLOURS,
    }
