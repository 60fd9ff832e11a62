"""Reports of ``orgflow simulate``: text (rich), JSON and Markdown, with the analytic estimate
beside the simulated figures, and the side-by-side comparison of two offices."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.analysis.summary import Analysis
from orgflow.output import working_time
from orgflow.render import finite
from orgflow.render.formats import Renderer
from orgflow.simulate.runner import Estimate, SimResult, mean_ci

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

MAX_ROWS = 12


@dataclass(frozen=True)
class Simulated:
    """One office simulated, with its analysis (for the analytic figures beside)."""

    result: SimResult
    analysis: Analysis


@dataclass(frozen=True)
class Comparison:
    """Two offices simulated on the same arrivals and absences."""

    a: SimResult
    b: SimResult
    analysis_a: Analysis
    analysis_b: Analysis
    name_a: str
    name_b: str

    @property
    def difference(self) -> tuple[float, float]:
        """Mean of B - A over paired runs, and its 95% half-width."""
        diffs = [y - x for x, y in zip(self.a.run_means, self.b.run_means, strict=True)]
        return mean_ci(diffs)


def _undefined(value: float, hpd: float) -> str:
    """Hours, or ``undefined`` for a figure without data (no request completed)."""
    return "undefined" if math.isnan(value) else working_time(value, hpd)


def _analytic(analysis: Analysis, hpd: float) -> str:
    """The analytic mean lead time, which is a mean over no request when nothing is asked."""
    if not analysis.summary.requests_per_week > 0:
        return "- (no demand)"
    return working_time(analysis.summary.lead_time_hours, hpd)


def _analytic_json(analysis: Analysis) -> float | None:
    if not analysis.summary.requests_per_week > 0:
        return None
    return finite(analysis.summary.lead_time_hours)


def estimate_dict(e: Estimate) -> dict[str, Any]:
    """A simulated figure as plain data, for JSON.

    Parameters
    ----------
    e : Estimate
        A simulated figure: mean, confidence interval and percentiles.

    Returns
    -------
    dict
        Mean, interval, percentiles and count (None: unbounded or undefined).
    """
    return {
        "mean": finite(e.mean),
        "ci95": [finite(e.mean - e.ci95), finite(e.mean + e.ci95)],
        "ci95_half_width": finite(e.ci95),
        "p50": finite(e.p50),
        "p90": finite(e.p90),
        "p95": finite(e.p95),
        "max": finite(e.max),
        "requests": e.count,
    }


def simulation_dict(sim: SimResult, analysis: Analysis) -> dict[str, Any]:
    """The report of ``simulate --format json`` as plain data: the simulated figures beside the
    analytic ones.

    Parameters
    ----------
    sim : SimResult
        The simulation.
    analysis : Analysis
        The office's analysis, for the analytic figures beside the simulated ones.

    Returns
    -------
    dict
        The document of ``simulate --format json``.
    """
    # Over 80 lines: one literal document, key by key in the order of the JSON output (as
    # render/json.py's analysis_dict); split, its keys would be harder to find.
    opts = sim.options
    analytic_routes = {r.route.number: r for r in analysis.routes}
    analytic_people = {p.id: p for p in analysis.people}
    return {
        "orgflow_version": __version__,
        "schema_version": 1,
        "org": {
            "name": analysis.org_name,
            "file": analysis.file,
            "hours_per_day": analysis.hours_per_day,
            "days_per_week": analysis.days_per_week,
        },
        "options": {
            "weeks": opts.weeks,
            "warmup_weeks": opts.warmup,
            "runs": opts.runs,
            "seed": opts.seed,
            "start": sim.start.isoformat(),
        },
        "summary": {
            "lead_time_hours": estimate_dict(sim.lead_time),
            "lead_time_days_mean": finite(sim.lead_time.mean / sim.hours_per_day),
            "analytic_lead_time_hours": _analytic_json(analysis),
            "present_lead_time_hours": finite(sim.present_lead_time),
            "parts": {f"{k}_hours": finite(v) for k, v in sim.parts.items()},
            "requests_completed": finite(sim.requests_completed),
            "requests_open_at_end": finite(sim.requests_open_at_end),
            "backlog_growth": finite(sim.backlog_growth),
            "overloaded": sim.overloaded,
        },
        "processes": [
            {"id": k, "lead_time_hours": estimate_dict(v)} for k, v in sim.per_process.items()
        ],
        "routes": [
            {
                "number": number,
                "process": analytic_routes[number].route.process,
                "chain": analytic_routes[number].chain,
                "requests_per_week": finite(analytic_routes[number].route.requests_per_week),
                "lead_time_hours": estimate_dict(e),
                "analytic_lead_time_hours": finite(analytic_routes[number].lead.lead_time_hours),
            }
            for number, e in sorted(sim.per_route.items())
        ],
        "customers": [
            {
                "id": c.id,
                # null: no request of theirs completed (or they ask for nothing)
                "lead_time_hours": (
                    estimate_dict(sim.per_customer[c.id]) if c.id in sim.per_customer else None
                ),
                "analytic_lead_time_hours": (
                    finite(c.lead_time_hours) if c.requests_per_week > 0 else None
                ),
            }
            for c in analysis.customers
        ],
        "people": [
            {
                "id": p.id,
                "utilization": finite(p.utilization),
                "analytic_utilization": finite(analytic_people[p.id].load.utilization),
                "mean_queue": finite(p.mean_queue),
                "max_queue": p.max_queue,
                "delayed_by_absence_share": finite(p.delayed_by_absence_share),
            }
            for p in sim.people
        ],
    }


def render_json(sim: SimResult, analysis: Analysis) -> str:
    """``simulate --format json``: :func:`simulation_dict` as JSON.

    Parameters
    ----------
    sim : SimResult
        The simulation.
    analysis : Analysis
        The office's analysis, for the analytic figures beside the simulated ones.

    Returns
    -------
    str
        The JSON document, indented, with a final newline.
    """
    return json.dumps(simulation_dict(sim, analysis), indent=2, allow_nan=False) + "\n"


def _est(e: Estimate | None, hpd: float) -> str:
    if e is None or math.isnan(e.mean):
        return "- (no request completed)" if e is not None else "-"
    if not math.isfinite(e.ci95):
        return f"{working_time(e.mean, hpd)} (one run gives no interval)"
    return f"{working_time(e.mean, hpd)} ± {e.ci95:.1f}"


def _est_ci(e: Estimate, hpd: float) -> str:
    """The simulated mean for the summary: with its interval, or why there is none."""
    if math.isnan(e.mean):
        return "- (no request completed)"
    text = _est(e, hpd)
    return text if not math.isfinite(e.ci95) else text + " (95% CI)"


def _parts_line(sim: SimResult, hpd: float) -> str:
    p = sim.parts
    if any(math.isnan(v) for v in p.values()):
        return "undefined: no request completed"
    return (
        f"touch {working_time(p['touch'], hpd)} · queueing {working_time(p['queueing'], hpd)} · "
        f"handoffs {working_time(p['handoff'], hpd)} · absences {working_time(p['absence'], hpd)} "
        + (f"· external {working_time(p['external'], hpd)} " if "external" in p else "")
        + f"(everyone present: {working_time(sim.present_lead_time, hpd)})"
    )


def _summary_grid(sim: SimResult, analysis: Analysis) -> Table:
    from rich.table import Table
    from rich.text import Text

    hpd = sim.hours_per_day
    e = sim.lead_time
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Lead time, simulated", Text(_est_ci(e, hpd), style="bold"))
    grid.add_row("Lead time, analytic", _analytic(analysis, hpd))
    if not math.isnan(e.mean):
        grid.add_row(
            "Spread",
            f"half of the requests within {working_time(e.p50, hpd)}, 9 in 10 within "
            f"{working_time(e.p90, hpd)}, 95% within {working_time(e.p95, hpd)}; slowest "
            f"{working_time(e.max, hpd)}",
        )
    grid.add_row("  of which", _parts_line(sim, hpd))
    grid.add_row(
        "Requests completed",
        f"{sim.requests_completed:.0f} per run "
        f"({sim.requests_open_at_end:.0f} still open at the end)",
    )
    if sim.overloaded:
        grid.add_row(
            "Overloaded",
            Text(
                f"{', '.join(sim.overloaded)}: the backlog grows by {sim.backlog_growth:.0f} "
                "requests over the run",
                style="bold red",
            ),
        )
    o = sim.options
    grid.add_row(
        "Runs",
        f"{o.runs} x {o.weeks:g} weeks after {o.warmup:g} weeks of warm-up, "
        f"seed {o.seed}, starting {sim.start.isoformat()}",
    )
    return grid


def render_text(sim: SimResult, analysis: Analysis) -> RenderableType:
    """``simulate --format text``: the headline, the summary, the routes and the people.

    Parameters
    ----------
    sim : SimResult
        The simulation.
    analysis : Analysis
        The office's analysis, for the analytic figures beside the simulated ones.

    Returns
    -------
    rich renderable
        The report.
    """
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from orgflow.render.headline import simulated_headline

    # Over 80 lines: the report from top to bottom (headline, summary panel, routes, people),
    # each part a few lines, in the order it prints.
    hpd = sim.hours_per_day
    parts: list[RenderableType] = [
        Text(esc.visible(simulated_headline(sim, analysis)), style="bold"),
        Panel(
            _summary_grid(sim, analysis),
            title=f"[bold]{esc.rich(analysis.org_name)}[/bold] · simulated",
            subtitle=esc.rich(analysis.file or "") or None,
        ),
    ]
    routes = Table(title="Lead time per route (simulated beside analytic)", title_justify="left")
    # Fitted to 80 columns: figures in working days (the unit in the header) never wrap, a
    # pool's desk breaks after a '+', never inside an id.
    routes.add_column("#", justify="right", no_wrap=True)
    routes.add_column("Chain", ratio=1, min_width=16)
    for col in ("Mean, d (95% CI)", "p90, d", "Analytic, d"):
        routes.add_column(col, justify="right", no_wrap=True)
    by_number = {r.route.number: r for r in analysis.routes}
    ordered = sorted(sim.per_route.items(), key=lambda kv: -kv[1].count)

    def days(value: float) -> str:
        return "-" if math.isnan(value) else working_time(value, hpd, "day count")

    for number, e in ordered[:MAX_ROWS]:
        r = by_number[number]
        ci = e.ci95
        routes.add_row(
            str(number),
            " → ".join(d.replace("+", "+ ") if len(d) > 16 else d for d in r.chain),
            days(e.mean) + (f" ± {ci / hpd:.1f}" if math.isfinite(ci) else ""),
            days(e.p90),
            days(r.lead.lead_time_hours),
        )
    if len(ordered) > MAX_ROWS:
        routes.caption = f"... and {len(ordered) - MAX_ROWS} more routes (see --format json)"
    parts.append(routes)
    people = Table(
        title="People (utilization simulated, and the analytic figure)", title_justify="left"
    )
    for col in (
        "Person",
        "Util.",
        "Analytic",
        "Mean queue",
        "Max queue",
        "Delayed by absence",
    ):
        if col == "Person":  # ids are never cut or split
            people.add_column(col, no_wrap=True, min_width=max(len(p.id) for p in sim.people))
        else:
            people.add_column(col, justify="right")
    analytic = {p.id: p for p in analysis.people}
    for p in sorted(sim.people, key=lambda p: -p.utilization)[: MAX_ROWS * 2]:
        people.add_row(
            p.id,
            f"{p.utilization:.0%}",
            f"{analytic[p.id].load.utilization:.0%}",
            f"{p.mean_queue:.1f}",
            str(p.max_queue),
            f"{p.delayed_by_absence_share:.0%}",
        )
    if len(sim.people) > MAX_ROWS * 2:
        people.caption = f"... and {len(sim.people) - MAX_ROWS * 2} more people (see --format json)"
    parts.append(people)
    return Group(*parts)


def render_markdown(sim: SimResult, analysis: Analysis) -> str:
    """``simulate --format markdown``: the report as Markdown tables.

    Parameters
    ----------
    sim : SimResult
        The simulation.
    analysis : Analysis
        The office's analysis, for the analytic figures beside the simulated ones.

    Returns
    -------
    str
        The Markdown report.
    """
    from orgflow.render.headline import simulated_headline

    hpd = sim.hours_per_day
    e = sim.lead_time
    lines = [
        f"# {esc.markdown(analysis.org_name)}: simulation",
        "",
        f"**{esc.markdown(simulated_headline(sim, analysis))}**",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Lead time, simulated (95% CI) | {_est(e, hpd)} |",
        f"| Lead time, analytic | {_analytic(analysis, hpd)} |",
        f"| p50 / p90 / p95 / max | {_undefined(e.p50, hpd)} / {_undefined(e.p90, hpd)} / "
        f"{_undefined(e.p95, hpd)} / {_undefined(e.max, hpd)} |",
        f"| Of which | {_parts_line(sim, hpd)} |",
        f"| Requests completed per run | {sim.requests_completed:.0f} |",
        f"| Still open at the end | {sim.requests_open_at_end:.0f} |",
        f"| Overloaded | {', '.join(sim.overloaded) or 'nobody'} |",
        "",
        "## Routes",
        "",
        "| # | Simulated mean | p90 | Analytic |",
        "|---|---|---|---|",
    ]
    by_number = {r.route.number: r for r in analysis.routes}
    for number, est in sorted(sim.per_route.items()):
        lines.append(
            f"| {number} | {_est(est, hpd)} | {working_time(est.p90, hpd)} | "
            f"{working_time(by_number[number].lead.lead_time_hours, hpd)} |"
        )
    lines += [
        "",
        "## People",
        "",
        "| Person | Utilization | Mean queue | Max queue | Delayed by absence |",
        "|---|---|---|---|---|",
    ]
    for p in sim.people:
        lines.append(
            f"| {p.id} | {p.utilization:.0%} | {p.mean_queue:.1f} | {p.max_queue} | "
            f"{p.delayed_by_absence_share:.0%} |"
        )
    return "\n".join(lines) + "\n"


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """The report of ``simulate --compare --format json`` as plain data: both simulations and their
    paired difference.

    Parameters
    ----------
    c : Comparison
        Two offices simulated on the same arrivals and absences.

    Returns
    -------
    dict
        The document of ``simulate --compare --format json``.
    """
    diff, ci = c.difference
    return {
        "orgflow_version": __version__,
        "schema_version": 1,
        "a": simulation_dict(c.a, c.analysis_a),
        "b": simulation_dict(c.b, c.analysis_b),
        "difference": {
            "lead_time_hours_mean": finite(diff),
            "ci95": [finite(diff - ci), finite(diff + ci)],
            "ci95_half_width": finite(ci),
            "method": "paired runs on common random numbers (same arrivals and absences)",
        },
    }


def render_comparison_json(c: Comparison) -> str:
    """``simulate --compare --format json``: :func:`comparison_dict` as JSON.

    Parameters
    ----------
    c : Comparison
        Two offices simulated on the same arrivals and absences.

    Returns
    -------
    str
        The JSON document, indented, with a final newline.
    """
    return json.dumps(comparison_dict(c), indent=2, allow_nan=False) + "\n"


def _signed(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:+.1f} h"


def _comparison_rows(c: Comparison) -> list[tuple[str, str, str, str]]:
    hpd = c.a.hours_per_day
    diff, ci = c.difference
    rows = [
        (
            "Lead time, simulated mean",
            _est(c.a.lead_time, hpd),
            _est(c.b.lead_time, hpd),
            (
                "-"
                if math.isnan(diff)
                else f"{diff:+.1f} h ± {ci:.1f}"
                if math.isfinite(ci)
                else f"{diff:+.1f} h (one run gives no interval)"
            ),
        ),
        (
            "Lead time p90",
            _undefined(c.a.lead_time.p90, hpd),
            _undefined(c.b.lead_time.p90, hpd),
            _signed(c.b.lead_time.p90 - c.a.lead_time.p90),
        ),
        (
            "Lead time, analytic",
            _analytic(c.analysis_a, hpd),
            _analytic(c.analysis_b, hpd),
            "",
        ),
    ]
    names = ["touch", "queueing", "handoff", "absence"]
    if "external" in c.a.parts or "external" in c.b.parts:  # delays (issue 13): 0 without
        names.append("external")
    for part in names:
        a, b = c.a.parts.get(part, 0.0), c.b.parts.get(part, 0.0)
        rows.append((f"  {part}", _undefined(a, hpd), _undefined(b, hpd), _signed(b - a)))
    rows.append(
        (
            "Requests completed / run",
            f"{c.a.requests_completed:.0f}",
            f"{c.b.requests_completed:.0f}",
            "",
        )
    )
    return rows


def comparison_headline(c: Comparison) -> str:
    """The headline of ``simulate --compare``, computed from both simulations.

    Parameters
    ----------
    c : Comparison
        Two offices simulated on the same arrivals and absences.

    Returns
    -------
    str
        The headline.
    """
    from orgflow.render.headline import simulated_comparison_headline

    return simulated_comparison_headline(c.a, c.b, c.analysis_a, c.name_b, c.difference)


def render_comparison_text(c: Comparison) -> RenderableType:
    """``simulate --compare --format text``: the headline and the side-by-side table.

    Parameters
    ----------
    c : Comparison
        Two offices simulated on the same arrivals and absences.

    Returns
    -------
    rich renderable
        The headline and the table.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Simulated side by side (same arrivals and absences)", title_justify="left")
    table.add_column("")
    table.add_column(esc.rich(c.name_a), justify="right")
    table.add_column(esc.rich(c.name_b), justify="right")
    table.add_column("B - A (95% CI)", justify="right")
    for row in _comparison_rows(c):
        table.add_row(*row)
    return Group(Text(esc.visible(comparison_headline(c)), style="bold"), table)


def render_comparison_markdown(c: Comparison) -> str:
    """``simulate --compare --format markdown``: the headline and the side-by-side table.

    Parameters
    ----------
    c : Comparison
        Two offices simulated on the same arrivals and absences.

    Returns
    -------
    str
        The Markdown report.
    """
    lines = [
        f"# {esc.markdown(c.name_a)} vs {esc.markdown(c.name_b)}",
        "",
        f"**{esc.markdown(comparison_headline(c))}**",
        "",
        f"| | {esc.markdown(c.name_a)} | {esc.markdown(c.name_b)} | B - A |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r[0].strip()} | {r[1]} | {r[2]} | {r[3]} |" for r in _comparison_rows(c)]
    return "\n".join(lines) + "\n"


class SimulationText(Renderer[Simulated]):
    """``simulate --format text``: the report of :func:`render_text`."""

    def render(self, result: Simulated) -> RenderableType:
        return render_text(result.result, result.analysis)


class SimulationJson(Renderer[Simulated]):
    """``simulate --format json``: the schema of :func:`simulation_dict`."""

    def render(self, result: Simulated) -> str:
        return render_json(result.result, result.analysis)


class SimulationMarkdown(Renderer[Simulated]):
    """``simulate --format markdown``: the report of :func:`render_markdown`."""

    def render(self, result: Simulated) -> str:
        return render_markdown(result.result, result.analysis)


class ComparisonText(Renderer[Comparison]):
    """``simulate --compare --format text``: the table of :func:`render_comparison_text`."""

    def render(self, result: Comparison) -> RenderableType:
        return render_comparison_text(result)


class ComparisonJson(Renderer[Comparison]):
    """``simulate --compare --format json``: the schema of :func:`comparison_dict`."""

    def render(self, result: Comparison) -> str:
        return render_comparison_json(result)


class ComparisonMarkdown(Renderer[Comparison]):
    """``simulate --compare --format markdown``: :func:`render_comparison_markdown`."""

    def render(self, result: Comparison) -> str:
        return render_comparison_markdown(result)
