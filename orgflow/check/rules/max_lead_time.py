"""``max_lead_time``: analytic mean lead time of every route at most the limit.

The lead time is the longest path through the process, with queueing, handoff latency and
absences. Fewer handoffs and backups shorten it.

Passes: requests take about 3.3 hours (1 h and 2 h of work, little queueing)::

    version: 1
    org: {handoff_delay: 0h}
    people:
      - {id: ann, skills: [a, b]}
      - {id: bob, skills: [a, b]}
    activities:
      - {id: a, effort: 1h, customer_facing: true}
      - {id: b, effort: 2h, customer_facing: true}
    processes: [{id: p, steps: [a, b]}]
    customers: [{id: c1, demand: {p: 4/week}}]
    assignments:
      - {activity: a, people: [ann]}
      - {activity: b, people: [bob]}
    policy: {max_lead_time: 4h}

Fails: the same office under a limit of 3 hours::

    version: 1
    org: {handoff_delay: 0h}
    people:
      - {id: ann, skills: [a, b]}
      - {id: bob, skills: [a, b]}
    activities:
      - {id: a, effort: 1h, customer_facing: true}
      - {id: b, effort: 2h, customer_facing: true}
    processes: [{id: p, steps: [a, b]}]
    customers: [{id: c1, demand: {p: 4/week}}]
    assignments:
      - {activity: a, people: [ann]}
      - {activity: b, people: [bob]}
    policy: {max_lead_time: 3h}
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from orgflow.check.rules.context import Context
from orgflow.check.rules.context import names as _names
from orgflow.check.rules.context import routes_text as _routes
from orgflow.output import working_time
from orgflow.policy import RuleSetting

if TYPE_CHECKING:
    from orgflow.analysis.summary import RouteResult
    from orgflow.source import Path_

#: The rule's key under ``policy:``, and the code of its findings.
ID = "max_lead_time"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = (
    "The lead time is the longest path through the process, with queueing, handoff latency "
    "and absences. Fewer handoffs and backups shorten it."
)
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {max_lead_time: 3d}   # parallel office: about 2 days"
FAILS = "policy: {max_lead_time: 3d}   # serial office: about 8 days"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, rule_path, hpd = ctx.analysis, ctx.emit, ctx.rule_path, ctx.hpd
    slow = [r for r in analysis.routes if r.lead.lead_time_hours > limit]
    unbounded = [r for r in slow if math.isinf(r.lead.lead_time_hours)]
    if unbounded:
        _overloaded(ctx, setting, limit, unbounded)
    # One finding per rule: the rule of the critical-path step with the longest wait
    # plus work, with every route it slows.
    by_rule: dict[int, list[tuple[RouteResult, str]]] = {}
    for r in slow:
        if math.isinf(r.lead.lead_time_hours):
            continue
        on_path = [t for t in r.lead.steps if t.step in r.lead.critical_path]
        slowest = max(on_path, key=lambda t: t.entry.total + t.work.total)
        rule = r.route.step(slowest.step).owners.rule
        by_rule.setdefault(rule, []).append((r, f"{slowest.desk} ({slowest.step})"))
    for rule, items in by_rule.items():
        routes = [r for r, _ in items]
        worst = max(routes, key=lambda r: r.lead.lead_time_hours)
        emit(
            "max_lead_time",
            setting,
            rule_path(rule),
            f"the lead time is {working_time(worst.lead.lead_time_hours, hpd, 'finding')}, "
            f"limit {working_time(limit, hpd, 'finding')}, on {_routes(routes)}; the longest "
            f"wait is at {items[0][1]}",
        )


def _overloaded(
    ctx: Context, setting: RuleSetting, limit: float, routes: list[RouteResult]
) -> None:
    """Routes whose lead time is unbounded share a root cause: someone overloaded. One
    finding per group of overloaded people, at the demand that puts the most work on them
    (a demand raised in a pull request is the line that changed)."""
    analysis, emit, org, cal, hpd, person_index, customer_index = (
        ctx.analysis,
        ctx.emit,
        ctx.org,
        ctx.cal,
        ctx.hpd,
        ctx.person_index,
        ctx.customer_index,
    )
    efforts = ctx.office.efforts
    util = {p.id: p.load.utilization for p in analysis.people}
    over = {p for p, u in util.items() if u >= 1}
    groups: dict[frozenset[str], list[RouteResult]] = {}
    for r in routes:
        who = frozenset(p for s in r.route.steps for p in s.owners.people if p in over)
        groups.setdefault(who, []).append(r)
    for who, group in groups.items():
        best: tuple[float, str, str] | None = None
        for r in group:
            per_request = sum(
                efforts[s.activity][0] for s in r.route.steps if set(s.owners.people) & who
            )
            for cid in r.route.customers:
                rate = org.customers[customer_index[cid]].demand.get(r.route.process)
                if rate is None:
                    continue
                weight = rate.per_week(cal) * per_request
                if best is None or weight > best[0]:
                    best = (weight, cid, r.route.process)
        people = sorted(who, key=lambda p: -util[p])
        names = _names([f"{p} ({util[p]:.0%})" for p in people]) if people else "someone"
        verb = "is" if len(people) == 1 else "are"
        if best is None:
            path: Path_ = ("people", person_index[people[0]]) if people else ("assignments",)
            where = ""
        else:
            _, cid, process = best
            path = ("customers", customer_index[cid], "demand", process)
            rate = org.customers[customer_index[cid]].demand[process]
            where = (
                f"; {cid}'s {process} demand ({rate}) puts the most work on "
                f"{'them' if len(people) > 1 else people[0] if people else 'them'}"
            )
        emit(
            "max_lead_time",
            setting,
            path,
            f"the lead time is unbounded, limit {working_time(limit, hpd, 'finding')}, on "
            f"{_routes(group)}: {names} {verb} overloaded{where}",
            hint=(
                f"lower this demand, move work from {_names(people or ['them'])} to "
                "colleagues, or add capacity: a queue above 100% utilization grows "
                "without bound"
            ),
        )
