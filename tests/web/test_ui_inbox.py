"""The inbox (issue 11): a star row and platform mark per post, urgent posts unmistakable without
colour, and the list-and-detail view (the selected post beside the list on wide screens)."""

from __future__ import annotations

import re

from factories import sign_in

from safereply.services import SYSTEM, NewPost


def _items(html: str) -> list[str]:
    return re.findall(
        r'<li class="post-item[^"]*">(.*?)</li>\s*(?=<li class="post-item|</ol>)', html, re.S
    )


def _detail(html: str) -> str:
    found = re.search(r'<section class="post-detail" id="post-detail".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_each_post_has_a_star_row_and_a_platform_mark(site):
    app, services, _, practices, _, _ = site
    services.inbox.receive(
        SYSTEM,
        practices["maple"],
        NewPost(platform="google", external_id="two", text="Long wait, rude desk.", rating=2.0),
    )
    html = sign_in(app, "staff").get(f"/p/{practices['maple']}/inbox").text
    items = _items(html)
    two = next(i for i in items if "Long wait" in i)
    assert '<span class="star-row" aria-hidden="true">★★<span class="star-empty">☆☆☆</span>' in two
    assert '<span class="sr-only">2 of 5 stars</span>' in two
    assert '<span class="pmark pm-google" aria-hidden="true">G</span>' in two
    assert ">Google</span>" in two  # the platform's name in words beside the mark
    praise = next(i for i in items if "spotless" in i)
    assert "5 of 5 stars" in praise and "pm-yelp" in praise
    question = next(i for i in items if "Saturdays" in i)
    assert "of 5 stars" not in question  # no rating, no stars


def test_urgent_posts_say_so_in_words_and_a_symbol(site):
    app, services, _, practices, _, posts = site
    services.inbox.escalate(SYSTEM, posts["complaint"])
    html = sign_in(app, "staff").get(f"/p/{practices['maple']}/inbox").text
    items = _items(html)
    urgent = [i for i in items if 'class="urgent-flag"' in i]
    assert len(urgent) == 1 and "charged twice" in urgent[0]
    flag = re.search(r'<p class="urgent-flag">(.*?)</p>', urgent[0], re.S).group(1)
    assert "<strong>Urgent</strong>" in flag and 'class="urgent-icon"' in flag
    assert html.index("charged twice") < html.index("spotless")  # listed first
    assert all('class="urgent-flag"' not in i for i in items if "charged twice" not in i)


def test_the_selected_post_is_shown_beside_the_list(site):
    app, _, _, practices, _, posts = site
    client = sign_in(app, "staff")
    base = f"/p/{practices['maple']}/inbox"
    html = client.get(base).text
    first = _items(html)[0]
    detail = _detail(html)
    assert detail, "the first post is shown beside the list by default"
    first_id = re.search(r'href="/posts/(\d+)"', first).group(1)
    assert f'href="/posts/{first_id}"' in detail and "Open the post to reply" in detail
    # Choosing another post keeps the filters and shows its whole text and reply state.
    html = client.get(f"{base}?kind=praise&selected={posts['praise']}").text
    detail = _detail(html)
    assert "Friendly team and a spotless office. Thank you!" in detail
    assert "No reply yet." in detail and "5 of 5 stars" in detail
    link = re.search(rf'<a href="([^"]+)" data-select="{posts["praise"]}"', html).group(1)
    assert "kind=praise" in link and f"selected={posts['praise']}" in link
    assert 'aria-current="true">Shown beside the list' in html


def test_another_practices_post_is_never_shown_in_the_detail(site):
    app, _, _, practices, _, posts = site
    html = (
        sign_in(app, "staff")
        .get(f"/p/{practices['maple']}/inbox?selected={posts['elsewhere']}")
        .text
    )
    assert "Lovely staff." not in html
    for bad in ("abc", "-1", "99999999999999999999", "²"):
        response = sign_in(app, "staff").get(f"/p/{practices['maple']}/inbox?selected={bad}")
        assert response.status_code == 200, bad
