"""Before and after: the same figures of two analyses side by side (``orgflow compare`` and the
table of ``orgflow propose``). Every figure is taken from the analyses, never recomputed."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from orgflow.analysis.summary import Analysis


@dataclass(frozen=True)
class Row:
    key: str  # stable id, used as the JSON key
    label: str
    unit: str  # "hours", "count", "share" or "people"
    values: tuple[float | None, ...]  # one per column; None: not available
    better: str  # "lower" or "higher"


def people_blocking(a: Analysis) -> int:
    """How many people's absence alone stops some requests."""
    return sum(1 for p in a.people if p.blocked_share > 0)


def utilization_spread(a: Analysis) -> float:
    """Standard deviation of the people's utilizations (0 for one person or none; ``inf``
    when a utilization is unbounded)."""
    values = [p.load.utilization for p in a.people if p.load.load_hours_per_week > 0]
    if len(values) < 2:
        return 0.0
    if not all(math.isfinite(v) for v in values):
        return math.inf  # someone's utilization is unbounded, and so is the spread
    return statistics.pstdev(values)


def comparison_rows(
    analyses: list[Analysis],
    *,
    simulated: list[float | None] | None = None,
    training_hours: list[float | None] | None = None,
) -> list[Row]:
    """The before/after table: one row per figure, one value per analysis."""

    def row(key: str, label: str, unit: str, better: str, values: list[float | None]) -> Row:
        return Row(key, label, unit, tuple(values), better)

    s = [a.summary for a in analyses]
    rows = [
        row(
            "handoffs_per_request",
            "Handoffs per request",
            "count",
            "lower",
            [x.handoffs_per_request for x in s],
        ),
        row(
            "contacts_per_customer",
            "Contacts per customer",
            "count",
            "lower",
            [x.contacts_per_customer for x in s],
        ),
        row(
            "lead_time_hours",
            "Lead time (analytic)",
            "hours",
            "lower",
            [x.lead_time_hours for x in s],
        ),
    ]
    if simulated is not None:
        rows.append(
            row(
                "simulated_lead_time_hours",
                "Lead time (simulated)",
                "hours",
                "lower",
                list(simulated),
            )
        )
    rows += [
        row("touch_time_hours", "  touch", "hours", "lower", [x.parts.touch for x in s]),
        row("queueing_hours", "  queueing", "hours", "lower", [x.parts.queueing for x in s]),
        row("handoff_hours", "  handoff latency", "hours", "lower", [x.parts.handoff for x in s]),
        row("absence_hours", "  absences", "hours", "lower", [x.parts.absence for x in s]),
    ]
    if any(x.parts.external > 0 for x in s):
        # Delays are taken by nobody in the office: a reorganisation leaves them as they are.
        rows.append(
            row(
                "external_hours",
                "  external waits (no reorganisation shortens them)",
                "hours",
                "lower",
                [x.parts.external for x in s],
            )
        )
    rows += [
        row(
            "flow_efficiency", "Flow efficiency", "share", "higher", [x.flow_efficiency for x in s]
        ),
        row(
            "truck_factor",
            "Truck factor",
            "count",
            "higher",
            [float(x.truck_factor.value) if x.truck_factor.value is not None else None for x in s],
        ),
        row(
            "highest_utilization",
            "Highest utilization",
            "share",
            "lower",
            [max((p.load.utilization for p in a.people), default=0.0) for a in analyses],
        ),
        row(
            "utilization_spread",
            "Utilization spread (std. dev.)",
            "share",
            "lower",
            [utilization_spread(a) for a in analyses],
        ),
        row(
            "people_whose_absence_stops_work",
            "People whose absence stops work",
            "people",
            "lower",
            [float(people_blocking(a)) for a in analyses],
        ),
    ]
    if training_hours is not None:
        rows.append(
            row(
                "training_hours_per_week",
                "Work in newly learnt skills",
                "hours_per_week",
                "lower",
                list(training_hours),
            )
        )
    return rows


def format_value(value: float | None, unit: str, hours_per_day: float) -> str:
    if value is None:
        return "-"
    if not math.isfinite(value):
        return "unbounded"
    if unit == "hours":
        return f"{value:.1f} h" + (
            f" ({value / hours_per_day:.1f} d)" if value >= hours_per_day else ""
        )
    if unit == "hours_per_week":  # a weekly figure: never in days
        return f"{value:.1f} h/week"
    if unit == "share":
        return f"{value:.0%}"
    if unit == "people":
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
