"""``orgflow fit``: an org file held against a log, figure by figure.

For each figure: the log's value (observed), the analytic value (``orgflow analyze``) and the
simulated one (``orgflow simulate``, from the log's first arrival), with the relative error
(model - observed) / observed. Figures:

- lead time of completed requests (mean, p50, p90; working hours) and the Wasserstein
  distance between the observed and simulated lead-time distributions (the mean absolute
  difference of their quantile functions: the area between the two empirical CDFs);
- changes of person and of role per request (analytic: the handoffs per request, and those
  between people of different roles; simulated: between steps begun one after the other).
  The roles are the log's (an org file names none), each person of the org file taking the
  role of the person of the log they match;
- each person's hours per week (the log: effort summed over the arrival window's weeks;
  analytic: load; simulated: utilization x capacity x availability);
- each activity's count per week (analytic: the expected executions per week, summed over
  the org file's activities of that name; simulated: the executions of the completed
  requests over the weeks requests arrived).

The verdict: the model fits when the mean lead time is within 10%, p90 within 25%, changes
of person within 10% and the hours of everyone above 5 h/week within 15% (the issue's bar),
each with the simulated figure, else the analytic one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from orgflow.mine.figures import Figures

LEAD_MEAN_TOL = 0.10
LEAD_P90_TOL = 0.25
CHANGES_TOL = 0.10
HOURS_TOL = 0.15
HOURS_FLOOR = 5.0


def wasserstein(a: Any, b: Any) -> float:
    """1-Wasserstein distance between two samples: the area between their empirical CDFs.

    >>> wasserstein([0.0, 1.0], [1.0, 2.0])
    1.0
    >>> wasserstein([0.0], [0.0, 4.0])
    2.0
    """
    import numpy as np

    x = np.sort(np.asarray(a, dtype=float))
    y = np.sort(np.asarray(b, dtype=float))
    if not len(x) or not len(y):
        return math.nan
    grid = np.sort(np.concatenate([x, y]))
    widths = np.diff(grid)
    fx = np.searchsorted(x, grid[:-1], side="right") / len(x)
    fy = np.searchsorted(y, grid[:-1], side="right") / len(y)
    return float(np.sum(np.abs(fx - fy) * widths))


def rel(model: float | None, observed: float | None) -> float | None:
    if model is None or observed is None or observed == 0 or math.isnan(model):
        return None
    return (model - observed) / observed


@dataclass
class Row:
    figure: str
    observed: float | None
    analytic: float | None
    simulated: float | None

    @property
    def analytic_error(self) -> float | None:
        return rel(self.analytic, self.observed)

    @property
    def simulated_error(self) -> float | None:
        return rel(self.simulated, self.observed)

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None or math.isnan(x) else round(x, 4)

        return {
            "figure": self.figure,
            "observed": r(self.observed),
            "analytic": r(self.analytic),
            "simulated": r(self.simulated),
            "analytic_error": r(self.analytic_error),
            "simulated_error": r(self.simulated_error),
        }


@dataclass
class Fit:
    org_name: str
    requests: int
    completed: int
    weeks: float
    lead: list[Row]
    wasserstein_hours: float
    handoffs: list[Row]
    people: list[Row]
    activities: list[Row]
    verdict: str
    fits: bool
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _match(names: dict[str, str], wanted: str) -> str | None:
    """An org id for a log name: by the org's display name, else by id or its slug."""
    from orgflow.mine.discover import slug

    if wanted in names:
        return names[wanted]
    candidate = slug(wanted, set())
    return candidate if candidate in names.values() else None


def org_roles(org: Any, fig: Figures) -> dict[str, str]:
    """Each person of the org file's role: the role of the person of the log they match
    (by display name, id or its slug); people matched by none are left out."""
    person_name = {p.name or p.id: p.id for p in org.people}
    person_name.update({p.id: p.id for p in org.people})
    out: dict[str, str] = {}
    for name, role in fig.roles.items():
        pid = _match(person_name, name)
        if pid is not None:
            out.setdefault(pid, role)
    return out


def _activity_rows(org: Any, fig: Figures, analysis: Any, sim: Any) -> list[Row]:
    """Each activity's count per week. An activity of the log may stand for several of the
    org file (mine's efforts per rule give a second group of performers an activity of its
    own, with the same name): their analytic counts are summed."""
    act_name = {a.name or a.id: a.id for a in org.activities}
    act_name.update({a.id: a.id for a in org.activities})
    same_name: dict[str, list[str]] = {}
    for a in org.activities:
        same_name.setdefault(a.name or a.id, []).append(a.id)
    analytic_acts = {a.id: a.executions_per_week for a in analysis.activities}
    sim_counts = sim.activity_counts if sim is not None else {}
    arriving = sim.options.arrival_weeks or sim.options.weeks if sim is not None else None
    activities = []
    for name, stats in sorted(fig.activities.items()):
        aid = _match(act_name, name)
        observed = stats["count"] / fig.weeks
        analytic = None
        if aid is not None and aid in analytic_acts:
            group = same_name.get(name, [aid])
            analytic = sum(analytic_acts.get(x, 0.0) for x in group if x in analytic_acts)
        simulated = None
        if aid is not None and aid in sim_counts and arriving:
            group = same_name.get(name, [aid])
            simulated = sum(sim_counts.get(x, 0.0) for x in group) / arriving
        activities.append(Row(name, observed, analytic, simulated))

    return activities


def _people_rows(org: Any, fig: Figures, analysis: Any, sim: Any) -> tuple[list[Row], list[str]]:
    """Each person's hours per week, and the people of the log not in the org file."""
    person_name = {p.name or p.id: p.id for p in org.people}
    person_name.update({p.id: p.id for p in org.people})
    analytic_people = {p.id: p.load for p in analysis.people}
    sim_people = {p.id: p for p in (sim.people if sim is not None else [])}
    # The run's hours over the weeks requests arrived (the run goes on to finish them).
    arriving = sim.options.arrival_weeks if sim is not None else None
    scale = sim.options.weeks / arriving if arriving else 1.0
    people = []
    unmatched = []
    for name, stats in sorted(fig.people.items()):
        pid = _match(person_name, name)
        observed = stats["hours"] / fig.weeks
        if pid is None:
            unmatched.append(name)
            people.append(Row(name, observed, None, None))
            continue
        load = analytic_people.get(pid)
        simulated = None
        if pid in sim_people and load is not None:
            simulated = (
                sim_people[pid].utilization
                * load.capacity_hours_per_week
                * load.availability
                * scale
            )
        people.append(Row(name, observed, load.load_hours_per_week if load else None, simulated))
    return people, unmatched


def hold(office: Any, fig: Figures, analysis: Any, sim: Any) -> Fit:
    """Compare (pure: the office, its analysis and the simulation are given)."""
    import numpy as np

    org = office.org

    s = analysis.summary
    samples = np.asarray(sim.samples if sim is not None and sim.samples is not None else [])
    sim_p50 = float(np.percentile(samples, 50)) if len(samples) else math.nan
    sim_p90 = float(np.percentile(samples, 90)) if len(samples) else math.nan
    lead = [
        Row("lead time mean (h)", fig.lead_mean, s.lead_time_hours, sim.lead_time.mean),
        Row("lead time p50 (h)", fig.lead_p50, None, sim_p50),
        Row("lead time p90 (h)", fig.lead_p90, None, sim_p90),
    ]
    w = wasserstein(fig.lead_times, samples)
    from orgflow.analysis.handoffs import role_changes_per_request

    def measured(x: float | None) -> float | None:
        return None if x is None or math.isnan(x) else x

    roles = role_changes_per_request(office, org_roles(org, fig)) if fig.roles else None
    handoffs = [
        Row(
            "changes of person per request",
            fig.person_changes,
            s.handoffs_per_request,
            measured(sim.person_changes if sim is not None else None),
        ),
        Row(
            "changes of role per request",
            fig.role_changes if fig.roles else None,
            roles,
            measured(sim.role_changes if sim is not None and fig.roles else None),
        ),
    ]
    people, unmatched = _people_rows(org, fig, analysis, sim)
    activities = _activity_rows(org, fig, analysis, sim)
    misses = []

    def off(row: Row, tol: float, use_sim: bool = True) -> bool:
        err = row.simulated_error if use_sim and row.simulated is not None else row.analytic_error
        return err is None or abs(err) > tol

    if off(lead[0], LEAD_MEAN_TOL):
        misses.append("mean lead time")
    if off(lead[2], LEAD_P90_TOL):
        misses.append("p90 lead time")
    if off(handoffs[0], CHANGES_TOL):
        misses.append("changes of person")
    busy = [r for r in people if (r.observed or 0) > HOURS_FLOOR]
    wrong = [r.figure for r in busy if off(r, HOURS_TOL)]
    if wrong:
        misses.append(f"hours per week of {len(wrong)} of {len(busy)} people above 5 h/week")
    notes = []
    if unmatched:
        notes.append(f"{len(unmatched)} people of the log are not in the org file")
    fits = not misses
    verdict = (
        "fits: mean lead time within 10%, p90 within 25%, changes of person within 10%, "
        "hours per week within 15% for everyone above 5 h/week"
        if fits
        else "does not fit: " + "; ".join(misses) + " outside the bar"
    )
    return Fit(
        org_name=org.org.name,
        requests=fig.requests,
        completed=fig.completed,
        weeks=fig.weeks,
        lead=lead,
        wasserstein_hours=w,
        handoffs=handoffs,
        people=people,
        activities=activities,
        verdict=verdict,
        fits=fits,
        misses=misses,
        notes=notes,
    )


# --- renderers -----------------------------------------------------------------------------


def to_dict(fit: Fit) -> dict[str, Any]:
    return {
        "org": fit.org_name,
        "requests": fit.requests,
        "completed_requests": fit.completed,
        "weeks": round(fit.weeks, 4),
        "lead_time": [r.to_dict() for r in fit.lead],
        "wasserstein_hours": None
        if math.isnan(fit.wasserstein_hours)
        else round(fit.wasserstein_hours, 4),
        "handoffs": [r.to_dict() for r in fit.handoffs],
        "hours_per_week": [r.to_dict() for r in fit.people],
        "count_per_week": [r.to_dict() for r in fit.activities],
        "fits": fit.fits,
        "verdict": fit.verdict,
        "notes": fit.notes,
    }


def _cell(x: float | None, pct: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:+.0%}" if pct else f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def _table(rows: list[Row], markdown: bool) -> list[str]:
    from orgflow import escape

    head = ["figure", "observed", "analytic", "error", "simulated", "error"]
    body = [
        [
            escape.markdown(r.figure) if markdown else escape.visible(r.figure),
            _cell(r.observed),
            _cell(r.analytic),
            _cell(r.analytic_error, True),
            _cell(r.simulated),
            _cell(r.simulated_error, True),
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(b) + " |" for b in body]
        return lines
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    fmt = [f"{{:<{widths[0]}}}"] + [f"{{:>{w}}}" for w in widths[1:]]
    return [
        "  ".join(f.format(v) for f, v in zip(fmt, row, strict=True)).rstrip()
        for row in [head, *body]
    ]


def render(fit: Fit, fmt: str) -> str:
    import json

    from orgflow import escape

    if fmt == "json":
        return escape.json_text(json.dumps(to_dict(fit), indent=2, ensure_ascii=False)) + "\n"
    md = fmt == "markdown"
    text = escape.markdown if md else escape.visible
    title = (
        f"Fit of {text(fit.org_name)}: {fit.completed} completed requests of {fit.requests}, "
        f"{fit.weeks:.1f} weeks"
    )
    lines = [f"# {title}" if md else title, ""]
    lines += _table(fit.lead, md)
    w = "-" if math.isnan(fit.wasserstein_hours) else f"{fit.wasserstein_hours:.1f} h"
    lines += ["", f"Wasserstein distance, observed vs simulated lead times: {w}", ""]
    lines += _table(fit.handoffs, md)
    lines += ["", "Hours per week" + (":" if not md else "")]
    lines += _table(fit.people, md)
    lines += ["", "Count per week" + (":" if not md else "")]
    lines += _table(fit.activities, md)
    lines += ["", ("**Verdict:** " if md else "Verdict: ") + text(fit.verdict)]
    lines += [f"Note: {text(n)}" for n in fit.notes]
    return "\n".join(lines) + "\n"
