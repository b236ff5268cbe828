"""The built site in a real browser: headless Chromium driven by Playwright, from file://.

Playwright for Python is used rather than Selenium: its wheel carries its own driver, so the
system's Chromium (Debian's `chromium` package) is all it needs, where Selenium needs a
chromedriver of exactly the browser's version; and it reports console messages, page errors
and failed requests as events, which is what these tests check. No browser is downloaded:
`executable_path` points at /usr/bin/chromium (or $DZSHARE_CHROMIUM).

Without a browser these tests skip, saying why; with DZSHARE_REQUIRE_BROWSER=1 (set by .ci/run)
they fail instead, so that CI cannot pass without having run them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.cli.helpers import run

pytestmark = pytest.mark.browser

AS_OF = "2022-07-01"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def _unavailable(reason: str) -> None:
    if os.environ.get("DZSHARE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; DZSHARE_REQUIRE_BROWSER=1 asks for the browser tests to run "
                    "(install Debian's chromium package, or point DZSHARE_CHROMIUM at a Chromium)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    """$DZSHARE_CHROMIUM, else /usr/bin/chromium, else a `chromium` on the PATH."""
    named = os.environ.get("DZSHARE_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium: neither $DZSHARE_CHROMIUM nor /usr/bin/chromium nor chromium on the PATH")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable)
        except Error as error:
            _unavailable(f"Chromium at {executable} does not start: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser") / "site"
    result = run("site", "--as-of", AS_OF, "-o", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Watched:
    """A page with every console error, page error, failed request and non-file request noted."""

    def __init__(self, context) -> None:  # noqa: ANN001
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda message: self.problems.append(f"console: {message.text}")
                     if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        self.page.on("request", lambda request: self.problems.append(f"network: {request.url}")
                     if not request.url.startswith("file:") else None)


@pytest.fixture
def context(browser):
    opened = browser.new_context(viewport={"width": 1366, "height": 768})
    yield opened
    opened.close()


def test_every_page_loads_without_console_errors(site, context):
    watched = Watched(context)
    watched.page.goto((site / "index.html").as_uri())
    watched.page.evaluate("console.error('probe')")  # the listener does hear errors
    assert watched.problems == ["console: probe"]
    watched.problems.clear()
    pages = _pages(site)
    assert len(pages) == 1 + 1 + 1 + 38  # overview, table, timeline, 35 units and 3 groups
    for path in pages:
        watched.page.goto(path.as_uri())
        assert watched.page.evaluate("document.documentElement.lang") == "zh-CN", path
        assert watched.page.title(), path
    assert watched.problems == []


def test_every_link_resolves(site, context):
    page = context.new_page()
    checked = 0
    for path in _pages(site):
        page.goto(path.as_uri())
        for url in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            parsed = urlparse(url)
            assert parsed.scheme == "file", (path, url)
            target = Path(unquote(parsed.path))
            assert target.is_file(), (path, url)
            if parsed.fragment:
                assert f'id="{unquote(parsed.fragment)}"' in target.read_text(encoding="utf-8"), (path, url)
            checked += 1
        # Nothing the page loads comes from elsewhere: styles and the script are inline.
        assert page.eval_on_selector_all("[src], link[href]", "found => found.length") == 0, path
    assert checked > 500


def test_the_filter_narrows_the_unit_list(site, context):
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    rows = page.locator("#units tbody tr")
    shown = page.locator("#units tbody tr:visible")
    # 35 units; the 3 groups are listed apart, and the filter leaves them be.
    assert page.locator("form.filter").is_visible() and shown.count() == rows.count() == 35
    page.fill("form.filter input[name=q]", "乡")
    texts = shown.all_inner_texts()
    assert 0 < len(texts) < 35 and all("乡" in text for text in texts)
    page.fill("form.filter input[name=q]", "")
    page.select_option("form.filter select[name=state]", "green")
    assert [row.get_attribute("data-state") for row in shown.all()] == ["green"]
    assert page.locator("form.filter output").inner_text() == "显示 1 / 35 个单位"
    assert page.locator("#groups tbody tr:visible").count() == 3


def test_the_filter_of_the_task_list_narrows_by_unit(site, context):
    page = context.new_page()
    page.goto((site / "table.html").as_uri())
    page.select_option("form.filter select[name=unit]", "留早镇")
    # 留早镇 takes part in 4 tasks, all through 各乡镇(街道), as `dzshare units` counts them.
    assert page.locator("#tasks tbody tr:visible").count() == 4
    page.select_option("form.filter select[name=state]", "overdue")
    assert page.locator("#tasks tbody tr:visible").count() == 1


def test_without_javascript_the_filter_is_hidden_and_every_row_shows(site, browser):
    opened = browser.new_context(java_script_enabled=False)
    page = opened.new_page()
    page.goto((site / "index.html").as_uri())
    assert not page.locator("form.filter").is_visible()
    assert page.locator("#units tbody tr:visible").count() == 35
    opened.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_light_of_the_unit_with_overdue_work_is_red_and_says_so(site, browser, viewport):
    width, height = VIEWPORTS[viewport]
    opened = browser.new_context(viewport={"width": width, "height": height})
    page = opened.new_page()
    page.goto((site / "index.html").as_uri())
    row = page.locator("#units tbody tr", has_text="市行政审批局")
    assert row.get_attribute("data-state") == "red"
    light = row.locator(".light")
    assert light.is_visible() and "红灯" in light.inner_text() and "■" in light.inner_text()
    # A phone shows the light's name only, in the groups' list as in the units'.
    group = page.locator("#groups tbody tr", has_text="市直相关部门").locator(".light")
    assert group.is_visible() and "红灯" in group.inner_text()
    for shown in (light, group):
        assert ("有逾期" in shown.inner_text()) is (viewport == "desktop")
    red, green, blue = map(int, re.findall(r"\d+", light.evaluate("element => getComputedStyle(element).color"))[:3])
    assert red > green + 80 and red > blue + 80
    opened.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_page_scrolls_sideways(site, browser, viewport):
    width, height = VIEWPORTS[viewport]
    opened = browser.new_context(viewport={"width": width, "height": height})
    page = opened.new_page()
    wide = []
    for path in _pages(site):
        page.goto(path.as_uri())
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide.append((path.name, scroll))
    assert wide == []
    opened.close()


def test_links_are_reached_with_the_keyboard(site, context):
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").bounding_box()["x"] >= 0  # shown when focused
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent"))
    assert "市行政审批局" in reached


def test_dark_and_print_styles(site, browser):
    backgrounds = {}
    for scheme in ("light", "dark"):
        opened = browser.new_context(color_scheme=scheme)
        page = opened.new_page()
        page.goto((site / "index.html").as_uri())
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        if scheme == "light":
            page.emulate_media(media="print")
            assert not page.locator("nav").is_visible() and not page.locator("form.filter").is_visible()
        opened.close()
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(19, 20, 22)"}


def test_the_timeline_page_shows_the_picture(site, context):
    page = context.new_page()
    page.goto((site / "timeline.html").as_uri())
    box = page.locator(".timeline svg").bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 300


def test_screenshots_of_the_overview_for_review(site, browser, tmp_path_factory):
    """Written to $DZSHARE_SCREENSHOTS (else a temporary folder, named in the output) to look at."""
    folder = Path(os.environ.get("DZSHARE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for scheme in ("light", "dark"):
        for name, (width, height) in sorted(VIEWPORTS.items()):
            opened = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
            page = opened.new_page()
            page.goto((site / "index.html").as_uri())
            target = folder / f"overview-{name}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            opened.close()
            written.append(target)
    print("screenshots:", *written, sep="\n  ")
    assert all(path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000 for path in written)
