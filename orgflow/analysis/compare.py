"""Before and after: the same figures of two analyses side by side (``orgflow compare`` and the
table of ``orgflow propose``). Every figure is taken from the analyses, never recomputed."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from orgflow.analysis.summary import Analysis


@dataclass(frozen=True)
class Row:
    """One figure of the before/after table, with its value in each office."""

    key: str  # stable id, used as the JSON key
    label: str  # indented by two spaces: a part of the row above
    unit: str  # "hours", "hours_per_week", "count", "share" or "people"
    values: tuple[float | None, ...]  # one per column; None: not available
    better: str  # "lower", "higher" or "neither" (a figure of size, not of quality)


def people_blocking(a: Analysis) -> int:
    """How many people's absence alone stops some requests.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    int
        The count.

    Examples
    --------
    ann alone does ``a``: her absence stops every request; bob backs nobody's step up alone.

    >>> from orgflow import load_text
    >>> from orgflow.analysis.summary import analyze
    >>> people_blocking(analyze(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}, {id: cy, skills: [b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 4/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob, cy]}]
    ... ''')))
    1
    """
    return sum(1 for p in a.people if p.blocked_share > 0)


def utilization_spread(a: Analysis) -> float:
    """Standard deviation of the people's utilizations (0 for one person or none; ``inf``
    when a utilization is unbounded).

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    float
        The population standard deviation (a share).

    Examples
    --------
    ann does 4 requests x 2 h = 8 h of her 40 h (20%), bob 4 x 6 h = 24 h (60%): the spread
    is the population standard deviation of 0.2 and 0.6, (0.6 - 0.2) / 2 = 0.2.

    >>> from orgflow import load_text
    >>> from orgflow.analysis.summary import analyze
    >>> round(utilization_spread(analyze(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}]
    ... activities: [{id: a, effort: 2h}, {id: b, effort: 6h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 4/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
    ... '''))), 6)
    0.2
    """
    values = [p.load.utilization for p in a.people if p.load.load_hours_per_week > 0]
    if len(values) < 2:
        return 0.0
    if not all(math.isfinite(v) for v in values):
        return math.inf  # someone's utilization is unbounded, and so is the spread
    return statistics.pstdev(values)


def _truck_factor(a: Analysis) -> float | None:
    value = a.summary.truck_factor.value
    return float(value) if value is not None else None


def _highest_utilization(a: Analysis) -> float:
    return max((p.load.utilization for p in a.people), default=0.0)


#: The figures of the table, in its order: (key, label, unit, better, the value of an analysis).
FIGURES: list[tuple[str, str, str, str, Callable[[Analysis], float | None]]] = [
    ("handoffs_per_request", "Handoffs per request", "count", "lower",
     lambda a: a.summary.handoffs_per_request),
    ("contacts_per_customer", "Contacts per customer", "count", "lower",
     lambda a: a.summary.contacts_per_customer),
    ("lead_time_hours", "Lead time (analytic)", "hours", "lower",
     lambda a: a.summary.lead_time_hours),
    # (here: the simulated lead time, when given)
    ("touch_time_hours", "  touch", "hours", "lower", lambda a: a.summary.parts.touch),
    ("queueing_hours", "  queueing", "hours", "lower", lambda a: a.summary.parts.queueing),
    ("handoff_hours", "  handoff latency", "hours", "lower", lambda a: a.summary.parts.handoff),
    ("absence_hours", "  absences", "hours", "lower", lambda a: a.summary.parts.absence),
    # (shown only when some office has delays: they are taken by nobody in the office, and a
    # reorganisation leaves them as they are)
    ("external_hours", "  external waits (no reorganisation shortens them)", "hours", "lower",
     lambda a: a.summary.parts.external),
    ("flow_efficiency", "Flow efficiency", "share", "higher",
     lambda a: a.summary.flow_efficiency),
    ("truck_factor", "Truck factor", "people", "higher", _truck_factor),
    ("highest_utilization", "Highest utilization", "share", "lower", _highest_utilization),
    ("utilization_spread", "Utilization spread (std. dev.)", "share", "lower",
     utilization_spread),
    ("people_whose_absence_stops_work", "People whose absence stops work", "people", "lower",
     lambda a: float(people_blocking(a))),
    ("worst_person_blocked_share", "Worst person risk", "share", "lower",
     lambda a: a.summary.worst_blocked_share),
    ("requests_per_week", "Requests per week", "count", "neither",
     lambda a: a.summary.requests_per_week),
]  # fmt: skip


def comparison_rows(
    analyses: list[Analysis],
    *,
    simulated: list[float | None] | None = None,
    training_hours: list[float | None] | None = None,
) -> list[Row]:
    """The before/after table, the one of ``compare``, ``propose`` and the HTML report: one
    row per figure of :data:`FIGURES`, one value per analysis.

    Parameters
    ----------
    analyses : list of Analysis
        The offices, one column each (the first is "before").
    simulated : list of float, optional
        The simulated mean lead time of each office: a row after the analytic lead time.
    training_hours : list of float, optional
        The weekly hours of work in newly learnt skills of each office: a last row.

    Returns
    -------
    list of Row
        The rows, in the table's order.

    Examples
    --------
    >>> from orgflow import load_text
    >>> from orgflow.analysis.summary import analyze
    >>> org = analyze(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 4/week}}]
    ... assignments: [{activity: a, people: [ann]}]
    ... '''))
    >>> rows = comparison_rows([org, org])
    >>> [(r.key, r.values) for r in rows if r.unit == "people"]
    [('truck_factor', (1.0, 1.0)), ('people_whose_absence_stops_work', (1.0, 1.0))]
    """
    rows = [
        Row(key, label, unit, tuple(value(a) for a in analyses), better)
        for key, label, unit, better, value in FIGURES
    ]
    rows = [r for r in rows if r.key != "external_hours" or any(v for v in r.values)]
    if simulated is not None:
        simulated_row = Row(
            "simulated_lead_time_hours", "Lead time (simulated)", "hours", tuple(simulated), "lower"
        )
        rows.insert(3, simulated_row)
    if training_hours is not None:
        rows.append(
            Row(
                "training_hours_per_week",
                "Work in newly learnt skills",
                "hours_per_week",
                tuple(training_hours),
                "lower",
            )
        )
    return rows
