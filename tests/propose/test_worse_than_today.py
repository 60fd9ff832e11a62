"""Issue 15, item 7: a plan worse than today says so, with the figures (values by hand)."""

from __future__ import annotations

from orgflow.analysis.summary import Analysis, analyze
from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import worse_than_today


def desk(per_week: int, rules: str = "[{people: [ann]}]") -> Analysis:
    """One exponential 2 h step; 40 h weeks, everybody always present."""
    return analyze(
        resolve(
            load_text(
                f"""\
version: 1
people: [{{id: ann, skills: [a]}}, {{id: bob, skills: [a]}}]
activities: [{{id: a, effort: {{dist: exponential, mean: 2h}}}}]
processes: [{{id: p, steps: [a]}}]
customers: [{{id: x, demand: {{p: {per_week}/week}}}}]
assignments: {rules}
"""
            )
        )
    )


def test_a_slower_busier_plan_is_flagged_with_the_three_figures() -> None:
    # ann alone is an M/M/1 desk, mu = 1/2 per hour, lambda = demand / 40 h:
    # today 4/week: lambda 0.1, lead 1 / (0.5 - 0.1) = 2.5 h, utilization 4 x 2 / 40 = 20%;
    # learning 8/week: lambda 0.2, lead 1 / 0.3 = 3.33 h, utilization 16 / 40 = 40%;
    # trained 6/week: lambda 0.15, lead 1 / 0.35 = 2.857 h, utilization 12 / 40 = 30%.
    # ann alone stops every request in all three: 1 -> 1, not worse, no warning.
    notes = worse_than_today(desk(4), desk(8), desk(6))
    assert notes == [
        "worse than today: mean lead time 2.5 h today, 3.3 h while learning, 2.9 h once trained",
        "worse than today: highest utilization 20.0% today, 40.0% while learning, "
        "30.0% once trained",
    ]


def test_a_better_plan_has_no_warning() -> None:
    # The same three the other way round: 3.3 h -> 2.5 h, 40% -> 20%: nothing is worse.
    assert worse_than_today(desk(8), desk(4), desk(4)) == []


def test_a_new_single_point_of_failure_is_flagged() -> None:
    # Today ann and bob share the pool: nobody's absence alone stops a request (0); the plan
    # gives the work to ann alone: her absence stops every request (1), learning and trained.
    today = desk(4, "[{pool: [ann, bob]}]")
    notes = worse_than_today(today, desk(4), desk(4))
    assert (
        "worse than today: people whose absence stops work 0 today, 1 while learning, "
        "1 once trained" in notes
    )


def test_large_office_plan_warns_of_its_longer_lead_time() -> None:
    # The example: the plan of samples/large-office.yaml is slower than today, at
    # least while people learn (since backups are chosen on their cover, and customers move
    # after them to lower the worst cover: today 24.9 h; the proposed file 29.3 h while
    # learning, 25.4 h once trained, in one run). The figures are the analyses' own: the
    # warning quotes them, rounded to 0.1 h.
    from pathlib import Path

    import orgflow
    from orgflow.propose.plan import ProposeOptions, propose

    office = orgflow.load(Path(__file__).resolve().parents[2] / "samples" / "large-office.yaml")
    p = propose(office, ProposeOptions())
    lead = [a.summary.lead_time_hours for a in (p.before, p.after, p.after_trained)]
    assert lead[0] < lead[1]
    assert (
        f"worse than today: mean lead time {lead[0]:.1f} h today, {lead[1]:.1f} h while "
        f"learning, {lead[2]:.1f} h once trained"
    ) in p.notes
