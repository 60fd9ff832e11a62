"""``max_blocked_share``: no single person's absence stops more than this share of requests.

A request stops when a step only one person can do waits for them. Add a backup.

Passes: everyone has a backup: nobody's absence alone stops a request::

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
      - {people: [ann, bob]}
    policy: {max_blocked_share: 0.5}

Fails: ann alone does ``a``: when she is away, every request stops::

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
    policy: {max_blocked_share: 0.5}
"""

from __future__ import annotations

from orgflow.check.rules.context import Context
from orgflow.policy import RuleSetting

#: The rule's key under ``policy:``, and the code of its findings.
ID = "max_blocked_share"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = "A request stops when a step only one person can do waits for them. Add a backup."
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {max_blocked_share: 0.2}   # everyone has a backup: 0%"
FAILS = "policy: {max_blocked_share: 0.2}   # lucia alone does intake: 100%"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, rule_path, backup_hint, skills, person_index = (
        ctx.analysis,
        ctx.emit,
        ctx.rule_path,
        ctx.backup_hint,
        ctx.skills,
        ctx.person_index,
    )
    for p in analysis.people:
        if p.blocked_share <= limit:
            continue
        alone = next(
            (s for r in analysis.routes for s in r.route.steps if s.owners.people == (p.id,)),
            None,
        )
        path = rule_path(alone.owners.rule) if alone is not None else ("people", person_index[p.id])
        emit(
            "max_blocked_share",
            setting,
            path,
            f"when '{p.id}' is away, {p.blocked_share:.0%} of requests stop, limit {limit:.0%}",
            hint=(
                backup_hint(alone.owners, skills.get(alone.activity, alone.activity))
                if alone is not None
                else None
            ),
        )
