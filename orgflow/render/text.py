"""``--format text``: a one-screen rich report for a manager."""

from __future__ import annotations

import math

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from orgflow import escape as esc
from orgflow.analysis.leadtime import PARTS_MEANING
from orgflow.analysis.summary import Analysis
from orgflow.output import working_time
from orgflow.render import count, percent
from orgflow.render.formats import Renderer

#: Rows shown per table before "... and N more" (the JSON has everything).
MAX_ROWS = 12


def _bar(value: float, width: int = 20) -> Text:
    if not math.isfinite(value):
        return Text("█" * width + " ∞", style="bold red")
    filled = min(width, round(value * width))
    style = "red" if value >= 1 else "yellow" if value >= 0.85 else "green"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    return bar


def _more(table: Table, hidden: int, what: str) -> None:
    if hidden > 0:
        table.caption = f"... and {hidden} more {what} (all of them in --format json)"


def contacts_text(contacts: float, requests_per_week: float) -> str:
    """Contacts per customer, explained when it is 0 because no step faces the customer.

    Parameters
    ----------
    contacts : float
        Contacts per customer.
    requests_per_week : float
        The office's demand.

    Returns
    -------
    str
        The figure, and why it is 0 when it is.
    """
    if contacts == 0 and requests_per_week > 0:
        return "0.0 (no step is marked customer_facing: true)"
    return f"{contacts:.1f}"


def summary_panel(a: Analysis) -> Panel:
    """The headline figures in a panel: demand, handoffs, contacts, lead time and its parts, flow
    efficiency, truck factor, worst person risk.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich Panel
        The panel.
    """
    s = a.summary
    hpd = a.hours_per_day
    tf = s.truck_factor
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Requests", f"{s.requests_per_week:.1f} a week")
    grid.add_row("Handoffs per request", f"{s.handoffs_per_request:.1f}")
    grid.add_row(
        "Contacts per customer", contacts_text(s.contacts_per_customer, s.requests_per_week)
    )
    lead = Text(working_time(s.lead_time_hours, hpd), style="bold")
    grid.add_row("Lead time (mean)", lead)
    p = s.parts
    # One part per line pair, so that no figure is split at 80 columns.
    grid.add_row(
        "  of which",
        f"touch {working_time(p.touch, hpd)} · queueing {working_time(p.queueing, hpd)}\n"
        f"handoffs {working_time(p.handoff, hpd)} · absences {working_time(p.absence, hpd)}"
        + (f"\nexternal waits {working_time(p.external, hpd)}" if p.external > 0 else ""),
    )
    grid.add_row("", Text(f"({PARTS_MEANING})", style="dim"))
    peak = s.busiest_month
    if peak is not None:
        only = ", ".join(peak.overloaded_only_then) or "nobody"
        grid.add_row(
            "Busiest month",
            f"{peak.month} (x{peak.factor:g} the average month): lead time "
            f"{working_time(peak.lead_time_hours, hpd)}; overloaded only then: {only}",
        )
    grid.add_row("Flow efficiency", percent(s.flow_efficiency) + " of the lead time is work")
    if tf.value is None:
        grid.add_row("Truck factor", "no requests")
    else:
        how = "" if tf.method == "exact" else f" (greedy bound; at least {tf.lower_bound})"
        style = "bold red" if tf.value <= 1 else ""
        grid.add_row(
            "Truck factor",
            Text(
                f"{tf.value}{how}: with {', '.join(tf.people)} away, "
                f"{tf.stopped_share:.0%} of requests stop",
                style=style,
            ),
        )
    if s.worst_person is not None:
        grid.add_row(
            "Worst person risk",
            Text(
                f"{s.worst_person} away stops {s.worst_blocked_share:.0%} of requests",
                style="red" if s.worst_blocked_share >= 0.5 else "yellow",
            ),
        )
    if s.overloaded:
        grid.add_row("Overloaded", Text(", ".join(s.overloaded), style="bold red"))
    grid.add_row(
        "Assumptions",
        f"{a.hours_per_day:g} h/day, {a.days_per_week:g} days/week, handoff delay "
        f"{a.handoff_delay_hours:g} h, absence spells of {a.absence_spell_hours:g} h",
    )
    return Panel(
        grid, title=f"[bold]{esc.rich(a.org_name)}[/bold]", subtitle=esc.rich(a.file or "") or None
    )


def _shown(names: list[str], limit: int = 3) -> str:
    """``rossi, verdi, neri +5 more``: what is left out is said."""
    return ", ".join(names[:limit]) + (f" +{len(names) - limit} more" if len(names) > limit else "")


def chains_table(a: Analysis) -> Table:
    """One row per route, fitted to 80 columns on purpose: the process and its customers
    share a column, figures never wrap (units in the headers), ids are never split.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich Table
        The table.
    """
    hpd = a.hours_per_day
    table = Table(title="Handoff chains (one row per route)", title_justify="left")
    routes = sorted(a.routes, key=lambda r: -r.route.requests_per_week)
    shown = routes[:MAX_ROWS]
    longest_id = max((len(r.route.process) for r in shown), default=7)
    # A pool's desk (``a+b+c``) may break after a '+', never inside a person's id.
    desks = [d.replace("+", "+ ") if len(d) > 20 else d for r in shown for d in r.chain]
    longest_desk = max((len(x) for d in desks for x in d.split()), default=5)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Process, customers", min_width=min(max(longest_id, 12), 20), ratio=2)
    table.add_column("Chain of desks", min_width=min(longest_desk + 2, 24), ratio=3)
    table.add_column("Req/wk", justify="right", no_wrap=True)
    table.add_column("Handoffs", justify="right", no_wrap=True)
    table.add_column("Lead, d" if hpd else "Lead, h", justify="right", no_wrap=True)
    for r in shown:
        lead = r.lead.lead_time_hours
        table.add_row(
            str(r.route.number),
            Text(r.route.process, style="bold") + Text("\n" + _shown(r.route.customers)),
            " → ".join(d.replace("+", "+ ") if len(d) > 20 else d for d in r.chain),
            f"{r.route.requests_per_week:.1f}",
            count(r.handoffs),
            working_time(lead, hpd, "day count"),
        )
    _more(table, len(routes) - MAX_ROWS, "routes")
    return table


def critical_paths(a: Analysis) -> Table:
    """Each route's critical path, with the slack of the steps off it.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich Table
        The table.
    """
    hpd = a.hours_per_day
    table = Table(
        title="Critical paths (slack: how late a step may start without delaying the request)",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("Critical path")
    table.add_column("Steps with slack")
    routes = sorted(a.routes, key=lambda r: -r.route.requests_per_week)
    for r in routes[:MAX_ROWS]:
        slack = [
            f"{t.step} {working_time(t.slack, hpd)}"
            for t in r.lead.steps
            if t.step not in r.lead.critical_path
        ]
        table.add_row(
            str(r.route.number), " → ".join(r.lead.critical_path), ", ".join(slack) or "-"
        )
    _more(table, len(routes) - MAX_ROWS, "routes")
    return table


def spof_table(a: Analysis) -> Table:
    """The activities one person alone can do, and whose absence stops what.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich Table
        The table.
    """
    table = Table(title="Single points of failure", title_justify="left")
    table.add_column("Activity")
    table.add_column("Bus factor", justify="right")
    table.add_column("Done by")
    table.add_column("h/week", justify="right")
    for act in a.activities:
        if act.bus_factor is None:
            continue
        style = "red" if act.bus_factor <= 1 else ""
        people = act.people[:6]
        more = f" +{len(act.people) - 6}" if len(act.people) > 6 else ""
        table.add_row(
            act.id + (" (specialist)" if act.specialist else ""),
            Text(str(act.bus_factor), style=style),
            ", ".join(people) + more,
            f"{act.hours_per_week:.1f}",
        )
    return table


def utilization_table(a: Analysis) -> Table:
    """Busiest first; the bar shrinks so that the table fits 80 columns with whole ids.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich Table
        The table.
    """
    table = Table(title="Utilization (load / present capacity)", title_justify="left")
    people = sorted(a.people, key=lambda p: -p.load.utilization)
    shown = people[: MAX_ROWS * 2]
    longest = max((len(p.id) for p in shown), default=6)
    # 80 columns less the borders and padding (16), the id, "25.5/34.0" (9), "100%" (4)
    # and "Away stops" (10).
    width = max(8, min(20, 80 - 16 - longest - 9 - 4 - 10))
    table.add_column("Person", no_wrap=True)
    table.add_column("Load, h", justify="right", no_wrap=True)
    table.add_column("Utilization", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column("Away stops", justify="right", no_wrap=True)
    for p in shown:
        table.add_row(
            p.id,
            f"{p.load.load_hours_per_week:.1f}/{p.load.available_hours_per_week:.1f}",
            _bar(p.load.utilization, width),
            percent(p.load.utilization),
            Text(f"{p.blocked_share:.0%}", style="red" if p.blocked_share >= 0.5 else ""),
        )
    _more(table, len(people) - MAX_ROWS * 2, "people")
    return table


def render(a: Analysis) -> RenderableType:
    """``analyze --format text``: the headline, the summary, the chains, the critical paths, the
    single points of failure and the utilization.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    rich renderable
        The report.
    """
    from orgflow.render.headline import headline

    parts: list[RenderableType] = [
        Text(esc.visible(headline(a)), style="bold"),
        summary_panel(a),
        chains_table(a),
        critical_paths(a),
        spof_table(a),
        utilization_table(a),
    ]
    return Group(*parts)


class AnalysisText(Renderer[Analysis]):
    """``analyze --format text``: the one-screen report of :func:`render`."""

    def render(self, result: Analysis) -> RenderableType:
        return render(result)
