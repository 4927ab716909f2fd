"""The web app in a real browser: Playwright drives Debian's Chromium against uvicorn.

One browser and one server per module keep this fast. Screenshots go to pytest's temporary
folder (printed on failure). Skipped only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing (install Debian's chromium: make system-deps)",
)


@pytest.fixture(scope="module")
def server(web_store: Path, live_server_class: Any) -> Iterator[Any]:
    with live_server_class(web_store) as live:
        yield live


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1300, "height": 900},
        )
        yield context
        context.close()


#: Screenshots the README shows (docs/screenshots/).
README_SHOTS = frozenset({"article.png", "story.png"})


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``shots(page, name)`` saves a screenshot in pytest's temporary folder; with
    ``PRESSLENS_SCREENSHOTS=docs/screenshots`` the README's pictures are retaken there."""
    folder = tmp_path_factory.mktemp("screenshots")
    readme = os.environ.get("PRESSLENS_SCREENSHOTS")

    def save(page: Any, name: str, *, full_page: bool = False) -> Path:
        target = folder / name
        if readme and name in README_SHOTS:
            Path(readme).mkdir(parents=True, exist_ok=True)
            target = Path(readme) / name
        page.screenshot(path=str(target), full_page=full_page)
        assert target.stat().st_size > 0
        return target

    return save


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.problems = problems
    yield page
    page.close()


def _article_id(store: Path, outlet_like: str) -> str:
    db = sqlite3.connect(store)
    try:
        row = db.execute(
            "SELECT id FROM articles WHERE outlet LIKE ? ORDER BY id LIMIT 1", (outlet_like,)
        ).fetchone()
    finally:
        db.close()
    return str(row[0])


def test_overview_and_navigation(page: Any, server: Any, shots: Any) -> None:
    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == "Corpus overview"
    assert page.locator("svg.chart").count() >= 3
    shots(page, "overview.png", full_page=True)
    page.click("header.site >> text=Stories")
    assert page.url.endswith("/stories")
    story = page.locator("table.list a").first
    story.click()
    page.wait_for_load_state()
    assert page.locator("section.column").count() >= 2
    shots(page, "story.png")
    assert not page.problems, page.problems


def test_article_layer_toggles(page: Any, server: Any, web_store: Path, shots: Any) -> None:
    page.goto(f"{server.url}/articles/{_article_id(web_store, 'The Merrow Courier')}")
    marks = page.locator('#article-text mark[data-layer="entities"]')
    assert marks.count() > 0
    background = "el => getComputedStyle(el).backgroundColor"
    before = marks.first.evaluate(background)
    assert before != "rgba(0, 0, 0, 0)"
    box = page.locator('input[data-toggle-layer="entities"]')
    assert box.is_checked()
    shots(page, "article.png")
    box.uncheck()
    assert marks.first.evaluate(background) == "rgba(0, 0, 0, 0)"
    assert marks.evaluate_all("els => els.every(e => e.classList.contains('off'))")
    # other layers are untouched
    assert page.locator('#article-text mark[data-layer="attributions"].off').count() == 0
    box.check()
    assert marks.first.evaluate(background) == before
    # a layer that starts off can be switched on
    cues = page.locator('input[data-toggle-layer="cues"]')
    if cues.count():
        assert not cues.is_checked()
        cues.check()
        assert page.locator('#article-text mark[data-layer="cues"].off').count() == 0
    assert not page.problems, page.problems


def test_follow_a_quote_to_its_speaker(page: Any, server: Any, web_store: Path) -> None:
    page.goto(f"{server.url}/articles/{_article_id(web_store, 'The Merrow Courier')}")
    speaker = page.locator("#statements a.speaker").first
    name = speaker.inner_text()
    quote = page.locator("#statements a.quote").first
    target = quote.get_attribute("href")
    quote.click()
    assert page.url.endswith(target)
    assert page.locator(target).count() == 1
    speaker.click()
    page.wait_for_url("**/entities/**")
    # the speaker as the article wrote it ("CBPA") is the entity's name or a variant of it
    heading = page.locator("#entity-name").inner_text()
    assert name in heading or name in page.locator("p.variants").inner_text(), (name, heading)
    # a click on an entity mention in the text opens that entity's page too
    page.go_back()
    page.wait_for_url("**/articles/**")
    mention = page.locator('#article-text mark[data-layer="entities"][data-label="PERSON"]').first
    mentioned = page.evaluate(
        "i => JSON.parse(document.getElementById('article-text').dataset.entityLinks)[i]",
        mention.get_attribute("data-index"),
    )
    assert mentioned.startswith("/entity?name=")
    mention.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("#entity-name").count() == 1
    assert page.locator("#statements-by li").count() > 0
    assert page.locator("svg.chart").count() >= 1
    assert not page.problems, page.problems


def test_search_with_filters(page: Any, server: Any, shots: Any) -> None:
    page.goto(server.url + "/")
    page.fill("header.site input[name=q]", "ferry")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url("**/search?q=ferry")
    rows = page.locator("#results tbody tr")
    total = rows.count()
    assert total >= 2
    page.select_option("select[name=outlet]", "The Merrow Courier")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**outlet=The+Merrow+Courier**")
    assert 0 < rows.count() < total
    assert all("Merrow" in t for t in rows.locator("td:nth-child(2)").all_inner_texts())
    shots(page, "search.png")
    assert not page.problems, page.problems


def test_numbers_filtered_by_what_they_count_lead_to_the_text(
    page: Any, server: Any, shots: Any
) -> None:
    page.goto(server.url + "/")
    page.click("header.site >> text=Numbers")
    page.wait_for_url("**/numbers")
    rows = page.locator("#numbers-table tbody tr")
    total = rows.count()
    assert total >= 20
    page.fill("input[name=counted]", "dead")
    page.select_option("select[name=sourced]", "yes")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**counted=dead**")
    assert 0 < rows.count() < total
    # every row says on whose word, and marks the number inside its sentence
    for i in range(rows.count()):
        row = rows.nth(i)
        number = row.locator("td").first.inner_text()
        assert row.locator("td:nth-child(4)").inner_text().strip() not in ("", "—")
        assert row.locator("td:nth-child(5) mark").inner_text() == number
    shots(page, "numbers.png")
    link = rows.first.locator("td").first.locator("a")
    number = link.inner_text()
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url("**/articles/**")
    mark = page.locator(f"#{target}")
    assert mark.count() == 1 and mark.inner_text() == number
    assert not page.problems, page.problems


def test_hostile_article_renders_inert(page: Any, server: Any, web_store: Path, shots: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    aid = _article_id(web_store, "%<script>%")
    for path in (
        f"/articles/{aid}",
        "/",
        "/search?q=harbour",
        "/articles",
        "/numbers?per_page=100",
    ):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => typeof window.__pwned") == "undefined", path
        assert page.locator("[onerror], [onload], [onclick]").count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("main img, main svg:not(.chart)").count() == 0, path
        hrefs = page.locator("a[href]").evaluate_all(
            "els => els.map(e => e.getAttribute('href') || '')"
        )
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], path
    page.goto(f"{server.url}/articles/{aid}")
    assert "<script>" in page.locator("#article-title").inner_text()
    # javascript: URLs in the text are shown as text, never as links
    assert "javascript:window.__pwned='link'" in page.locator("#article-text").inner_text()
    shots(page, "hostile.png", full_page=True)
    assert dialogs == []


def test_language_note_is_shown_and_a_hostile_language_tag_stays_inert(
    page: Any, live_server_class: Any, language_store: tuple[Path, dict[str, str]], shots: Any
) -> None:
    store, ids = language_store
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with live_server_class(store) as live:
        page.goto(f"{live.url}/articles/{ids['fr']}")
        note = page.locator("#language")
        assert note.is_visible()
        assert note.inner_text() == "Language: French (fr) — not English: results unreliable"
        shots(page, "language.png")
        page.goto(f"{live.url}/articles/{ids['en']}")
        assert page.locator("#language").count() == 0
        page.goto(f"{live.url}/articles/{ids['evil']}")
        page.wait_for_load_state("load")
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("[onerror], main img, script:not([src])").count() == 0
        assert "<script>" in page.locator("#language").inner_text()
    assert dialogs == [] and not page.problems, page.problems


def test_static_report_wraps_long_runs_and_anchors_land_below_the_bar(
    page: Any, tmp_path: Path
) -> None:
    """Runs without a space (a 300-character outlet, a 1,500-character word, a pasted URL)
    widened the report page to 4,000–14,000 px, and in-page links hid their target under the
    sticky highlight bar."""
    from presslens.model import Article
    from presslens.views import render_report

    text = (
        "Anna Koval said on Tuesday that " + "x" * 1500 + " was the word. See https://ex.am/"
        + "a/b" * 300 + " for details.\n\n" + "The council met again on Friday. " * 60
    )  # fmt: skip
    art = Article(text=text, title="W" * 300, outlet="O" * 300, source="long.txt").ensure_id()
    start = text.index("Anna Koval")
    art.add("entities", art.span(start, start + len("Anna Koval"), "PERSON"))
    quote = text.index("The council met again on Friday.", 2000)
    art.add("attributions", art.span(quote, quote + 32, "direct"))
    path = tmp_path / "report.html"
    path.write_text(render_report([art]), encoding="utf-8")
    for width in (1300, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1300, "height": 800})
    page.goto(path.as_uri())
    page.locator("details.statements a").first.click()
    target = page.evaluate("location.hash")
    bar = page.evaluate("document.querySelector('nav.layers-bar').getBoundingClientRect().bottom")
    top = page.evaluate(f"document.getElementById({target[1:]!r}).getBoundingClientRect().top")
    assert top >= bar, (target, top, bar)
    assert not page.problems


def test_log_in_comes_back_to_the_page_and_log_out_ends_reading(
    browser: Any, web_store: Path, live_server_class: Any
) -> None:
    """A reader sent to a private server's page logs in and lands on that page; the cookie
    is HTTP-only and is not the token; "Log out" in the footer ends reading."""
    token = "browser-s3cret"
    with live_server_class(web_store, token=token, private=True) as live:
        page = browser.new_page()
        try:
            refused = page.goto(f"{live.url}/stories")
            assert refused is not None and refused.status == 401
            page.click("text=Log in with the server's token")
            page.fill('input[name="token"]', token)
            page.click('button[type="submit"]')
            page.wait_for_load_state()
            assert page.url == f"{live.url}/stories"
            assert page.locator("h1").inner_text() == "Stories"
            cookies = {c["name"]: c for c in browser.cookies(live.url)}
            cookie = cookies["presslens_token"]
            assert cookie["httpOnly"] and cookie["value"] != token
            assert page.evaluate("document.cookie") == ""  # scripts cannot read it
            page.click("footer.site >> text=Log out")
            page.wait_for_load_state()
            assert page.url == f"{live.url}/login"
            again = page.goto(f"{live.url}/stories")
            assert again is not None and again.status == 401
        finally:
            page.close()
