"""The headline: one or two sentences of what matters, with numbers, computed from the results.

Every report (text, Markdown, HTML) opens with it, e.g. "Requests take 8.3 working days on
average; 91% of it is waiting, 5.6 days of it for absent colleagues. One person away (giulia)
stops every request." With a second office: "In parallel by customer: 2.1 days (-75%)."
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from orgflow.output import working_time

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis
    from orgflow.simulate.runner import SimResult


def _names(names: list[str]) -> str:
    from orgflow.output import names_list

    return names_list(names)


def lead_sentence(a: Analysis) -> str:
    """How long requests take, how much of it is waiting, and how much for absent people.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        One sentence.
    """
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
    text = f"Requests take {working_time(lead, hpd, 'words')} on average"
    return text + _waiting_clause(lead, s.parts.touch, s.parts.absence, hpd) + "."


def risk_sentence(a: Analysis) -> str:
    """What stops when someone is away.

    Parameters
    ----------
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        One sentence, or empty when there is no demand.
    """
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
        from orgflow.output import names_list

        shown = names_list(alone, shown=4)
        return f"Any one of {len(alone)} people away ({shown}) stops every request."
    return f"When {s.worst_person} is away, {share:.0%} of requests stop."


def change_sentence(a: Analysis, b: Analysis, label: str) -> str:
    """The second office's lead time and its change from the first.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    b : Analysis
        The second office's analysis.
    label : str
        What names the second office in the sentence.

    Returns
    -------
    str
        One sentence.
    """
    la, lb = a.summary.lead_time_hours, b.summary.lead_time_hours
    hpd = b.hours_per_day
    if not math.isfinite(lb):
        return f"{label}: no bounded lead time ({_names(b.summary.overloaded)} overloaded)."
    text = f"{label}: {working_time(lb, hpd, 'words')}"
    if math.isfinite(la) and la > 0:
        text += f" ({(lb - la) / la:+.0%})"
    return text + "."


def headline(a: Analysis, other: Analysis | None = None, label: str | None = None) -> str:
    """One or two sentences about ``a``; with ``other``, how it compares (``label`` names it).

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    other : Analysis, optional
        A second office, compared with the first.
    label : str
        What names the second office in the sentence.

    Returns
    -------
    str
        The headline.
    """
    parts = [lead_sentence(a), risk_sentence(a)]
    if other is not None:
        parts.append(change_sentence(a, other, label or other.org_name))
    return " ".join(p for p in parts if p)


def _waiting_clause(lead: float, touch: float, absence: float, hpd: float) -> str:
    """``; 67% of it is waiting, 1.2 working days of it for absent colleagues``."""
    if not lead > 0:
        return ""
    text = f"; {max(lead - touch, 0.0) / lead:.0%} of it is waiting"
    if absence >= 0.05:
        text += f", {working_time(absence, hpd, 'words')} of it for absent colleagues"
    return text


def simulated_lead_sentence(sim: SimResult, a: Analysis) -> str:
    """How long the simulated requests took, how much of it was waiting and for absent people,
    and the spread (9 in 10 within the 90th percentile).

    Parameters
    ----------
    sim : SimResult
        The simulation.
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        One or two sentences.
    """
    hpd = sim.hours_per_day
    e = sim.lead_time
    if a.summary.requests_per_week <= 0:
        return "No requests: the file has no demand yet."
    if sim.overloaded:
        who = _names(sim.overloaded)
        verb = "is" if len(sim.overloaded) == 1 else "are"
        text = (
            f"Requests have no steady lead time: {who} {verb} overloaded, and the backlog "
            f"grows by {sim.backlog_growth:.0f} requests over a run"
        )
        if math.isfinite(e.mean):
            text += f" (those done took {working_time(e.mean, hpd, 'words')} on average)"
        return text + "."
    if not math.isfinite(e.mean):
        return "No request was completed in the simulated time."
    text = f"Requests take {working_time(e.mean, hpd, 'words')} on average in the simulation"
    text += _waiting_clause(e.mean, sim.parts["touch"], sim.parts["absence"], hpd) + "."
    if math.isfinite(e.p90):
        text += f" 9 in 10 are done within {working_time(e.p90, hpd, 'words')}."
    return text


def simulated_spread_sentence(sim: SimResult) -> str:
    """The simulated mean and 90th percentile, after the analytic headline of the HTML report
    (``report --simulate``): ``Simulated: 8.4 working days on average, 9 in 10 within 16.7.``

    Parameters
    ----------
    sim : SimResult
        The simulation.

    Returns
    -------
    str
        One sentence, or empty when the office is overloaded.
    """
    e = sim.lead_time
    if sim.overloaded or not (math.isfinite(e.mean) and math.isfinite(e.p90)):
        return ""
    hpd = sim.hours_per_day
    return (
        f"Simulated: {working_time(e.mean, hpd, 'words')} on average, 9 in 10 done within "
        f"{working_time(e.p90, hpd, 'words')}."
    )


def simulated_headline(sim: SimResult, a: Analysis) -> str:
    """The headline of ``orgflow simulate``: the simulated lead time, its waiting and absence
    parts and spread, then who stops every request when away (from the routing, as in
    ``analyze``).

    Parameters
    ----------
    sim : SimResult
        The simulation.
    a : Analysis
        The office's analysis.

    Returns
    -------
    str
        The headline.
    """
    return " ".join(p for p in (simulated_lead_sentence(sim, a), risk_sentence(a)) if p)


def simulated_change_sentence(
    a: SimResult, b: SimResult, label: str, difference: tuple[float, float]
) -> str:
    """The second office's simulated mean lead time, its change from the first, and whether
    the paired runs tell them apart (``difference``: mean of B - A and its 95% half-width).

    Parameters
    ----------
    a, b : SimResult
        The two offices' simulations, on the same arrivals and absences.
    label : str
        What names the second office in the sentence.
    difference : tuple of float
        The mean of B - A over paired runs, and its 95% half-width.

    Returns
    -------
    str
        One sentence.
    """
    la, lb = a.lead_time.mean, b.lead_time.mean
    if b.overloaded:
        return f"{label}: no steady lead time ({_names(b.overloaded)} overloaded)."
    if not math.isfinite(lb):
        return f"{label}: no request completed."
    text = f"{label}: {working_time(lb, b.hours_per_day, 'words')}"
    if math.isfinite(la) and la > 0 and not a.overloaded:
        text += f" ({(lb - la) / la:+.0%}"
        diff, ci = difference
        if math.isfinite(ci) and abs(diff) <= ci:
            text += ", within the noise of the runs"
        text += ")"
    return text + "."


def simulated_comparison_headline(
    a: SimResult, b: SimResult, analysis_a: Analysis, label: str, difference: tuple[float, float]
) -> str:
    """The headline of ``orgflow simulate --compare``: the first office as in
    :func:`simulated_headline`, then the second office's lead time and its change.

    Parameters
    ----------
    a, b : SimResult
        The two offices' simulations, on the same arrivals and absences.
    analysis_a : Analysis
        The first office's analysis.
    label : str
        What names the second office in the sentence.
    difference : tuple of float
        The mean of B - A over paired runs, and its 95% half-width.

    Returns
    -------
    str
        The headline.
    """
    parts = [
        simulated_lead_sentence(a, analysis_a),
        risk_sentence(analysis_a),
        simulated_change_sentence(a, b, label, difference),
    ]
    return " ".join(p for p in parts if p)
