"""``min_bus_factor``: at least this many people able to do every step (primary plus
backups, or pool).

A step done by fewer people stops whenever they are all away. Add a backup after the primary in
the rule's people: list.

Passes: ann and bob can each do every step::

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
    policy: {min_bus_factor: 2}

Fails: only ann can do ``a``, only bob ``b``::

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
    policy: {min_bus_factor: 2}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.check.rules.context import Context
from orgflow.check.rules.context import names as _names
from orgflow.policy import RuleSetting

if TYPE_CHECKING:
    from orgflow.assign import Owners

#: The rule's key under ``policy:``, and the code of its findings.
ID = "min_bus_factor"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = (
    "A step done by fewer people stops whenever they are all away. Add a backup after the "
    "primary in the rule's people: list."
)
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {min_bus_factor: 2}   # {activity: quotation, people: [marco, giulia]}"
FAILS = "policy: {min_bus_factor: 2}   # {activity: quotation, people: [marco]}"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, rule_path, backup_hint, skills = (
        ctx.analysis,
        ctx.emit,
        ctx.rule_path,
        ctx.backup_hint,
        ctx.skills,
    )
    # One finding per rule: the activities it leaves with too few people.
    by_rule: dict[int, tuple[Owners, list[str]]] = {}
    for act in analysis.activities:
        if act.bus_factor is None or act.bus_factor >= limit:
            continue
        weakest = min(
            (s.owners for r in analysis.routes for s in r.route.steps if s.activity == act.id),
            key=lambda o: o.bus_factor,
        )
        by_rule.setdefault(weakest.rule, (weakest, []))[1].append(act.id)
    for rule, (owners, acts) in by_rule.items():
        n = owners.bus_factor
        who = ", ".join(owners.people)
        what = "activity" if len(acts) == 1 else "activities"
        emit(
            "min_bus_factor",
            setting,
            rule_path(rule),
            f"{what} {_names([repr(x) for x in acts])} can be done by only {n} "
            f"{'person' if n == 1 else 'people'} ({who}) for some customers, limit {limit:g}",
            hint=backup_hint(owners, skills.get(acts[0], acts[0])),
        )
