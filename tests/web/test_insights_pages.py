"""Insights pages: the dashboard, insights, monthly report and agency view. Real SVG charts with
titles, descriptions and axis titles, each with its table; JSON twins equal to the API; no page
shows another practice's figures (404), and bad parameters are explained, not fatal."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from factories import parse, sign_in

from safereply.services import SYSTEM, NewPost
from safereply.web.views.chart import (
    column_chart,
    interval_chart,
    line_chart,
    month_label,
    paired_bar_chart,
)


class _Svgs(HTMLParser):
    """Collects each SVG's attributes, title, desc and text, and what follows it."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[dict] = []
        self._in: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svgs.append({"attrs": dict(attrs), "title": "", "desc": "", "texts": []})
            self._depth = 1
        elif self.svgs and self._depth:
            self._depth += 1
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "svg":
            self._depth = 0
        elif self._depth:
            self._depth -= 1
        self._in = None

    def handle_data(self, data):
        if not self._depth or not self.svgs:
            return
        svg = self.svgs[-1]
        if self._in == "title":
            svg["title"] += data
        elif self._in == "desc":
            svg["desc"] += data
        elif self._in == "text" and data.strip():
            svg["texts"].append(data.strip())


def _svgs(html: str) -> list[dict]:
    parser = _Svgs()
    parser.feed(html)
    return parser.svgs


def _seed(services, practice, other):
    """A complaint about billing in each of the last three months, praise, one answered."""
    clock = services.inbox.clock
    start = clock.now
    for n, days in enumerate((70, 40, 5)):
        clock.now = start - dt.timedelta(days=days)
        services.inbox.receive(
            SYSTEM,
            practice,
            NewPost(
                platform="google",
                external_id=f"old{n}",
                text="The bill was wrong again and nobody fixed it.",
                rating=float(n + 1),
                location="Eastside",
            ),
        )
    clock.now = start
    services.inbox.receive(
        SYSTEM,
        other,
        NewPost(platform="google", external_id="h2", text="Secret harbour billing gripe", rating=1),
    )


def _charts_are_accessible(html: str, expected: int):
    svgs = _svgs(html)
    assert len(svgs) >= expected, len(svgs)
    for svg in svgs:
        a = svg["attrs"]
        assert a["role"] == "img" and a["viewbox"].startswith("0 0 420 ")
        title_id, desc_id = a["aria-labelledby"].split()
        assert f'id="{title_id}"' in html and f'id="{desc_id}"' in html
        assert svg["title"].strip() and svg["desc"].strip(), svg
    return svgs


def test_insights_page_draws_charts_with_tables_and_matches_the_api(site):
    app, services, clock, ids, _users, _posts = site
    _seed(services, ids["maple"], ids["harbor"])
    client = sign_in(app, "staff")
    html = client.get(f"/p/{ids['maple']}/insights").text
    svgs = _charts_are_accessible(html, 4)
    titles = [s["title"] for s in svgs]
    assert any(t.startswith("Average rating by month") for t in titles)
    assert any(t.startswith("Topics praised and criticised") for t in titles)
    every_text = [t for s in svgs for t in s["texts"]]
    for axis in ("Average stars", "Posts", "Answered (%)", "Month", "Praised", "Criticised"):
        assert axis in every_text, axis
    # Each number of the charts is in a table right below them.
    assert '<caption class="sr-only">Posts, rating and answers by month</caption>' in html
    assert '<caption class="sr-only">Topics mentioned, praised and criticised</caption>' in html
    assert re.search(r'<th scope="row">Billing</th><td class="num">4</td>', html)
    assert "Harbor" not in html and "harbour" not in html
    twin = client.get(f"/p/{ids['maple']}/insights?format=json").json()
    api = client.get(f"/api/v1/practices/{ids['maple']}/insights").json()
    assert twin == api
    assert api["total"]["posts"] == 6 and api["practice_name"] == "Maple Grove Dental"
    billing = next(t for t in api["topics"] if t["topic"] == "billing")
    assert billing["criticised"] == 4
    # The same range and location through both.
    eastside = next(loc["id"] for loc in api["by_location"] if loc["name"] == "Eastside")
    month = clock.now.strftime("%Y-%m")
    query = f"from={month}&to={month}&location={eastside}"
    narrowed = client.get(f"/p/{ids['maple']}/insights?{query}&format=json").json()
    via_api = client.get(
        f"/api/v1/practices/{ids['maple']}/insights?from={month}&to={month}&location_id={eastside}"
    ).json()
    assert narrowed == via_api and narrowed["months"] == [month]
    assert narrowed["location"]["name"] == "Eastside"


def test_the_range_form_is_labelled_and_bad_values_are_explained(site):
    app, _services, _clock, ids, _users, _posts = site
    client = sign_in(app, "staff")
    html = client.get(f"/p/{ids['maple']}/insights?from=2026-13&location=x").text
    assert "The first month must be a month written YYYY-MM" in html
    assert "The location must be a location number" in html
    forms = parse(html)
    assert all(field_id in forms.labels for _tag, field_id in forms.fields)
    response = client.get(f"/api/v1/practices/{ids['maple']}/insights?from=2020-01&to=2026-01")
    assert response.status_code == 422 and "at most 36" in response.json()["error"]["message"]


def test_dashboard_adds_the_year_and_the_improvements(site):
    app, services, clock, ids, users, _posts = site
    _seed(services, ids["maple"], ids["harbor"])
    manager = services.users.actor_for(users["manager"]["id"])
    services.practices.add_improvement(
        manager, ids["maple"], topic="billing", text="clearer bills", since=clock.now.date()
    )
    client = sign_in(app, "staff")
    html = client.get(f"/p/{ids['maple']}/dashboard").text
    svgs = _charts_are_accessible(html, 3)
    assert "Complaints" in [t for s in svgs for t in s["texts"]]  # the bar chart's axis title
    assert "Did the improvements work?" in html
    assert "nothing to compare yet" in html
    data = client.get(f"/p/{ids['maple']}/dashboard?format=json").json()
    assert data["complaints"] >= 1 and data["trend"]["improvements"][0]["status"] == "not-yet"
    trend = client.get(f"/api/v1/practices/{ids['maple']}/insights/trend").json()
    assert data["trend"] == trend
    full = client.get(f"/api/v1/practices/{ids['maple']}/insights").json()
    assert trend["by_month"] == full["by_month"] and trend["improvements"] == full["improvements"]


def test_monthly_report_prints_and_matches_the_api(site):
    app, services, clock, ids, _users, _posts = site
    _seed(services, ids["maple"], ids["harbor"])
    client = sign_in(app, "manager")
    last = (clock.now.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    html = client.get(f"/p/{ids['maple']}/reports/monthly").text
    assert f"monthly report, {month_label(last)}" in html
    assert '<link rel="stylesheet" href="/static/insights.css">' in html
    assert 'class="filters-row no-print"' in html and "Save as PDF" in html
    _charts_are_accessible(html, 2)
    css = client.get("/static/insights.css").text
    assert "@media print" in css and ".nav" in css
    twin = client.get(f"/p/{ids['maple']}/reports/monthly?format=json").json()
    assert twin == client.get(f"/api/v1/practices/{ids['maple']}/reports/monthly").json()
    assert twin["month"] == last and len(twin["trend"]) == 12
    chosen = client.get(f"/p/{ids['maple']}/reports/monthly?month=1999-01&format=json").json()
    assert chosen["month"] == "1999-01" and chosen["this_month"]["posts"] == 0
    future = client.get(f"/p/{ids['maple']}/reports/monthly?month=2999-01").text
    assert "has not started yet: showing the last whole month" in future
    assert client.get("/api/v1/practices/1/reports/monthly?month=2999-01").status_code == 422


def test_agency_view_shows_only_the_users_practices(site):
    app, services, _clock, ids, users, _posts = site
    _seed(services, ids["maple"], ids["harbor"])
    client = sign_in(app, "manager")
    html = client.get("/agency").text
    assert "Maple Grove Dental" in html and "Harbor View Clinic" not in html
    services.users.set_role(
        SYSTEM, practice_id=ids["harbor"], user_id=users["manager"]["id"], role="staff"
    )
    html = client.get("/agency").text
    assert "Maple Grove Dental" in html and "Harbor View Clinic" in html
    _charts_are_accessible(html, 2)
    assert client.get("/agency?format=json").json() == client.get("/api/v1/agency").json()
    assert 'href="/agency"' in client.get("/practices").text
    other = sign_in(app, "other")
    names = [p["name"] for p in other.get("/api/v1/agency").json()["practices"]]
    assert names == ["Harbor View Clinic"]


def test_another_practices_insights_are_not_found(site):
    app, services, _clock, ids, _users, _posts = site
    _seed(services, ids["maple"], ids["harbor"])
    client = sign_in(app, "other")
    maple = ids["maple"]
    for path in (
        f"/p/{maple}/dashboard",
        f"/p/{maple}/insights",
        f"/p/{maple}/reports/monthly",
        f"/p/{maple}/insights?format=json",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Maple" not in response.text and "bill" not in response.text.lower()
    for path in (
        f"/api/v1/practices/{maple}/insights",
        f"/api/v1/practices/{maple}/reports/monthly",
    ):
        assert client.get(path).status_code == 404
    # A location of another practice, on your own practice: not found either.
    eastside = services.practices.get_practice(SYSTEM, maple)["locations"][-1]["id"]
    harbor = ids["harbor"]
    assert client.get(f"/p/{harbor}/insights?location={eastside}").status_code == 404
    assert (
        client.get(f"/api/v1/practices/{harbor}/insights?location_id={eastside}").status_code == 404
    )
    assert sign_in(app, "staff").get("/agency").status_code == 200
    assert client.get("/agency", follow_redirects=False).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(site):
    from fastapi.testclient import TestClient

    app, *_ = site
    client = TestClient(app)
    for path in ("/p/1/insights", "/p/1/reports/monthly", "/agency"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/v1/agency").status_code == 401


# -- chart layout --------------------------------------------------------------------------------


def test_line_chart_breaks_at_months_without_a_value():
    chart = line_chart(
        [
            ("2026-01", 4.0, "3 rated"),
            ("2026-02", None, "no ratings"),
            ("2026-03", 2.0, ""),
            ("2026-04", 3.0, ""),
        ],
        y_min=1,
        y_max=5,
        y_step=1,
        y_title="Average stars",
        title="Rating",
    )
    assert [t for t, _ in chart.ticks] == ["1.0", "2.0", "3.0", "4.0", "5.0"]
    assert len(chart.paths) == 1 and chart.paths[0].count("L") == 1  # March to April only
    top, bottom = chart.top, chart.top + chart.plot_height
    assert chart.points[0].y == round(bottom - (bottom - top) * 3 / 4, 1)
    assert chart.points[1].y is None
    assert (
        chart.desc
        == "Jan 2026: 4.0 (3 rated); Feb 2026: none (no ratings); Mar 2026: 2.0; Apr 2026: 3.0."
    )
    assert [(label.text, label.year) for label in chart.labels][:2] == [
        ("Jan", "2026"),
        ("Feb", ""),
    ]


def test_column_paired_and_interval_charts_scale_to_round_axes():
    columns = column_chart([("2025-12", 3), ("2026-01", 7)], y_title="Posts", title="Volume")
    assert [v for v, _ in columns.ticks] == [0, 2, 4, 6, 8, 10]
    assert columns.columns[1].height == round(columns.plot_height * 7 / 10, 1)
    assert [(label.text, label.year) for label in columns.labels] == [
        ("Dec", "2025"),
        ("Jan", "2026"),
    ]
    many = column_chart(
        [(f"2025-{m:02d}", m) for m in range(1, 13)] + [("2026-01", 1)] * 6,
        y_title="Posts",
        title="t",
    )
    assert len(many.labels) == 9  # every second month on 18 months
    paired = paired_bar_chart(
        [("Billing", 4, 1), ("Wait time", 0, 9)],
        names=("Praised", "Criticised"),
        axis_title="Posts",
        title="Topics",
    )
    assert paired.rows[1].second_width == paired.plot_width * 9 / 10
    assert paired.desc == "Billing: 4 praised, 1 criticised; Wait time: 0 praised, 9 criticised."
    effects = interval_chart(
        [("Wait time, Aug 2026", -20.0, -36.6, -2.3)], axis_title="points", title="Change"
    )
    assert [t for t, _ in effects.ticks] == ["−50", "−25", "0", "+25", "+50"]
    row = effects.rows[0]
    assert row.x_low < row.x < row.x_high < effects.zero_x
    assert effects.desc == "Wait time, Aug 2026: −20 points (95% interval −36.6 to −2.3)."
