"""HiGHS, the mixed-integer solver orgflow uses (through highspy), created quietly."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

#: The model statuses of :func:`solve_mip` whose solution (when it has one) can be used: solved
#: to optimality or stopped by its node limit or its time limit with the best solution found.
STOPPED = ("Optimal", "Solution limit reached", "Time limit reached")


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C stdout when created; keep it out of our output."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def highs(time_limit: float) -> Any:
    """A silent HiGHS instance with a time limit (seconds)."""
    import highspy

    solver: Any = highspy.Highs  # highspy ships no type hints
    with _quiet_stdout():
        h = solver()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    return h


def _model(
    cost: Any,
    lower: Any,
    upper: Any,
    integer: Any,
    rows: list[tuple[list[int], list[float], float, float]],
    time_limit: float,
) -> Any:
    """A HiGHS instance holding the model, built in bulk (numpy, compressed rows)."""
    import highspy
    import numpy as np

    h = highs(time_limit)
    n = len(cost)
    h.addVars(n, np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(cost, dtype=np.float64))
    ints = np.asarray(integer, dtype=np.int32)
    if len(ints):
        kinds = np.full(len(ints), highspy.HighsVarType.kInteger)
        h.changeColsIntegrality(len(ints), ints, kinds)
    if rows:
        starts = np.zeros(len(rows), dtype=np.int32)
        total = 0
        for r, (idx, _vals, _lo, _hi) in enumerate(rows):
            starts[r] = total
            total += len(idx)
        index = np.fromiter((i for idx, _v, _l, _h in rows for i in idx), np.int32, total)
        value = np.fromiter((v for _i, vals, _l, _h in rows for v in vals), np.float64, total)
        lo = np.array([r[2] for r in rows], dtype=np.float64)
        hi = np.array([r[3] for r in rows], dtype=np.float64)
        h.addRows(len(rows), lo, hi, total, starts, index, value)
    return h


def solve_mip(
    cost: Any,
    lower: Any,
    upper: Any,
    integer: Any,
    rows: list[tuple[list[int], list[float], float, float]],
    *,
    time_limit: float,
    mip_rel_gap: float = 1e-6,
    max_nodes: int | None = None,
) -> tuple[str, Any, float]:
    """Minimise cost @ x subject to row_lo <= a_r @ x <= row_hi and the column bounds, with
    the columns in ``integer`` integral; built in bulk (numpy, compressed rows).
    ``max_nodes``: at most that many branch-and-bound nodes (a limit that, unlike the time
    limit, gives the same answer on every machine). No start solution is passed: with HiGHS
    1.16, a solve given both a start (``setSolution``) and a node limit left later solves in
    the same process running past their time limit (bench_propose stalled for 15 minutes).

    Returns (model status, x or None, proven lower bound on the objective).
    """
    import numpy as np

    h = _model(cost, lower, upper, integer, rows, time_limit)
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    if max_nodes is not None:
        h.setOptionValue("mip_max_nodes", int(max_nodes))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    x = None
    if info.primal_solution_status != 0:
        x = np.array(h.getSolution().col_value)
    bound = float(info.mip_dual_bound) if len(integer) else float(info.objective_function_value)
    return status, x, bound


def solve_lp(
    cost: Any,
    lower: Any,
    upper: Any,
    rows: list[tuple[list[int], list[float], float, float]],
    *,
    time_limit: float = 10.0,
) -> Any:
    """Minimise cost @ x subject to row_lo <= a_r @ x <= row_hi and the column bounds, all
    columns continuous; the rows' duals (numpy), or ``None`` when HiGHS finds no optimum."""
    import numpy as np

    h = _model(cost, lower, upper, [], rows, time_limit)
    h.run()
    if h.modelStatusToString(h.getModelStatus()) != "Optimal":
        return None
    return np.array(h.getSolution().row_dual)
