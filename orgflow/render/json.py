"""``--format json``: the documented, stable schema of ``orgflow analyze`` (schema_version 1)."""

from __future__ import annotations

import json
import math
from typing import Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.analysis.leadtime import Parts
from orgflow.analysis.summary import Analysis
from orgflow.render import finite
from orgflow.render.formats import Renderer

SCHEMA_VERSION = 1


def parts_dict(parts: Parts) -> dict[str, float | None]:
    """The parts of a lead time as plain data, for JSON.

    Parameters
    ----------
    parts : Parts
        The parts of a lead time.

    Returns
    -------
    dict
        Each part in hours (None: unbounded).
    """
    return {
        "touch_hours": finite(parts.touch),
        "queueing_hours": finite(parts.queueing),
        "handoff_hours": finite(parts.handoff),
        "absence_hours": finite(parts.absence),
        "external_hours": finite(parts.external),
    }


def analysis_dict(a: Analysis) -> dict[str, Any]:
    # Over 80 lines on purpose: one literal that reads as the schema the README documents.
    """The JSON document as plain data (``None`` for unbounded figures).

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    dict
        The document of ``analyze --format json``.
    """
    s = a.summary
    tf = s.truck_factor
    return {
        "orgflow_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "org": {
            "name": a.org_name,
            "file": a.file,
            "hours_per_day": a.hours_per_day,
            "days_per_week": a.days_per_week,
            "handoff_delay_hours": finite(a.handoff_delay_hours),
            "absence_spell_hours": finite(a.absence_spell_hours),
        },
        "summary": {
            "requests_per_week": finite(s.requests_per_week),
            "handoffs_per_request": finite(s.handoffs_per_request),
            "lead_time_hours": finite(s.lead_time_hours),
            "lead_time_days": finite(s.lead_time_hours / a.hours_per_day),
            "touch_time_hours": finite(s.parts.touch),
            "queueing_hours": finite(s.parts.queueing),
            "handoff_hours": finite(s.parts.handoff),
            "absence_hours": finite(s.parts.absence),
            "external_hours": finite(s.parts.external),
            "busiest_month": None
            if s.busiest_month is None
            else {
                "month": s.busiest_month.month,
                "factor": s.busiest_month.factor,
                "lead_time_hours": finite(s.busiest_month.lead_time_hours),
                "utilization": {p: finite(u) for p, u in s.busiest_month.utilization.items()},
                "overloaded_only_then": s.busiest_month.overloaded_only_then,
            },
            "flow_efficiency": finite(s.flow_efficiency),
            "stable": math.isfinite(s.lead_time_hours),
            "truck_factor": tf.value,
            "truck_factor_method": tf.method,
            "truck_factor_lower_bound": tf.lower_bound,
            "truck_factor_people": tf.people,
            "truck_factor_stopped_share": finite(tf.stopped_share),
            "contacts_per_customer": finite(s.contacts_per_customer),
            "worst_person": s.worst_person,
            "worst_person_blocked_share": finite(s.worst_blocked_share),
            "overloaded": s.overloaded,
        },
        "routes": [
            {
                "number": r.route.number,
                "process": r.route.process,
                "chain": r.chain,
                "customers": r.route.customers,
                "requests_per_week": finite(r.route.requests_per_week),
                "handoffs": r.handoffs,
                "bus_factor": r.bus_factor,
                "critical_path": r.lead.critical_path,
                "lead_time_hours": finite(r.lead.lead_time_hours),
                "flow_efficiency": finite(r.lead.flow_efficiency),
                "parts": parts_dict(r.lead.parts),
                "steps": [
                    {
                        "step": t.step,
                        "activity": t.activity,
                        "desk": t.desk,
                        "owners": list(r.route.step(t.step).owners.people),
                        "pool": r.route.step(t.step).owners.pool,
                        "handed_over": t.handed_over,
                        "earliest_start_hours": finite(t.earliest_start),
                        "duration_hours": finite(t.duration),
                        "wait_hours": finite(t.entry.total),
                        "slack_hours": finite(t.slack),
                        "critical": t.step in r.lead.critical_path,
                    }
                    for t in r.lead.steps
                ],
            }
            for r in a.routes
        ],
        "activities": [
            {
                "id": act.id,
                "name": act.name,
                "bus_factor": act.bus_factor,
                "people": act.people,
                "hours_per_week": finite(act.hours_per_week),
                "executions_per_week": finite(act.executions_per_week),
                "specialist": act.specialist,
            }
            for act in a.activities
        ],
        "people": [
            {
                "id": p.id,
                "load_hours_per_week": finite(p.load.load_hours_per_week),
                "capacity_hours_per_week": finite(p.load.capacity_hours_per_week),
                "availability": p.load.availability,
                "utilization": finite(p.load.utilization),
                "overloaded": p.load.overloaded,
                "blocked_share": finite(p.blocked_share),
                "queue_wait_hours": finite(p.queue_wait_hours),
                "activities": {k: finite(v) for k, v in p.load.activities.items()},
            }
            for p in a.people
        ],
        "customers": [
            {
                "id": c.id,
                "region": c.region,
                "requests_per_week": finite(c.requests_per_week),
                "contacts": len(c.contacts),
                "contact_people": c.contacts,
                "handoffs_per_request": finite(c.handoffs_per_request),
                "lead_time_hours": finite(c.lead_time_hours),
            }
            for c in a.customers
        ],
        "handoffs": [
            {"from": u, "to": v, "requests_per_week": finite(w)}
            for (u, v), w in sorted(a.handoffs.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "warnings": [d.to_dict() for d in a.warnings],
    }


def render(a: Analysis) -> str:
    """``analyze --format json``: :func:`analysis_dict` as JSON.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        The JSON document, indented, with a final newline.
    """
    return (
        esc.json_text(json.dumps(analysis_dict(a), indent=2, ensure_ascii=False, allow_nan=False))
        + "\n"
    )


class AnalysisJson(Renderer[Analysis]):
    """``analyze --format json``: the schema of :func:`analysis_dict`."""

    def render(self, result: Analysis) -> str:
        return render(result)
