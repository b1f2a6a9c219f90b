"""Server-rendered SVG charts: no JavaScript, readable on a 375 px phone, described for screen
readers (``role="img"`` with ``<title>`` and ``<desc>``; the page shows the same numbers as a
table beside each chart).

The drawing is 360 units wide: on a phone it is shown at about its own size, so the 11-unit
labels stay about 11 px; on a desktop it is scaled up with the page's width. Colours are
presentation attributes (the site's policy allows no inline styles) and contrast at least 3:1
with the white background (WCAG 1.4.11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 28, 44  # margins around the plot area
INK, GRID, MUTED = "#1b1b1b", "#d0d0d0", "#4a4a4a"
# Distinct for colour-blind readers too (blue, vermilion, green), each ≥ 3:1 on white.
COLOURS = ("#1f5fa8", "#b5371b", "#1e6b2e")
DASHES = ("", "6 3", "2 3")  # a second cue besides colour


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no value that month (nothing to measure)


def _nice_max(value: float) -> float:
    """The axis' top: 1, 2, 4 or 8 times a power of ten, at least ``value`` (so that its four
    ticks are whole numbers from 4 up)."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 4, 8, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def _number(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", " ")


def _frame(title: str, desc: str, body: list[str], ident: str) -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        'role="img" '
        f'class="chart" aria-labelledby="{ident}-t {ident}-d" font-family="sans-serif">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<text x="{LEFT}" y="16" font-size="12" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # every text above is escaped


def _axes(labels: Sequence[str], top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - BOTTOM - plot_h * i / 4
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{escape(_number(value) + unit)}</text>'
        )
    step = max(1, -(-len(labels) // 6))  # at most 6 month labels, so they never overlap
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{INK}"/>'
    )
    return out


def _legend(series: Sequence[Series]) -> list[str]:
    out, x = [], LEFT
    y = HEIGHT - 10
    for i, s in enumerate(series):
        dash = f' stroke-dasharray="{DASHES[i % 3]}"' if DASHES[i % 3] else ""
        out.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y - 4}" y2="{y - 4}" stroke="{COLOURS[i % 3]}" '
            f'stroke-width="3"{dash}/>'
            f'<text x="{x + 22}" y="{y}" font-size="10" fill="{INK}">{escape(s.name)}</text>'
        )
        x += 28 + 6 * len(s.name)
    return out


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[int], *, ident: str, unit: str = ""
) -> SafeString:
    """One bar per label (a month), its value written above it."""
    top = _nice_max(max(max(values, default=0), 4))  # whole-number ticks for small counts
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axes(labels, top, unit)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = LEFT + slot * i + slot * 0.15
        y = HEIGHT - BOTTOM - h
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[0]}" data-value={quoteattr(str(value))}>'
            f"<title>{escape(f'{label}: {_number(value)}{unit}')}</title></rect>"
        )
        if len(labels) <= 12:
            body.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" font-size="9" '
                f'text-anchor="middle" fill="{INK}">{escape(_number(value))}</text>'
            )
    desc = "; ".join(
        f"{label}: {_number(v)}{unit}" for label, v in zip(labels, values, strict=True)
    )
    return _frame(title, desc, body, ident)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    ident: str,
    unit: str = "%",
    top: float = 100,
) -> SafeString:
    """One line per series over the labels; a month without a value breaks the line."""
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axes(labels, top, unit)
    for n, s in enumerate(series):
        colour, dash = COLOURS[n % 3], DASHES[n % 3]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = LEFT + slot * (i + 0.5)
            y = HEIGHT - BOTTOM - plot_h * min(value, top) / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" '
                f"data-series={quoteattr(s.name)} data-value={quoteattr(f'{value:.1f}')}>"
                f"<title>{escape(f'{s.name}, {labels[i]}: {_number(value)}{unit}')}</title>"
                "</circle>"
            )
        for run in runs:
            if len(run) > 1:
                dashing = f' stroke-dasharray="{dash}"' if dash else ""
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dashing}/>'
                )
    body += _legend(series)
    desc = " ".join(
        f"{s.name}: "
        + "; ".join(
            f"{label} {'—' if v is None else _number(v) + unit}"
            for label, v in zip(labels, s.values, strict=True)
        )
        + "."
        for s in series
    )
    return _frame(title, desc, body, ident)
