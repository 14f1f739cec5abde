"""The front desk in a real browser (issue 11): axe-core finds no violation on any page at 1280
and 375 px, the tables fit 320 px, the inbox shows the selected post beside the list, the
cooling-off countdown is announced at sensible intervals, the fix buttons name their finding,
errors and warnings differ by more than colour, and bulk replies to 5-star reviews.

axe-core comes from the ``axe-playwright-python`` package (its bundled ``axe.min.js``), injected
with ``page.evaluate`` so the pages' Content-Security-Policy (no inline scripts) stays as it is.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import DOC_IMAGES, UPDATE_DOC_IMAGES

from safereply.services import Actor

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def _expect():
    from playwright.sync_api import expect

    return expect


def _axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[test]')")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page as it is."""
    page.evaluate(_axe_source())
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))"
        ".join(' | ')))"
    )
    return list(result)


def _settle(page) -> None:
    """Wait until the reply editor (if any) has answered its first check."""
    status = page.locator("#lint-status")
    if status.count():
        _expect()(status).not_to_contain_text("Checking")


def _pages(server) -> list[str]:
    pid = server.practice_id
    return [
        f"/p/{pid}/inbox",
        f"/p/{pid}/inbox?urgent=1",
        f"/posts/{server.urgent_post_id}",
        f"/posts/{server.post_ids[1]}",
        f"/posts/{server.post_ids[3]}",
        f"/p/{pid}/approvals",
        f"/p/{pid}/dashboard",
        f"/p/{pid}/insights",
        f"/p/{pid}/reports/monthly",
        f"/p/{pid}/improvements",
        f"/p/{pid}/users",
        f"/p/{pid}/settings",
        f"/p/{pid}/audit",
        f"/p/{pid}/import",
        f"/p/{pid}/scan",
        f"/p/{pid}/bulk",
        f"/p/{pid}/connections",
        f"/p/{pid}/security",
        "/account",
        "/practices",
        "/agency",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page(browser, live_server, sign_in, width):
    page = sign_in(browser, live_server, "admin", viewport={"width": width, "height": 900})
    found = {}
    for path in _pages(live_server):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        _settle(page)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    # The bulk review step and the sign-in page too.
    page.goto(f"{live_server.url}/p/{live_server.practice_id}/bulk")
    if page.get_by_role("button", name="Draft replies for the chosen reviews").count():
        page.get_by_role("button", name="Draft replies for the chosen reviews").click()
        found.update({"bulk review": v} if (v := axe_violations(page)) else {})
    page.context.close()
    fresh = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    fresh.goto(live_server.url + "/login")
    found.update({"/login": v} if (v := axe_violations(fresh)) else {})
    fresh.context.close()
    assert not found, found


def _doc_shot(page, name: str) -> None:
    """With SAFEREPLY_UPDATE_DOC_IMAGES=1, save the visible page as docs/img/<name>.png."""
    if UPDATE_DOC_IMAGES:
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_IMAGES / f"{name}.png"))


@pytest.mark.parametrize("width", [320, 375])
def test_users_improvements_and_audit_tables_fit_a_phone(
    browser, live_server, sign_in, shot, width
):
    page = sign_in(browser, live_server, "admin", viewport={"width": width, "height": 800})
    pid = live_server.practice_id
    for path in (f"/p/{pid}/users", f"/p/{pid}/improvements", f"/p/{pid}/audit"):
        page.goto(live_server.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} is {scroll}px wide at {width}px"
        # Each cell still says which column it is in.
        first = page.locator("table.stack-narrow tbody tr").first.locator("td").first
        label = first.evaluate("td => getComputedStyle(td, '::before').content")
        assert label not in ("none", "normal", '""'), path
        shot(page, f"table{path.replace('/', '-')}-{width}")
    page.context.close()


def test_inbox_shows_the_selected_post_beside_the_list_on_wide_screens(
    browser, live_server, sign_in, shot
):
    expect = _expect()
    page = sign_in(browser, live_server, "manager", viewport={"width": 1280, "height": 800})
    detail = page.locator("#post-detail")
    expect(detail).to_be_visible()
    first = page.locator(".post-item").first
    expect(first.locator(".urgent-flag")).to_contain_text("Urgent")
    expect(first.locator(".stars .sr-only")).to_have_text("1 of 5 stars")
    expect(detail).to_contain_text("charged twice")
    _doc_shot(page, "inbox")
    # Choosing another post swaps the detail in place; the list stays where it was.
    luis = page.locator(".post-item", has_text="Luis R.")
    luis.get_by_role("link", name=re.compile("^Show beside the list")).click()
    expect(detail).to_contain_text("the office is spotless")
    expect(page.locator("#post-detail")).to_be_focused()
    assert f"selected={live_server.post_ids[1]}" in page.url
    expect(luis.locator(".show-here a")).to_have_attribute("aria-current", "true")
    assert not axe_violations(page)
    page.context.close()
    # A phone keeps the list: no detail, no "show beside" links; a post opens on its own page.
    phone = sign_in(browser, live_server, "manager", viewport={"width": 375, "height": 800})
    expect(phone.locator("#post-detail")).to_be_hidden()
    expect(phone.locator(".show-here").first).to_be_hidden()
    shot(phone, "inbox-list-375")
    phone.get_by_role("link", name="Luis R.").click()
    phone.wait_for_url(f"**/posts/{live_server.post_ids[1]}")
    phone.context.close()


MIXED = "Hi Maria, sorry you feel that way. Please call our office at (555) 201-3300."


def test_findings_name_their_buttons_and_errors_differ_from_warnings_beyond_colour(
    browser, live_server, sign_in
):
    expect = _expect()
    page = sign_in(browser, live_server, "staff", viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/posts/{live_server.post_ids[2]}")
    editor = page.get_by_label(re.compile("^Your reply"))
    editor.fill(MIXED)
    expect(page.locator("#lint-status")).to_contain_text("Blocked")
    findings = page.get_by_role("list", name="Findings in your reply")
    expect(findings.get_by_role("listitem")).to_have_count(2)
    # Every button says which finding it acts on (its visible words first: label in name).
    expect(findings.get_by_role("button", name=re.compile("^Show in reply .*Maria"))).to_have_count(
        1
    )
    expect(
        findings.get_by_role("button", name=re.compile("^Show in reply .*Sorry you feel", re.I))
    ).to_have_count(1)
    fix = findings.get_by_role("button", name=re.compile(r"^Replace .*there.*Maria"))
    expect(fix).to_have_count(1)
    # Errors: wavy underline and "Must fix"; warnings: dotted underline, dashed edge and "Check".
    error = page.locator("#reply-marks mark.sev-error")
    warning = page.locator("#reply-marks mark.sev-warning")
    expect(error).to_have_text("Maria")
    style = "m => getComputedStyle(m).textDecorationStyle"
    assert error.evaluate(style) == "wavy" and warning.evaluate(style) == "dotted"
    items = findings.get_by_role("listitem")
    expect(items.nth(0).locator(".badge")).to_have_text("Must fix")
    expect(items.nth(1).locator(".badge")).to_have_text("Check")
    edge = "li => getComputedStyle(li).borderLeftStyle"
    assert items.nth(0).evaluate(edge) == "solid" and items.nth(1).evaluate(edge) == "dashed"
    _doc_shot(page, "post")
    assert not axe_violations(page)
    fix.click()
    expect(editor).not_to_have_value(re.compile("Maria"))
    expect(findings.get_by_role("listitem")).to_have_count(1)
    page.context.close()


def test_cooling_off_countdown_is_announced_every_second_at_the_end(browser, live_server, sign_in):
    expect = _expect()
    services, users = live_server.services, live_server.users
    staff = Actor(users["staff"]["id"], users["staff"]["email"])
    manager = Actor(users["manager"]["id"], users["manager"]["email"])
    pid = live_server.post_ids[4]  # the parking complaint: its reply waits out the hold
    services.inbox.save_draft(
        staff, pid, "We are sorry to hear this. Please call our office at (555) 201-3300."
    )
    services.inbox.submit(staff, pid)
    services.inbox.approve(manager, pid)
    live_server.clock.advance(minutes=59, seconds=40)  # about 20 seconds of the hold left
    page = sign_in(browser, live_server, "manager", viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/posts/{pid}")
    live = page.locator("[data-countdown-live]")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_have_attribute("role", "status")
    assert page.locator("#cooling-off").get_attribute("role") is None  # not re-read every tick
    page.evaluate(
        "() => { window.heard = []; const el = document.querySelector('[data-countdown-live]');"
        " new MutationObserver(() => window.heard.push(el.textContent))"
        ".observe(el, {childList: true, characterData: true, subtree: true}); }"
    )
    assert not axe_violations(page)  # the page during the hold
    deadline = time.monotonic() + 35
    while time.monotonic() < deadline:
        if any("ended" in h for h in page.evaluate("window.heard")):
            break
        page.wait_for_timeout(500)
    heard = page.evaluate("window.heard")
    seconds = [int(m.group(1)) for h in heard if (m := re.search(r"(\d+) seconds? left", h))]
    assert seconds[-10:] == list(range(10, 0, -1)), heard
    assert heard[-1].startswith("The cooling-off hold has ended"), heard
    assert len(heard) <= 12, heard  # nothing announced more often than that
    page.reload()  # the approved reply, ready to post by hand
    expect(page.locator("#cooling-off")).to_have_count(0)
    assert not axe_violations(page)
    page.context.close()


def test_bulk_replies_to_five_star_reviews_on_a_phone(browser, live_server, sign_in, shot):
    from safereply.services import SYSTEM, NewPost

    expect = _expect()
    services = live_server.services
    extra = [
        services.inbox.receive(
            SYSTEM,
            live_server.practice_id,
            NewPost(platform="google", external_id=f"e2e-five-{i}", text=text, rating=5.0),
        ).post_id
        for i, text in enumerate(
            ["The hygienist was so gentle, I will be back.", "Always on time and very kind."]
        )
    ]
    page = sign_in(browser, live_server, "manager", viewport={"width": 375, "height": 800})
    page.get_by_role("link", name="Reply to many 5-star reviews at once").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to 5-star reviews")
    choices = page.locator("input[name=post]")
    expect(choices).to_have_count(3)  # Luis R.'s review and the two above
    page.get_by_role("button", name="Draft replies for the chosen reviews").click()
    replies = page.get_by_role("list", name="Replies to read").get_by_role("listitem")
    expect(replies).to_have_count(3)
    texts = [replies.nth(i).locator(".reply-text").inner_text() for i in range(3)]
    assert len(set(texts)) == 3, texts
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not axe_violations(page)
    shot(page, "bulk-review-375")
    # Leave one out, confirm the others: each is recorded as approved.
    page.get_by_label(re.compile(rf"^Keep this reply .*post #{extra[1]}")).uncheck()
    page.get_by_role("button", name="Confirm the ticked replies").click()
    expect(page.get_by_role("status").first).to_contain_text("2 replies recorded")
    assert not axe_violations(page)
    shot(page, "bulk-done-375")
    states = {
        i: services.inbox.get_post(SYSTEM, i)["state"] for i in (*extra, live_server.post_ids[1])
    }
    assert states == {extra[0]: "approved", extra[1]: "new", live_server.post_ids[1]: "approved"}
    page.context.close()
