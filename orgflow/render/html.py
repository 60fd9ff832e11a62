"""``orgflow report``: one self-contained HTML file (inline CSS and SVG, no script, no network).

Every figure is taken from the :class:`~orgflow.analysis.summary.Analysis` (and the
simulation's :class:`~orgflow.simulate.runner.SimResult`), formatted as the other reports
format it. Each displayed figure carries ``data-json`` (its path in ``orgflow analyze --format
json``) or ``data-sim`` (its path in ``orgflow simulate --format json``) and ``data-office``
(0, or 1 for the office compared), so tests check the page against the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from orgflow import __version__
from orgflow.analysis.leadtime import PARTS_MEANING
from orgflow.analysis.summary import Analysis
from orgflow.diagram import Swimlane, swimlane
from orgflow.output import distinct_names, working_time
from orgflow.render import count, percent
from orgflow.render.svg import (
    Bar,
    Mark,
    Segment,
    bar_scale,
    bars_svg,
    bin_top,
    bin_values,
    esc,
    histogram_svg,
    stacked_bar_svg,
    swimlane_svg,
)

if TYPE_CHECKING:
    from orgflow.diagnostics import Diagnostic
    from orgflow.propose.backups import BackupCover
    from orgflow.propose.plan import Proposal
    from orgflow.simulate.scenarios import SimulationData

#: Routes listed in the handoff-chain table before "... and N more" (the JSON has all).
MAX_ROUTES = 15
#: Customers named per route before "+N more".
MAX_CUSTOMERS = 6

PART_COLORS = {
    "touch": "#3a7d44",
    "queueing": "#d68910",
    "handoff": "#1f4e9c",
    "absence": "#c0392b",
}

CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --accent: #1f4e9c;
  --red: #c0392b; --card: #f6f8fb; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 22px 28px 40px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 16px; }
h1 { font-size: 1.55rem; margin: 0; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: .4rem 0 .4rem; overflow-wrap: anywhere; }
p { margin: .3rem 0 .6rem; }
.sub, .note { color: var(--muted); font-size: .88rem; overflow-wrap: anywhere; }
.headline { font-size: 1.08rem; font-weight: 600; margin: 0 0 1rem; max-width: 62em;
  overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
  gap: 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 13px; min-width: 0; overflow-wrap: anywhere; }
.card.wide { grid-column: span 2; }
.card .label { font-size: .74rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); }
.card .value { font-size: 1.45rem; font-weight: 650; line-height: 1.25; margin: 2px 0; }
.card .what { font-size: .85rem; color: var(--muted); }
.card.alert { border-color: #e6b0aa; background: #fdf3f2; }
.card.alert .value { color: var(--red); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: 5px 7px; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: break-word; }
th { font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  font-weight: 600; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tr.spof td { background: #fdf3f2; }
tr.spof td.bus { color: var(--red); font-weight: 650; }
.chain { display: flex; flex-wrap: wrap; gap: 3px 4px; align-items: center; }
.desk { background: #eaf0f8; border: 1px solid #c9d6e8; border-radius: 10px; padding: 0 7px;
  font-size: .84rem; overflow-wrap: anywhere; min-width: 0; }
.arrow { color: var(--muted); font-size: .8rem; }
.path { font-size: .84rem; }
.parts { display: flex; flex-wrap: wrap; gap: 2px 12px; margin-top: 4px; }
.swatch { display: inline-block; width: .7em; height: .7em; margin-right: 4px;
  vertical-align: baseline; border-radius: 2px; }
figure { margin: .4rem 0 1rem; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; overflow-wrap: anywhere; }
svg.chart { display: block; max-width: 100%; height: auto; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 22px; }
.pair > div { min-width: 0; }
.tag { display: inline-block; font-size: .7rem; text-transform: uppercase; letter-spacing: .05em;
  color: #fff; background: var(--accent); border-radius: 4px; padding: 0 6px;
  vertical-align: middle; }
.tag.after { background: #3a7d44; }
.better { color: #3a7d44; font-weight: 600; }
.worse { color: var(--red); font-weight: 600; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem;
  border-top: 1px solid var(--line); padding-top: .5rem; }
@media (max-width: 860px) {
  main { padding: 14px; }
  .pair { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 640px) {
  body { font-size: 14px; }
  th, td { overflow-wrap: anywhere; padding: 4px 4px; }
  table.figures th, table.figures td { overflow-wrap: break-word; }
  td.num { white-space: normal; }
  table { font-size: .8rem; }
}
@media (max-width: 460px) { .card.wide { grid-column: auto; } }
@page { size: A4; margin: 13mm 11mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, .card, tr, .cards { break-inside: avoid; page-break-inside: avoid; }
  section { break-inside: auto; }
  .card .value { font-size: 1.2rem; }
}
"""


# -- small pieces ------------------------------------------------------------------------------


def _fig(text: str, office: int, *, json: str | None = None, sim: str | None = None) -> str:
    """A displayed figure, tagged with where it comes from."""
    attrs = f' data-office="{office}"'
    if json is not None:
        attrs += f' data-json="{esc(json)}"'
    if sim is not None:
        attrs += f' data-sim="{esc(sim)}"'
    return f"<span{attrs}>{esc(text)}</span>"


def _card(
    label: str, value: str, what: str = "", *, alert: bool = False, wide: bool = False
) -> str:
    classes = "card" + (" alert" if alert else "") + (" wide" if wide else "")
    return (
        f'<div class="{classes}"><div class="label">{esc(label)}</div>'
        f'<div class="value">{value}</div>'
        + (f'<div class="what">{what}</div>' if what else "")
        + "</div>"
    )


def _table(head: list[tuple[str, str]], rows: Iterable[str], css: str = "") -> str:
    """A table in a frame that scrolls sideways if it must; ``css``: ``figures`` for a table
    of few columns whose words must never break (the before/after figures)."""
    cells = "".join(f'<th class="{cls}">{esc(text)}</th>' for text, cls in head)
    klass = f' class="{css}"' if css else ""
    return (
        f'<div class="scroll"><table{klass}><thead><tr>{cells}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _chain(desks: list[str], office: int, key: str) -> str:
    inner = '<span class="arrow"> → </span>'.join(
        f'<span class="desk">{esc(d).replace("+", "+<wbr>")}</span>' for d in desks
    )
    return f'<div class="chain" data-office="{office}" data-json="{esc(key)}">{inner}</div>'


def _parts(a: Analysis, office: int, scale: float | None = None) -> str:
    p = a.summary.parts
    hpd = a.hours_per_day
    segments = [
        Segment("touch", p.touch, working_time(p.touch, hpd), PART_COLORS["touch"]),
        Segment("queueing", p.queueing, working_time(p.queueing, hpd), PART_COLORS["queueing"]),
        Segment("handoff latency", p.handoff, working_time(p.handoff, hpd), PART_COLORS["handoff"]),
        Segment("absences", p.absence, working_time(p.absence, hpd), PART_COLORS["absence"]),
    ]
    svg = stacked_bar_svg(
        segments, "The mean lead time in its parts", width=400, legend=False, scale=scale
    )
    listed = " ".join(
        f'<span class="part"><span class="swatch" style="background:{PART_COLORS[color]}">'
        f"</span>{name} {_fig(working_time(v, hpd), office, json=key)}</span>"
        for name, color, v, key in (
            ("touch", "touch", p.touch, "summary.touch_time_hours"),
            ("queueing", "queueing", p.queueing, "summary.queueing_hours"),
            ("handoff latency", "handoff", p.handoff, "summary.handoff_hours"),
            ("absences", "absence", p.absence, "summary.absence_hours"),
        )
    )
    return (
        f'{svg}<div class="what parts">{listed}</div>'
        f'<p class="note">Parts of the lead time: {esc(PARTS_MEANING)}.</p>'
    )


# -- the sections of one office ----------------------------------------------------------------


def summary_cards(a: Analysis, office: int = 0, lead_scale: float | None = None) -> str:
    """The headline figures as cards: handoffs, lead time and its parts, flow efficiency,
    truck factor, worst person risk, contacts, demand, overloaded people. ``lead_scale``: the
    lead time the full width of the parts bar stands for (the same for offices side by side).

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.
    lead_scale : float, optional
        The lead time the full width of the parts bar stands for (the same for two offices
        side by side).

    Returns
    -------
    str
        HTML: a grid of cards.
    """
    s = a.summary
    hpd = a.hours_per_day
    cards = [
        _card(
            "Handoffs per request",
            _fig(f"{s.handoffs_per_request:.1f}", office, json="summary.handoffs_per_request"),
            "times a request changes desk",
            alert=s.handoffs_per_request >= 3,
        ),
        _card(
            "Lead time (mean)",
            _fig(working_time(s.lead_time_hours, hpd), office, json="summary.lead_time_hours"),
            _parts(a, office, lead_scale),
            alert=not math.isfinite(s.lead_time_hours),
            wide=True,
        ),
        _card(
            "Flow efficiency",
            _fig(percent(s.flow_efficiency), office, json="summary.flow_efficiency"),
            "of the lead time is work",
            alert=s.flow_efficiency < 0.25,
        ),
    ]
    cards += _risk_cards(a, office)
    cards.append(
        _card(
            "Contacts per customer",
            _fig(f"{s.contacts_per_customer:.1f}", office, json="summary.contacts_per_customer"),
            "people a customer deals with"
            if s.contacts_per_customer > 0 or s.requests_per_week <= 0
            else "no step is marked customer_facing: true",
        )
    )
    cards.append(
        _card(
            "Requests",
            _fig(f"{s.requests_per_week:.1f}", office, json="summary.requests_per_week"),
            "a week",
        )
    )
    cards.append(
        _card(
            "Overloaded",
            _fig(", ".join(s.overloaded) or "nobody", office, json="summary.overloaded"),
            "utilization of 100% or more",
            alert=bool(s.overloaded),
        )
    )
    return f'<div class="cards">{"".join(cards)}</div>'


def _risk_cards(a: Analysis, office: int) -> list[str]:
    """The truck factor's card and the worst person risk's."""
    s = a.summary
    tf = s.truck_factor
    cards: list[str] = []
    if tf.value is None:
        cards.append(_card("Truck factor", "n/a", "no requests"))
    else:
        how = "" if tf.method == "exact" else f" (greedy bound; at least {tf.lower_bound})"
        cards.append(
            _card(
                "Truck factor",
                _fig(str(tf.value), office, json="summary.truck_factor") + esc(how),
                "with "
                + _fig(", ".join(tf.people), office, json="summary.truck_factor_people")
                + " away, "
                + _fig(f"{tf.stopped_share:.0%}", office, json="summary.truck_factor_stopped_share")
                + " of requests stop",
                alert=tf.value <= 1,
            )
        )
    if s.worst_person is not None:
        cards.append(
            _card(
                "Worst person risk",
                _fig(s.worst_person, office, json="summary.worst_person"),
                "away stops "
                + _fig(
                    f"{s.worst_blocked_share:.0%}",
                    office,
                    json="summary.worst_person_blocked_share",
                )
                + " of requests",
                alert=s.worst_blocked_share >= 0.5,
            )
        )
    else:
        cards.append(_card("Worst person risk", "none", "nobody's absence stops a request"))
    return cards


def chains_table(a: Analysis, office: int = 0) -> str:
    """The handoff chains: one row per route.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.

    Returns
    -------
    str
        HTML: a table (a note when there is no route).
    """
    hpd = a.hours_per_day
    rows = []
    for i, r in enumerate(a.routes[:MAX_ROUTES]):
        key = f"routes.{i}"
        customers = r.route.customers
        named = ", ".join(customers[:MAX_CUSTOMERS])
        if len(customers) > MAX_CUSTOMERS:
            named += f" +{len(customers) - MAX_CUSTOMERS} more"
        rows.append(
            "<tr>"
            f'<td class="num">{_fig(str(r.route.number), office, json=key + ".number")}</td>'
            f"<td>{_fig(r.route.process, office, json=key + '.process')}</td>"
            f"<td>{_chain(r.chain, office, key + '.chain')}</td>"
            f"<td>{esc(named)}</td>"
            f'<td class="num">'
            f"{_fig(f'{r.route.requests_per_week:.1f}', office, json=key + '.requests_per_week')}"
            "</td>"
            f'<td class="num">{_fig(count(r.handoffs), office, json=key + ".handoffs")}</td>'
            f'<td class="num">'
            + _fig(working_time(r.lead.lead_time_hours, hpd), office, json=key + ".lead_time_hours")
            + "</td>"
            f'<td class="path" data-office="{office}" data-json="{key}.critical_path">'
            f"{esc(' → '.join(r.lead.critical_path))}</td>"
            "</tr>"
        )
    more = len(a.routes) - MAX_ROUTES
    note = (
        f'<p class="note">... and {more} more routes (all of them in '
        "<code>orgflow analyze --format json</code>).</p>"
        if more > 0
        else ""
    )
    if not a.routes:
        return '<p class="note">No route: no customer demands any process.</p>'
    head = [
        ("#", "num"),
        ("Process", ""),
        ("Chain of desks", ""),
        ("Customers", ""),
        ("Req/wk", "num"),
        ("Handoffs", "num"),
        ("Lead time", "num"),
        ("Critical path", ""),
    ]
    return _table(head, rows) + note


def swimlane_figure(sw: Swimlane | None, office: int = 0) -> str:
    """The swimlane of the busiest route as inline SVG, with its caption.

    Parameters
    ----------
    sw : Swimlane
        The route to draw (:func:`orgflow.diagram.swimlane`).
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.

    Returns
    -------
    str
        HTML: a figure with its caption (a note when there is no route).
    """
    if sw is None:
        return '<p class="note">No route to draw.</p>'
    return (
        f"<figure>{swimlane_svg(sw, id_prefix=f'sw{office}')}"
        f"<figcaption>{esc(sw.title)}: {esc(sw.caption)}. Each band is a desk; each box a step "
        "with its touch time (work) and the expected wait to reach the desk (queueing, handoff "
        "latency and absences).</figcaption></figure>"
    )


def utilization_bars(a: Analysis, office: int = 0, scale: float | None = None) -> str:
    """Utilization per person, busiest first, as bars.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.
    scale : float, optional
        The right end of the scale (the same for two offices side by side).

    Returns
    -------
    str
        HTML: the bars as inline SVG, and a note.
    """
    ordered = sorted(enumerate(a.people), key=lambda ip: -ip[1].load.utilization)
    bars = [
        Bar(
            p.id,
            p.load.utilization,
            f"{percent(p.load.utilization)} · {p.load.load_hours_per_week:.1f} of "
            f"{p.load.available_hours_per_week:.1f} h/wk",
            (("data-office", str(office)), ("data-json", f"people.{i}.utilization")),
        )
        for i, p in ordered
    ]
    if not bars:
        return '<p class="note">Nobody.</p>'
    return (
        bars_svg(bars, "Utilization per person: load / present capacity", width=620, scale=scale)
        + '<p class="note">Utilization = load / (capacity &times; availability); amber from '
        "85%, red at 100% (overloaded: the queue grows without bound).</p>"
    )


def spof_tables(a: Analysis, office: int = 0) -> str:
    """Single points of failure: each activity's bus factor, and whose absence stops what.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.

    Returns
    -------
    str
        HTML: the tables.
    """
    rows = []
    for i, act in enumerate(a.activities):
        if act.bus_factor is None:
            continue
        key = f"activities.{i}"
        spof = act.bus_factor == 1
        name = esc(act.id) + (f'<div class="note">{esc(act.name)}</div>' if act.name else "")
        rows.append(
            f'<tr class="{"spof" if spof else ""}">'
            f"<td>{name}{' <span class=note>(specialist)</span>' if act.specialist else ''}</td>"
            f'<td class="num bus">{_fig(str(act.bus_factor), office, json=key + ".bus_factor")}'
            "</td>"
            f"<td>{_fig(', '.join(act.people), office, json=key + '.people')}</td>"
            f'<td class="num">'
            f"{_fig(f'{act.hours_per_week:.1f}', office, json=key + '.hours_per_week')}</td>"
            "</tr>"
        )
    activities = _table(
        [("Activity", ""), ("Bus factor", "num"), ("Done by", ""), ("h/week", "num")], rows
    )
    hpd = a.hours_per_day
    blocked = sorted(
        ((i, p) for i, p in enumerate(a.people) if p.blocked_share > 0),
        key=lambda ip: -ip[1].blocked_share,
    )
    people_rows = [
        "<tr>"
        f"<td>{_fig(p.id, office, json=f'people.{i}.id')}</td>"
        f'<td class="num">'
        f"{_fig(f'{p.blocked_share:.0%}', office, json=f'people.{i}.blocked_share')}</td>"
        f'<td class="num">'
        + _fig(working_time(p.queue_wait_hours, hpd), office, json=f"people.{i}.queue_wait_hours")
        + "</td></tr>"
        for i, p in blocked
    ]
    people = (
        _table(
            [
                ("Person", ""),
                ("Requests stopped while away", "num"),
                ("Wait in their queue", "num"),
            ],
            people_rows,
        )
        if people_rows
        else '<p class="note">Nobody\'s absence alone stops a request.</p>'
    )
    return (
        '<p class="note">Bus factor: how many people can do the activity (the fewest over '
        "every customer); 1 is a single point of failure, marked red.</p>"
        + activities
        + "<h3>Whose absence stops requests</h3>"
        + people
    )


def distribution(
    sim: SimulationData,
    a: Analysis,
    office: int = 0,
    *,
    top: float | None = None,
    days: bool | None = None,
) -> str:
    """The simulated lead-time distribution: a histogram with p50 and p90 marked (``top``
    and ``days`` put two offices on one axis).

    Parameters
    ----------
    sim : SimulationData
        The simulation, with every counted request's lead time.
    a : Analysis
        The office's analysis.
    office : int
        0, or 1 for the office compared: the ``data-office`` of its figures.
    top : float, optional
        Where the bins stop (the same for two offices side by side).
    days : bool, optional
        Label the axis in working days (default: when the 90th percentile is a day or more).

    Returns
    -------
    str
        HTML: the histogram and its caption.
    """
    e = sim.result.lead_time
    hpd = sim.result.hours_per_day
    if e.count == 0 or math.isnan(e.mean):
        return '<p class="note">The simulation completed no request.</p>'
    days = e.p90 >= hpd if days is None else days
    unit, unit_name = (hpd, "working days") if days else (1.0, "hours")

    def short(v: float) -> str:
        return working_time(v, hpd, "days" if days else "hours")

    bins = bin_values(sim.lead_times, unit=unit, top=top)
    svg = histogram_svg(
        bins,
        [Mark(f"p50 {short(e.p50)}", e.p50), Mark(f"p90 {short(e.p90)}", e.p90)],
        "Simulated lead time of every request: share of requests per bin",
        unit=unit,
        unit_name=unit_name,
        width=560,
    )
    o = sim.result.options
    key = "summary.lead_time_hours"
    analytic = _fig(
        working_time(a.summary.lead_time_hours, hpd), office, json="summary.lead_time_hours"
    )
    text = (
        f"Half of the requests within {_fig(working_time(e.p50, hpd), office, sim=key + '.p50')}, "
        f"9 in 10 within {_fig(working_time(e.p90, hpd), office, sim=key + '.p90')}, "
        f"95% within {_fig(working_time(e.p95, hpd), office, sim=key + '.p95')}. "
        f"Mean {_fig(working_time(e.mean, hpd), office, sim=key + '.mean')} "
        f"± {_fig(f'{e.ci95:.1f}', office, sim=key + '.ci95_half_width')} h (95% CI; the "
        f"analytic estimate is {analytic})."
    )
    runs = (
        f"{_fig(str(e.count), office, sim=key + '.requests')} requests in {o.runs} runs of "
        f"{o.weeks:g} weeks after {o.warmup:g} weeks of warm-up, seed {o.seed}, starting "
        f"{sim.result.start.isoformat()}."
    )
    if bins.overflow:
        runs += f" The grey bar counts the slowest {bins.overflow} requests."
    return f"<figure>{svg}<figcaption>{text}<br>{runs}</figcaption></figure>"


# -- the comparison ----------------------------------------------------------------------------


def _change(before: float, after: float, kind: str, lower_is_better: bool | None) -> str:
    """The change from A to B: relative for amounts, in points for shares, absolute for
    counts; green when better, red when worse (``lower_is_better`` None: neither)."""
    if not (math.isfinite(before) and math.isfinite(after)):
        return ""
    if after == before:
        return "—"
    if kind == "share":
        text = f"{(after - before) * 100:+.0f} pts"
    elif kind == "count" or before == 0:
        text = f"{after - before:+g}"
    else:
        text = f"{(after - before) / abs(before):+.0%}"
    if lower_is_better is None:
        return esc(text)
    better = (after < before) == lower_is_better
    return f'<span class="{"better" if better else "worse"}">{esc(text)}</span>'


def comparison_table(a: Analysis, b: Analysis, names: tuple[str, str] | None = None) -> str:
    """The before/after table of ``orgflow compare`` (every row of
    :func:`orgflow.analysis.compare.comparison_rows`), with the change from A to B.

    Parameters
    ----------
    a, b : Analysis
        Before and after.
    names : tuple of str, optional
        The column heads (default: the offices' names).

    Returns
    -------
    str
        An HTML table.
    """
    from orgflow.analysis.compare import comparison_rows
    from orgflow.render.compare import format_value

    out = []
    for row in comparison_rows([a, b]):
        va, vb = row.values
        cells = [
            format_value(v, row.unit, x.hours_per_day)
            for v, x in zip(row.values, (a, b), strict=True)
        ]
        sub = row.label.startswith("  ")
        kind = "share" if row.unit == "share" else "count" if row.unit == "people" else "amount"
        lower = {"lower": True, "higher": False}.get(row.better)
        change = _change(va, vb, kind, lower) if va is not None and vb is not None else ""
        out.append(
            f"<tr><td{' class=sub-row' if sub else ''}>{'&nbsp;&nbsp;' if sub else ''}"
            f"{esc(row.label.strip())}</td>"
            f'<td class="num">{esc(cells[0])}</td><td class="num">{esc(cells[1])}</td>'
            f'<td class="num">{change}</td></tr>'
        )
    head = [
        ("Figure", ""),
        (f"Before: {names[0] if names else a.org_name}", "num"),
        (f"After: {names[1] if names else b.org_name}", "num"),
        ("Change", "num"),
    ]
    return _table(head, out, "figures")


# -- the proposal ------------------------------------------------------------------------------


def proposal_section(p: Proposal) -> str:
    """What ``orgflow propose`` proposes, beside the before/after figures: the plan, the lead
    time while people learn, who does what with their backups and cover, and the training.

    Parameters
    ----------
    p : Proposal
        The proposal.

    Returns
    -------
    str
        HTML: the sections.
    """
    hpd = p.before.hours_per_day
    learning = p.after.summary.lead_time_hours
    trained = p.after_trained.summary.lead_time_hours
    plan = (
        f"In parallel by {p.options.by}"
        + (f", pods of {p.options.pods}" if p.options.pods else "")
        + f", {p.options.backups} backup{'' if p.options.backups == 1 else 's'} per primary; "
        + (
            f"highest utilization {p.highest_utilization:.0%} (limit "
            f"{p.options.max_utilization:.0%})."
            if p.feasible
            else f"not feasible under {p.options.max_utilization:.0%}: "
            + "; ".join(p.problems)
            + "."
        )
    )
    learn = (
        f"Lead time while people learn their new skills (new work at "
        f"{p.options.learning_pace:g}&times; effort): "
        f"{esc(working_time(learning, hpd))}; once trained: {esc(working_time(trained, hpd))}. "
        f"{p.changed_contacts} of {len(p.primary_of)} customers change their contact."
    )
    from orgflow.render.propose import external_hours, verdict

    who = _who_table(p)
    training = _training_plan(p)
    if external_hours(p) > 0:
        learn += esc(
            f" External waits: {working_time(external_hours(p), hpd)} of the mean request's "
            "lead time, before and after: untouched by the reorganisation."
        )
    return (
        _section(
            "The proposal",
            f"<p><strong>{esc(verdict(p))}</strong></p><p>{esc(plan)}</p><p>{learn}</p>",
            "proposal",
        )
        + _section(
            "Who does what",
            who + '<p class="note">Utilization while learning and once trained; each backup\'s '
            "utilization "
            "with the share of the primary's work they take on average, and while covering "
            "the primary's whole load during an absence (above 100% their queue grows for "
            "the length of the absence); the backlog: the primary's work the first backup "
            "cannot absorb in their own week during a typical absence.</p>",
            "who",
        )
        + _section("Training plan", training, "training")
        + (_section("Migration plan", _waves_plan(p), "waves") if p.waves else "")
    )


def _waves_plan(p: Proposal) -> str:
    """The waves of customer moves: who moves, the training hours, the weeks, the busiest
    person's load while learning in that wave."""
    from orgflow.render.waves import customers_shown

    rows = (
        f'<tr><td class="num">{w.wave}</td>'
        f"<td>{esc(f'{len(w.moves)}: {customers_shown(w, 12)}')}</td>"
        f'<td class="num">{w.training_hours:.0f}</td><td class="num">{w.weeks:g}</td>'
        f'<td class="num">{esc(percent(w.highest_utilization))} ({esc(w.busiest or "-")})</td></tr>'
        for w in p.waves
    )
    weeks = sum(w.weeks for w in p.waves)
    return _table(
        [
            ("Wave", "num"),
            ("Customers moved", ""),
            ("Training hours", "num"),
            ("Weeks", "num"),
            ("Highest utilization while learning (busiest)", "num"),
        ],
        rows,
    ) + (
        f'<p class="note">{len(p.waves)} wave{"" if len(p.waves) == 1 else "s"}, '
        f"{weeks:g} weeks: each wave's moves keep everyone's load while learning under the "
        "limit; today's work is held until it is handed over.</p>"
    )


def _who_table(p: Proposal) -> str:
    """Each primary with their customers, backups, utilization and the backup's."""
    per = p.customers_of
    cover = {b.primary: b for b in p.backups}
    util, learning = p.utilization_trained, p.utilization_learning
    rows = []
    for primary, customers in per.items():
        members = primary.split("+")
        b = cover.get(primary)
        shown = ", ".join(customers[:MAX_CUSTOMERS]) + (
            f" +{len(customers) - MAX_CUSTOMERS} more" if len(customers) > MAX_CUSTOMERS else ""
        )
        rows.append(
            f"<tr><td>{esc(primary)}</td><td>{esc(shown)}</td>"
            f"<td>{esc(', '.join(b.backups) if b else 'the pool' if len(members) > 1 else '-')}"
            f'</td><td class="num">{esc(percent(max(learning.get(m, 0.0) for m in members)))}'
            f" / {esc(percent(max(util.get(m, 0.0) for m in members)))}</td>"
            f'<td class="num">{esc(_each(b, "utilization")) if b else "-"}</td>'
            f'<td class="num">{esc(_each(b, "cover_utilization")) if b else "-"}</td>'
            f'<td class="num">{f"{b.backlog_hours:.1f} h" if b else "-"}</td></tr>'
        )
    who = _table(
        [
            ("Primary", ""),
            ("Customers", ""),
            ("Backups", ""),
            ("Utilization (learning / trained)", "num"),
            ("Backup on average", "num"),
            ("Backup covering", "num"),
            ("Backlog after an absence", "num"),
        ],
        rows,
    )
    return who


def _each(b: BackupCover, figure: str) -> str:
    """A figure of every backup of ``b``, in their order (``--backups 2``: two)."""
    return ", ".join(percent(getattr(c, figure)) for c in b.covers)


def _training_plan(p: Proposal) -> str:
    """The skills to learn, with the weekly hours of new work."""
    training = (
        _table(
            [("Person", ""), ("Skill to learn", ""), ("For", ""), ("h/week", "num")],
            (
                f"<tr><td>{esc(t.person)}</td><td>{esc(t.skill)}</td>"
                f"<td>{esc(', '.join(t.activities))}</td>"
                f'<td class="num">{t.hours_per_week:.1f}</td></tr>'
                for t in p.training
            ),
        )
        + f'<p class="note">{p.training_hours:.1f} h/week of work in new skills in all.</p>'
        if p.training
        else '<p class="note">Nobody needs a new skill.</p>'
    )
    return training


# -- the page ----------------------------------------------------------------------------------


def _section(title: str, body: str, anchor: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>'


def _pair(left: str, right: str, names: tuple[str, str]) -> str:
    return (
        f'<div class="pair"><div><h3><span class="tag">Before</span> {esc(names[0])}</h3>'
        f'{left}</div><div><h3><span class="tag after">After</span> {esc(names[1])}</h3>'
        f"{right}</div></div>"
    )


def _stack(top: str, bottom: str, names: tuple[str, str]) -> str:
    return (
        f'<h3><span class="tag">Before</span> {esc(names[0])}</h3>{top}'
        f'<h3><span class="tag after">After</span> {esc(names[1])}</h3>{bottom}'
    )


def _diagram(a: Analysis) -> Swimlane | None:
    return swimlane(a) if a.routes else None


def _assumptions(a: Analysis) -> str:
    return (
        f"{a.hours_per_day:g} h/day, {a.days_per_week:g} days/week, handoff delay "
        f"{a.handoff_delay_hours:g} h, absence spells of {a.absence_spell_hours:g} h"
    )


def report_page(
    analyses: list[Analysis],
    simulations: list[SimulationData] | None = None,
    paths: list[str] | None = None,
) -> str:
    """The page of ``orgflow report``: one office, or two side by side (before, after).

    Parameters
    ----------
    analyses : list of Analysis
        The office, or the two offices compared.
    simulations : list of SimulationData, optional
        One per office (``report --simulate``), for the lead-time distribution.
    paths : list of str, optional
        The org files as given: they name the two columns when both offices have one name.

    Returns
    -------
    str
        The HTML document of :func:`render`.
    """
    sims: list[SimulationData | None] = [*simulations] if simulations else [None] * len(analyses)
    labels = None
    if len(analyses) > 1:
        names = [x.org_name for x in analyses]
        if names[0] == names[1]:
            names = distinct_names(paths or [x.file or "" for x in analyses])
        labels = (names[0], names[1])
    return render(
        analyses[0],
        analyses[1] if len(analyses) > 1 else None,
        simulation=sims[0],
        compare_simulation=sims[1] if len(sims) > 1 else None,
        labels=labels,
    )


def proposal_page(
    p: Proposal,
    path: str,
    output: str | None,
    simulations: list[SimulationData] | None = None,
) -> str:
    """The page of ``propose --report``: today and the proposal (once trained) side by side,
    with :func:`proposal_section` after the before/after figures.

    Parameters
    ----------
    p : Proposal
        The proposal.
    path : str
        The org file proposed from.
    output : str, optional
        Where the proposed org file was written (``None``: not written).
    simulations : list of SimulationData, optional
        Today's and the proposal's (``--simulate``).

    Returns
    -------
    str
        The HTML document of :func:`render`.
    """
    from orgflow.render.propose import proposal_headline

    sims: list[SimulationData | None] = [*simulations] if simulations else [None, None]
    by = p.options.by
    return render(
        p.before,
        p.after_trained,
        simulation=sims[0],
        compare_simulation=sims[1],
        title=f"{p.before.org_name}: in parallel by {by}, proposed",
        labels=("today", f"proposed, by {by}"),
        files=[path, output or "the proposal (not written: no -o)"],
        extra=proposal_section(p),
        headline_text=proposal_headline(p),
    )


def render(
    a: Analysis,
    compare: Analysis | None = None,
    *,
    simulation: SimulationData | None = None,
    compare_simulation: SimulationData | None = None,
    title: str | None = None,
    labels: tuple[str, str] | None = None,
    files: list[str] | None = None,
    extra: str = "",
    headline_text: str | None = None,
) -> str:
    """The report as one HTML document: summary, handoff chains, the swimlane of the busiest
    route, utilization, the simulated lead-time distribution (with ``simulation``), the single
    points of failure; with ``compare``, the two offices side by side (A before, B after).

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    compare : Analysis, optional
        A second office, shown side by side (A before, B after).
    simulation : SimulationData, optional
        The office's simulation, for the lead-time distribution.
    compare_simulation : SimulationData, optional
        The second office's simulation.
    title : str, optional
        The page's title (default: the office's name, or both offices').
    labels : tuple of str, optional
        The names of the two offices (default: their names).
    files : list of str, optional
        The files named under the title (default: the analyses' files).
    extra : str
        HTML placed after the before/after table (the proposal's sections).
    headline_text : str, optional
        The opening sentences, in place of the headline of the analyses.

    Returns
    -------
    str
        The HTML document.
    """
    names: tuple[str, str] = labels or (
        (a.org_name, compare.org_name) if compare is not None else (a.org_name, a.org_name)
    )
    if title is None:
        title = a.org_name if compare is None else f"{names[0]} → {names[1]}"
    if files is None:
        files = [x.file for x in (a, compare) if x is not None and x.file]
    shown = esc(" → ".join(files) if compare is not None else ", ".join(files))
    head = (
        f"<header><h1>{esc(title)}</h1>"
        f'<div class="sub">{shown + " · " if shown else ""}{esc(_assumptions(a))}'
        f" · all times are working time</div></header>"
    )
    from orgflow.render.headline import headline, simulated_spread_sentence

    opening = headline_text or headline(a, compare, names[1])
    if headline_text is None and compare is None and simulation is not None:
        opening = f"{opening} {simulated_spread_sentence(simulation.result)}".strip()
    parts: list[str] = [head, f'<p class="headline">{esc(opening)}</p>']
    if compare is None:
        parts += _one_office(a, simulation)
        warnings = a.warnings
    else:
        parts += _two_offices(a, compare, names, extra, simulation, compare_simulation)
        warnings = [*a.warnings, *compare.warnings]
    parts.append(_warnings(warnings))
    parts.append(
        f"<footer>orgflow {esc(__version__)} · lead times are analytic means (the longest "
        "path of mean times through each route); utilization is load over present capacity. "
        "The method is in the orgflow README.</footer>"
    )
    return _document(title, parts)


def _document(title: str, parts: list[str]) -> str:
    """The HTML document around the report's parts."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · orgflow report</title>"
        f"<style>{CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def _one_office(a: Analysis, simulation: SimulationData | None) -> list[str]:
    """The sections of the report of one office."""
    parts: list[str] = []
    parts.append(_section("Summary", summary_cards(a), "summary"))
    parts.append(_section("Handoff chains", chains_table(a), "chains"))
    parts.append(
        _section("The busiest route as swimlanes", swimlane_figure(_diagram(a)), "swimlane")
    )
    parts.append(_section("Utilization", utilization_bars(a), "utilization"))
    if simulation is not None:
        parts.append(
            _section(
                "Lead-time distribution (simulated)",
                distribution(simulation, a),
                "distribution",
            )
        )
    parts.append(_section("Single points of failure", spof_tables(a), "spof"))
    return parts


def _two_offices(
    a: Analysis,
    b: Analysis,
    names: tuple[str, str],
    extra: str,
    simulation: SimulationData | None,
    compare_simulation: SimulationData | None,
) -> list[str]:
    """The sections of two offices side by side: A before, B after."""
    parts: list[str] = []
    # Bars of one figure share one scale: the larger lead time, the wider utilization range.
    leads = [x.summary.lead_time_hours for x in (a, b)]
    lead_scale = max((v for v in leads if math.isfinite(v)), default=None)
    util_scale = bar_scale([p.load.utilization for x in (a, b) for p in x.people])
    if _assumptions(b) != _assumptions(a):
        parts.append(f'<p class="note">After: {esc(_assumptions(b))}</p>')
    # A proposal reads as a plan: what to do (``extra``) before the figures it changes.
    if extra:
        parts.append(extra)
    parts.append(_section("Before and after", comparison_table(a, b, names), "comparison"))
    parts.append(
        _section(
            "Summary",
            _pair(summary_cards(a, 0, lead_scale), summary_cards(b, 1, lead_scale), names),
            "summary",
        )
    )
    parts.append(
        _section("Handoff chains", _stack(chains_table(a, 0), chains_table(b, 1), names), "chains")
    )
    parts.append(
        _section(
            "The busiest route as swimlanes",
            _stack(swimlane_figure(_diagram(a), 0), swimlane_figure(_diagram(b), 1), names),
            "swimlane",
        )
    )
    parts.append(
        _section(
            "Utilization",
            _pair(utilization_bars(a, 0, util_scale), utilization_bars(b, 1, util_scale), names),
            "utilization",
        )
    )
    if simulation is not None and compare_simulation is not None:
        # one axis for both: the wider range, in days if either office needs days
        top = max(bin_top(simulation.lead_times), bin_top(compare_simulation.lead_times))
        days = any(
            s.result.lead_time.p90 >= s.result.hours_per_day
            for s in (simulation, compare_simulation)
        )
        parts.append(
            _section(
                "Lead-time distribution (simulated)",
                _pair(
                    distribution(simulation, a, 0, top=top, days=days),
                    distribution(compare_simulation, b, 1, top=top, days=days),
                    names,
                )
                + _difference(simulation, compare_simulation, a, b),
                "distribution",
            )
        )
    parts.append(
        _section(
            "Single points of failure",
            _pair(spof_tables(a, 0), spof_tables(b, 1), names),
            "spof",
        )
    )
    return parts


def _warnings(warnings: list[Diagnostic]) -> str:
    """The files' warnings as a section (nothing when there are none)."""
    if not warnings:
        return ""
    items = "".join(
        f"<li><code>{esc(f'{d.file}:{d.line}:{d.column}')}</code> {esc(d.message)}</li>"
        for d in warnings
    )
    return _section("Warnings", f"<ul>{items}</ul>", "warnings")


def _difference(sa: SimulationData, sb: SimulationData, a: Analysis, b: Analysis) -> str:
    """B - A of the run means, with the paired 95% interval (same seeds: common numbers)."""
    from orgflow.render.simulation import Comparison

    diff, half = Comparison(sa.result, sb.result, a, b, "A", "B").difference
    if math.isnan(diff):
        return ""
    return (
        f'<p class="note">After &minus; before, mean lead time: {esc(f"{diff:+.1f}")} h '
        f"± {esc(f'{half:.1f}')} h (paired 95% interval over runs on the same arrivals and "
        "absences).</p>"
    )
