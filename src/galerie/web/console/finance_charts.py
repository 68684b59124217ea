"""Charts drawn on the server as inline SVG from the figures, no JavaScript: columns (one
value per day) and bars (one value per shop). Every text is escaped; each chart has a
<title> (role="img") and every column or bar its own <title> with the figure, and the page
shows the same numbers in a table."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD, AXIS = 640, 180, 24, 20
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 18, 8, 180
Money = Callable[[int], str]


def _frame(chart_id: str, title: str, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every part escaped


def columns(
    *, chart_id: str, title: str, points: Sequence[tuple[str, int]], money: Money
) -> Markup:
    """One column per point (label, value >= 0), scaled to the largest; the largest value
    and the first and last labels are written on the chart."""
    top = max((value for _, value in points), default=0)
    plot = HEIGHT - PAD - AXIS
    step = (WIDTH - 2 * PAD) / max(len(points), 1)
    body = [f'<line class="axis" x1="{PAD}" y1="{HEIGHT - AXIS}" x2="{WIDTH - PAD}" '
            f'y2="{HEIGHT - AXIS}"/>']  # fmt: skip
    for n, (label, value) in enumerate(points):
        tall = round(plot * value / top, 1) if top > 0 and value > 0 else 0
        x, y = round(PAD + n * step + step * 0.1, 1), round(HEIGHT - AXIS - tall, 1)
        body.append(
            f'<rect class="column" x="{x}" y="{y}" width="{round(step * 0.8, 1)}" '
            f'height="{tall}"><title>{escape(label)}: {escape(money(value))}</title></rect>'
        )
    body.append(f'<text class="chart-max" x="{PAD}" y="{PAD - 8}">{escape(money(top))}</text>')
    if points:
        body.append(f'<text x="{PAD}" y="{HEIGHT - 4}">{escape(points[0][0])}</text>')
        body.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" text-anchor="end">'
                    f"{escape(points[-1][0])}</text>")  # fmt: skip
    return _frame(chart_id, title, HEIGHT, body)


def bars(*, chart_id: str, title: str, points: Sequence[tuple[str, int]], money: Money) -> Markup:
    """One horizontal bar per point (label, value >= 0), labelled and valued."""
    top = max((value for _, value in points), default=0)
    room = WIDTH - LABEL_WIDTH - 2 * PAD - 120
    height = max(len(points), 1) * (BAR_HEIGHT + BAR_GAP) + PAD
    body = []
    for n, (label, value) in enumerate(points):
        y = PAD // 2 + n * (BAR_HEIGHT + BAR_GAP)
        long = round(room * value / top, 1) if top > 0 and value > 0 else 0
        text_y = y + BAR_HEIGHT - 4
        body.append(
            f'<text x="{PAD + LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">'
            f"{escape(label[:28])}</text>"
            f'<rect class="bar" x="{PAD + LABEL_WIDTH}" y="{y}" width="{long}" '
            f'height="{BAR_HEIGHT}"><title>{escape(label)}: {escape(money(value))}</title></rect>'
            f'<text x="{PAD + LABEL_WIDTH + long + 6}" y="{text_y}">{escape(money(value))}</text>'
        )
    return _frame(chart_id, title, height, body)
