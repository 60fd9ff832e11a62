"""``benchmarks/measure_purchasing.py`` on the first 20 requests of the purchasing log
(tests/data/purchasing), against values read off the events by hand, and
``samples/purchasing.yaml`` against the counts the script prints for the whole log."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from orgflow.loader import load
from orgflow.routing import expected_visits, routed_steps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import measure_purchasing as measure  # noqa: E402

LOG = ROOT / "tests" / "data" / "purchasing" / "purchasing-first-20.csv"
EST = dt.timezone(dt.timedelta(hours=-5))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=EST)


def test_request_1_by_hand() -> None:
    cases = measure.read_log(LOG)
    assert len(cases) == 20
    one = cases["1"]
    assert len(one) == 17
    assert one[0].activity == "Create Purchase Requisition"
    assert one[-1].activity == "Pay Invoice"
    # 2011-01-01 00:00 to 2011-01-04 15:31: 3 days 15 h 31 min = 87.517 h.
    assert measure.lead_time_hours(one) == pytest.approx(87 + 31 / 60)
    # Monday to Friday 9-17: Saturday 1 and Sunday 2 January count nothing, Monday 3 counts
    # 8 h, Tuesday 4 from 9:00 to 15:31 counts 6 h 31 min: 14.517 h.
    assert measure.office_hours(one[0].start, one[-1].end) == pytest.approx(14 + 31 / 60)


def test_pool_sharing_of_request_1_by_hand() -> None:
    cases = measure.read_log(LOG)
    shared = measure.pool_sharing({"1": cases["1"]})
    # Consecutive events within one group: requesters Kim -> Kim, Immanuel -> Tesca;
    # purchasers Karel -> Karel, Karel -> Magdalena, Francois -> Karel; supplier desk
    # Sean -> Sean; finance Karalda -> Karalda, Karalda -> Pedro.
    assert shared == {
        "requesters": (2, 1),
        "purchasers": (3, 2),
        "supplier_desk": (1, 0),
        "finance": (2, 1),
    }


def test_busy_hours_count_overlaps_once() -> None:
    spans = [
        (at("2011-01-01 01:00"), at("2011-01-01 03:00")),
        (at("2011-01-01 02:00"), at("2011-01-01 04:00")),  # overlaps the first by 1 h
        (at("2011-01-01 09:00"), at("2011-01-01 10:00")),
    ]
    # Within 02:00-09:30: 02:00-04:00 (2 h) and 09:00-09:30 (0.5 h).
    found = measure.busy_hours(spans, at("2011-01-01 02:00"), at("2011-01-01 09:30"))
    assert found == pytest.approx(2.5)


def test_the_wait_before_a_step_starts_at_the_previous_end() -> None:
    cases = measure.read_log(LOG)
    waits = measure.waits({"1": cases["1"]})
    # Create Request for Quotation: previous end 00:37, start 05:37: 5 h; Kim Passa does
    # nothing else in request 1 meanwhile.
    (first,) = waits[("Create Request for Quotation", "requesters")]
    assert first.total == pytest.approx(5.0)
    assert first.busy == 0.0


def test_the_sample_reproduces_the_logs_counts() -> None:
    # Expected executions x 608 requests against the events of the whole log (printed by
    # the script): every figure within half an event, but the analyses of requisitions,
    # 374 first analyses of the 382 (the sample leaves out the 8 after an amendment).
    org = load(ROOT / "samples" / "purchasing.yaml")
    visits = expected_visits(routed_steps(org.processes[0], org.calendar)).activities
    counts = {
        "create_requisition": 608,
        "analyze_requisition": 374,
        "create_rfq": 237,
        "create_rfq_by_clerk": 307,
        "analyze_rfq": 1107,
        "amend_rfq": 514,
        "amend_rfq_by_clerk": 49,
        "send_rfq": 413,
        "deliver_goods": 413,
        "release_po": 439,
        "settle_order_dispute": 26,
        "release_invoice": 403,
        "settle_invoice_dispute": 80,
        "pay_invoice": 413,
    }
    found = {a: 608 * n for (_, a), n in visits.items() if a in counts}
    for activity, count in counts.items():
        assert found[activity] == pytest.approx(count, abs=1.0), activity
