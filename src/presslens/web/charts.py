"""Charts as server-side SVG: no chart library, no script, every label escaped.

Each function returns a :class:`markupsafe.Markup` ``<svg>`` element with a ``<title>`` for
screen readers; text from articles (outlet names, technique labels, entity names) goes through
:func:`markupsafe.escape`, links are built by the caller from our own routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

__all__ = ["bar_chart", "heatmap", "month_chart", "timeline_chart"]

BAR_COLOUR = "#0b5cad"
HEAT_RGB = (185, 28, 28)
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(width: int, height: int, title: str, body: list[Markup]) -> Markup:
    head = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title>{t}</title>'
    ).format(w=width, h=height, t=title)
    return head + Markup("").join(body) + Markup("</svg>")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    hrefs: Sequence[str | None] | None = None,
    width: int = 420,
) -> Markup:
    """Horizontal bars, one row per ``(label, value)``; a label links when its href is given."""
    row, label_w = 20, 170
    height = max(row * len(items) + 6, 26)
    top = max((v for _, v in items), default=0) or 1
    body: list[Markup] = []
    for i, (label, value) in enumerate(items):
        y = 3 + i * row
        w = max(1, round((width - label_w - 40) * value / top))
        text = Markup('<text x="{x}" y="{y}" text-anchor="end" {f}>{t}</text>').format(
            x=label_w - 6, y=y + 13, f=Markup(FONT), t=_short(label, 26)
        )
        href = hrefs[i] if hrefs else None
        if href:
            text = Markup('<a href="{}">{}</a>').format(href, text)
        body += [
            text,
            Markup(
                '<rect x="{x}" y="{y}" width="{w}" height="14" fill="{c}"><title>{t}: {v}</title>'
                "</rect>"
            ).format(x=label_w, y=y + 2, w=w, c=BAR_COLOUR, t=label, v=value),
            Markup('<text x="{x}" y="{y}" {f}>{v}</text>').format(
                x=label_w + w + 4, y=y + 13, f=Markup(FONT), v=value
            ),
        ]
    return _svg(width, height, title, body)


def month_chart(by_month: dict[str, int], *, title: str, width: int = 420) -> Markup:
    """Vertical bars per month (``YYYY-MM`` keys, in order), first and last month labelled."""
    months = sorted(by_month)
    height, base = 130, 105
    if not months:
        return _svg(
            width, 30, title, [Markup('<text x="4" y="18" {}>no dates</text>').format(Markup(FONT))]
        )
    top = max(by_month.values()) or 1
    step = (width - 20) / len(months)
    body: list[Markup] = []
    for i, month in enumerate(months):
        value = by_month[month]
        h = max(1, round(90 * value / top))
        body.append(
            Markup(
                '<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{h}" fill="{c}">'
                "<title>{m}: {v}</title></rect>"
            ).format(
                x=10 + i * step, y=base - h, w=max(step - 2, 1), h=h, c=BAR_COLOUR, m=month, v=value
            )
        )
    body.append(Markup('<text x="10" y="122" {f}>{m}</text>').format(f=Markup(FONT), m=months[0]))
    if len(months) > 1:
        body.append(
            Markup('<text x="{x}" y="122" text-anchor="end" {f}>{m}</text>').format(
                x=width - 10, f=Markup(FONT), m=months[-1]
            )
        )
    body.append(
        Markup('<text x="{x}" y="12" text-anchor="end" {f}>max {v}/month</text>').format(
            x=width - 10, f=Markup(FONT), v=top
        )
    )
    return _svg(width, height, title, body)


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    values: dict[str, dict[str, float]],
    *,
    title: str,
    row_hrefs: Sequence[str | None] | None = None,
    col_hrefs: Sequence[str | None] | None = None,
    fmt: str = "{:.0f}",
) -> Markup:
    """A rows × cols grid; cell colour is the value relative to the largest cell."""
    cell, left, top_h = 34, 170, 110
    width = left + cell * len(cols) + 90  # room for the last slanted column label
    height = top_h + cell * len(rows) + 6
    top = max((v for r in values.values() for v in r.values()), default=0) or 1
    body: list[Markup] = []
    for j, col in enumerate(cols):
        x = left + j * cell + cell // 2
        label = Markup('<text transform="translate({x},{y}) rotate(-50)" {f}>{t}</text>').format(
            x=x, y=top_h - 6, f=Markup(FONT), t=_short(col, 22)
        )
        href = col_hrefs[j] if col_hrefs else None
        body.append(Markup('<a href="{}">{}</a>').format(href, label) if href else label)
    for i, row in enumerate(rows):
        y = top_h + i * cell
        label = Markup('<text x="{x}" y="{y}" text-anchor="end" {f}>{t}</text>').format(
            x=left - 6, y=y + cell // 2 + 4, f=Markup(FONT), t=_short(row or "(unknown)", 26)
        )
        href = row_hrefs[i] if row_hrefs else None
        body.append(Markup('<a href="{}">{}</a>').format(href, label) if href else label)
        for j, col in enumerate(cols):
            value = values.get(row, {}).get(col, 0)
            alpha = 0.06 + 0.94 * value / top if value else 0.0
            r, g, b = HEAT_RGB
            body.append(
                Markup(
                    '<rect x="{x}" y="{y}" width="{c}" height="{c}" fill="rgb({r},{g},{b})" '
                    'fill-opacity="{a:.2f}" stroke="#d8dee4">'
                    "<title>{row} · {col}: {v}</title></rect>"
                ).format(
                    x=left + j * cell,
                    y=y,
                    c=cell,
                    r=r,
                    g=g,
                    b=b,
                    a=alpha,
                    row=row,
                    col=col,
                    v=fmt.format(value),
                )
            )
            if value:
                body.append(
                    Markup(
                        '<text x="{x}" y="{y}" text-anchor="middle" fill="{fill}" {f}>{v}</text>'
                    ).format(
                        x=left + j * cell + cell // 2,
                        y=y + cell // 2 + 4,
                        fill="#fff" if alpha > 0.55 else "#1f2328",
                        f=Markup(FONT),
                        v=fmt.format(value),
                    )
                )
    return _svg(width, height, title, body)


def timeline_chart(
    points: Sequence[tuple[str, str, str | None]], *, title: str, width: int = 640
) -> Markup:
    """Dots on a date axis: ``(YYYY[-MM[-DD]], label, href)``; undated values are left out."""
    dated: list[tuple[date, str, str | None]] = []
    for value, label, href in points:
        day = _as_date(value)
        if day is not None:
            dated.append((day, label, href))
    if not dated:
        return _svg(
            width,
            30,
            title,
            [Markup('<text x="4" y="18" {}>no dated events</text>').format(Markup(FONT))],
        )
    dated.sort(key=lambda t: t[0])
    lo, hi = dated[0][0].toordinal(), dated[-1][0].toordinal()
    span = max(hi - lo, 1)
    height, axis = 90, 50
    body: list[Markup] = [
        Markup('<line x1="20" y1="{y}" x2="{x}" y2="{y}" stroke="#59636e"/>').format(
            y=axis, x=width - 20
        )
    ]
    lanes: dict[int, int] = {}
    for day, label, href in dated:
        x = 20 + round((width - 40) * (day.toordinal() - lo) / span)
        lane = lanes.get(x, 0)
        lanes[x] = lane + 1
        dot = Markup(
            '<circle cx="{x}" cy="{y}" r="5" fill="{c}"><title>{d}: {t}</title></circle>'
        ).format(x=x, y=axis - 8 * lane, c=BAR_COLOUR, d=day.isoformat(), t=label)
        body.append(Markup('<a href="{}">{}</a>').format(href, dot) if href else dot)
    body.append(
        Markup('<text x="20" y="{y}" {f}>{d}</text>').format(
            y=axis + 22, f=Markup(FONT), d=dated[0][0].isoformat()
        )
    )
    if hi != lo:
        body.append(
            Markup('<text x="{x}" y="{y}" text-anchor="end" {f}>{d}</text>').format(
                x=width - 20, y=axis + 22, f=Markup(FONT), d=dated[-1][0].isoformat()
            )
        )
    return _svg(width, height, title, body)


def _as_date(value: str | None) -> date | None:
    """``2021``, ``2021-03``, ``2021-03-01`` (TIMEX3 prefixes) as a date, else None."""
    if not value or not value[:4].isdigit():
        return None
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
        return date(year, month, day)
    except ValueError:
        return None
