"""Hostile import rows (issue 12, defect 6): each bad row is rejected with its line, never a crash,
and the good rows land."""

from __future__ import annotations

import json

import pytest

from safereply.services.importer import import_posts, parse_posts

GOOD = json.dumps({"id": "g", "text": "Friendly staff, short wait.", "rating": 5})

BAD_ROWS = {
    "nested 1,000 deep": "[" * 1000 + "]" * 1000,
    "id nested deep": '{"id": ' + "[" * 900 + "]" * 900 + ', "text": "Hi"}',
    "date 1e20": '{"id": "t1", "text": "Hi", "date": 1e20}',
    "date -1e20": '{"id": "t2", "text": "Hi", "date": -1e20}',
    "date NaN": '{"id": "t3", "text": "Hi", "date": NaN}',
    "date Infinity": '{"id": "t4", "text": "Hi", "date": Infinity}',
    "date huge string": '{"id": "t5", "text": "Hi", "date": "99999999999999999999"}',
    "rating NaN": '{"id": "r1", "text": "Hi", "rating": NaN}',
    "rating 1e400": '{"id": "r2", "text": "Hi", "rating": 1e400}',
    "rating 1e300": '{"id": "r3", "text": "Hi", "rating": 1e300}',
    "huge integer": '{"id": ' + "9" * 5000 + ', "text": "Hi"}',
    "author a list": '{"id": "a1", "text": "Hi", "author": [1, 2]}',
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_a_hostile_jsonl_row_is_rejected_by_line_and_the_others_land(world, name):
    data = "\n".join([GOOD, BAD_ROWS[name], GOOD.replace('"g"', '"h"')]).encode()
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.jsonl", platform="yelp"
    )
    assert report.created == 2, report.to_dict()
    assert [r.line for r in report.rejected] == [2]


@pytest.mark.parametrize(
    "row",
    [
        # Nested objects are flattened (``x.a.a...``), however deep: the row lands.
        '{"id": "d", "text": "Hi", "x": ' + '{"a": ' * 900 + "1" + "}" * 900 + "}",
        # An object where the id would be is a column ``id.a``: the row gets a stable id.
        '{"id": {"a": 1}, "text": "Hi"}',
    ],
)
def test_rows_with_deep_or_odd_objects_still_land(world, row):
    data = "\n".join([GOOD, row]).encode()
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.jsonl", platform="yelp"
    )
    assert (report.created, report.rejected) == (2, [])


def test_a_hostile_item_in_a_json_list_is_rejected_and_the_list_goes_on(world):
    items = [
        GOOD,
        "[" * 1000 + "]" * 1000,
        '{"id": "t", "text": "Hi", "date": 1e20}',
        GOOD.replace('"g"', '"h"'),
    ]
    data = ("[\n" + ",\n".join(items) + "\n]").encode()
    report = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="x.json", platform="yelp"
    )
    assert report.created == 2, report.to_dict()
    assert [r.line for r in report.rejected] == [3, 4]


def test_a_wrapped_list_with_a_deep_item_is_read_too(world):
    items = [GOOD, "[" * 1200 + "]" * 1200, GOOD.replace('"g"', '"h"')]
    data = ('{"reviews": [\n' + ",\n".join(items) + "\n]}").encode()
    rows = list(parse_posts(data, name="x.json", platform="yelp"))
    assert [type(r).__name__ for r in rows] == ["NewPost", "RejectedRow", "NewPost"]


def test_settings_file_nested_too_deeply_is_a_config_error(tmp_path):
    from safereply.errors import ConfigError
    from safereply.settings import load_settings

    path = tmp_path / "settings.toml"
    path.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="settings file"):
        load_settings(path)
