"""``orgflow report``: the HTML read back with the standard library's HTML parser: self-contained,
every displayed figure equal to ``orgflow analyze --format json`` (and ``orgflow simulate``'s
JSON for the distribution) rounded the same way; and the SVG helpers it draws with."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import orgflow
from orgflow import cli
from orgflow.analysis.summary import Analysis
from orgflow.diagram import swimlane
from orgflow.render import html as report
from orgflow.render import svg
from orgflow.render.simulation import simulation_dict
from orgflow.simulate import scenarios
from orgflow.simulate.runner import SimOptions, simulate

ROOT = Path(__file__).resolve().parents[2]
SERIAL = ROOT / "samples" / "serial.yaml"
PARALLEL = ROOT / "samples" / "parallel-by-customer.yaml"
LARGE = ROOT / "samples" / "large-office.yaml"

#: A short simulation: enough requests for a histogram, quick to run.
SHORT = SimOptions(weeks=10, warmup=2, runs=2, seed=3, start=dt.date(2026, 1, 5))

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class Page(HTMLParser):
    """Tags with their attributes, the text of every tagged figure, styles and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.figures: list[tuple[str, str, str, str]] = []  # (office, json|sim, key, text)
        self.styles: list[str] = []
        self.text: list[str] = []
        self._open: list[tuple[str, list[str] | None, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag in VOID:
            return
        tagged = "data-json" in found or "data-sim" in found
        self._open.append((tag, [] if tagged else None, found))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        open_tag, collected, attrs = self._open.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if collected is not None:
            kind = "json" if "data-json" in attrs else "sim"
            text = " ".join("".join(collected).split())
            self.figures.append((attrs["data-office"], kind, attrs[f"data-{kind}"], text))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open and self._open[-1][0] == "style":
            self.styles.append(data)
        for _, collected, _ in self._open:
            if collected is not None:
                collected.append(data)


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    assert not page._open, "unclosed elements"
    return page


def analyze_json(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli.app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def analysis(path: Path) -> Analysis:
    return orgflow.analyze(orgflow.load(path))


def lookup(doc: dict[str, Any], key: str) -> Any:
    value: Any = doc
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def hours(value: float | None, hpd: float) -> str:
    """How every report writes a time: one decimal, and working days from a day on."""
    if value is None:
        return "unbounded"
    if value < hpd:
        return f"{value:.1f} h"
    return f"{value:.1f} h ({value / hpd:.1f} d)"


SHARES = {
    "flow_efficiency",
    "utilization",
    "blocked_share",
    "worst_person_blocked_share",
    "truck_factor_stopped_share",
}
ONE_DECIMAL = {
    "requests_per_week",
    "handoffs_per_request",
    "contacts_per_customer",
    "hours_per_week",
    "ci95_half_width",
}


def expected(key: str, value: Any, hpd: float) -> str:
    """The JSON value as the page must show it."""
    last = key.rsplit(".", 1)[-1]
    if last.endswith("_hours") or last in {"mean", "p50", "p90", "p95", "max"}:
        return hours(value, hpd)
    if last in SHARES:
        return "unbounded" if value is None else f"{value:.0%}"
    if last in ONE_DECIMAL:
        return f"{value:.1f}"
    if last in {"chain", "critical_path"}:
        return " → ".join(value)
    if last == "overloaded":
        return ", ".join(value) or "nobody"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def check_figures(page: Page, docs: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
    """Every tagged figure equals its JSON value (a bar may add words after it); returns the
    keys seen."""
    seen = set()
    assert page.figures
    for office, kind, key, text in page.figures:
        doc = docs[(office, kind)]
        want = expected(key, lookup(doc, key), doc["org"]["hours_per_day"])
        assert text == want or text.startswith(want + " "), (office, key, text, want)
        seen.add(f"{office}/{kind}/{key}")
    return seen


# -- one office ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SERIAL, PARALLEL, LARGE], ids=["serial", "parallel", "large"])
def test_numbers_match_analyze_json(path: Path) -> None:
    doc = analyze_json(path)
    page = parse(report.render(analysis(path)))
    seen = check_figures(page, {("0", "json"): doc})
    summary = {
        "handoffs_per_request",
        "lead_time_hours",
        "touch_time_hours",
        "queueing_hours",
        "handoff_hours",
        "absence_hours",
        "flow_efficiency",
        "truck_factor",
        "contacts_per_customer",
        "requests_per_week",
        "overloaded",
    }
    assert {f"0/json/summary.{k}" for k in summary} <= seen
    shown_routes = min(len(doc["routes"]), report.MAX_ROUTES)
    for i in range(shown_routes):
        assert {f"0/json/routes.{i}.{k}" for k in ("chain", "handoffs", "lead_time_hours")} <= seen
    for i in range(len(doc["people"])):
        assert f"0/json/people.{i}.utilization" in seen
    for i, act in enumerate(doc["activities"]):
        if act["bus_factor"] is not None:
            assert f"0/json/activities.{i}.bus_factor" in seen


def test_serial_figures_worked_by_hand() -> None:
    page = parse(report.render(analysis(SERIAL)))
    shown = {key: text for _, _, key, text in page.figures}
    # Route 1: 14.5 requests/week with 6 handoffs; route 2: 2.5/week with 7.
    # (14.5 * 6 + 2.5 * 7) / 17 = 104.5 / 17 = 6.147 -> 6.1.
    assert shown["summary.handoffs_per_request"] == "6.1"
    # One desk per step: lucia alone takes every request in, so one person stops them all.
    assert shown["summary.truck_factor"] == "1"
    assert shown["summary.truck_factor_people"] == "lucia"
    assert shown["summary.worst_person"] == "lucia"
    assert shown["summary.worst_person_blocked_share"] == "100%"
    # paolo (people[3]) plans all 17 requests/week at 1.5 h: 25.5 h of 40 h * 0.85 = 34 h.
    assert shown["people.3.utilization"] == "75% · 25.5 of 34.0 h/wk"
    assert shown["routes.0.chain"] == "lucia → marco → giulia → paolo → sara → elena"
    # Every activity has one person: 8 rows marked as single points of failure.
    spof_rows = [a for t, a in page.tags if t == "tr" and a.get("class") == "spof"]
    assert len(spof_rows) == 8


def test_self_contained_and_script_free() -> None:
    document = report.render(analysis(SERIAL), simulation=scenarios.simulate_for_report(
        orgflow.load(SERIAL), SHORT))  # fmt: skip
    page = parse(document)
    assert "http://" not in document
    assert "https://" not in document
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "a", "base"}
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        assert "href" not in attrs, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)  # no event handler
            for ref in re.findall(r"url\(([^)]*)\)", value):
                assert ref.startswith("#"), (tag, name, value)  # only this document's markers
    css = "".join(page.styles)
    assert "url(" not in css
    assert "@import" not in css
    assert "@font-face" not in css


def test_sections_print_rules_and_scalable_charts() -> None:
    page = parse(report.render(analysis(SERIAL)))
    text = "".join(page.text)
    for title in (
        "Summary",
        "Handoff chains",
        "The busiest route as swimlanes",
        "Utilization",
        "Single points of failure",
    ):
        assert title in text
    assert "Lead-time distribution" not in text  # only with a simulation
    css = " ".join("".join(page.styles).split())
    assert "@page { size: A4;" in css
    assert "@media print" in css
    assert "svg.chart { display: block; max-width: 100%; height: auto; }" in css
    charts = [a for t, a in page.tags if t == "svg"]
    assert [a["class"] for a in charts] == ["chart parts", "chart swimlane", "chart bars"]
    for a in charts:
        assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", a["viewbox"])  # the parser lowercases names
    assert ("meta", {"charset": "utf-8"}) in page.tags


def test_user_strings_are_escaped() -> None:
    tricky = """\
version: 1
org: {name: '<script>alert("x")</script> & "Co"'}
people: [{id: ann, skills: [a]}]
activities: [{id: a, name: '<b>bold</b> & <img src=x onerror=alert(1)>', effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c, demand: {p: 1/week}}]
assignments: [{people: [ann]}]
"""
    document = report.render(orgflow.analyze(orgflow.load_text(tricky, "x.yaml")))
    page = parse(document)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "b", "img"}
    text = "".join(page.text)
    assert '<script>alert("x")</script> & "Co"' in text
    assert "<b>bold</b> & <img src=x onerror=alert(1)>" in text


# -- the simulation -------------------------------------------------------------------------------


def test_simulate_for_report_is_the_simulation() -> None:
    org = orgflow.load(SERIAL)
    data = scenarios.simulate_for_report(org, SHORT)
    plain = simulate(org, SHORT)
    # the same runs, summarised by the same code: the same figures
    assert data.result.lead_time == plain.lead_time
    assert data.result.run_means == plain.run_means
    assert len(data.lead_times) == data.result.lead_time.count


def test_distribution_matches_simulate_json() -> None:
    org = orgflow.load(SERIAL)
    a = orgflow.analyze(org)
    data = scenarios.simulate_for_report(org, SHORT)
    page = parse(report.render(a, simulation=data))
    sim_doc = json.loads(json.dumps(simulation_dict(data.result, a)))
    seen = check_figures(page, {("0", "json"): analyze_json(SERIAL), ("0", "sim"): sim_doc})
    for k in ("p50", "p90", "p95", "mean", "ci95_half_width", "requests"):
        assert f"0/sim/summary.lead_time_hours.{k}" in seen
    charts = [a["class"] for t, a in page.tags if t == "svg"]
    assert "chart histogram" in charts
    text = "".join(page.text)
    e = data.result.lead_time
    # the p50 and p90 marks, in working days (the serial office's p90 is over a day)
    assert f"p50 {e.p50 / 8:.1f} d" in text
    assert f"p90 {e.p90 / 8:.1f} d" in text
    bins = svg.bin_values(data.lead_times, unit=8.0)
    assert sum(bins.counts) + bins.overflow == e.count


# -- two offices ----------------------------------------------------------------------------------


def test_compare_side_by_side() -> None:
    a, b = analysis(SERIAL), analysis(PARALLEL)
    page = parse(report.render(a, b))
    docs = {("0", "json"): analyze_json(SERIAL), ("1", "json"): analyze_json(PARALLEL)}
    seen = check_figures(page, docs)
    assert "0/json/summary.lead_time_hours" in seen
    assert "1/json/summary.lead_time_hours" in seen
    assert "1/json/people.0.utilization" in seen
    text = "".join(page.text)
    assert "Before" in text
    assert "After" in text
    # Handoffs per request: serial 6.147; parallel 2 handoffs on the certified routes only
    # (1.0 + 1.0 + 0.5 = 2.5 of 17 requests/week): 2 * 2.5 / 17 = 0.294. The before/after
    # table writes counts as compare does (two decimals at most): "6.15" and "0.29"; the
    # change 0.294 / 6.147 - 1 = -95%.
    rows = re.findall(r"Handoffs per request(0.29|6.15)(0.29|6.15)([^A-Za-z]*)", text)
    assert rows[0][:2] == ("6.15", "0.29")
    assert rows[0][2].startswith("-95%")
    # The table has every row of compare's (analysis.compare.comparison_rows), the change of
    # a figure of size (requests per week) coloured neither way.
    for label in ("Highest utilization", "Worst person risk", "Requests per week"):
        assert label in text
    charts = [a["class"] for t, a in page.tags if t == "svg"]
    assert charts.count("chart swimlane") == 2
    markers = [a["id"] for t, a in page.tags if t == "marker"]
    assert len(markers) == len(set(markers)) == 4  # unique ids across the two drawings


def test_compare_with_simulations_shares_one_axis() -> None:
    sa = scenarios.simulate_for_report(orgflow.load(SERIAL), SHORT)
    sb = scenarios.simulate_for_report(orgflow.load(PARALLEL), SHORT)
    document = report.render(
        analysis(SERIAL), analysis(PARALLEL), simulation=sa, compare_simulation=sb
    )
    page = parse(document)
    assert [a["class"] for t, a in page.tags if t == "svg"].count("chart histogram") == 2
    assert "After \u2212 before, mean lead time" in "".join(page.text)
    ticks = re.findall(r"lead time \((working days|hours)\)", "".join(page.text))
    assert ticks == ["working days", "working days"]


# -- the SVG helpers ------------------------------------------------------------------------------


def test_wrap_and_clip() -> None:
    assert svg.wrap("Receive and log the request", 19, 2) == ["Receive and log the", "request"]
    # "four" would make a third line: the second ends with a mark of the cut
    assert svg.wrap("one two three four", 7, 2) == ["one two", "three…"]
    assert svg.wrap("abcdefghij", 4, 5) == ["abcd", "efgh", "ij"]
    assert svg.clip("abcdef", 4) == "abc…"


def test_bins_worked_by_hand() -> None:
    # 10 values over 0..9.5: top 9.5 / 5 bins = 1.9 -> a round width of 2: 5 bins of 2
    # ([0,2) [2,4) [4,6) [6,8) [8,10)) hold 2 each.
    bins = svg.bin_values([0.5 + i for i in range(10)], bins=5)
    assert (bins.width, bins.counts, bins.overflow) == (2.0, (2, 2, 2, 2, 2), 0)
    # top given: 0..4 in width-1 bins (4/5 = 0.8 -> 1), 5 bins; 5.5..9.5 overflow.
    bins = svg.bin_values([0.5 + i for i in range(10)], bins=5, top=4.0)
    assert (bins.width, bins.counts, bins.overflow) == (1.0, (1, 1, 1, 1, 1), 5)
    # in days of 8 h: the top, 17 h, is 2.125 days; over 2 bins 1.06 days, rounded up to
    # 2 days = 16 h: [0, 16) holds 1 h, [16, 32) holds 16 h and 17 h.
    bins = svg.bin_values([1.0, 16.0, 17.0], unit=8.0, bins=2)
    assert bins.width == 16.0
    assert bins.counts == (1, 2)
    assert svg.bin_values([]).total == 0


def test_histogram_svg_marks_and_overflow() -> None:
    bins = svg.Bins(1.0, (1, 3, 0, 0), 2)
    drawn = parse(svg.histogram_svg(bins, [svg.Mark("p50 1.5 h", 1.5)], "t"))
    rects = [a for t, a in drawn.tags if t == "rect"]
    assert [a["class"] for a in rects] == ["bin"] * 4 + ["bin overflow"]
    # The plot is 220 - 30 - 34 = 156 px high. The highest bar holds 3 of 6 = 50%; grid steps
    # of 50% / 4 = 12.5% rounded up to 20%, so the axis tops at 60%: 1/6 -> 156 * (1/6) / 0.6
    # = 43.3 px, 3/6 -> 156 * 0.5 / 0.6 = 130 px.
    heights = [float(a["height"]) for a in rects]
    assert heights[:2] == [pytest.approx(43.3, abs=0.05), 130.0]
    assert "p50 1.5 h" in "".join(drawn.text)
    assert "more" in "".join(drawn.text)


def test_swimlane_svg_of_the_serial_route() -> None:
    sw = swimlane(analysis(SERIAL))
    places = svg.layout(sw)
    # one row per step down the precedence edges; scheduling and confirmation both follow
    # order entry, in two lanes, so they share row 3.
    assert {k: p.row for k, p in places.items()} == {
        "s_intake": 0,
        "s_quotation": 1,
        "s_order_entry": 2,
        "s_scheduling": 3,
        "s_confirmation": 3,
        "s_dispatch": 4,
        "s_invoicing": 5,
    }
    drawn = parse(svg.swimlane_svg(sw))
    classes = [a.get("class", "") for _, a in drawn.tags]
    assert classes.count("lane") == 6
    assert classes.count("step spof") == 7
    assert classes.count("arrow handoff") == 6
    assert classes.count("arrow same-desk") == 1
    text = "".join(drawn.text)
    assert "⚠ only lucia" in text
    assert "work 0.5 h · wait 3.2 h" in text


def test_bars_svg_caps_the_scale() -> None:
    bars = [svg.Bar("a", 0.5, "50%"), svg.Bar("b", 1.2, "120%"), svg.Bar("c", math.inf, "∞")]
    drawn = parse(svg.bars_svg(bars, "t", width=600))
    widths = [float(a["width"]) for t, a in drawn.tags if t == "rect"]
    # a 150% scale once someone is unbounded: 0.5 of 1.5, 1.2 of 1.5, all of it
    assert widths[0] / widths[2] == pytest.approx(1 / 3, abs=0.01)
    assert widths[1] / widths[2] == pytest.approx(0.8, abs=0.01)
    fills = [a["fill"] for t, a in drawn.tags if t == "rect"]
    assert fills == [svg.OK, svg.RED, svg.RED]


def test_stacked_bar_without_parts() -> None:
    drawn = parse(svg.stacked_bar_svg([svg.Segment("touch", 0.0, "0 h", "#000")], "t"))
    assert next(a.get("class") for t, a in drawn.tags if t == "rect") is None  # grey track
