"""The office as both simulation engines see it (:class:`Simulator`), and what a run measures
(:class:`RunResult`); the event engine itself is :mod:`orgflow.simulate.events`, the flow
engine :mod:`orgflow.simulate.flow`. Working hours throughout.

Rules (the README documents them):

- Requests arrive as one Poisson stream at the total demand rate; each arrival is a
  (customer, process) drawn in proportion to its rate (the superposition of the per-customer
  Poisson streams).
- A step starts when all its predecessors are done. It goes to its owners by the assignment
  rules: in a chain, to the first member present when it arrives (after ``handoff_delay``);
  if nobody is present it waits for the first of them to come back. A pool has one FIFO queue
  that every present, free member serves; a new item goes to the free member idle the
  longest, or with ``shares`` to the one furthest below their share (work begun / share).
- Continuation: whoever finished a step keeps the request for the next step only when the
  next step's desk (the primary of its chain, or the pool) is the desk of the step just
  finished and they are one of its owners (they are present: they just finished). They
  continue at once, no queue, no handoff delay. Otherwise the step goes to its desk's queue.
  A second branch that becomes ready with it goes to the front of their queue at a chain
  desk; in a pool's visit, to the pool's queue (FIFO with everything else).
- Absences: each person alternates present and away in exponential spells, away spells of
  mean ``absence_spell`` and a long-run away share of ``1 - availability``; dated absences
  come on top. The job in hand when someone leaves stays with them and resumes where it was
  when they return; items already in their queue stay in their queue. Only work that arrives
  while they are away goes to a backup.
- A person serves their own queue and the queues of their pools in arrival order (FIFO
  across them).
- Efforts are drawn per request at its arrival (common random numbers: absences do not change
  which effort a request gets, and both engines see the same work).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from orgflow.errors import SimulationError
from orgflow.simulate.model import RunResult, SimOffice

if TYPE_CHECKING:
    from orgflow.simulate.flow import FlowPlan

__all__ = ["RunResult", "SimOffice", "Simulator"]


class Simulator(SimOffice):
    """One office, ready to run with a seed: build once, run many times, on either engine."""

    @cached_property
    def plan(self) -> FlowPlan | None:
        """The flow engine's plan, or None when work does not flow one way (built when first
        asked: a run on the event engine never needs it)."""
        from orgflow.simulate.flow import flow_plan

        return flow_plan(self)

    def check_engine(self, engine: str) -> None:
        """Refuse an engine that cannot run this office (before any run starts)."""
        if engine == "flow" and self.random_routes:
            raise SimulationError(
                "this office's routes are random or wait outside the office (delay, stop, "
                "probability, alternatives, rework or pickup: any); only the event engine can "
                "simulate it"
            )
        if engine == "flow" and any(self.pool_shares):
            raise SimulationError(
                "a pool of this office has shares (who takes an item depends on the work each "
                "member has begun); only the event engine can simulate it"
            )
        if engine == "flow" and self.plan is None:
            raise SimulationError(
                "this office sends work back to a desk; only the event engine can simulate it"
            )

    def run_any(
        self,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        engine: str = "auto",
        progress: Callable[[float], None] | None = None,
        present: bool = False,
    ) -> RunResult:
        """Run on the flow engine when the office allows it (``auto``), else on events.
        ``present``: the same run (same arrivals and efforts) with everyone always present."""
        self.check_engine(engine)
        if engine != "event" and self.plan is not None:
            from orgflow.simulate.flow import run_flow

            return run_flow(self, self.plan, seed, run, horizon, warmup, progress, present)
        return self.run(seed, run, horizon, warmup, progress, present)

    def run(
        self,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        progress: Callable[[float], None] | None = None,
        present: bool = False,
    ) -> RunResult:
        """Simulate ``horizon`` working hours on the event engine; requests arriving before
        ``warmup`` load the office but are not counted."""
        from orgflow.simulate import kernel

        if kernel.worth_it(self, horizon):  # compiled, the same figures
            return kernel.KernelRun(self, seed, run, horizon, warmup, present).run(progress)
        from orgflow.simulate.events import EventRun

        return EventRun(self, seed, run, horizon, warmup, present).run(progress)
