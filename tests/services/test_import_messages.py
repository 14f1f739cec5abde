"""What an import says about a row it cannot use, seen by a new user (session 8's trial run)."""

from __future__ import annotations

from safereply.services.importer import RejectedRow, parse_posts


def test_a_file_whose_text_column_has_another_name_says_which_columns_it_has():
    # 'Ref,Stars,Words' was rejected row by row with "no review or comment text (looked for:
    # text, review, comment ...)", which reads as if the review were empty.
    data = 'Ref,Stars,Words\nz1,2,"The hygienist rushed through everything"\n'
    [row] = list(parse_posts(data, name="odd.csv", platform="yelp"))
    assert isinstance(row, RejectedRow) and row.line == 2
    assert row.reason.startswith("no review or comment text")
    assert "this row's columns: ref, stars, words" in row.reason
    assert "text=COLUMN" in row.reason


def test_an_empty_review_is_still_just_empty():
    data = "review_id,comment\nr1,\n"
    [row] = list(parse_posts(data, name="x.csv", platform="yelp"))
    assert isinstance(row, RejectedRow)
    assert row.reason == "no review or comment text (looked for: text, review, comment ...)"
