"""The HTML report in a real browser (headless Chromium): charts visible, nothing wider than the
window on a laptop, on an A4 page or in a narrow window (500 px, the least headless Chromium
opens), A4 pages in print, and a screenshot for the README.
Optionally (``ORGFLOW_MERMAID_JS`` naming mermaid.min.js) the Mermaid diagram rendered by
Mermaid itself, as GitHub does.

Skipped, with the reason, when no Chromium is installed (``apt-get install chromium``).
Regenerate docs/report-serial.png with ``ORGFLOW_UPDATE_DOCS=1 pytest tests/render``.
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
    return {kind: s.getAttribute("class"), width: r.width, height: r.height,
            left: r.left, right: r.right};
  });
  var wide = [];
  Array.prototype.forEach.call(document.querySelectorAll("body *"), function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {
      wide.push(e.tagName + "." + (e.getAttribute("class") || "") + " " + r.right);
    }
  });
  var probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    width: width, innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth, charts: charts, wide: wide
  });
  document.body.appendChild(probe);
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


def probe(exe: str, tmp: Path, page: Path, width: int) -> dict[str, Any]:
    done = browse(exe, tmp, f"--window-size={width},900", "--dump-dom", page.as_uri())
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


@pytest.mark.parametrize(
    ("width", "media"),
    [(1366, "screen"), (710, "print"), (500, "screen")],
    ids=["laptop", "a4-print", "narrow"],
)
@pytest.mark.parametrize("which", ["serial", "compare", "large"])
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
    assert got["scrollWidth"] <= got["width"], got["wide"]
    assert got["wide"] == []
    assert [c["kind"] for c in got["charts"]] == kinds
    for chart in got["charts"]:
        assert chart["width"] > 50, chart  # drawn, and not squashed to nothing
        assert chart["height"] > 10, chart
        assert chart["left"] >= 0, chart
        assert chart["right"] <= got["width"], chart


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
