"""The HTML report in a real browser (headless Chromium): charts visible, nothing wider than the
window on a laptop, on an A4 page, in a narrow window (500 px, the least headless Chromium
opens) and at phone width (420 px, in a frame of that width), A4 pages in print; the compare
and proposal reports (titles, bars of one figure on one scale), and the README's screenshots.
Optionally (``ORGFLOW_MERMAID_JS`` naming mermaid.min.js) the Mermaid diagram rendered by
Mermaid itself, as GitHub does.

Skipped, with the reason, when no Chromium is installed (``apt-get install chromium``).
Regenerate docs/report-serial.png and docs/report-proposal.png with
``ORGFLOW_UPDATE_DOCS=1 pytest tests/render``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

import orgflow
from orgflow.diagram import swimlane
from orgflow.render import html as report
from orgflow.render import mermaid
from orgflow.simulate.runner import SimOptions

ROOT = Path(__file__).resolve().parents[2]
SERIAL = ROOT / "samples" / "serial.yaml"
PARALLEL = ROOT / "samples" / "parallel-by-customer.yaml"
LARGE = ROOT / "samples" / "large-office.yaml"
SCREENSHOT = ROOT / "docs" / "report-serial.png"
PROPOSAL_SHOT = ROOT / "docs" / "report-proposal.png"

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]

#: Added to a COPY of the report only (the shipped report has no script): measures the page
#: after layout and writes the result into the DOM, which ``--dump-dom`` prints.
PROBE = """<script>
(function () {
  var width = document.documentElement.clientWidth;
  var charts = Array.prototype.map.call(document.querySelectorAll("svg.chart"), function (s) {
    var r = s.getBoundingClientRect();
    var bars = Array.prototype.map.call(s.querySelectorAll("rect.part, rect.bar"),
      function (b) { return b.getBoundingClientRect().width; });
    return {kind: s.getAttribute("class"), width: r.width, height: r.height,
            left: r.left, right: r.right, bars: bars};
  });
  var wide = [];
  Array.prototype.forEach.call(document.querySelectorAll("body *"), function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {
      wide.push(e.tagName + "." + (e.getAttribute("class") || "") + " " + r.right);
    }
  });
  var host = window.parent !== window ? window.parent.document : document;
  var probe = host.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    width: width, innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth, charts: charts, wide: wide,
    title: document.querySelector("h1").textContent,
    headline: (document.querySelector(".headline") || {}).textContent || ""
  });
  host.body.appendChild(probe);
})();
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium installed (apt-get install chromium): the report is not rendered")


def browse(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


#: A page of the least width headless Chromium opens, holding the report in a frame of a
#: phone's width (the probe writes its result into this page).
PHONE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body style="margin:0"><iframe style="border:0;width:%dpx;height:900px" srcdoc="%s"></iframe>
</body></html>"""


def probe(exe: str, tmp: Path, page: Path, width: int) -> dict[str, Any]:
    if width < 500:
        framed = tmp / "phone.html"
        framed.write_text(
            PHONE % (width, html.escape(page.read_text(encoding="utf-8"), quote=True)),
            encoding="utf-8",
        )
        page = framed
    done = browse(
        exe,
        tmp,
        f"--window-size={max(width, 500)},900",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.fixture(scope="module")
def serial_report() -> str:
    # named as a user types it, which the report shows under its title
    org = orgflow.load_text(SERIAL.read_text(encoding="utf-8"), "samples/serial.yaml")
    options = SimOptions(weeks=10, warmup=2, runs=2, seed=1, start=dt.date(2026, 1, 5))
    sim = report.simulate_for_report(org, options)
    return report.render(orgflow.analyze(org), simulation=sim)


def proposal_report() -> str:
    """The report of ``orgflow propose samples/serial.yaml -o proposal.yaml --report …``."""
    from orgflow.propose.plan import ProposeOptions, propose
    from orgflow.render.propose import proposal_headline

    org = orgflow.load_text(SERIAL.read_text(encoding="utf-8"), "samples/serial.yaml")
    plan = propose(org, ProposeOptions(by="customer"))
    return report.render(
        plan.before,
        orgflow.analyze(plan.office),
        title=f"{plan.before.org_name}: in parallel by customer, proposed",
        labels=("today", "proposed, by customer"),
        files=["samples/serial.yaml", "proposal.yaml"],
        extra=report.proposal_section(plan),
        headline_text=proposal_headline(plan),
    )


@pytest.mark.parametrize(
    ("width", "media"),
    [(1366, "screen"), (710, "print"), (500, "screen"), (420, "screen")],
    ids=["laptop", "a4-print", "narrow", "phone"],
)
@pytest.mark.parametrize("which", ["serial", "compare", "large", "proposal"])
def test_charts_visible_and_nothing_overflows(
    serial_report: str, tmp_path: Path, width: int, media: str, which: str
) -> None:
    exe = chromium()
    if which == "serial":
        document = serial_report
        kinds = ["chart parts", "chart swimlane", "chart bars", "chart histogram"]
    elif which == "compare":
        document = report.render(
            orgflow.analyze(orgflow.load(SERIAL)), orgflow.analyze(orgflow.load(PARALLEL))
        )
        kinds = ["chart parts"] * 2 + ["chart swimlane"] * 2 + ["chart bars"] * 2
    elif which == "proposal":
        document = proposal_report()
        kinds = ["chart parts"] * 2 + ["chart swimlane"] * 2 + ["chart bars"] * 2
    else:  # 40 people, pools of up to 8 with long names, 48 routes
        document = report.render(orgflow.analyze(orgflow.load(LARGE)))
        kinds = ["chart parts", "chart swimlane", "chart bars"]
    if media == "print":
        # The print rules applied on screen, at the width of an A4 page inside its margins
        # (210 mm - 2 x 11 mm = 188 mm = 710 CSS px).
        document = document.replace("@media print", "@media all")
    page = tmp_path / "report.html"
    page.write_text(document.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    got = probe(exe, tmp_path, page, width)
    assert got["innerWidth"] == width
    assert got["scrollWidth"] <= got["width"], got["wide"]
    assert got["wide"] == []
    assert [c["kind"] for c in got["charts"]] == kinds
    for chart in got["charts"]:
        assert chart["width"] > 50, chart  # drawn, and not squashed to nothing
        assert chart["height"] > 10, chart
        assert chart["left"] >= 0, chart
        assert chart["right"] <= got["width"], chart


def test_compare_report_bars_share_one_scale(tmp_path: Path) -> None:
    exe = chromium()
    a = orgflow.analyze(orgflow.load(SERIAL))
    b = orgflow.analyze(orgflow.load(PARALLEL))
    page = tmp_path / "compare.html"
    page.write_text(report.render(a, b).replace("</body>", PROBE + "</body>"), encoding="utf-8")
    got = probe(exe, tmp_path, page, 1366)
    assert got["title"] == f"{a.org_name} → {b.org_name}"
    parts = [c for c in got["charts"] if c["kind"] == "chart parts"]
    drawn = [sum(c["bars"]) for c in parts]
    # 66.2 h and 16.8 h: the bars' lengths are in the ratio of the lead times (the longer
    # fills the track), not both full.
    ratio = b.summary.lead_time_hours / a.summary.lead_time_hours
    assert drawn[1] / drawn[0] == pytest.approx(ratio, rel=0.01)
    assert drawn[0] == pytest.approx(parts[0]["width"], rel=0.01)
    # Utilization: one scale in both charts, so width / utilization is the same everywhere.
    bars = [c for c in got["charts"] if c["kind"] == "chart bars"]
    values = [sorted((p.load.utilization for p in x.people), reverse=True) for x in (a, b)]
    per_unit = [
        w / v
        for chart, vs in zip(bars, values, strict=True)
        for w, v in zip(chart["bars"], vs, strict=True)
        if v > 0
    ]
    assert max(per_unit) / min(per_unit) < 1.005, per_unit  # within the SVG's rounding


def test_proposal_report_names_what_it_shows(tmp_path: Path) -> None:
    exe = chromium()
    document = proposal_report()
    page = tmp_path / "proposal.html"
    page.write_text(document.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    got = probe(exe, tmp_path, page, 1366)
    assert got["title"] == "Sales back office (serial): in parallel by customer, proposed"
    assert "In parallel by customer" not in got["title"].split(":")[0]
    # The headline is the proposal's figures (lead times in working days of 8 h).
    from orgflow.propose.plan import ProposeOptions, propose

    plan = propose(orgflow.load(SERIAL), ProposeOptions(by="customer"))
    before, after = plan.before.summary, plan.after_trained.summary
    learning = plan.after.summary.lead_time_hours
    assert got["headline"].startswith(
        f"Requests take {before.lead_time_hours / 8:.1f} working days on average"
    )
    assert (
        f"In parallel by customer: {after.lead_time_hours / 8:.1f} working days"
        in (got["headline"])
    )
    assert (
        f"While people learn their new skills: {learning / 8:.1f} working days."
        in (got["headline"])
    )
    for section in ("Who does what", "Training plan", "The proposal"):
        assert f"<h2>{section}</h2>" in document
    assert "Lead time while people learn their new skills" in document
    assert "samples/serial.yaml → proposal.yaml" in document
    assert "After</span> proposed, by customer" in document
    assert "&lt;proposal&gt;" not in document
    shot = tmp_path / "proposal.png"
    plain = tmp_path / "plain.html"
    plain.write_text(document, encoding="utf-8")
    browse(exe, tmp_path, f"--screenshot={shot}", "--window-size=1366,900", plain.as_uri())
    assert png_size(shot) == (1366, 900)
    if os.environ.get("ORGFLOW_UPDATE_DOCS") == "1":
        shutil.copyfile(shot, PROPOSAL_SHOT)


def test_prints_on_a4(serial_report: str, tmp_path: Path) -> None:
    exe = chromium()
    page = tmp_path / "report.html"
    page.write_text(serial_report, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    browse(exe, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes
    for w, h in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(w) - 595.3) < 1
        assert abs(float(h) - 841.9) < 1


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot(serial_report: str, tmp_path: Path) -> None:
    exe = chromium()
    page = tmp_path / "report.html"
    page.write_text(serial_report, encoding="utf-8")
    shot = tmp_path / "report.png"
    browse(exe, tmp_path, f"--screenshot={shot}", "--window-size=1366,900", page.as_uri())
    assert png_size(shot) == (1366, 900)
    assert shot.stat().st_size > 20_000  # a page, not a blank
    if os.environ.get("ORGFLOW_UPDATE_DOCS") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


MERMAID_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="out"></div><pre id="status">pending</pre>
<script>%(js)s</script>
<script>
mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
mermaid.render("diagram", %(source)s).then(function (r) {
  var out = document.getElementById("out");
  out.innerHTML = r.svg;
  document.getElementById("status").textContent = JSON.stringify({
    ok: true, nodes: out.querySelectorAll(".node").length,
    clusters: out.querySelectorAll(".cluster").length,
    edges: out.querySelectorAll(".flowchart-link").length, text: out.textContent});
}, function (e) {
  document.getElementById("status").textContent = JSON.stringify({ok: false, error: String(e)});
});
</script></body></html>"""

TRICKY = """\
version: 1
org: {name: 'A "quoted" <office>'}
people:
  - {id: end, skills: [end, class, a-b, a.b]}
  - {id: style, skills: [end, class, a-b, a.b]}
activities:
  - {id: end, name: 'Say "hi" <b>bold</b> & #quot; \\\\ back', effort: 1h}
  - {id: class, name: "graph; subgraph x --> y", effort: 2h}
  - {id: a-b, effort: 30m}
  - {id: a.b, effort: 30m}
processes:
  - {id: p, steps: [end, class, a-b, a.b]}
customers:
  - {id: c, demand: {p: 2/week}}
assignments:
  - {activity: [end, a-b], people: [end]}
  - {activity: [class, a.b], people: [style, end]}
"""


@pytest.mark.parametrize("which", ["serial", "tricky"])
def test_mermaid_renders_with_mermaid_js(tmp_path: Path, which: str) -> None:
    exe = chromium()
    js = os.environ.get("ORGFLOW_MERMAID_JS", "")
    if not js or not Path(js).is_file():
        pytest.skip("ORGFLOW_MERMAID_JS does not name mermaid.min.js: Mermaid not rendered")
    org = orgflow.load(SERIAL) if which == "serial" else orgflow.load_text(TRICKY, "t.yaml")
    sw = swimlane(orgflow.analyze(org))
    source = json.dumps(mermaid.render(sw)).replace("</", "<\\/")
    page = tmp_path / "mermaid.html"
    script = Path(js).read_text(encoding="utf-8").replace("</script", "<\\/script")
    page.write_text(MERMAID_PAGE % {"js": script, "source": source}, encoding="utf-8")
    done = browse(exe, tmp_path, "--virtual-time-budget=20000", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="status">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:]
    status = json.loads(html.unescape(found.group(1)))
    assert status["ok"], status
    assert (status["nodes"], status["clusters"]) == (len(sw.boxes), len(sw.lanes))
    assert status["edges"] == len(sw.arrows)
    for box in sw.boxes:
        assert box.title in status["text"]
