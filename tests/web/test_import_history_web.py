"""The import page and ``POST /api/v1/practices/{id}/imports`` with a history export that carries
the owner's replies: the answered posts arrive closed, the result says how many arrived already
answered and how many are open (page and JSON twin) and points to Scan replies; the post page of
an answered import shows its reply; an unreadable reply date is a rejected row with its line."""

from __future__ import annotations

from factories import api_login, csrf_of, sign_in

from safereply.services import SYSTEM

HISTORY = (
    "review_id,stars,review_text,date,reply,reply_date\n"
    "h1,5,Friendly team and quick cleaning.,2025-03-01,Thank you for the kind words!,2025-03-02\n"
    "h2,1,We waited an hour at the desk.,2025-03-05,,\n"
    "h3,4,Nice hygienist.,2025-03-07,Thanks!,the next day\n"
)


def _upload(client, csrf: str, **extra):
    data = {"csrf_token": csrf, "practice_id": "1", "platform": "google", "format": "", **extra}
    files = {"file": ("history.csv", HISTORY, "text/plain")}
    return client.post("/import", data=data, files=files)


def _by_id(services, practice_id: int) -> dict[str, dict]:
    items = services.inbox.list_posts(SYSTEM, practice_id, limit=200)["items"]
    return {p["external_id"]: p for p in items}


def test_the_page_says_how_many_arrived_answered_and_points_to_scan(site):
    app, services, _, practices, *_ = site
    client = sign_in(app, "manager")
    csrf = csrf_of(client.get("/p/1/import").text)
    response = _upload(client, csrf)
    assert response.status_code == 200, response.text
    page = response.text
    assert "1 post arrived already answered; 1 open." in page
    assert 'href="/p/1/scan">Scan replies</a>' in page
    assert "the reply&#39;s date &#39;the next day&#39; is not a date" in page
    posts = _by_id(services, practices["maple"])
    assert (posts["h1"]["state"], posts["h2"]["state"]) == ("marked_replied", "new")
    # The JSON twin of a second upload: everything is there already.
    as_json = client.post(
        "/import?format=json",
        data={"csrf_token": csrf, "practice_id": "1", "platform": "google", "format": ""},
        files={"file": ("history.csv", HISTORY, "text/plain")},
    ).json()
    assert (as_json["answered"], as_json["open"], as_json["duplicates"]) == (0, 0, 2)
    assert as_json["open_with_reply"] == []


def test_the_post_page_of_an_answered_import_shows_its_reply(site):
    app, services, _, practices, *_ = site
    client = sign_in(app, "manager")
    _upload(client, csrf_of(client.get("/p/1/import").text))
    post = _by_id(services, practices["maple"])["h1"]
    response = client.get(f"/posts/{post['id']}")
    assert response.status_code == 200, response.text
    assert "Thank you for the kind words!" in response.text
    assert "given on the platform before SafeReply and imported with the review" in response.text
    assert "posted by the connector" not in response.text


def test_the_api_reports_answered_and_open(api):
    app, _, (pid, _), _ = api
    manager = api_login(app, "manager")
    response = manager.post(
        f"/api/v1/practices/{pid}/imports",
        files={"file": ("history.csv", HISTORY, "text/csv")},
        data={"platform": "google"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["answered"], report["open"]) == (2, 1, 1)
    assert report["open_with_reply"] == []
    assert [r["line"] for r in report["rejected"]] == [4]


LATER = HISTORY.replace(
    "h2,1,We waited an hour at the desk.,2025-03-05,,",
    "h2,1,We waited an hour at the desk.,2025-03-05,We are sorry; please call us.,2025-03-06",
)


def test_the_page_closes_the_posts_the_file_shows_answered_when_asked(site):
    app, services, _, practices, *_ = site
    client = sign_in(app, "manager")
    page = client.get("/p/1/import").text
    assert 'name="close_answered"' in page and 'name="location"' in page
    csrf = csrf_of(page)
    _upload(client, csrf)
    files = {"file": ("history.csv", LATER, "text/plain")}
    data = {"csrf_token": csrf, "practice_id": "1", "platform": "google", "format": ""}
    listed = client.post("/import", data=data, files=files)
    assert "Close the posts this file shows answered" in listed.text  # the hint names the box
    assert _by_id(services, practices["maple"])["h2"]["state"] == "new"
    files = {"file": ("history.csv", LATER, "text/plain")}
    closed = client.post("/import", data={**data, "close_answered": "1"}, files=files)
    assert closed.status_code == 200, closed.text
    assert "1 post still open in the inbox was closed as answered" in closed.text
    assert _by_id(services, practices["maple"])["h2"]["state"] == "marked_replied"


def test_the_page_refuses_a_location_the_practice_does_not_have(site):
    app, *_ = site
    client = sign_in(app, "manager")
    response = _upload(client, csrf_of(client.get("/p/1/import").text), location="Nowhere")
    assert response.status_code == 422
    assert "Choose one of the practice" in response.text


def test_the_api_closes_answered_posts_and_takes_a_location(api):
    app, _, (pid, _), _ = api
    manager = api_login(app, "manager")
    url = f"/api/v1/practices/{pid}/imports"
    manager.post(url, files={"file": ("h.csv", HISTORY, "text/csv")}, data={"platform": "google"})
    response = manager.post(
        url,
        files={"file": ("h.csv", LATER, "text/csv")},
        data={"platform": "google", "close_answered": "true"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["closed_answered"], response.json()["open_with_reply"]) == ([3], [])
