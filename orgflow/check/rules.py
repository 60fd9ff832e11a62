"""Policy rules over the analyses: each finding names the place to change, the measured value
and the limit."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.policy import RULES, Policy, RuleSetting, limit_value

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis, RouteResult
    from orgflow.loader import SourceMap
    from orgflow.model import Org

Path_ = tuple[str | int, ...]


def _customers(route: RouteResult) -> str:
    names = route.route.customers
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _days(hours: float, hpd: float) -> str:
    return f"{hours:.1f} h ({hours / hpd:.1f} working days)"


def policy_findings(org: Org, analysis: Analysis, policy: Policy) -> list[Diagnostic]:
    """Every policy finding for one org, in rule order."""
    smap: SourceMap = org.source
    cal = org.calendar
    out: list[Diagnostic] = []
    person_index = {p.id: i for i, p in enumerate(org.people)}
    customer_index = {c.id: i for i, c in enumerate(org.customers)}
    hpd = cal.hours_per_day

    def emit(
        rule: str, setting: RuleSetting, path: Path_, message: str, *, key: bool = False
    ) -> None:
        out.append(
            smap.diagnostic(
                path, message, code=rule, hint=RULES[rule].help, level=setting.level, key=key
            )
        )

    def rule_path(index: int) -> Path_:
        return ("assignments", index)

    def max_handoffs(setting: RuleSetting, limit: float) -> None:
        for r in analysis.routes:
            if r.handoffs <= limit:
                continue
            # Point at the rule whose step makes the handoff that goes over the limit.
            desk = {s.step: s.owners.desk for s in r.route.steps}
            count, culprit = 0, r.route.steps[0].owners.rule
            for step in r.route.steps:
                for pred in step.after:
                    if desk[pred] != desk[step.step]:
                        count += 1
                        if count == int(limit) + 1:
                            culprit = step.owners.rule
            emit(
                "max_handoffs",
                setting,
                rule_path(culprit),
                f"route {r.route.number} ({r.route.process}: {' -> '.join(r.chain)}) has "
                f"{r.handoffs} handoffs per request, limit {limit:g}; customers "
                f"{_customers(r)}",
            )

    def min_bus_factor(setting: RuleSetting, limit: float) -> None:
        for act in analysis.activities:
            if act.bus_factor is None or act.bus_factor >= limit:
                continue
            weakest = min(
                (s.owners for r in analysis.routes for s in r.route.steps if s.activity == act.id),
                key=lambda o: o.bus_factor,
            )
            who = ", ".join(weakest.people)
            emit(
                "min_bus_factor",
                setting,
                rule_path(weakest.rule),
                f"activity '{act.id}' can be done by only {act.bus_factor} person(s) ({who}) "
                f"for some customers, limit {limit:g}",
            )

    def max_lead_time(setting: RuleSetting, limit: float) -> None:
        for r in analysis.routes:
            lead = r.lead.lead_time_hours
            if lead <= limit:
                continue
            on_path = [t for t in r.lead.steps if t.step in r.lead.critical_path]
            slowest = max(on_path, key=lambda t: t.entry.total + t.work.total)
            took = (
                "an unbounded time (someone is overloaded)"
                if math.isinf(lead)
                else _days(lead, hpd)
            )
            emit(
                "max_lead_time",
                setting,
                rule_path(r.route.step(slowest.step).owners.rule),
                f"route {r.route.number} ({r.route.process}) takes {took}, limit "
                f"{_days(limit, hpd)}; the longest wait is at {slowest.desk} ({slowest.step})",
            )

    def max_utilization(setting: RuleSetting, limit: float) -> None:
        for p in analysis.people:
            if p.load.utilization > limit:
                emit(
                    "max_utilization",
                    setting,
                    ("people", person_index[p.id]),
                    f"'{p.id}' is at {p.load.utilization:.0%} utilization "
                    f"({p.load.load_hours_per_week:.1f} h/week for "
                    f"{p.load.available_hours_per_week:.1f} h present), limit {limit:.0%}",
                )

    def max_contacts(setting: RuleSetting, limit: float) -> None:
        for c in analysis.customers:
            if len(c.contacts) > limit:
                emit(
                    "max_contacts_per_customer",
                    setting,
                    ("customers", customer_index[c.id]),
                    f"customer '{c.id}' talks to {len(c.contacts)} people "
                    f"({', '.join(c.contacts)}), limit {limit:g}",
                )

    def max_blocked_share(setting: RuleSetting, limit: float) -> None:
        for p in analysis.people:
            if p.blocked_share <= limit:
                continue
            alone = next(
                (
                    s.owners.rule
                    for r in analysis.routes
                    for s in r.route.steps
                    if s.owners.people == (p.id,)
                ),
                None,
            )
            path = rule_path(alone) if alone is not None else ("people", person_index[p.id])
            emit(
                "max_blocked_share",
                setting,
                path,
                f"when '{p.id}' is away, {p.blocked_share:.0%} of requests stop, limit {limit:.0%}",
            )

    def min_truck_factor(setting: RuleSetting, limit: float) -> None:
        tf = analysis.summary.truck_factor
        if tf.value is None or tf.value >= limit:
            return
        how = "" if tf.method == "exact" else f" (greedy bound; at least {tf.lower_bound})"
        emit(
            "min_truck_factor",
            setting,
            ("assignments",),
            f"truck factor {tf.value}{how}: with {', '.join(tf.people)} away, "
            f"{tf.stopped_share:.0%} of requests stop; limit {limit:g}",
            key=True,
        )

    checks: dict[str, Callable[[RuleSetting, float], None]] = {
        "max_handoffs": max_handoffs,
        "min_bus_factor": min_bus_factor,
        "max_lead_time": max_lead_time,
        "max_utilization": max_utilization,
        "max_contacts_per_customer": max_contacts,
        "max_blocked_share": max_blocked_share,
        "min_truck_factor": min_truck_factor,
    }
    for name, check in checks.items():
        setting = getattr(policy, name)
        if setting is None or not setting.enabled:
            continue
        check(setting, limit_value(name, setting.limit, cal))
    return out
