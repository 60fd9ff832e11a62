"""The headline: one or two sentences of what matters, with numbers, computed from the results.

Every report (text, Markdown, HTML) opens with it, e.g. "Requests take 8.3 working days on
average; 91% of it is waiting, 5.6 days of it for absent colleagues. One person away (giulia)
stops every request." With a second office: "In parallel by customer: 2.1 days (-75%)."
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis


def duration(value_hours: float, hours_per_day: float) -> str:
    """``8.3 working days`` from a day up, else ``5.2 hours``."""
    if value_hours >= hours_per_day:
        days = value_hours / hours_per_day
        return f"{days:.1f} working day{'' if f'{days:.1f}' == '1.0' else 's'}"
    return f"{value_hours:.1f} hour{'' if f'{value_hours:.1f}' == '1.0' else 's'}"


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def lead_sentence(a: Analysis) -> str:
    """How long requests take, how much of it is waiting, and how much for absent people."""
    s = a.summary
    hpd = a.hours_per_day
    if s.requests_per_week <= 0:
        return "No requests: the file has no demand yet."
    lead = s.lead_time_hours
    if not math.isfinite(lead):
        who = _names(s.overloaded) or "someone"
        verb = "is" if len(s.overloaded) == 1 else "are"
        return (
            f"Requests have no bounded lead time: {who} {verb} overloaded (more work than "
            "present time), so the queue grows without end."
        )
    waiting = max(lead - s.parts.touch, 0.0)
    text = f"Requests take {duration(lead, hpd)} on average"
    if lead > 0:
        text += f"; {waiting / lead:.0%} of it is waiting"
        if s.parts.absence >= 0.05:
            text += f", {duration(s.parts.absence, hpd)} of it for absent colleagues"
    return text + "."


def risk_sentence(a: Analysis) -> str:
    """What stops when someone is away."""
    s = a.summary
    if s.requests_per_week <= 0:
        return ""
    if s.worst_person is None or s.worst_blocked_share <= 0:
        return "Nobody's absence alone stops a request."
    share = s.worst_blocked_share
    if share >= 0.9995:
        alone = [p.id for p in a.people if p.blocked_share >= 0.9995]
        if len(alone) == 1:
            return f"One person away ({alone[0]}) stops every request."
        shown = alone if len(alone) <= 4 else [*alone[:4], f"{len(alone) - 4} more"]
        return f"Any one of {len(alone)} people away ({_names(shown)}) stops every request."
    return f"When {s.worst_person} is away, {share:.0%} of requests stop."


def change_sentence(a: Analysis, b: Analysis, label: str) -> str:
    """The second office's lead time and its change from the first."""
    la, lb = a.summary.lead_time_hours, b.summary.lead_time_hours
    hpd = b.hours_per_day
    if not math.isfinite(lb):
        return f"{label}: no bounded lead time ({_names(b.summary.overloaded)} overloaded)."
    text = f"{label}: {duration(lb, hpd)}"
    if math.isfinite(la) and la > 0:
        text += f" ({(lb - la) / la:+.0%})"
    return text + "."


def headline(a: Analysis, other: Analysis | None = None, label: str | None = None) -> str:
    """One or two sentences about ``a``; with ``other``, how it compares (``label`` names it)."""
    parts = [lead_sentence(a), risk_sentence(a)]
    if other is not None:
        parts.append(change_sentence(a, other, label or other.org_name))
    return " ".join(p for p in parts if p)
