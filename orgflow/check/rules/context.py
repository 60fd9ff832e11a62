"""What every policy rule reads, and where its findings go: :class:`Context`, and the way
findings name routes and people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.output import names_list

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis, RouteResult
    from orgflow.assign import Owners
    from orgflow.office import Office
    from orgflow.policy import RuleSetting
    from orgflow.source import Path_, SourceMap


@dataclass
class Context:
    """One org file under check: its resolved office and analysis, the findings so far, and
    the warnings a finding says better (left out of the report)."""

    office: Office
    analysis: Analysis
    helps: dict[str, str]  # rule id -> the hint of its findings (the rule's HELP)
    out: list[Diagnostic] = field(default_factory=list)
    said_better: set[tuple[str, int, int]] = field(default_factory=set)  # (code, line, column)

    def __post_init__(self) -> None:
        self.org = self.office.org
        self.smap: SourceMap = self.office.source
        self.cal = self.office.calendar
        self.hpd = self.cal.hours_per_day
        self.person_index = {p.id: i for i, p in enumerate(self.org.people)}
        self.customer_index = {c.id: i for i, c in enumerate(self.org.customers)}
        self.skills = {a.id: a.skill_id for a in self.org.activities}

    def emit(
        self,
        rule: str,
        setting: RuleSetting,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> None:
        """A finding of ``rule`` at ``path`` in the file (its key with ``key``), with the
        rule's help as hint unless ``hint`` is given."""
        self.out.append(
            self.smap.diagnostic(
                path,
                message,
                code=rule,
                hint=hint or self.helps[rule],
                level=setting.level,
                key=key,
            )
        )

    def rule_path(self, index: int) -> Path_:
        """The place of the ``index``-th assignment rule."""
        return ("assignments", index)

    def backup_hint(self, owners: Owners, skill: str) -> str:
        """A backup to add, named from the file: someone else holding the skill, else the
        person with the lowest utilization (who would have to learn it)."""
        org, analysis = self.org, self.analysis
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


def names(items: list[str]) -> str:
    """``a, b, c and 5 more``: a list that stays one short line."""
    return names_list(items, shown=3)


def _customers(route: RouteResult) -> str:
    return names(list(route.route.customers))


def _route(route: RouteResult) -> str:
    """A route as the file names it: its process, its chain of desks and its customers (never
    the internal route number, which appears nowhere in the file)."""
    return f"{route.route.process} ({' -> '.join(route.chain)}; customers {_customers(route)})"


def routes_text(routes: list[RouteResult]) -> str:
    """Two routes as the file names them, then ``and N more routes``."""
    shown = [_route(r) for r in routes[:2]]
    more = f" and {len(routes) - 2} more routes" if len(routes) > 2 else ""
    return " and ".join(shown) + more if not more else ", ".join(shown) + more
