"""Bars of one figure share one scale (issue 16, point 5), without a browser."""

from __future__ import annotations

import re

import pytest

from orgflow.render.svg import Bar, Segment, bar_scale, bars_svg, stacked_bar_svg


def _widths(svg: str, klass: str) -> list[float]:
    return [float(w) for w in re.findall(rf'<rect class="{klass}"[^>]* width="([\d.]+)"', svg)]


def test_stacked_bars_side_by_side_are_in_the_ratio_of_their_totals() -> None:
    # 66.2 h and 16.8 h on a 400 px track scaled to 66.2 h: 400 px and 400 x 16.8 / 66.2 =
    # 101.5 px.
    a = [Segment("touch", 6.0, "", "#000"), Segment("absences", 60.2, "", "#111")]
    b = [Segment("touch", 6.5, "", "#000"), Segment("absences", 10.3, "", "#111")]
    wa = sum(_widths(stacked_bar_svg(a, "a", width=400, scale=66.2), "part"))
    wb = sum(_widths(stacked_bar_svg(b, "b", width=400, scale=66.2), "part"))
    assert wa == pytest.approx(400, abs=0.1)
    assert wb == pytest.approx(400 * 16.8 / 66.2, abs=0.1)
    # Without a scale each bar fills its track (one office alone).
    assert sum(_widths(stacked_bar_svg(b, "b", width=400), "part")) == pytest.approx(400, abs=0.1)


def test_utilization_charts_share_their_right_end() -> None:
    # One chart up to 120%, the other up to 60%: both on the 0-120% scale, so 60% is half of
    # the 120% bar in either chart.
    scale = bar_scale([1.2, 0.6])
    assert scale == pytest.approx(1.2)
    high = bars_svg([Bar("ann", 1.2, "120%")], "a", scale=scale)
    low = bars_svg([Bar("bob", 0.6, " 60%")], "b", scale=scale)  # same label widths
    assert _widths(low, "bar")[0] == pytest.approx(_widths(high, "bar")[0] / 2, abs=0.1)
