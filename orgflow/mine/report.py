"""Renderers of mine's results: the org file's text, and the log's figures as text or JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from orgflow.mine.discover import Mined, queueing_hours
from orgflow.mine.figures import Figures


def org_yaml(mined: Mined) -> str:
    """The org file: the header as comments (each line made one safe line by
    :func:`orgflow.escape.visible`, so no name can end a comment and start a key), then the
    data, written whole by the YAML dumper: one line per list item (flow style), and any text
    with a line break or a control character double-quoted with escapes."""
    import yaml

    from orgflow.escape import visible

    class Item(dict[str, Any]):
        """A list item written on one line."""

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)  # list items indented under their key

        def ignore_aliases(self, data: Any) -> bool:
            return True  # the same effort on two activities is written twice, not as &id001

    def item(dumper: yaml.SafeDumper, data: Item) -> yaml.Node:
        return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = '"' if data != visible(data) or data != data.strip() else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(Item, item)
    Dumper.add_representer(str, text)

    lines = [f"# {visible(line)}" for line in mined.header]
    if mined.warnings:
        lines.append("# Data warnings:")
        lines.extend(f"# - {visible(w)}" for w in mined.warnings)
    org = mined.org
    settings = {k: _item(v, Item) for k, v in org["org"].items()}
    document: dict[str, Any] = {"version": org["version"], "org": settings}
    for section in ("people", "activities", "processes", "customers", "assignments"):
        if section == "processes":
            document[section] = [
                {"id": p["id"], "name": p["name"], "steps": [_item(s, Item) for s in p["steps"]]}
                for p in org[section]
            ]
        else:
            document[section] = [_item(i, Item) for i in org[section]]
    body = yaml.dump(
        document,
        Dumper=Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=100_000,
        indent=2,
    )
    return "\n".join(lines) + "\n" + body


def _item(value: Any, kind: type) -> Any:
    """A mapping as ``kind`` (written on one line); a step given as a list or a string stays."""
    return kind(value) if isinstance(value, dict) else value


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
    where the org file was written (None: printed) and its text."""

    fig: Figures
    mined: Mined
    output: str | None
    org_text: str = ""


def render_json(fig: Figures, mined: Mined, output: str | None, org_text: str = "") -> str:
    """The figures, warnings and header, where the org file went (``org_file``: the path, or
    null when it was not written) and its text (``org_yaml``), so that ``mine --format json``
    without ``-o`` loses nothing."""
    from orgflow.escape import json_text

    data = {
        "log": figures_dict(fig),
        "org_file": output,
        "warnings": mined.warnings,
        "header": mined.header,
        "org_yaml": org_text,
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render_text(fig: Figures, mined: Mined, output: str | None) -> str:
    """The report: every name from the log through :func:`orgflow.escape.visible`, so no
    name can forge a line or send a terminal escape."""
    from orgflow.escape import visible
    from orgflow.output import plural

    d = figures_dict(fig)
    lt = d["lead_time_hours"]
    lines = [
        f"Log: {plural(fig.events, 'event')}, {plural(fig.requests, 'request')} "
        f"({fig.completed} completed, {fig.open_requests} open), "
        f"{plural(len(fig.people), 'person', 'people')}, "
        f"{plural(len(fig.activities), 'activity', 'activities')}, "
        f"{plural(len(fig.variants), 'variant')}, {fig.weeks:.1f} weeks",
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
        lines.append(f"  {visible(h['from'])} -> {visible(h['to'])}: {h['value']:.4f}")
    lines.append("Hours per week, busiest people:")
    busiest = sorted(d["people_detail"].items(), key=lambda x: -(x[1]["hours_per_week"] or 0))
    for p, s in busiest[:5]:
        lines.append(
            f"  {visible(p)}: {s['hours_per_week']:.1f} h/week ({plural(s['events'], 'event')})"
        )
    if mined.warnings:
        lines.append("Data warnings:")
        lines.extend(f"  - {visible(w)}" for w in mined.warnings)
    if output:
        lines.append(f"Org file: {visible(output)}")
    return "\n".join(lines) + "\n"
