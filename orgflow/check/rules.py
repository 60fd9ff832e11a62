"""Policy rules over the analyses: each finding names the place to change, the measured value
and the limit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.output import names_list
from orgflow.policy import RULES, Policy, RuleSetting, limit_value
from orgflow.source import Path_

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis, RouteResult
    from orgflow.assign import Owners
    from orgflow.office import Office
    from orgflow.source import SourceMap


def _names(names: list[str]) -> str:
    """``a, b, c and 5 more``: a list that stays one short line."""
    return names_list(names, shown=3)


def _customers(route: RouteResult) -> str:
    return _names(list(route.route.customers))


def _route(route: RouteResult) -> str:
    """A route as the file names it: its process, its chain of desks and its customers (never
    the internal route number, which appears nowhere in the file)."""
    return f"{route.route.process} ({' -> '.join(route.chain)}; customers {_customers(route)})"


def _routes(routes: list[RouteResult]) -> str:
    shown = [_route(r) for r in routes[:2]]
    more = f" and {len(routes) - 2} more routes" if len(routes) > 2 else ""
    return " and ".join(shown) + more if not more else ", ".join(shown) + more


def _days(hours: float, hpd: float) -> str:
    return f"{hours:.1f} h ({hours / hpd:.1f} working days)"


def policy_findings(
    office: Office, analysis: Analysis, policy: Policy, warnings: Sequence[Diagnostic] = ()
) -> list[Diagnostic]:
    """The office's ``warnings`` (the loader's and the lint pass's, first) and every policy
    finding for one org (in rule order), one per root cause: a warning a finding says better
    is left out (an overloaded person over the ``max_utilization`` limit gets the rule's
    finding, with the limit and their load, not also the lint pass's ``overloaded`` warning)."""
    # Over 80 lines: one closure per policy rule, sharing the emitter and the lookups; issue 12
    # asks for one module per rule (``check(office, analysis)``), the next step for this file.
    org = office.org
    smap: SourceMap = office.source
    cal = office.calendar
    out: list[Diagnostic] = []
    said_better: set[tuple[str, int, int]] = set()  # (code, line, column) of warnings to drop
    person_index = {p.id: i for i, p in enumerate(org.people)}
    customer_index = {c.id: i for i, c in enumerate(org.customers)}
    hpd = cal.hours_per_day

    def emit(
        rule: str,
        setting: RuleSetting,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> None:
        out.append(
            smap.diagnostic(
                path,
                message,
                code=rule,
                hint=hint or RULES[rule].help,
                level=setting.level,
                key=key,
            )
        )

    def rule_path(index: int) -> Path_:
        return ("assignments", index)

    def backup_hint(owners: Owners, skill: str) -> str:
        """A backup to add, named from the file: someone else holding the skill, else the
        person with the lowest utilization (who would have to learn it)."""
        taken = set(owners.people)
        holders = [p.id for p in org.people if skill in p.skills and p.id not in taken]
        key = "pool" if owners.pool else "people"
        if holders:
            return (
                f"add a backup who has the skill: {key}: [{', '.join(owners.people)}, {holders[0]}]"
            )
        others = sorted(
            (p for p in analysis.people if p.id not in taken), key=lambda p: p.load.utilization
        )
        if not others:
            return "add a person to the file to back them up"
        who = others[0].id
        return (
            f"add a backup: {key}: [{', '.join(owners.people)}, {who}] "
            f"({who} has the lowest utilization; they would need to learn {skill})"
        )

    skills = {a.id: a.skill_id for a in org.activities}

    def max_handoffs(setting: RuleSetting, limit: float) -> None:
        # One finding per root cause: the rule whose step makes the handoff over the limit,
        # with every route it puts over.
        by_rule: dict[int, list[RouteResult]] = {}
        for r in analysis.routes:
            if r.handoffs <= limit:
                continue
            # the step the first handoff over the limit goes to (handoffs in step order)
            _pred, over = r.route.handoffs[int(limit)]
            culprit = r.route.step(over).owners.rule
            by_rule.setdefault(culprit, []).append(r)
        for culprit, routes in by_rule.items():
            most = max(r.handoffs for r in routes)
            emit(
                "max_handoffs",
                setting,
                rule_path(culprit),
                f"{most} handoff{'' if most == 1 else 's'} per request, limit {limit:g}, on "
                f"{_routes(routes)}; this "
                "rule makes the first handoff over the limit",
            )

    def min_bus_factor(setting: RuleSetting, limit: float) -> None:
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

    def max_lead_time(setting: RuleSetting, limit: float) -> None:
        slow = [r for r in analysis.routes if r.lead.lead_time_hours > limit]
        unbounded = [r for r in slow if math.isinf(r.lead.lead_time_hours)]
        if unbounded:
            overloaded_findings(setting, limit, unbounded)
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
                f"the lead time is {_days(worst.lead.lead_time_hours, hpd)}, limit "
                f"{_days(limit, hpd)}, on {_routes(routes)}; the longest wait is at "
                f"{items[0][1]}",
            )

    def overloaded_findings(setting: RuleSetting, limit: float, routes: list[RouteResult]) -> None:
        """Routes whose lead time is unbounded share a root cause: someone overloaded. One
        finding per group of overloaded people, at the demand that puts the most work on them
        (a demand raised in a pull request is the line that changed)."""
        efforts = office.efforts
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
                f"the lead time is unbounded, limit {_days(limit, hpd)}, on {_routes(group)}: "
                f"{names} {verb} overloaded{where}",
                hint=(
                    f"lower this demand, move work from {_names(people or ['them'])} to "
                    "colleagues, or add capacity: a queue above 100% utilization grows "
                    "without bound"
                ),
            )

    def max_utilization(setting: RuleSetting, limit: float) -> None:
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

    def max_contacts(setting: RuleSetting, limit: float) -> None:
        # One finding per set of contacts: customers served by the same people share a cause.
        groups: dict[tuple[str, ...], list[str]] = {}
        for c in analysis.customers:
            if len(c.contacts) > limit:
                groups.setdefault(tuple(c.contacts), []).append(c.id)
        for contacts, customers in groups.items():
            n = len(contacts)
            subject = (
                f"customer '{customers[0]}' talks"
                if len(customers) == 1
                else f"{len(customers)} customers ({_names(customers)}) talk"
            )
            emit(
                "max_contacts_per_customer",
                setting,
                ("customers", customer_index[customers[0]]),
                f"{subject} to {n} {'person' if n == 1 else 'people'} ({', '.join(contacts)}), "
                f"limit {limit:g}",
            )

    def max_blocked_share(setting: RuleSetting, limit: float) -> None:
        for p in analysis.people:
            if p.blocked_share <= limit:
                continue
            alone = next(
                (s for r in analysis.routes for s in r.route.steps if s.owners.people == (p.id,)),
                None,
            )
            path = (
                rule_path(alone.owners.rule)
                if alone is not None
                else ("people", person_index[p.id])
            )
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
    kept = [w for w in warnings if (w.code, w.line, w.column) not in said_better]
    return kept + out
