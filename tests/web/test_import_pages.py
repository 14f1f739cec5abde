"""The import page: managers upload a platform's export; the importer reads, checks, triages."""

from __future__ import annotations

import json
import re

import pytest
from factories import csrf_of, parse, sign_in

from safereply.services import SYSTEM
from safereply.services.importer import import_posts
from safereply.web.views import imports

#: The app over a fresh SQLite file, two practices, their users and a few posts (a fixture).

#: Six rows: two good (one spans two lines), four bad, each for a different reason.
MIXED_CSV = (
    "review_id,reviewer,stars,review_text,date\n"
    "g1,Avery,1,We waited over an hour and the front desk was rude.,2026-01-05\n"
    "g2,Blake,5,,2026-01-06\n"
    "g3,Casey,five stars,Wonderful with my toddler!,2026-01-07\n"
    'g4,Drew,4,"Billing sorted out my\ninsurance question quickly.",2026-01-08\n'
    "g5,Emery,3,Parking was hard to find.,someday\n"
    "g6,Finley,5,Great hygienist.\n"
)
MIXED_REJECTED = [3, 4, 7, 8]


def _posts(services, practice_id: int) -> dict[str, dict]:
    items = services.inbox.list_posts(SYSTEM, practice_id, limit=200)["items"]
    return {p["external_id"]: p for p in items}


def _upload(client, csrf: str, content: bytes | str, *, name: str = "reviews.csv", **fields):
    data = {"csrf_token": csrf, "practice_id": "1", "platform": "google", "format": ""}
    data.update(fields)
    return client.post("/import", data=data, files={"file": (name, content, "text/plain")})


def _manager(site):
    app = site[0]
    client = sign_in(app, "manager")
    return client, csrf_of(client.get("/p/1/import").text)


# -- the form -------------------------------------------------------------------------------------


def test_import_page_renders_for_managers_and_admins_with_labelled_fields(site):
    app, *_ = site
    for name in ("manager", "admin"):
        client = sign_in(app, name)
        response = client.get("/p/1/import")
        assert response.status_code == 200, name
        assert "<h1>Import posts</h1>" in response.text
        assert 'enctype="multipart/form-data"' in response.text
        found = parse(response.text)
        assert "/import" in {form["action"] for form in found.forms}
        for form in found.forms:
            assert "csrf_token" in form["hidden"], form["action"]
        for tag, ident in found.fields:
            assert ident and ident in found.labels, (tag, ident)
        # The columns it understands come from the importer's own mapping.
        assert "<code>review_text</code>" in response.text
        assert "<code>reviewer.displayname</code>" in response.text
        assert 'href="/p/1/import" aria-current="page">Import</a>' in response.text


def test_import_link_is_for_managers_only_and_staff_get_403(site):
    app, services, *_ = site
    manager = sign_in(app, "manager")
    assert 'href="/p/1/import"' in manager.get("/p/1/inbox").text
    staff = sign_in(app, "staff")
    inbox = staff.get("/p/1/inbox").text
    assert 'href="/p/1/import"' not in inbox
    response = staff.get("/p/1/import")
    assert response.status_code == 403
    assert "manager" in response.text
    assert staff.get("/import", follow_redirects=False).status_code == 403
    before = _posts(services, 1)
    posted = _upload(staff, csrf_of(inbox), MIXED_CSV)
    assert posted.status_code == 403
    assert _posts(services, 1) == before


def test_import_start_goes_to_the_first_managed_practice(site):
    app, *_ = site
    response = sign_in(app, "manager").get("/import", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/p/1/import"


def test_only_practices_the_user_manages_are_offered(site):
    app, services, _, practices, users, _ = site
    harbor = practices["harbor"]
    services.users.set_role(
        SYSTEM, practice_id=harbor, user_id=users["manager"]["id"], role="staff"
    )
    client = sign_in(app, "manager")
    page = client.get("/p/1/import").text
    assert 'id="practice_id"' not in page  # one managed practice: nothing to choose
    assert client.get(f"/p/{harbor}/import").status_code == 403
    response = _upload(client, csrf_of(page), MIXED_CSV, practice_id=str(harbor))
    assert response.status_code == 403
    services.users.set_role(
        SYSTEM, practice_id=harbor, user_id=users["manager"]["id"], role="manager"
    )
    page = client.get("/p/1/import").text
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == ["1", str(harbor)]
    response = _upload(client, csrf_of(page), MIXED_CSV, practice_id=str(harbor))
    assert response.status_code == 200
    assert f'href="/p/{harbor}/inbox"' in response.text
    assert {"g1", "g4"} <= set(_posts(services, harbor))
    assert "g1" not in _posts(services, 1)


def test_another_practice_is_not_found(site):
    _, services, _, practices, *_ = site
    client, csrf = _manager(site)
    assert client.get(f"/p/{practices['harbor']}/import").status_code == 404
    response = _upload(client, csrf, MIXED_CSV, practice_id=str(practices["harbor"]))
    assert response.status_code == 404
    assert "g1" not in _posts(services, practices["harbor"])


def test_import_without_csrf_is_rejected_and_imports_nothing(site):
    services = site[1]
    client, _ = _manager(site)
    response = client.post(
        "/import",
        data={"practice_id": "1", "platform": "google"},
        files={"file": ("reviews.csv", MIXED_CSV, "text/csv")},
    )
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "g1" not in _posts(services, 1)


# -- the result -----------------------------------------------------------------------------------


def test_mixed_file_lands_the_good_rows_and_lists_each_bad_line(site):
    _, services, _, practices, *_ = site
    client, csrf = _manager(site)
    response = _upload(client, csrf, MIXED_CSV)
    assert response.status_code == 200, response.text
    html = response.text
    assert "<h1>Import finished</h1>" in html
    assert "reviews.csv (Google): 6 rows read." in html
    assert re.search(r'tile-n">2</span> <span class="tile-l">imported', html)
    assert re.search(r'tile-n">0</span> <span class="tile-l">already in the inbox', html)
    assert re.search(r'tile-n">4</span> <span class="tile-l">rejected', html)
    lines = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]
    assert lines == MIXED_REJECTED
    for reason in (
        "no review or comment text",
        "rating &#39;five stars&#39; is not a number",
        "date &#39;someday&#39; is not a date",
        "4 columns where the header has 5",
    ):
        assert reason in html, reason
    assert 'href="/p/1/inbox"' in html and 'href="/p/1/import"' in html
    landed = _posts(services, 1)
    assert {"g1", "g4"} <= set(landed)
    assert not {"g2", "g3", "g5", "g6"} & set(landed)
    assert landed["g4"]["text"] == "Billing sorted out my\ninsurance question quickly."
    assert (landed["g1"]["platform"], landed["g1"]["author"]) == ("google", "Avery")
    # Triaged exactly as the importer triages: the same file through the service elsewhere.
    import_posts(services.inbox, SYSTEM, practices["harbor"], MIXED_CSV, platform="google")
    elsewhere = _posts(services, practices["harbor"])
    for key in ("g1", "g4"):
        ours, theirs = landed[key], elsewhere[key]
        assert (ours["kind"], ours["priority"], ours["topics"], ours["state"]) == (
            theirs["kind"],
            theirs["priority"],
            theirs["topics"],
            theirs["state"],
        )
    # The JSON twin is the importer's report.
    again = client.post(
        "/import?format=json",
        data={"csrf_token": csrf, "practice_id": "1", "platform": "google"},
        files={"file": ("reviews.csv", MIXED_CSV, "text/csv")},
    ).json()
    assert (again["created"], again["duplicates"], again["total"]) == (0, 2, 6)
    assert [r["line"] for r in again["rejected"]] == MIXED_REJECTED


def test_reimport_reports_duplicates_and_adds_nothing(site):
    services = site[1]
    client, csrf = _manager(site)
    _upload(client, csrf, MIXED_CSV)
    count = len(_posts(services, 1))
    response = _upload(client, csrf, MIXED_CSV)
    assert re.search(r'tile-n">0</span> <span class="tile-l">imported', response.text)
    assert re.search(r'tile-n">2</span> <span class="tile-l">already in the inbox', response.text)
    assert len(_posts(services, 1)) == count


def test_json_and_jsonl_exports_use_the_importers_column_names(site):
    services = site[1]
    client, csrf = _manager(site)
    export = {
        "reviews": [
            {
                "reviewId": "j1",
                "reviewer": {"displayName": "Jo"},
                "starRating": "FOUR",
                "comment": "Kind hygienist and a quick visit.",
            },
            {"reviewId": "j2", "starRating": "TWO"},
        ]
    }
    response = _upload(client, csrf, json.dumps(export, indent=1), name="export.json")
    assert response.status_code == 200
    assert re.search(r'tile-n">1</span> <span class="tile-l">imported', response.text)
    assert re.findall(r'<td class="num">(\d+)</td>', response.text) == [
        "11"
    ]  # where the second object opens
    post = _posts(services, 1)["j1"]
    assert (post["author"], post["rating"]) == ("Jo", 4.0)
    lines = '{"id": "l1", "text": "Lovely staff.", "platform": "yelp"}\n{"id": "l2", "text": \n'
    response = _upload(client, csrf, lines, name="export.txt", format="jsonl")
    assert response.status_code == 200
    assert _posts(services, 1)["l1"]["platform"] == "yelp"  # the row's own platform wins
    assert re.findall(r'<td class="num">(\d+)</td>', response.text) == ["2"]


# -- files that cannot be imported ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("reviews.csv", b"id,review\n1,caf\xe9 was cold\n", "the file is not UTF-8 text"),
        ("reviews.json", '[{"id": "b1", "text": "Fine."}, {"id": "b2", "text": ', "invalid JSON"),
        ("reviews.json", '"just a string"', "must hold a list of posts"),
        ("reviews.csv", b"", "The file is empty."),
        ("reviews.csv", "review_id,review_text\n", "The file holds no posts"),
        ("reviews.csv", "id,text,id\n1,hello,2\n", "names a column twice"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing_and_says_why(site, name, content, message):
    services = site[1]
    client, csrf = _manager(site)
    before = _posts(services, 1)
    response = _upload(client, csrf, content, name=name)
    assert response.status_code == 422
    assert message in response.text
    assert 'id="file-error"' in response.text and 'aria-invalid="true"' in response.text
    assert "<h1>Import posts</h1>" in response.text  # the form again, choices kept
    assert '<option value="google" selected>' in response.text
    assert _posts(services, 1) == before


def test_the_form_says_what_is_missing(site):
    client, csrf = _manager(site)
    response = client.post(
        "/import", data={"csrf_token": csrf, "practice_id": "1", "platform": "", "format": "xls"}
    )
    assert response.status_code == 422
    no_practice = client.post("/import", data={"csrf_token": csrf, "platform": "google"})
    assert no_practice.status_code == 422
    assert "Choose the practice to import into." in no_practice.text
    for message in (
        "Choose the platform the export comes from.",
        "Choose the file&#39;s format.",
        "Choose the export file to import.",
    ):
        assert message in response.text, message


def test_an_oversize_file_is_refused_with_the_limit(site, monkeypatch):
    services = site[1]
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 2000)
    client, csrf = _manager(site)
    before = _posts(services, 1)
    row = "x1,A fine visit with a friendly team.\n"
    big = "review_id,review_text\n" + row * 60  # over 2,000 bytes: read, then refused
    response = _upload(client, csrf, big)
    assert response.status_code == 413
    assert "The file is over" in response.text and "safereply import" in response.text
    assert 'id="file-error"' in response.text
    huge = "review_id,review_text\n" + row * 3000  # declared size over the limit: never read
    response = _upload(client, csrf, huge)
    assert response.status_code == 413
    assert "The file is over" in response.text
    assert _posts(services, 1) == before


def test_the_pages_limit_is_5_mb_under_the_apis(site):
    from safereply.web.api.practices import MAX_IMPORT_BYTES

    assert imports.MAX_IMPORT_BYTES == 5 * 1024 * 1024 < MAX_IMPORT_BYTES
    client, csrf = _manager(site)
    assert "up to 5 MB" in client.get("/p/1/import").text
    one_too_many = b"review_id,review_text\n" + b"x" * (imports.MAX_IMPORT_BYTES - 21)
    response = _upload(client, csrf, one_too_many)
    assert response.status_code == 413
    assert "The file is over 5 MB, the most this page takes." in response.text
    fits = _upload(client, csrf, one_too_many[:-1])
    assert fits.status_code == 200  # read in full (its one row is a column short)
