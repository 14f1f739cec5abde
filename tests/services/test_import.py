"""Import of CSV, JSON and JSONL exports: idempotent, every bad row reported by line."""

from __future__ import annotations

import json

import pytest
from factories import add_practice

from safereply.errors import InputError
from safereply.services.importer import import_posts, parse_posts

CSV = """Review ID,Reviewer Name,Star Rating,Review Text,Date,Location
r1,Dana P.,5,"Friendly front desk, quick cleaning.",2026-10-01,Downtown
r2,Sam Q.,1,"Waited two hours.
Nobody apologised.",10/02/2026,Eastside
r3,Lee R.,nine,Fine visit,2026-10-03,Downtown
r4,Kim S.,4,,2026-10-04,Downtown
r5,Ash T.,3,Okay overall,someday,Downtown
r6,Bo U.,2,Too loud in the waiting room,2026-10-06,Uptown
r7,Cy V.,5,Great!,2026-10-07
"""


def _import(world, data, **kw):
    return import_posts(world.services.inbox, world.manager, world.practice, data, **kw)


def test_csv_good_rows_land_and_bad_rows_are_reported_by_line(world):
    report = _import(world, CSV.encode(), name="reviews.csv", platform="google")
    assert report.created == 2
    assert [(r.line, r.reason.split(" ")[0]) for r in report.rejected] == [
        (5, "rating"),
        (6, "no"),
        (7, "date"),
        (8, "unknown"),
        (9, "5"),
    ]
    assert report.total == 7
    posts = world.services.inbox.list_posts(world.staff, world.practice)["items"]
    by_id = {p["external_id"]: p for p in posts}
    assert by_id["r2"]["text"] == "Waited two hours.\nNobody apologised."
    assert by_id["r2"]["location"]["name"] == "Eastside" and by_id["r2"]["rating"] == 1.0
    assert by_id["r1"]["author"] == "Dana P." and by_id["r1"]["platform"] == "google"


def test_reimport_is_idempotent(world):
    first = _import(world, CSV, name="reviews.csv", platform="google")
    again = _import(world, CSV, name="reviews.csv", platform="google")
    assert (first.created, again.created, again.duplicates) == (2, 0, 2)


def test_google_style_json_with_nested_fields_and_star_words(world):
    data = json.dumps(
        {
            "reviews": [
                {
                    "reviewId": "g1",
                    "reviewer": {"displayName": "Pat"},
                    "starRating": "FOUR",
                    "comment": "Nice staff",
                    "createTime": "2026-10-01T10:00:00Z",
                },
                {"reviewId": "g2", "reviewer": {"displayName": "Jo"}, "starRating": "ONE"},
            ]
        },
        indent=2,
    )
    report = _import(world, data, name="google.json", platform="google")
    assert report.created == 1 and report.rejected[0].line == 12
    [post] = world.services.inbox.list_posts(world.staff, world.practice)["items"]
    assert (post["author"], post["rating"], post["posted_at"]) == (
        "Pat",
        4.0,
        "2026-10-01T10:00:00+00:00",
    )


def test_jsonl_bad_json_lines_do_not_stop_the_rest(world):
    data = "\n".join(
        [
            '{"id": "f1", "message": "Love this place", "from": {"name": "Ana"}}',
            "{not json",
            "[1, 2]",
            '{"id": "f2", "message": "Chest pain after the filling, help", "platform": "x"}',
        ]
    )
    report = _import(world, data, name="fb.jsonl", platform="facebook")
    assert (report.created, report.escalated) == (2, 1)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (2, "invalid JSON: Expecting property name enclosed in double quotes"),
        (3, "expected an object with the post's fields"),
    ]


def test_rows_without_ids_get_stable_derived_ids(world):
    data = "text,rating\nGreat hygienist,5\nGreat hygienist,5\n"
    report = _import(world, data, name="healthgrades.csv", platform="healthgrades")
    assert (report.created, report.duplicates) == (1, 1)
    again = _import(world, data, name="healthgrades.csv", platform="healthgrades")
    assert again.created == 0


def test_explicit_mapping_wins(world):
    data = "Ref,Words\nq1,Are you open Saturdays?\n"
    report = _import(
        world, data, name="x.csv", platform="web", mapping={"external_id": "Ref", "text": "Words"}
    )
    assert report.created == 1
    with pytest.raises(InputError, match="unknown field"):
        list(parse_posts(data, mapping={"colour": "Words"}))


def test_unreadable_files_are_refused_as_a_whole(world):
    with pytest.raises(InputError, match="not UTF-8"):
        _import(world, "text\nCaf\xe9\n".encode("latin-1"), name="x.csv", platform="web")
    with pytest.raises(InputError, match="list of posts"):
        _import(world, '"just a string"', name="x.json", platform="web")
    assert world.services.inbox.list_posts(world.staff, world.practice)["items"] == []


def test_outsider_cannot_import(world):
    from safereply.errors import NotFoundError

    with pytest.raises(NotFoundError):
        import_posts(world.services.inbox, world.outsider, world.practice, CSV, name="r.csv")


def test_parallel_triage_gives_the_same_inbox_as_serial(store, clock, monkeypatch):
    from sqlalchemy import select

    from safereply.core.practice import Practice
    from safereply.services import SYSTEM, build_services, importer
    from safereply.store.models import Post

    services = build_services(store, clock=clock)  # the real triage: it can run in workers
    pid = add_practice(services, Practice(name="Twin Oaks Dental", phone="(555) 300-1000"))
    texts = [
        "Waited two hours, rude desk",
        "Lovely hygienist!",
        "Do you open Saturdays?",
        "Severe chest pain since the extraction",
        "",
    ]
    chunks = []  # the parallel path must really be taken (it once never was: a name check)
    stored: list = []  # and its workers must really triage (not leave it to the inbox)
    real = importer._triage_in_parallel

    def watched(posts, pool):
        chunks.append(len(posts))
        for chunk in real(posts, pool):
            stored.extend(chunk)
            yield chunk

    monkeypatch.setattr(importer, "_triage_in_parallel", watched)

    def run(prefix: str, workers: int):
        rows = [{"id": f"{prefix}{n}", "text": texts[n % 5]} for n in range(600)]
        data = "\n".join(json.dumps(r) for r in rows)
        return import_posts(
            services.inbox, SYSTEM, pid, data, fmt="jsonl", platform="google", workers=workers
        )

    try:
        serial, parallel = run("s", 1), run("p", 2)
    finally:
        services.close()
    assert chunks == [480]  # 480 valid rows, past the 400 that makes workers worth starting
    assert len(stored) == 480 and all(p.triaged is not None for p in stored)
    assert (serial.created, serial.escalated, len(serial.rejected)) == (480, 120, 120)
    assert (parallel.created, parallel.escalated, len(parallel.rejected)) == (480, 120, 120)
    with store.read() as session:
        kinds = dict(session.execute(select(Post.external_id, Post.kind)).all())
    assert all(kinds[f"p{n}"] == kinds[f"s{n}"] for n in range(600) if n % 5 != 4)


def test_the_triage_pool_outlives_an_import_and_serves_the_next(store, clock, monkeypatch):
    from safereply.core.practice import Practice
    from safereply.services import SYSTEM, build_services, importer
    from safereply.settings import Settings

    settings = Settings(environment="test", triage_processes=2)
    services = build_services(store, settings, clock=clock)
    pid = add_practice(services, Practice(name="Twin Oaks Dental", phone="(555) 300-1000"))
    pool = services.inbox.triage_pool
    taken: list[int] = []  # posts sent to the pool per import
    real = importer._triage_in_parallel

    def watched(posts, used):
        assert used is pool
        taken.append(len(posts))
        yield from real(posts, used)

    monkeypatch.setattr(importer, "_triage_in_parallel", watched)

    def run(prefix: str, count: int):
        rows = [
            {"id": f"{prefix}{n}", "text": f"Lovely hygienist, visit {n}"} for n in range(count)
        ]
        data = "\n".join(json.dumps(r) for r in rows)
        return import_posts(services.inbox, SYSTEM, pid, data, fmt="jsonl", platform="google")

    try:
        assert not pool.started
        assert run("small", 120).created == 120  # too few to start the processes for
        assert taken == [] and not pool.started
        assert run("a", 400).created == 400  # starts them, and they stay
        assert pool.started and pool.starts == 1
        assert run("b", 120).created == 120  # running: a smaller import uses them too
        assert run("c", 99).created == 99  # under two tasks of 50: triaged here
        assert taken == [400, 120] and pool.starts == 1
    finally:
        services.close()
    assert not pool.started
    assert run("d", 400).created == 400  # closed: the next large import starts them again
    services.close()
    assert pool.starts == 2 and taken == [400, 120, 400]


def test_asking_for_another_number_of_processes_starts_them_for_that_import(
    store, clock, monkeypatch
):
    from safereply.core.practice import Practice
    from safereply.services import SYSTEM, build_services, importer
    from safereply.settings import Settings

    pools = []
    real = importer._triage_in_parallel

    def watched(posts, used):
        pools.append(used)
        yield from real(posts, used)

    monkeypatch.setattr(importer, "_triage_in_parallel", watched)

    services = build_services(store, Settings(environment="test", triage_processes=3), clock=clock)
    pid = add_practice(services, Practice(name="Twin Oaks Dental", phone="(555) 300-1000"))
    rows = [{"id": f"x{n}", "text": f"Waited an hour, visit {n}"} for n in range(400)]
    data = "\n".join(json.dumps(r) for r in rows)
    report = import_posts(
        services.inbox, SYSTEM, pid, data, fmt="jsonl", platform="google", workers=2
    )
    assert report.created == 400
    assert not services.inbox.triage_pool.started  # the shared pool (3) was not used or started
    assert [p.processes for p in pools] == [2] and pools[0] is not services.inbox.triage_pool
    assert pools[0].starts == 1 and not pools[0].started  # its own, closed when it was done
