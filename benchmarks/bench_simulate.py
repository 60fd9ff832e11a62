"""Benchmark ``orgflow simulate`` against a straightforward SimPy model of the same office.

The office: six desks in series (one person each, exponential efforts of 0.7 h, no absences,
no handoff delay), requests at 1 an hour: 200,000 requests in 5,000 weeks of 40 hours.
Both simulators run here on the same machine:

1. in process: simulated requests per second of orgflow's engine and of the SimPy model;
2. as whole processes: the ``orgflow simulate`` command against a script that runs the SimPy
   model, each started fresh (interpreter start and imports included);
3. one year of ``samples/large-office.yaml`` (40 people) with 10 runs, the whole command;
4. memory: peak traced memory for 50,000 and 200,000 requests (only the lead-time samples
   kept for the percentiles should grow).

Usage: ``python benchmarks/bench_simulate.py`` (needs ``pip install simpy``). Prints figures;
asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 200_000
RATE = 1.0  # requests per hour
MEAN = 0.7  # hours per desk
DESKS = 6
WEEKS = REQUESTS / RATE / 40

OFFICE = f"""\
version: 1
org: {{name: Six desks in series}}
people: [{", ".join(f"{{id: p{i}, skills: [a{i}]}}" for i in range(DESKS))}]
activities: [{
    ", ".join(f"{{id: a{i}, effort: {{dist: exponential, mean: {MEAN}h}}}}" for i in range(DESKS))
}]
processes: [{{id: order, steps: [{", ".join(f"a{i}" for i in range(DESKS))}]}}]
customers: [{{id: c, demand: {{order: {RATE * 40:g}/week}}}}]
assignments: [{", ".join(f"{{activity: a{i}, people: [p{i}]}}" for i in range(DESKS))}]
"""

SIMPY_SCRIPT = f"""\
import random, statistics, sys, simpy

def request(env, desks, rng, leads):
    start = env.now
    for desk in desks:
        with desk.request() as turn:
            yield turn
            yield env.timeout(rng.expovariate(1 / {MEAN}))
    leads.append(env.now - start)

def source(env, desks, rng, leads, n):
    for _ in range(n):
        yield env.timeout(rng.expovariate({RATE}))
        env.process(request(env, desks, rng, leads))

def main(n):
    rng = random.Random(1)
    env = simpy.Environment()
    desks = [simpy.Resource(env, capacity=1) for _ in range({DESKS})]
    leads = []
    env.process(source(env, desks, rng, leads, n))
    env.run()
    return leads

if __name__ == "__main__":
    leads = main(int(sys.argv[1]))
    print(len(leads), statistics.fmean(leads))
"""


def simpy_in_process(n: int) -> tuple[float, float]:
    namespace: dict[str, object] = {"__name__": "simpy_model"}
    exec(SIMPY_SCRIPT, namespace)
    start = time.perf_counter()
    leads = namespace["main"](n)  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    return elapsed, statistics.fmean(leads)


def orgflow_in_process(path: Path, engine: str) -> tuple[float, float, int]:
    import orgflow
    from orgflow.analysis.routes import build_routes
    from orgflow.simulate.engine import Simulator

    org = orgflow.load(path)
    sim = Simulator(org, build_routes(org))
    start = time.perf_counter()
    result = sim.run_any(1, 0, WEEKS * 40, 0.0, engine)
    elapsed = time.perf_counter() - start
    return elapsed, statistics.fmean(result.lead_times), len(result.lead_times)


def whole(cmd: list[str], repeat: int = 3) -> float:
    """Best of ``repeat`` runs of a whole process (start-up and imports included)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(path: Path, weeks: float, engine: str) -> tuple[int, int]:
    import orgflow
    from orgflow.analysis.routes import build_routes
    from orgflow.simulate.engine import Simulator

    org = orgflow.load(path)
    sim = Simulator(org, build_routes(org))
    tracemalloc.start()
    result = sim.run_any(1, 0, weeks * 40, 0.0, engine)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, len(result.lead_times)


def main() -> None:
    random.seed(0)
    # Jackson: each desk is M/M/1 with rho = 0.7: W = 0.7 / 0.3 = 2.333 h; six desks: 14 h.
    expected = DESKS * MEAN / (1 - RATE * MEAN)
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "six-desks.yaml"
        office.write_text(OFFICE)
        script = Path(tmp) / "simpy_model.py"
        script.write_text(SIMPY_SCRIPT)

        print(f"Six desks in series, {REQUESTS:,} requests (closed form: {expected:.2f} h)\n")
        t_org, mean_org, n_org = orgflow_in_process(office, "flow")
        t_ev, mean_ev, n_ev = orgflow_in_process(office, "event")
        t_simpy, mean_simpy = simpy_in_process(REQUESTS)
        print("in process            seconds  requests/s   mean lead time")
        print(f"  orgflow flow       {t_org:9.2f}  {n_org / t_org:10,.0f}   {mean_org:.2f} h")
        print(f"  orgflow events     {t_ev:9.2f}  {n_ev / t_ev:10,.0f}   {mean_ev:.2f} h")
        print(
            f"  SimPy model        {t_simpy:9.2f}  {REQUESTS / t_simpy:10,.0f}   {mean_simpy:.2f} h"
        )
        print(
            f"  ratio (SimPy / orgflow flow engine): {t_simpy / t_org:.1f}x; "
            f"(SimPy / orgflow event engine): {t_simpy / t_ev:.1f}x\n"
        )

        orgflow_cmd = [
            sys.executable,
            "-m",
            "orgflow.cli",
            "simulate",
            str(office),
            "--weeks",
            f"{WEEKS:g}",
            "--warmup",
            "0",
            "--runs",
            "1",
            "--format",
            "json",
            "--start",
            "2026-01-05",
        ]
        w_org = whole(orgflow_cmd)
        w_simpy = whole([sys.executable, str(script), str(REQUESTS)])
        print("whole process         seconds (best of 3 each)")
        print(f"  orgflow simulate   {w_org:9.2f}")
        print(f"  SimPy script       {w_simpy:9.2f}")
        print(f"  ratio (SimPy / orgflow): {w_simpy / w_org:.1f}x   (target: at least 10x)\n")

        large = ROOT / "samples" / "large-office.yaml"
        if large.exists():
            t = whole(
                [
                    sys.executable,
                    "-m",
                    "orgflow.cli",
                    "simulate",
                    str(large),
                    "--runs",
                    "10",
                    "--weeks",
                    "52",
                    "--format",
                    "json",
                    "--start",
                    "2026-01-05",
                ]
            )
            print(
                f"samples/large-office.yaml, 52 weeks x 10 runs, whole command: {t:.2f} s "
                "(target: under 10 s)\n"
            )

        print("memory (traced peak)    requests    peak MiB   bytes per extra request")
        for engine in ("event", "flow"):
            small_peak, small_n = peak_memory(office, WEEKS / 4, engine)
            big_peak, big_n = peak_memory(office, WEEKS, engine)
            per_request = (big_peak - small_peak) / (big_n - small_n)
            print(f"  {engine:6} engine       {small_n:9,}    {small_peak / 2**20:8.1f}")
            print(
                f"                      {big_n:9,}    {big_peak / 2**20:8.1f}   {per_request:.0f}"
            )


if __name__ == "__main__":
    main()
