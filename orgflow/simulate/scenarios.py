"""Several offices simulated alike: the loops of ``simulate --compare``, ``compare --simulate``,
``propose --simulate`` and ``report --simulate``.

Every office runs with the same options and seeds, hence on the same arrivals and absences
(common random numbers): the differences between them are the offices', not the dice's. One
progress callback follows them all (office ``i`` of ``n`` fills ``[i/n, (i+1)/n]``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow.simulate.runner import SimOptions, SimResult, simulate

if TYPE_CHECKING:
    from orgflow.office import Office

#: Called with the share done, from 0 to 1.
Progress = Callable[[float], None]


def simulate_each(
    offices: Sequence[Office],
    options: SimOptions,
    progress: Progress | None = None,
    *,
    keep_samples: bool = False,
    today: dt.date | None = None,
) -> list[SimResult]:
    """Each office simulated with the same ``options`` (same seeds: common random numbers).

    Parameters
    ----------
    offices : sequence of Office
        The offices, in the order of the results.
    options : SimOptions
        Weeks, runs, seed, start and engine, the same for every office.
    progress : callable, optional
        Called with the share of the whole work done.
    keep_samples : bool
        Keep every counted request's lead time (``SimResult.samples``), for a histogram.
    today : datetime.date, optional
        The start when ``options.start`` is not set (default: today).

    Returns
    -------
    list of SimResult
        One per office.

    Raises
    ------
    ValueError
        An engine the office cannot run, or a simulation too large (as
        :func:`orgflow.simulate.runner.simulate`).
    """
    results = []
    for i, office in enumerate(offices):
        share = None if progress is None else _share(progress, i, len(offices))
        results.append(
            simulate(office, options, progress=share, keep_samples=keep_samples, today=today)
        )
    return results


def _share(progress: Progress, i: int, n: int) -> Progress:
    return lambda f: progress((i + f) / n)


def mean_lead_times(
    offices: Sequence[Office], seed: int, progress: Progress | None = None
) -> list[float | None]:
    """The simulated mean lead time of each office (10 runs of 52 weeks from today, on common
    random numbers): the "Lead time (simulated)" row of ``compare`` and ``propose``.

    Parameters
    ----------
    offices : sequence of Office
        The offices.
    seed : int
        The seed shared by all of them.
    progress : callable, optional
        Called with the share of the whole work done.

    Returns
    -------
    list of float
        Hours, one per office (NaN when no request was completed).
    """
    options = SimOptions(seed=seed, start=dt.date.today())
    return [r.lead_time.mean for r in simulate_each(offices, options, progress)]


@dataclass(frozen=True)
class SimulationData:
    """A simulation for the HTML report: its figures, and every counted request's lead time
    (hours, all runs) for the histogram."""

    result: SimResult

    @property
    def lead_times(self) -> Any:
        """Every counted request's lead time (hours, all runs; a numpy float array)."""
        return self.result.samples


def simulate_for_report(
    office: Office, options: SimOptions, *, today: dt.date | None = None, progress: Any = None
) -> SimulationData:
    """The simulation of :func:`orgflow.simulate.runner.simulate` (same seeds, same figures),
    keeping every counted request's lead time for the histogram.

    Parameters
    ----------
    office : Office
        The office.
    options : SimOptions
        Weeks, runs, seed, start and engine.
    today : datetime.date, optional
        The start when ``options.start`` is not set (default: today).
    progress : callable, optional
        Called with the share done, from 0 to 1.

    Returns
    -------
    SimulationData
        The result, and every counted request's lead time (hours).
    """
    result = simulate(office, options, keep_samples=True, today=today, progress=progress)
    return SimulationData(result)


def report_simulations(
    offices: Sequence[Office], seed: int, progress: Progress | None = None
) -> list[SimulationData]:
    """The simulations of ``report --simulate`` (10 runs of 52 weeks from today), one per
    office, on common random numbers.

    Parameters
    ----------
    offices : sequence of Office
        The office, or the two offices compared.
    seed : int
        The seed shared by all of them.
    progress : callable, optional
        Called with the share of the whole work done.

    Returns
    -------
    list of SimulationData
        One per office.
    """
    options = SimOptions(seed=seed, start=dt.date.today())
    results = simulate_each(offices, options, progress, keep_samples=True)
    return [SimulationData(r) for r in results]
