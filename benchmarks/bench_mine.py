"""Mine generated event logs of 1 and 10 million events on the embedded engine (DuckDB
through Ibis), with the peak memory, beside a plain pandas implementation of the same
aggregations.

The logs have the purchasing log's shape (tests/data/purchasing-example.csv): its 608 requests
copied ``k`` times with new request ids, each copy shifted by a week and given its own 27
people (so more requests and more people, the same variants and durations). They are written
as Parquet by DuckDB itself (generation never holds a log in Python).

Each measurement runs in a fresh child process; its peak resident memory is the child's
``ru_maxrss``. The pandas reference loads the whole log into a DataFrame and computes the
same aggregations: order per request, durations, waits and their contention part, handovers,
changes of person, lead times, counts per activity and per person and week. The script
prints the figures and the ratio; it asserts nothing. Usage::

    python benchmarks/bench_mine.py                 # 1 million events
    python benchmarks/bench_mine.py --sizes 1 10    # and 10 million (minutes)
    python benchmarks/bench_mine.py --no-pandas --memory 2GB
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "data" / "purchasing-example.csv"
TEMPLATE_EVENTS = 9119


def generate(events_millions: float, folder: Path) -> Path:
    import duckdb

    copies = max(1, round(events_millions * 1_000_000 / TEMPLATE_EVENTS))
    target = folder / f"log-{events_millions:g}M.parquet"
    if target.exists():
        return target
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"""
        COPY (
          SELECT
            "case:concept:name" || '-' || k AS "case:concept:name",
            "concept:name",
            "org:resource" || ' ' || (k % {max(copies // 20, 1)}) AS "org:resource",
            start_timestamp + k * INTERVAL 7 DAY AS start_timestamp,
            "time:timestamp" + k * INTERVAL 7 DAY AS "time:timestamp"
          FROM read_csv('{TEMPLATE}'), range({copies}) AS r(k)
        ) TO '{target}' (FORMAT parquet)
        """
    )
    con.close()
    return target


CHILD_MINE = """
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from orgflow.mine.classes import request_classes
from orgflow.mine.discover import build
from orgflow.mine.figures import compute
from orgflow.mine.read import Columns, read_log
from orgflow.mine.report import org_yaml
log = read_log([Path(sys.argv[1])], Columns())
fig, events = compute(log)
groups, line = request_classes(fig, events)
text = org_yaml(build(fig, name="bench", classes=groups, classes_line=line))
print(json.dumps({
    "classes": max(len(groups), 1),
    "seconds": time.perf_counter() - t,
    "events": fig.events, "requests": fig.requests, "people": len(fig.people),
    "lead_mean": fig.lead_mean, "changes": fig.person_changes,
    "contention": fig.contention_hours,
}))
"""

CHILD_PANDAS = """
import json, sys, time
import numpy as np
import pandas as pd
t = time.perf_counter()
df = pd.read_parquet(sys.argv[1])
df = df.rename(columns={"case:concept:name": "case", "concept:name": "activity",
                        "org:resource": "resource", "start_timestamp": "start",
                        "time:timestamp": "end"})
df["s"] = df["start"].astype("int64") / 3.6e9
df["e"] = df["end"].astype("int64") / 3.6e9
df = df.sort_values(["case", "s", "e"], kind="stable")
df["effort"] = (df["e"] - df["s"]).clip(lower=0)
g = df.groupby("case", sort=False)
df["prev_resource"] = g["resource"].shift()
df["prev_end"] = g["e"].shift()
df["wait"] = (df["s"] - df["prev_end"]).clip(lower=0)
# Busy time per person: the same cumulative construction as the Ibis code.
ev = df[["resource", "s", "e"]]
w = df[df["wait"] > 0]
pts = pd.concat([
    pd.DataFrame({"resource": ev["resource"], "t": ev["s"], "d": 1, "q": -1, "side": 0}),
    pd.DataFrame({"resource": ev["resource"], "t": ev["e"], "d": -1, "q": -1, "side": 0}),
    pd.DataFrame({"resource": w["resource"], "t": w["prev_end"], "d": 0, "q": w.index, "side": 1}),
    pd.DataFrame({"resource": w["resource"], "t": w["s"], "d": 0, "q": w.index, "side": 2}),
]).sort_values(["resource", "t", "d", "side", "q"], kind="stable")
pg = pts.groupby("resource", sort=False)
pts["k"] = pg["d"].cumsum()
pts["dt"] = pg["t"].diff()
pts["inc"] = (pg["k"].shift() * pts["dt"]).fillna(0)
pts["busy"] = pts.groupby("resource", sort=False)["inc"].cumsum()
q = pts[pts["q"] >= 0].pivot_table(index="q", columns="side", values="busy", aggfunc="max")
df["contention"] = 0.0
df.loc[q.index, "contention"] = (q[2] - q[1]).clip(lower=0).to_numpy()
df["contention"] = np.minimum(df["contention"], df["wait"].fillna(0))
cases = g.agg(first=("s", "min"), last=("e", "max"), n=("s", "size"))
lead = (cases["last"] - cases["first"]).mean()
pairs = df[df["prev_resource"].notna()]
handovers = pairs.groupby(["prev_resource", "resource"]).size()
changes = (pairs["prev_resource"] != pairs["resource"]).sum() / len(cases)
acts = df.groupby("activity").agg(
    n=("effort", "size"), mean=("effort", "mean"), sd=("effort", "std"))
week = (df["s"] // 168).astype("int64")
per_week = df.groupby(["resource", week]).agg(n=("effort", "size"), h=("effort", "sum"))
print(json.dumps({
    "seconds": time.perf_counter() - t, "events": len(df), "requests": len(cases),
    "lead_mean": float(lead), "changes": float(changes),
    "contention": float(df["contention"].sum() / len(cases)),
}))
"""


def run_child(code: str, path: Path, memory: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if memory:
        env["ORGFLOW_MINE_MEMORY"] = memory
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    data: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the largest child so far: sizes are run smallest first.
    data["peak_mb"] = max(peak, before) / 1024
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0], help="millions of events")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas reference")
    parser.add_argument("--memory", default="2GB", help="DuckDB's memory limit (spills beyond)")
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "orgflow-bench-mine"
    )
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{'events':>10} {'engine':>8} {'seconds':>8} {'peak MB':>8} {'requests':>9} "
        f"{'lead mean h':>11} {'changes':>8}"
    )
    for size in sorted(args.sizes):
        t = time.perf_counter()
        path = generate(size, args.folder)
        gen = time.perf_counter() - t
        print(f"# generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {gen:.1f} s")
        mine = run_child(CHILD_MINE, path, args.memory)
        print(
            f"{mine['events']:>10,.0f} {'duckdb':>8} {mine['seconds']:>8.1f} "
            f"{mine['peak_mb']:>8.0f} {mine['requests']:>9,.0f} {mine['lead_mean']:>11.1f} "
            f"{mine['changes']:>8.3f}"
        )
        if args.no_pandas:
            continue
        ref = run_child(CHILD_PANDAS, path, None)
        print(
            f"{ref['events']:>10,.0f} {'pandas':>8} {ref['seconds']:>8.1f} "
            f"{ref['peak_mb']:>8.0f} {ref['requests']:>9,.0f} {ref['lead_mean']:>11.1f} "
            f"{ref['changes']:>8.3f}"
        )
        same_lead = abs(ref["lead_mean"] - mine["lead_mean"]) < 1e-6 * mine["lead_mean"]
        print(
            f"# pandas / duckdb: time x{ref['seconds'] / mine['seconds']:.2f}, "
            f"same lead mean: {same_lead}, "
            f"same changes: {abs(ref['changes'] - mine['changes']) < 1e-9}, "
            f"contention {mine['contention']:.3f} vs {ref['contention']:.3f} h/request"
        )


if __name__ == "__main__":
    main()
