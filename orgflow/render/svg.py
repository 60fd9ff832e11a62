"""Small inline-SVG drawings for the HTML report: the swimlane, bars, a stacked bar, a histogram.

Every function returns an ``<svg>`` element as a string, for inline use in HTML (no ``xmlns``,
no external reference): a ``viewBox`` and a natural ``width``/``height``, so CSS
``max-width: 100%; height: auto`` scales it down on a narrow screen or an A4 page. Every text
is escaped. Sizes are in CSS pixels; text widths are estimated (no font metrics at hand).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from orgflow.diagram import Swimlane
from orgflow.escape import html as escape_html
from orgflow.render.formats import Renderer

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#d9dee5"
ACCENT = "#1f4e9c"
RED = "#c0392b"
RED_FILL = "#fdecea"
STEP_FILL = "#f4f7fb"
LANE_FILLS = ("#fbfaf3", "#f3f6fa")
OK = "#3a7d44"
HIGH = "#d68910"

#: Average glyph width as a share of the font size, for a sans-serif face (slightly generous).
CHAR_WIDTH = 0.58


def esc(text: str) -> str:
    """Text or attribute value for SVG/HTML: ``& < > " '`` escaped.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The escaped text.
    """
    return escape_html(text)


def num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing ``.0``.

    Parameters
    ----------
    value : float
        The figure.

    Returns
    -------
    str
        The coordinate.

    Examples
    --------
    >>> num(12.0), num(3.14159), num(-0.04)
    ('12', '3.1', '0')
    """
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def fits(font_size: float, width: float) -> int:
    """How many characters of ``font_size`` fit in ``width`` pixels (at least 1).

    Parameters
    ----------
    font_size : float
        The font size, in CSS pixels.
    width : float
        The width, in CSS pixels.

    Returns
    -------
    int
        The number of characters.
    """
    return max(1, int(width / (font_size * CHAR_WIDTH)))


def wrap(text: str, max_chars: int, max_lines: int) -> list[str]:
    """Words in lines of at most ``max_chars``, at most ``max_lines`` lines; ``…`` marks a cut.

    Parameters
    ----------
    text : str
        The text.
    max_chars : int
        The most characters of a line.
    max_lines : int
        The most lines.

    Returns
    -------
    list of str
        The lines.

    Examples
    --------
    >>> wrap("Confirm the order to the customer", 16, 2)
    ['Confirm the', 'order to the…']
    >>> wrap("sara.de_luca+carla.rizzi", 10, 3)
    ['sara.de_lu', 'ca+carla.r', 'izzi']
    >>> wrap("", 5, 2)
    ['']
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > max_chars:  # a word longer than a line is broken
            room = max_chars - len(current) - (1 if current else 0)
            if room <= 0:
                lines.append(current)
                current, room = "", max_chars
            current = f"{current} {word[:room]}" if current else word[:room]
            word = word[room:]
        if not word:
            continue
        if current and len(current) + 1 + len(word) > max_chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [
            *lines[: max_lines - 1],
            (last[: max_chars - 1] if len(last) >= max_chars else last) + "…",
        ]
    return lines


def clip(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` with ``…``.

    Parameters
    ----------
    text : str
        The text.
    max_chars : int
        The most characters of a line.

    Returns
    -------
    str
        The text, cut if need be.
    """
    return text if len(text) <= max_chars else text[: max(max_chars - 1, 0)] + "…"


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg class="{esc(css_class)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" '
        f'font-family="{esc(FONT)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{esc(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
    attrs: Sequence[tuple[str, str]] = (),
) -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    extra += "".join(f' {name}="{esc(value)}"' for name, value in attrs)
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{fill}" '
        f'text-anchor="{anchor}"{extra}>{esc(text)}</text>'
    )


# -- the swimlane ------------------------------------------------------------------------------

LANE_W = 184  # a lane's width
BOX_W = 166
GAP_Y = 30  # between two rows of boxes
HEAD_PAD = 10
TITLE_SIZE = 13
SMALL = 11
LINE = 15


@dataclass(frozen=True)
class Placed:
    """Where a step's box is drawn: its row (top to bottom) and its lane (left to right)."""

    row: int
    lane: int


def layout(sw: Swimlane) -> dict[str, Placed]:
    """A row per step: one below the latest of its predecessors, and further down if its lane
    already has a box there; lanes are columns in the order a request reaches them.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).

    Returns
    -------
    dict of str to Placed
        Each box's row and lane.

    Examples
    --------
    >>> from orgflow.diagram import Arrow, Box, Lane, Swimlane
    >>> def box(i, lane):
    ...     return Box(i, i, i, lane, i, 1, 0, True, ("x",), 1, False)
    >>> sw = Swimlane("o", "p", 1, (), (), 1.0, 1, 1.0, 8.0,
    ...     (Lane("L1", "a", ("a",), False, "a"), Lane("L2", "b", ("b",), False, "b")),
    ...     (box("s1", "L1"), box("s2", "L2"), box("s3", "L1"), box("s4", "L1")),
    ...     (Arrow("s1", "s2", True, False), Arrow("s1", "s3", False, False),
    ...      Arrow("s1", "s4", False, False)))
    >>> {k: (p.row, p.lane) for k, p in layout(sw).items()}
    {'s1': (0, 0), 's2': (1, 1), 's3': (1, 0), 's4': (2, 0)}
    """
    lanes = {lane.id: i for i, lane in enumerate(sw.lanes)}
    preds: dict[str, list[str]] = {b.id: [] for b in sw.boxes}
    for arrow in sw.arrows:
        preds[arrow.target].append(arrow.source)
    placed: dict[str, Placed] = {}
    used: set[tuple[int, int]] = set()
    for b in sw.boxes:  # boxes come in topological order
        row = max((placed[p].row + 1 for p in preds[b.id]), default=0)
        lane = lanes[b.lane]
        while (row, lane) in used:
            row += 1
        used.add((row, lane))
        placed[b.id] = Placed(row, lane)
    return placed


#: The legend under a swimlane: (kind, colour, stroke width, words).
_LEGEND = [
    ("line", ACCENT, 2.4, "handoff on the critical path"),
    ("line", MUTED, 2.4, "other handoff"),
    ("line", MUTED, 1.2, "same desk"),
    ("box", RED, 2.0, "single point of failure"),
]
#: Added to the legend of a route with rework loops (issue 13).
_REWORK_LEGEND = [("dashed", "#b9770e", 1.4, "rework: back to an earlier step")]
REWORK = "#b9770e"


def _legend_width(text: str) -> float:
    return 32 + len(text) * SMALL * CHAR_WIDTH + 18


def swimlane_svg(sw: Swimlane, id_prefix: str = "sw") -> str:
    """The route as swimlanes: a column per desk under its name, each step a box in its
    desk's column (red when one person alone can do it), arrows for the precedence edges
    (bold for handoffs, blue on the critical path), and a legend under it.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).
    id_prefix : str
        Keeps the arrowhead ids unique when several drawings share a page.

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    placed = layout(sw)
    rows = max((p.row for p in placed.values()), default=0) + 1
    inner = BOX_W - 12
    box_lines = []
    for b in sw.boxes:
        first, *others = sw.lines(b, marks=True)
        box_lines.append(
            (wrap(first, fits(TITLE_SIZE, inner), 2), [clip(x, fits(SMALL, inner)) for x in others])
        )
    box_h = max((len(t) + len(r) for t, r in box_lines), default=1) * LINE + 12
    heads = [wrap(lane.label, fits(SMALL + 1, LANE_W - 14), 4) for lane in sw.lanes]
    head_h = max((len(h) for h in heads), default=1) * LINE + 2 * HEAD_PAD
    lanes_w = max(len(sw.lanes), 1) * LANE_W
    body_h = rows * (box_h + GAP_Y) + GAP_Y / 2
    legend_y = head_h + body_h + 22
    legend = _LEGEND + (_REWORK_LEGEND if sw.reworks else [])
    legend_w = sum(_legend_width(text) for *_, text in legend) + 10
    width = max(lanes_w, min(legend_w, 2 * LANE_W))
    legend_rows = _legend_rows(width, legend)
    height = legend_y + (len(legend_rows) - 1) * 18 + 10
    body = [
        "<defs>",
        *(
            f'<marker id="{esc(id_prefix)}-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            for name, color in (("crit", ACCENT), ("plain", MUTED))
            + ((("rework", REWORK),) if sw.reworks else ())
        ),
        "</defs>",
    ]
    body += _lane_heads(heads, head_h, body_h)

    def box_xy(box_id: str) -> tuple[float, float]:
        p = placed[box_id]
        return p.lane * LANE_W + (LANE_W - BOX_W) / 2, head_h + GAP_Y / 2 + p.row * (box_h + GAP_Y)

    occupied = {(p.row, p.lane) for p in placed.values()}
    for arrow in sorted(sw.arrows, key=lambda a: a.critical):  # critical arrows on top
        src, dst = placed[arrow.source], placed[arrow.target]
        around = src.lane == dst.lane and any(
            (r, src.lane) in occupied for r in range(src.row + 1, dst.row)
        )
        d = _arrow_path(
            box_xy(arrow.source), box_xy(arrow.target), box_h, src.lane, dst.lane, around
        )
        color, marker = (ACCENT, "crit") if arrow.critical else (MUTED, "plain")
        stroke = 2.4 if arrow.handoff else 1.2
        kind = "handoff" if arrow.handoff else "same-desk"
        body.append(
            f'<path class="arrow {kind}" d="{d}" fill="none" stroke="{color}" '
            f'stroke-width="{stroke}" marker-end="url(#{esc(id_prefix)}-{marker})"/>'
        )
    for rework in sw.reworks:
        body += _rework_arrow(
            sw.rework_label(rework), box_xy(rework.source), box_xy(rework.target), box_h, id_prefix
        )
    for b, (heading, rest) in zip(sw.boxes, box_lines, strict=True):
        body += _step_box(b.spof, box_xy(b.id), box_h, heading, rest)
    body += _legend(legend_rows, legend_y)
    return _svg(width, height, f"{sw.title}. {sw.caption}", body, "chart swimlane")


def _rework_arrow(
    text: str,
    source: tuple[float, float],
    target: tuple[float, float],
    box_h: float,
    id_prefix: str,
) -> list[str]:
    """A rework loop (issue 13): a dashed arrow from the left side of its last step back up
    to the left side of the step it goes back to, its probability written beside it."""
    sx, sy = source
    tx, ty = target
    y1, y2 = sy + box_h / 2, ty + box_h / 2
    side = max(min(sx, tx) - 8, 1.0)
    d = f"M{num(sx)},{num(y1)} C{num(side)},{num(y1)} {num(side)},{num(y2)} {num(tx - 2)},{num(y2)}"
    return [
        f'<path class="arrow rework" d="{d}" fill="none" stroke="{REWORK}" stroke-width="1.4" '
        f'stroke-dasharray="5 3" marker-end="url(#{esc(id_prefix)}-rework)"/>',
        _text(sx + 4, sy - 4, f"↺ {text}", SMALL, fill=REWORK),
    ]


def _legend_rows(
    width: float, legend: Sequence[tuple[str, str, float, str]] = ()
) -> list[list[tuple[str, str, float, str]]]:
    """The legend's items per line: a second line when the lanes are narrower than it."""
    legend_rows: list[list[tuple[str, str, float, str]]] = [[]]
    x = 10.0
    for item in legend or _LEGEND:
        w = _legend_width(item[3])
        if x + w > width and legend_rows[-1]:
            legend_rows.append([])
            x = 10.0
        legend_rows[-1].append(item)
        x += w
    return legend_rows


def _lane_heads(heads: list[list[str]], head_h: float, body_h: float) -> list[str]:
    """Each desk's column, and its name in the head."""
    body = []
    for i, lines in enumerate(heads):
        x0 = i * LANE_W
        body.append(
            f'<rect class="lane" x="{num(x0)}" y="0" width="{LANE_W}" '
            f'height="{num(head_h + body_h)}" fill="{LANE_FILLS[i % 2]}" stroke="{GRID}"/>'
        )
        body.append(
            f'<rect x="{num(x0)}" y="0" width="{LANE_W}" height="{num(head_h)}" '
            f'fill="#e8edf4" stroke="{GRID}"/>'
        )
        for k, line in enumerate(lines):
            body.append(
                _text(
                    x0 + LANE_W / 2,
                    HEAD_PAD + 11 + k * LINE,
                    line,
                    SMALL + 1,
                    anchor="middle",
                    weight="600" if k == 0 else "normal",
                )
            )
    return body


def _arrow_path(
    source: tuple[float, float],
    target: tuple[float, float],
    box_h: float,
    source_lane: int,
    target_lane: int,
    around: bool,
) -> str:
    """The path of an arrow between two boxes (their top-left corners): straight down a lane,
    ``around`` the boxes in between along the lane's right edge, or a curve across lanes."""
    sx, sy = source
    tx, ty = target
    x1, y1 = sx + BOX_W / 2, sy + box_h
    x2, y2 = tx + BOX_W / 2, ty - 2
    if around:
        side = sx + BOX_W + (LANE_W - BOX_W) / 2 - 2
        return (
            f"M{num(sx + BOX_W)},{num(sy + box_h / 2)} C{num(side)},{num(sy + box_h / 2)} "
            f"{num(side)},{num(ty + box_h / 2)} {num(tx + BOX_W + 2)},{num(ty + box_h / 2)}"
        )
    if source_lane == target_lane:
        return f"M{num(x1)},{num(y1)} L{num(x2)},{num(y2)}"
    bend = max((y2 - y1) / 2, 12)
    return (
        f"M{num(x1)},{num(y1)} C{num(x1)},{num(y1 + bend)} "
        f"{num(x2)},{num(y2 - bend)} {num(x2)},{num(y2)}"
    )


def _step_box(
    spof: bool, xy: tuple[float, float], box_h: float, heading: list[str], rest: list[str]
) -> list[str]:
    """A step's box at ``xy``: its title lines, then its figures (red for a risk mark)."""
    x, y = xy
    fill, line = (RED_FILL, RED) if spof else (STEP_FILL, MUTED)
    body = [
        f'<g class="step{" spof" if spof else ""}"><rect x="{num(x)}" y="{num(y)}" '
        f'width="{BOX_W}" height="{num(box_h)}" rx="7" fill="{fill}" stroke="{line}" '
        f'stroke-width="{2 if spof else 1.2}"/>'
    ]
    ty = y + 6 + (box_h - 12 - (len(heading) + len(rest)) * LINE) / 2 + 11
    for k, text in enumerate(heading):
        body.append(
            _text(x + BOX_W / 2, ty + k * LINE, text, TITLE_SIZE, anchor="middle", weight="600")
        )
    for k, text in enumerate(rest, start=len(heading)):
        color = RED if text.startswith("⚠") else INK
        body.append(_text(x + BOX_W / 2, ty + k * LINE, text, SMALL, anchor="middle", fill=color))
    body.append("</g>")
    return body


def _legend(legend_rows: list[list[tuple[str, str, float, str]]], legend_y: float) -> list[str]:
    body = []
    for r, items in enumerate(legend_rows):
        lx, ly = 10.0, legend_y + r * 18
        for kind, color, stroke, text in items:
            if kind in ("line", "dashed"):
                dash = ' stroke-dasharray="5 3"' if kind == "dashed" else ""
                body.append(
                    f'<line x1="{num(lx)}" y1="{num(ly - 4)}" x2="{num(lx + 26)}" '
                    f'y2="{num(ly - 4)}" stroke="{color}" stroke-width="{stroke}"{dash}/>'
                )
            else:
                body.append(
                    f'<rect x="{num(lx)}" y="{num(ly - 11)}" width="26" height="13" rx="3" '
                    f'fill="{RED_FILL}" stroke="{color}" stroke-width="{stroke}"/>'
                )
            body.append(_text(lx + 32, ly, text, SMALL, fill=MUTED))
            lx += _legend_width(text)
    return body


# -- bars -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``value`` a share (1 = 100%; ``inf`` for unbounded)."""

    label: str
    value: float
    text: str
    attrs: tuple[tuple[str, str], ...] = ()  # extra attributes of the value's text


def bar_color(value: float) -> str:
    """Green below 85%, amber from 85%, red from 100% (overloaded).

    Parameters
    ----------
    value : float
        The figure.

    Returns
    -------
    str
        A colour.
    """
    if not math.isfinite(value) or value >= 1:
        return RED
    return HIGH if value >= 0.85 else OK


def bar_scale(values: Sequence[float]) -> float:
    """The right end of a utilization scale: 100%, stretched up to 150% when someone is over
    100% (and to 150% when someone is unbounded).

    Parameters
    ----------
    values : sequence of float
        The utilizations (shares).

    Returns
    -------
    float
        The scale's right end (a share).
    """
    finite = [v for v in values if math.isfinite(v)]
    if any(not math.isfinite(v) for v in values):
        return 1.5
    return min(max([1.0, *finite]), 1.5)


def bars_svg(
    bars: Sequence[Bar], title: str, width: float = 640, *, scale: float | None = None
) -> str:
    """Horizontal bars on a 0-100% scale (stretched up to 150% when someone is over 100%),
    with a dashed line at 85% and a solid one at 100%; each value written right of the scale.
    ``scale`` (the right end) lets several charts of one figure share one scale.

    Parameters
    ----------
    bars : sequence of Bar
        The bars, top to bottom.
    title : str
        The drawing's accessible title.
    width : float
        The width, in CSS pixels.
    scale : float, optional
        The right end of the scale (the same for two offices side by side).

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    label_w = min(max((len(b.label) for b in bars), default=4) * 11 * CHAR_WIDTH + 12, 190)
    text_w = min(max((len(b.text) for b in bars), default=4) * 10.5 * CHAR_WIDTH + 14, 230)
    row = 24
    top = 22
    if scale is None:
        scale = bar_scale([b.value for b in bars])
    track = width - label_w - text_w
    height = top + row * len(bars) + 8
    body = []
    for share, dash in ((0.0, ""), (0.5, ""), (0.85, "4 3"), (1.0, "")):
        x = label_w + track * share / scale
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        strong = share == 1.0
        body.append(
            f'<line x1="{num(x)}" y1="{top - 6}" x2="{num(x)}" y2="{num(height - 4)}" '
            f'stroke="{INK if strong else GRID}" stroke-width="{1.2 if strong else 1}"{extra}/>'
        )
        body.append(_text(x, top - 9, f"{share:.0%}", 9.5, anchor="middle", fill=MUTED))
    for i, b in enumerate(bars):
        y = top + i * row
        shown = scale if not math.isfinite(b.value) else min(max(b.value, 0.0), scale)
        w = track * shown / scale
        body.append(
            _text(label_w - 8, y + 15, clip(b.label, fits(11, label_w - 10)), 11, anchor="end")
        )
        body.append(
            f'<rect class="bar" x="{num(label_w)}" y="{num(y + 4)}" width="{num(w)}" height="15" '
            f'rx="2" fill="{bar_color(b.value)}"/>'
        )
        body.append(_text(label_w + track + 10, y + 15, b.text, 10.5, attrs=b.attrs))
    return _svg(width, height, title, body, "chart bars")


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar."""

    label: str
    value: float
    text: str
    color: str


def stacked_bar_svg(
    segments: Sequence[Segment],
    title: str,
    width: float = 420,
    *,
    legend: bool = True,
    scale: float | None = None,
) -> str:
    """One bar split into its parts in proportion, with (``legend``) the parts beneath.

    Without ``scale`` the bar fills the width; with it, the full width stands for ``scale``
    (the largest total of the bars drawn side by side) so bars of one figure share one scale,
    and the rest of the track is drawn light.

    Parameters
    ----------
    segments : sequence of Segment
        The parts, left to right.
    title : str
        The drawing's accessible title.
    width : float
        The width, in CSS pixels.
    legend : bool
        Write the parts beneath the bar.
    scale : float, optional
        The right end of the scale (the same for two offices side by side).

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    total = sum(s.value for s in segments if math.isfinite(s.value) and s.value > 0)
    bar_h = 16
    body = []
    x = 0.0
    full = total
    if scale is not None and math.isfinite(scale) and scale >= total > 0:
        full = scale
        body.append(
            f'<rect class="track" x="0" y="0" width="{num(width)}" height="{bar_h}" '
            f'fill="{GRID}" opacity="0.45"/>'
        )
    for s in segments:
        if total <= 0 or not math.isfinite(s.value) or s.value <= 0:
            continue
        w = width * s.value / full
        body.append(
            f'<rect class="part" x="{num(x)}" y="0" width="{num(w)}" height="{bar_h}" '
            f'fill="{s.color}"><title>{esc(s.label)}: {esc(s.text)}</title></rect>'
        )
        x += w
    if total <= 0:
        body.append(f'<rect x="0" y="0" width="{num(width)}" height="{bar_h}" fill="{GRID}"/>')
    height = float(bar_h)
    if legend:
        columns = 2
        col_w = width / columns
        for i, s in enumerate(segments):
            cx = (i % columns) * col_w
            cy = bar_h + 10 + (i // columns) * 17
            body.append(
                f'<rect x="{num(cx)}" y="{num(cy)}" width="10" height="10" fill="{s.color}"/>'
            )
            body.append(
                _text(cx + 15, cy + 9, clip(f"{s.label} {s.text}", fits(10.5, col_w - 18)), 10.5)
            )
        height = bar_h + 10 + math.ceil(len(segments) / columns) * 17
    return _svg(width, height, title, body, "chart parts")


# -- the histogram ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bins:
    """Counts of values in equal bins from 0; ``overflow`` counts the values beyond the last."""

    width: float
    counts: tuple[int, ...]
    overflow: int

    @property
    def total(self) -> int:
        return sum(self.counts) + self.overflow

    @property
    def upper(self) -> float:
        return self.width * len(self.counts)


def nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``raw``.

    Parameters
    ----------
    raw : float
        The step wanted.

    Returns
    -------
    float
        The step.

    Examples
    --------
    >>> nice_step(0.7), nice_step(3.2), nice_step(17), nice_step(5)
    (1.0, 5.0, 20.0, 5.0)
    """
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw * (1 - 1e-12):
            return float(m * power)
    return 10.0 * power  # pragma: no cover - the loop always returns


def bin_top(values: Sequence[float]) -> float:
    """Where the bins stop: the 99th percentile of the finite values (their maximum when there
    are fewer than 100), so that a few extreme values do not squash the picture.

    Parameters
    ----------
    values : array of float
        The values (hours).

    Returns
    -------
    float
        The upper end of the bins (hours).
    """
    import numpy as np

    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return 0.0
    return float(np.percentile(data, 99)) if data.size >= 100 else float(data.max())


def bin_values(
    values: Sequence[float], unit: float = 1.0, bins: int = 30, top: float | None = None
) -> Bins:
    """Bins of a round width (1, 2 or 5 times 10^k ``unit``) from 0 up to ``top`` (default
    :func:`bin_top`; give the same ``top`` to draw two histograms on one axis); the values
    beyond the last bin are counted in ``overflow``.

    Parameters
    ----------
    values : array of float
        The values (hours).
    unit : float
        The display unit in hours (8.0: working days of 8 hours); the bin width is 1, 2
        or 5 times a power of ten of it.
    bins : int
        The most bins.
    top : float, optional
        Where the bins stop (the same for two offices side by side).

    Returns
    -------
    Bins
        The counts per bin, and the overflow beyond ``top``.

    Examples
    --------
    >>> b = bin_values([0.5, 1.5, 1.6, 2.5, 9.0], bins=3)
    >>> b.width, b.counts, b.overflow
    (5.0, (4, 1), 0)
    >>> b = bin_values([0.5, 1.5, 1.6, 2.5, 9.0], bins=3, top=2.5)
    >>> b.width, b.counts, b.overflow
    (1.0, (1, 2, 1), 1)
    """
    import numpy as np

    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return Bins(unit, (), 0)
    top = bin_top(data) if top is None else top
    width = nice_step(top / unit / bins) * unit if top > 0 else unit
    n = max(1, math.floor(top / width) + 1)
    counts, _ = np.histogram(data, bins=n, range=(0.0, n * width))
    inside = int(counts.sum())
    return Bins(width, tuple(int(c) for c in counts), int(data.size) - inside)


@dataclass(frozen=True)
class Mark:
    """A vertical line on the histogram at ``value`` (same unit as the bins)."""

    label: str
    value: float


@dataclass(frozen=True)
class _Plot:
    """The plotting area of a chart, in CSS pixels."""

    left: float
    top: float
    width: float  # of the plotting area
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


def histogram_svg(
    bins: Bins,
    marks: Sequence[Mark],
    title: str,
    *,
    unit: float = 1.0,
    unit_name: str = "h",
    width: float = 560,
    height: float = 220,
) -> str:
    """Bars of the counts over a value axis (labelled in ``unit``), the overflow as a last grey
    bar, and labelled vertical lines at the ``marks``.

    Parameters
    ----------
    bins : Bins
        The counts (:func:`bin_values`).
    marks : sequence of Mark
        Values to mark with a labelled line (p50, p90).
    title : str
        The chart's accessible title.
    unit : float
        The value of one unit of the x axis (8.0: working days of 8 hours).
    unit_name : str
        The axis' unit, in words.
    width, height : float
        The natural size.

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    right = 16.0
    plot = _Plot(44.0, 30.0, width - 44.0 - right, height - 30.0 - 34.0)
    n = len(bins.counts) + (1 if bins.overflow else 0)
    total = max(bins.total, 1)
    peak_share = max([*bins.counts, bins.overflow, 1]) / total
    step_share = nice_step(peak_share / 4)
    axis_top = math.ceil(peak_share / step_share - 1e-9) * step_share
    bar_w = plot.width / max(n, 1)
    body = [
        f'<line x1="{num(plot.left)}" y1="{num(plot.bottom)}" x2="{num(width - right)}" '
        f'y2="{num(plot.bottom)}" stroke="{INK}"/>'
    ]
    body += _share_grid(plot, width - right, axis_top, step_share)
    for i, c in enumerate(bins.counts):
        h = plot.height * c / total / axis_top
        body.append(
            f'<rect class="bin" x="{num(plot.left + i * bar_w + 0.5)}" '
            f'y="{num(plot.bottom - h)}" width="{num(max(bar_w - 1, 0.5))}" height="{num(h)}" '
            f'fill="{ACCENT}" fill-opacity="0.75"/>'
        )
    if bins.overflow:
        h = plot.height * bins.overflow / total / axis_top
        x = plot.left + len(bins.counts) * bar_w + 0.5
        body.append(
            f'<rect class="bin overflow" x="{num(x)}" y="{num(plot.bottom - h)}" '
            f'width="{num(max(bar_w - 1, 0.5))}" height="{num(h)}" fill="{MUTED}"/>'
        )
    body += _value_ticks(plot, bins, unit, n)
    if bins.overflow:
        x = plot.left + (len(bins.counts) + 0.5) * bar_w
        body.append(_text(x, plot.bottom + 15, "more", 9, anchor="middle", fill=MUTED))
    body.append(
        _text(
            plot.left + plot.width / 2,
            height - 4,
            f"lead time ({unit_name})",
            10.5,
            anchor="middle",
        )
    )
    body += _marks(plot, marks, bins.width * n)
    return _svg(width, height, title, body, "chart histogram")


def _share_grid(plot: _Plot, x_end: float, axis_top: float, step_share: float) -> list[str]:
    """The horizontal grid of a histogram, labelled in shares of the requests."""
    body = []
    for k in range(round(axis_top / step_share) + 1):
        share = k * step_share
        y = plot.bottom - plot.height * share / axis_top
        body.append(
            f'<line x1="{num(plot.left)}" y1="{num(y)}" x2="{num(x_end)}" y2="{num(y)}" '
            f'stroke="{GRID}"/>'
        )
        text = f"{share:.0%}" if step_share >= 0.01 else f"{share:.1%}"
        body.append(_text(plot.left - 5, y + 3, text, 9.5, anchor="end", fill=MUTED))
    return body


def _value_ticks(plot: _Plot, bins: Bins, unit: float, n: int) -> list[str]:
    """The x axis' ticks in the display unit, about 6 of them."""
    body = []
    span = bins.upper / unit if bins.upper else 1.0
    step = nice_step(span / 6)
    v = 0.0
    while v <= span + 1e-9:
        x = plot.left + plot.width * (v * unit) / (bins.width * n) if n else plot.left
        body.append(
            f'<line x1="{num(x)}" y1="{num(plot.bottom)}" x2="{num(x)}" '
            f'y2="{num(plot.bottom + 4)}" stroke="{INK}"/>'
        )
        body.append(_text(x, plot.bottom + 15, f"{v:g}", 9.5, anchor="middle", fill=MUTED))
        v += step
    return body


def _marks(plot: _Plot, marks: Sequence[Mark], span: float) -> list[str]:
    """A dashed red line and its label at each mark (``span``: the value at the right end)."""
    body = []
    for k, mark in enumerate(marks):
        if not math.isfinite(mark.value) or span <= 0:
            continue
        x = plot.left + plot.width * min(mark.value / span, 1.0)
        body.append(
            f'<line class="mark" x1="{num(x)}" y1="{num(plot.top - 4)}" x2="{num(x)}" '
            f'y2="{num(plot.bottom)}" stroke="{RED}" stroke-width="1.6" '
            'stroke-dasharray="5 3"/>'
        )
        anchor = "end" if x > plot.left + plot.width * 0.75 else "start"
        dx = -4 if anchor == "end" else 4
        y = plot.top - 8 + (12 if k % 2 else 0)
        body.append(_text(x + dx, y, mark.label, 10.5, anchor=anchor, fill=RED, weight="600"))
    return body


def standalone_svg(svg: str) -> str:
    """An inline ``<svg>`` of this module as a file of its own: the XML declaration and the SVG
    namespace, so browsers, image viewers and editors open it.

    Parameters
    ----------
    svg : str
        An inline ``<svg>`` of this module.

    Returns
    -------
    str
        The SVG file's text.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        + "\n"
    )


class SvgDiagram(Renderer[Swimlane]):
    """``diagram --format svg``: the swimlane as a standalone SVG file (nothing to install)."""

    def render(self, result: Swimlane) -> str:
        return standalone_svg(swimlane_svg(result))
