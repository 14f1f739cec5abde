"""Insights in a real browser: the charts fit a 375 px phone, their text stays legible, and the
monthly report prints (and saves as PDF) without the menus."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _expect():
    from playwright.sync_api import expect

    return expect


def test_insights_pages_fit_a_phone_and_their_charts_stay_legible(
    browser, live_server, sign_in, shot
):
    page = sign_in(browser, live_server, "manager", viewport={"width": 375, "height": 812})
    expect = _expect()
    pid = live_server.practice_id
    for name, path in (
        ("insights-375", f"/p/{pid}/insights"),
        ("report-375", f"/p/{pid}/reports/monthly"),
        ("dashboard-year-375", f"/p/{pid}/dashboard"),
        ("agency-375", "/agency"),
    ):
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
        charts = page.locator("svg.chart")
        assert charts.count() >= 1, path
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (path, i, box)
        # The smallest text of every chart (tick labels) is still about 10 px tall on a phone.
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('svg.chart text')]"
            ".map(t => t.getBoundingClientRect().height).filter(h => h > 0))"
        )
        assert smallest >= 9, (path, smallest)
        shot(page, name)
        for i in range(min(charts.count(), 4)):  # each chart alone, to look at
            charts.nth(i).screenshot(path=str(ARTIFACTS / f"{name}-chart{i}.png"))
    page.context.close()


def test_monthly_report_prints_without_the_menus(browser, live_server, sign_in):
    page = sign_in(browser, live_server, "manager", viewport={"width": 1100, "height": 900})
    expect = _expect()
    page.goto(f"{live_server.url}/p/{live_server.practice_id}/reports/monthly")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("form.filters-row")).to_be_hidden()
    expect(page.locator("main h1")).to_contain_text("monthly report")
    expect(page.locator("main table").first).to_be_visible()
    assert page.locator("svg.chart").count() >= 2
    pdf = page.pdf(format="A4")  # what "Save as PDF" produces
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "monthly-report.pdf").write_bytes(pdf)
    page.context.close()
