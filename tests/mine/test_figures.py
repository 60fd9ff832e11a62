"""The log's figures on small logs with every value worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import at, write_csv

HEADER = ["case:concept:name", "concept:name", "org:resource", "start_timestamp", "time:timestamp"]


def _figures(path: Path, **columns: str) -> object:
    from orgflow.mine.figures import Calendar, compute
    from orgflow.mine.read import Columns, read_log

    log = read_log([path], Columns(**columns))
    around_the_clock = Calendar(list(range(24)), list(range(7)))
    fig, _ = compute(log, calendar=around_the_clock)
    return fig


@pytest.fixture
def small(tmp_path: Path) -> Path:
    # Request 1: a by ann [0,1], b by bob [3,4], c by ann [4,6].
    # Request 2: a by bob [1,2], b by bob [2.5,3], d by cid [5,5] (no time).
    rows = [
        [1, "a", "ann", at(0), at(1)],
        [1, "b", "bob", at(3), at(4)],
        [1, "c", "ann", at(4), at(6)],
        [2, "a", "bob", at(1), at(2)],
        [2, "b", "bob", at(2.5), at(3)],
        [2, "d", "cid", at(5), at(5)],
    ]
    return write_csv(tmp_path / "small.csv", HEADER, rows)


def test_handover_of_work_is_pm4py_s(small: Path) -> None:
    fig: object = _figures(small)
    # Direct successions: (ann,bob), (bob,ann) in request 1; (bob,bob), (bob,cid) in request 2.
    # Sum over requests of (events - 1) = 2 + 2 = 4: each pair 1/4; self-handovers counted.
    assert fig.handover_norm == 4  # type: ignore[attr-defined]
    assert fig.handover_of_work() == {  # type: ignore[attr-defined]
        ("ann", "bob"): 0.25,
        ("bob", "ann"): 0.25,
        ("bob", "bob"): 0.25,
        ("bob", "cid"): 0.25,
    }


def test_working_together_and_changes_of_person(small: Path) -> None:
    fig: object = _figures(small)
    # {ann, bob} in request 1, {bob, cid} in request 2; both orders of each pair.
    assert fig.working_together == {  # type: ignore[attr-defined]
        ("ann", "bob"): 1,
        ("bob", "ann"): 1,
        ("bob", "cid"): 1,
        ("cid", "bob"): 1,
    }
    # Changes of person: 2 in request 1 (ann->bob->ann), 1 in request 2 (bob->cid): 3 / 2.
    assert fig.person_changes == pytest.approx(1.5)  # type: ignore[attr-defined]


def test_lead_times_and_waits_split(small: Path) -> None:
    fig: object = _figures(small)
    # Lead times 6 h (0 -> 6) and 4 h (1 -> 5): mean 5, p50 5, p90 4 + 0.9 * (6 - 4) = 5.8.
    assert fig.lead_mean == pytest.approx(5.0)  # type: ignore[attr-defined]
    assert fig.lead_p50 == pytest.approx(5.0)  # type: ignore[attr-defined]
    assert fig.lead_p90 == pytest.approx(5.8)  # type: ignore[attr-defined]
    # Waits: b of request 1 waits 1 -> 3 = 2 h, while bob works [1,2] and [2.5,3]: 1.5 h
    # contention, 0.5 h extraneous; c waits 0; b of request 2 waits 2 -> 2.5 = 0.5 h (bob
    # idle: extraneous); d waits 3 -> 5 = 2 h (cid idle: extraneous).
    # Per request: wait (2 + 0.5 + 2) / 2 = 2.25 h, contention 1.5 / 2 = 0.75 h.
    assert fig.wait_hours == pytest.approx(2.25)  # type: ignore[attr-defined]
    assert fig.contention_hours == pytest.approx(0.75)  # type: ignore[attr-defined]
    b = fig.activities["b"]  # type: ignore[attr-defined]
    assert b["contention"] == pytest.approx(0.75)  # (1.5 + 0) / 2 visits
    assert b["extraneous"] == pytest.approx(0.5)  # (0.5 + 0.5) / 2
    assert fig.zero_length == 1  # type: ignore[attr-defined]
    assert fig.completed == 2  # type: ignore[attr-defined]


def test_counts_per_person_and_week(small: Path) -> None:
    fig: object = _figures(small)
    # ann 1 + 2 = 3 h in 2 events, bob 1 + 1 + 0.5 = 2.5 h in 3, cid 0 h in 1; all in the week
    # of Monday 2024-01-01, the arrival window's one week.
    assert fig.people == {  # type: ignore[attr-defined]
        "ann": {"count": 2.0, "hours": pytest.approx(3.0)},
        "bob": {"count": 3.0, "hours": pytest.approx(2.5)},
        "cid": {"count": 1.0, "hours": 0.0},
    }
    assert fig.weeks == 1.0  # type: ignore[attr-defined]
    assert fig.arrivals_week == {"2024-01-01": 2}  # type: ignore[attr-defined]
    assert fig.arrivals_month == {"2024-01": 2}  # type: ignore[attr-defined]


def test_lifecycle_rows_pair_first_in_first_out(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    header = ["case", "activity", "resource", "lifecycle:transition", "time:timestamp"]
    rows = [
        [1, "a", "ann", "start", at(0)],
        [1, "a", "ann", "start", at(1)],
        [1, "a", "ann", "complete", at(2)],
        [1, "a", "ann", "complete", at(5)],
        [1, "b", "bob", "start", at(6)],  # never completed: dropped
    ]
    log = read_log([write_csv(tmp_path / "life.csv", header, rows)], Columns())
    assert log.shape == "lifecycle"
    e = fetch(log.events.order_by("start"))
    # First in, first out: (0, 2) and (1, 5): 2 h and 4 h.
    assert [(b - a) / 3600 for a, b in zip(e["start"], e["end"], strict=True)] == [2.0, 4.0]
    assert log.dropped_starts == 1


def test_lifecycle_rows_pair_by_instance(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    header = ["case", "activity", "resource", "lifecycle:transition", "time:timestamp", "inst"]
    rows = [
        [1, "a", "ann", "start", at(0), "i1"],
        [1, "a", "ann", "start", at(1), "i2"],
        [1, "a", "ann", "complete", at(2), "i2"],
        [1, "a", "ann", "complete", at(5), "i1"],
    ]
    log = read_log([write_csv(tmp_path / "inst.csv", header, rows)], Columns(instance="inst"))
    e = fetch(log.events.order_by("start"))
    # By instance: i1 (0, 5) = 5 h, i2 (1, 2) = 1 h.
    assert [(b - a) / 3600 for a, b in zip(e["start"], e["end"], strict=True)] == [5.0, 1.0]


def test_completion_times_only_estimate_starts(tmp_path: Path) -> None:
    from orgflow.mine.read import Columns, fetch, read_log

    header = ["case", "activity", "resource", "timestamp"]
    rows = [[1, "a", "ann", at(1)], [1, "b", "bob", at(3)], [2, "a", "bob", at(2)]]
    log = read_log([write_csv(tmp_path / "done.csv", header, rows, sep=";")], Columns())
    assert log.shape == "complete_only"
    assert "efforts cannot be measured" in log.notes[0]
    e = fetch(log.events.order_by(["end", "start"]))
    # a of 1: nothing before it: 0 h. a of 2 (bob's first): 0 h. b of 1 (bob): enabled at 1
    # (the request's previous end), bob free at 2 (his previous end): start 2, effort 1 h.
    assert [(b - a) / 3600 for a, b in zip(e["start"], e["end"], strict=True)] == [0.0, 0.0, 1.0]


def test_working_hours_of_an_office_calendar() -> None:
    import ibis

    from orgflow.mine.figures import Calendar, working_hours

    cal = Calendar(list(range(9, 17)), [0, 1, 2, 3, 4])  # 9:00-17:00 UTC, Monday to Friday
    friday_16 = (4 * 24 + 16) * 3600.0 + 1704067200.0  # Monday 2024-01-01 = 1704067200
    monday_10 = (7 * 24 + 10) * 3600.0 + 1704067200.0
    import pyarrow as pa

    t = ibis.memtable(pa.table({"a": [friday_16], "b": [monday_10]}))
    con = ibis.duckdb.connect()
    hours = con.to_pyarrow(t.select(h=working_hours(t.b, cal) - working_hours(t.a, cal)))
    # Friday 16:00-17:00 (1 h) + Monday 9:00-10:00 (1 h); the weekend is not working time.
    assert hours.column("h")[0].as_py() == pytest.approx(2.0)


def test_customers_their_regions_and_demand(tmp_path: Path) -> None:
    from orgflow.loader import load_text
    from orgflow.mine.discover import build
    from orgflow.mine.report import org_yaml

    header = [*HEADER, "client", "area"]
    rows = [
        [1, "a", "ann", at(0), at(1), "Acme", "north"],
        [2, "a", "ann", at(2), at(3), "Acme", "north"],
        [3, "a", "ann", at(4), at(5), "Bolt", "south"],
    ]
    log_path = write_csv(tmp_path / "c.csv", header, rows)
    fig: object = _figures(log_path, customer="client", region="area")
    assert fig.customers == {"Acme": 2, "Bolt": 1}  # type: ignore[attr-defined]
    mined = build(fig, customer_column="client")  # type: ignore[arg-type]
    # Arrivals within one week (weeks counted as at least one): 2 and 1 requests a week.
    assert mined.org["customers"] == [
        {"id": "acme", "name": "Acme", "region": "north", "demand": {"main": "2/week"}},
        {"id": "bolt", "name": "Bolt", "region": "south", "demand": {"main": "1/week"}},
    ]
    org = load_text(org_yaml(mined))
    assert [c.id for c in org.customers] == ["acme", "bolt"]
    # One person does everything: a chain of one.
    assert mined.org["assignments"] == [{"activity": "a", "people": ["ann"]}]
