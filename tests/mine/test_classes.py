"""Latent classes of requests (orgflow/mine/classes.py): the split, its criterion, and what
mine writes, on small logs worked by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orgflow.cli import app

from .conftest import at, write_csv

HEADER = ["case:concept:name", "concept:name", "org:resource", "start_timestamp", "time:timestamp"]
SPACING = 200.0  # hours between arrivals: no request overlaps another, so no contention


def test_best_split_is_the_optimal_two_means_cut() -> None:
    from orgflow.mine.classes import best_split

    # Mean 6.5; classes {1,2,3} (mean 2) and {10,11,12} (mean 11): between sum of squares
    # 3 * 4.5^2 * 2 = 121.5, total (5.5^2 + 4.5^2 + 3.5^2) * 2 = 125.5: share 121.5 / 125.5.
    k, share = best_split([12.0, 1.0, 11.0, 2.0, 10.0, 3.0]) or (0, 0.0)
    assert k == 3
    assert share == pytest.approx(121.5 / 125.5)
    assert best_split([5.0, 5.0, 5.0]) is None


def test_a_uniform_spread_stays_one_class() -> None:
    from orgflow.mine.classes import MIN_BETWEEN, decide

    # 0..99: the best cut is at 50 (means 24.5 and 74.5): between 100 * 25^2 = 62,500, total
    # n (n^2 - 1) / 12 = 100 * 9,999 / 12 = 83,325: 0.7501, under the 0.8 kept.
    split, why = decide([float(i) for i in range(100)])
    assert split is None
    assert MIN_BETWEEN == 0.8
    assert "between-class share of the variance 0.75, below 0.8" in why


def test_a_small_slow_class_stays_one_class() -> None:
    from orgflow.mine.classes import decide

    # 81 at 1 h and 19 at 100 h: the split explains all the variance, but 19 < 20 requests.
    split, why = decide([1.0] * 81 + [100.0] * 19)
    assert split is None
    assert "under 5% of the requests or 20" in why
    split, _ = decide([1.0] * 80 + [100.0] * 20)
    assert split is not None
    # Halfway between the fast class's largest (1 h) and the slow one's smallest (100 h).
    assert (split.fast, split.slow, split.threshold) == (80, 20, 50.5)
    assert split.between == pytest.approx(1.0)


def _log(tmp_path: Path, slow_waits: dict[int, float], fast_wait: Any) -> Path:
    """50 requests, one every ``SPACING`` hours: a by ann [0, 1], then b by bob after a wait
    (1 h long); the slow ones (keys of ``slow_waits``) then c by cid right after b."""
    rows: list[list[object]] = []
    for i in range(50):
        t = i * SPACING
        wait = slow_waits.get(i, fast_wait(i))
        rows.append([i, "a", "ann", at(t), at(t + 1)])
        rows.append([i, "b", "bob", at(t + 1 + wait), at(t + 2 + wait)])
        if i in slow_waits:
            rows.append([i, "c", "cid", at(t + 2 + wait), at(t + 3 + wait)])
    return write_csv(tmp_path / "log.csv", HEADER, rows)


def _mine(log: Path, tmp_path: Path, *extra: str) -> tuple[dict[str, Any], str]:
    import yaml

    out = tmp_path / "org.yaml"
    result = CliRunner().invoke(app, ["mine", str(log), "-o", str(out), *extra])
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    return yaml.safe_load(text), text


def test_two_separated_classes_give_two_processes(tmp_path: Path) -> None:
    # Requests 1, 3, 6, 8, ... (i % 5 in {1, 3}: 20 of 50) wait 100 h before b and then do c;
    # the other 30 wait 2 h and end after b. Total waits: 30 at 2 h, 20 at 100 h: the split
    # explains all the variance (share 1), the slow class is 40% and 20 requests: kept, cut at
    # (2 + 100) / 2 = 51 h.
    slow = {i: 100.0 for i in range(50) if i % 5 in (1, 3)}
    org, text = _mine(_log(tmp_path, slow, lambda i: 2.0), tmp_path)
    main, slow_process = org["processes"]
    assert (main["id"], slow_process["id"]) == ("main", "main_slow")
    # Each its own routing: the fast requests wait 2 h before b (cv 0) and end there; the slow
    # ones do c after b. The slow process waits main's per-visit delays (2 h before b, none
    # before c), and the rest of its requests' wait once, on its first step: 1 visit of b x
    # (100 - 2) h = 98 h a request, cv 0 (every slow request waits 100 h in all).
    assert main["steps"] == ["a", {"activity": "b", "delay": {"mean": "2h", "cv": 0.0}}]
    assert slow_process["steps"] == [
        {"activity": "a", "delay": {"mean": "98h", "cv": 0.0}},
        {"activity": "b", "delay": {"mean": "2h", "cv": 0.0}},
        "c",
    ]
    # Demand in proportion: arrivals over 49 * 200 h = 9,800 h = 58.33 weeks; 30 / 58.33 =
    # 0.5143 a week and 20 / 58.33 = 0.3429.
    (customer,) = org["customers"]
    assert customer["demand"] == {"main": "0.5143/week", "main_slow": "0.3429/week"}
    assert "# - classes: the best split of the requests' total extraneous waits puts 20" in text
    assert "total extraneous wait is 51 h or more are a process of their own" in text
    assert "(98 h a request, cv 0.000: the sd of their total waits over it)" in text
    # --classes 1: one process, as before.
    org, text = _mine(_log(tmp_path, slow, lambda i: 2.0), tmp_path, "--classes", "1")
    assert [p["id"] for p in org["processes"]] == ["main"]
    assert org["customers"][0]["demand"] == {"main": "0.8571/week"}  # 50 / 58.33
    assert "# - classes: one class of requests (--classes 1)." in text


def test_a_unimodal_log_gives_one_process(tmp_path: Path) -> None:
    # Waits 2, 4, ..., 100 h (request i: 2 (i + 1)): a uniform grid, whose best split explains
    # (50 / 4 * 50^2) / (4 * 50 * 2,499 / 12) = 31,250 / 41,650 = 0.75 of the variance: one
    # class, and the header says why.
    org, text = _mine(_log(tmp_path, {}, lambda i: 2.0 * (i + 1)), tmp_path)
    assert [p["id"] for p in org["processes"]] == ["main"]
    assert "between-class share of the variance 0.75, below 0.8" in text
