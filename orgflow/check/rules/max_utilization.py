"""``max_utilization``: every person's utilization (load / present capacity) at most the limit.

Queues grow steeply as utilization nears 100%. Move work or add capacity.

Passes: bob, the busiest, is at 20% (4 requests a week of 2 h, of 40 h)::

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
    policy: {max_utilization: 25%}

Fails: the same office under a limit of 15%::

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
    policy: {max_utilization: 0.15}
"""

from __future__ import annotations

from orgflow.check.rules.context import Context
from orgflow.policy import RuleSetting

#: The rule's key under ``policy:``, and the code of its findings.
ID = "max_utilization"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = "Queues grow steeply as utilization nears 100%. Move work or add capacity."
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {max_utilization: 0.85}   # everyone at 70% or less"
FAILS = "policy: {max_utilization: 0.85}   # paolo at 92%"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, person_index, said_better, smap = (
        ctx.analysis,
        ctx.emit,
        ctx.person_index,
        ctx.said_better,
        ctx.smap,
    )
    for p in analysis.people:
        if p.load.utilization > limit:
            overloaded = p.load.utilization >= 1
            emit(
                "max_utilization",
                setting,
                ("people", person_index[p.id]),
                f"'{p.id}' is at {p.load.utilization:.0%} utilization "
                f"({p.load.load_hours_per_week:.1f} h/week for "
                f"{p.load.available_hours_per_week:.1f} h present), limit {limit:.0%}"
                + ("; overloaded: their queue grows without bound" if overloaded else ""),
            )
            # the lint pass's warning at their id says the same, without the limit
            if overloaded:
                said_better.add(("overloaded", *smap.at(("people", person_index[p.id], "id"))))
