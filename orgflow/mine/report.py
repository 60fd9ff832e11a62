"""Renderers of mine's results: the org file's text, and the log's figures as text or JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from orgflow.mine.discover import Mined, queueing_hours
from orgflow.mine.figures import Figures


def org_yaml(mined: Mined) -> str:
    """The org file: the header as comments, then one line per list item where it fits."""
    import yaml

    def flow(value: Any) -> str:
        text = str(yaml.safe_dump(value, default_flow_style=True, width=100_000, sort_keys=False))
        return text.removesuffix("\n").removesuffix("\n...").strip()

    lines = [f"# {line}" for line in mined.header]
    if mined.warnings:
        lines.append("# Data warnings:")
        lines.extend(f"# - {w}" for w in mined.warnings)
    org = mined.org
    lines.append("version: 1")
    lines.append("org:")
    for key, value in org["org"].items():
        lines.append(f"  {key}: {flow(value)}")
    for section in ("people", "activities", "processes", "customers", "assignments"):
        lines.append(f"{section}:")
        for item in org[section]:
            if section == "processes":
                lines.append(f"  - id: {flow(item['id'])}")
                lines.append(f"    name: {flow(item['name'])}")
                lines.append("    steps:")
                lines.extend(f"      - {flow(step)}" for step in item["steps"])
            else:
                lines.append(f"  - {flow(item)}")
    return "\n".join(lines) + "\n"


def _r(x: float, digits: int = 4) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, digits)


def figures_dict(fig: Figures) -> dict[str, Any]:
    """The log's figures (definitions in :mod:`orgflow.mine.figures`)."""
    hw = fig.handover_of_work()
    wt = fig.working_together
    return {
        "events": fig.events,
        "requests": fig.requests,
        "completed_requests": fig.completed,
        "open_requests": fig.open_requests,
        "people": len(fig.people),
        "activities": len(fig.activities),
        "variants": len(fig.variants),
        "first_arrival": fig.first.isoformat(),
        "last_arrival": fig.last.isoformat(),
        "weeks": _r(fig.weeks),
        "calendar": {
            "hours_per_day": fig.calendar.hours_per_day,
            "days_per_week": fig.calendar.days_per_week,
            "hours_utc": fig.calendar.hours,
            "weekdays": fig.calendar.days,
        },
        "lead_time_hours": {
            "mean": _r(fig.lead_mean),
            "p50": _r(fig.lead_p50),
            "p90": _r(fig.lead_p90),
            "requests": len(fig.lead_times),
        },
        "wait_hours_per_request": _r(fig.wait_hours),
        "contention_hours_per_request": _r(fig.contention_hours),
        "extraneous_hours_per_request": _r(fig.wait_hours - fig.contention_hours),
        "queueing_hours_per_request": _r(queueing_hours(fig)),
        "changes_of_person_per_request": _r(fig.person_changes),
        "changes_of_role_per_request": _r(fig.role_changes),
        "handover_of_work": [
            {"from": a, "to": b, "value": _r(v, 6)}
            for (a, b), v in sorted(hw.items(), key=lambda x: (-x[1], x[0]))
        ],
        "working_together": [
            {"a": a, "b": b, "value": _r(n / fig.requests, 6)}
            for (a, b), n in sorted(wt.items(), key=lambda x: (-x[1], x[0]))
            if a < b
        ],
        "roles": fig.roles,
        "activities_detail": {
            a: {k: _r(v) for k, v in s.items()} for a, s in sorted(fig.activities.items())
        },
        "people_detail": {
            p: {
                "events": int(s["count"]),
                "hours": _r(s["hours"]),
                "hours_per_week": _r(s["hours"] / fig.weeks),
            }
            for p, s in sorted(fig.people.items())
        },
        "top_variants": [{"activities": seq, "requests": n} for seq, n in fig.variants[:10]],
        "arrivals_per_week": fig.arrivals_week,
        "arrivals_per_month": fig.arrivals_month,
        "end_activities": fig.end_activities,
        "zero_length_events": fig.zero_length,
        "overlapping_events": fig.overlaps,
    }


@dataclass(frozen=True)
class MineReport:
    """What ``orgflow mine`` reports: the log's figures, the mined org's warnings and header,
    and where the org file was written (None: printed)."""

    fig: Figures
    mined: Mined
    output: str | None


def render_json(fig: Figures, mined: Mined, output: str | None) -> str:
    data = {
        "log": figures_dict(fig),
        "org_file": output,
        "warnings": mined.warnings,
        "header": mined.header,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_text(fig: Figures, mined: Mined, output: str | None) -> str:
    d = figures_dict(fig)
    lt = d["lead_time_hours"]
    lines = [
        f"Log: {fig.events} events, {fig.requests} requests ({fig.completed} completed, "
        f"{fig.open_requests} open), {len(fig.people)} people, {len(fig.activities)} "
        f"activities, {len(fig.variants)} variants, {fig.weeks:.1f} weeks",
        f"Calendar observed: {fig.calendar.hours_per_day} h/day, "
        f"{fig.calendar.days_per_week} days/week",
        f"Lead time (completed requests, working hours): mean {lt['mean']:.1f}, "
        f"p50 {lt['p50']:.1f}, p90 {lt['p90']:.1f}",
        f"Waiting per request: {fig.wait_hours:.1f} h, of which {fig.contention_hours:.1f} h "
        f"contention (performer busy) and {fig.wait_hours - fig.contention_hours:.1f} h "
        f"extraneous; queueing (contention beyond chance): {queueing_hours(fig):.1f} h",
        f"Changes of person per request: {fig.person_changes:.2f}; of role: {fig.role_changes:.2f}",
        "Top handovers of work (share of direct successions):",
    ]
    for h in d["handover_of_work"][:5]:
        lines.append(f"  {h['from']} -> {h['to']}: {h['value']:.4f}")
    lines.append("Hours per week, busiest people:")
    busiest = sorted(d["people_detail"].items(), key=lambda x: -(x[1]["hours_per_week"] or 0))
    for p, s in busiest[:5]:
        lines.append(f"  {p}: {s['hours_per_week']:.1f} h/week ({s['events']} events)")
    if mined.warnings:
        lines.append("Data warnings:")
        lines.extend(f"  - {w}" for w in mined.warnings)
    if output:
        lines.append(f"Org file: {output}")
    return "\n".join(lines) + "\n"
