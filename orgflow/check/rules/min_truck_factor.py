"""``min_truck_factor``: at least this many people must be away at once to stop half of
the requests.

The truck factor is the fewest people whose joint absence stops at least half of the requests
per week.

Passes: both must be away to stop the requests: truck factor 2::

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
    policy: {min_truck_factor: 2}

Fails: ann away alone stops every request: truck factor 1::

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
    policy: {min_truck_factor: 2}
"""

from __future__ import annotations

from orgflow.check.rules.context import Context
from orgflow.policy import RuleSetting

#: The rule's key under ``policy:``, and the code of its findings.
ID = "min_truck_factor"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = (
    "The truck factor is the fewest people whose joint absence stops at least half of the "
    "requests per week."
)
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {min_truck_factor: 2}   # every step has a backup"
FAILS = "policy: {min_truck_factor: 2}   # one person alone stops every order"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit = ctx.analysis, ctx.emit
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
